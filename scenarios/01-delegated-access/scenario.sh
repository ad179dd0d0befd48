#!/usr/bin/env bash
# Scenario 1: delegated access across accounts. Users live in dev; prod has a role that trusts
# dev's account root and may only list buckets. A dev user whom dev allows to assume exactly that
# role gets prod's bucket list through it, and nothing more. This is the README's walkthrough: it
# runs once verbatim from the README, then step by step with the aws CLI v1 and v2 (a fresh
# server each), then with boto3.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib.sh"
require_clients

scenario() {
	local cli=$1
	start_server
	local dev prod
	dev=$(account dev)
	prod=$(account prod)

	# prod: a bucket and the role (trust: dev's account; permission: list buckets only).
	ok "$cli prod create-bucket" $cli --profile prod s3api create-bucket --bucket prod-reports
	ok "$cli prod create-role s3-list-role" $cli --profile prod iam create-role --role-name s3-list-role \
		--assume-role-policy-document "file://$(render "$here/prod-role-trust.json" DEV="$dev")"
	ok "$cli prod put-role-policy" $cli --profile prod iam put-role-policy --role-name s3-list-role --policy-name list \
		--policy-document "file://$here/prod-role-permissions.json"
	# A role that trusts only prod, and one that trusts dev but that no dev policy names.
	ok "$cli prod create-role prod-internal-role" $cli --profile prod iam create-role --role-name prod-internal-role \
		--assume-role-policy-document "file://$(render "$here/prod-internal-trust.json" PROD="$prod")"
	ok "$cli prod create-role prod-audit-role" $cli --profile prod iam create-role --role-name prod-audit-role \
		--assume-role-policy-document "file://$(render "$here/prod-role-trust.json" DEV="$dev")"
	$cli --profile prod iam put-role-policy --role-name prod-audit-role --policy-name list \
		--policy-document "file://$here/prod-role-permissions.json" >/dev/null

	# dev: a bucket and the user, allowed to assume exactly the list role (and, so that only the
	# trust policy can refuse it, the internal role) and to list its own account's buckets.
	ok "$cli dev create-bucket" $cli --profile dev s3api create-bucket --bucket dev-scratch
	ok "$cli dev create-user" $cli --profile dev iam create-user --user-name random_user
	ok "$cli dev put-user-policy assume" $cli --profile dev iam put-user-policy --user-name random_user --policy-name assume \
		--policy-document "file://$(render "$here/dev-user-assume.json" PROD="$prod")"
	ok "$cli dev put-user-policy assume-internal" $cli --profile dev iam put-user-policy --user-name random_user --policy-name assume-internal \
		--policy-document "file://$(render "$here/dev-user-assume-internal.json" PROD="$prod")"
	ok "$cli dev put-user-policy list" $cli --profile dev iam put-user-policy --user-name random_user --policy-name list \
		--policy-document "file://$here/dev-user-list-buckets.json"
	ok "$cli dev create-access-key" $cli --profile dev iam create-access-key --user-name random_user
	local uid usecret _
	IFS=$'\t' read -r uid usecret _ < <(creds_of <<<"$LAST")

	# As the user: its own account's buckets only.
	ok "$cli user s3 ls" with_keys "$uid" "$usecret" "" $cli s3 ls
	has "$cli user lists dev's bucket" dev-scratch "$LAST"
	lacks "$cli user does not list prod's bucket" prod-reports "$LAST"
	ok "$cli user get-caller-identity" with_keys "$uid" "$usecret" "" $cli sts get-caller-identity --query Arn --output text
	same "$cli user identity" "arn:aws:iam::$dev:user/random_user" "$LAST"

	# assume-role, then the three variables.
	ok "$cli user assume-role s3-list-role" with_keys "$uid" "$usecret" "" $cli sts assume-role \
		--role-arn "arn:aws:iam::$prod:role/s3-list-role" --role-session-name demo
	local sid ssecret stoken
	IFS=$'\t' read -r sid ssecret stoken < <(creds_of <<<"$LAST")
	matches "$cli temporary key id" '^ASIA[A-Z2-7]{16}$' "$sid"
	ok "$cli role get-caller-identity" with_keys "$sid" "$ssecret" "$stoken" $cli sts get-caller-identity --query Arn --output text
	same "$cli assumed-role ARN" "arn:aws:sts::$prod:assumed-role/s3-list-role/demo" "$LAST"
	ok "$cli role s3 ls" with_keys "$sid" "$ssecret" "$stoken" $cli s3 ls
	has "$cli role lists prod's bucket" prod-reports "$LAST"
	lacks "$cli role does not list dev's bucket" dev-scratch "$LAST"

	# The role may list buckets and nothing else.
	refused "$cli role iam list-users" AccessDenied with_keys "$sid" "$ssecret" "$stoken" $cli iam list-users
	refused "$cli role lists objects" AccessDenied with_keys "$sid" "$ssecret" "$stoken" $cli s3 ls s3://prod-reports
	refused "$cli role creates a bucket" AccessDenied with_keys "$sid" "$ssecret" "$stoken" $cli s3api create-bucket --bucket prod-more
	refused "$cli user lists prod's objects with its own keys" AccessDenied with_keys "$uid" "$usecret" "" $cli s3 ls s3://prod-reports

	# Refused: a role whose trust does not name dev (the user's own policy allows it), and a role
	# that trusts dev but that no dev policy names.
	refused "$cli role not trusting dev" AccessDenied with_keys "$uid" "$usecret" "" $cli sts assume-role \
		--role-arn "arn:aws:iam::$prod:role/prod-internal-role" --role-session-name demo
	refused "$cli role the user's policy does not name" AccessDenied with_keys "$uid" "$usecret" "" $cli sts assume-role \
		--role-arn "arn:aws:iam::$prod:role/prod-audit-role" --role-session-name demo

	# The same user without the dev-side policy: the trust policy alone is not enough.
	ok "$cli dev delete-user-policy assume" $cli --profile dev iam delete-user-policy --user-name random_user --policy-name assume
	refused "$cli user without the dev-side policy" AccessDenied with_keys "$uid" "$usecret" "" $cli sts assume-role \
		--role-arn "arn:aws:iam::$prod:role/s3-list-role" --role-session-name demo
	stop_server
}

# walkthrough runs the README's walkthrough as printed (see walkthrough.py for the two changes it
# makes: a private data directory and a free port).
walkthrough() {
	checks "README walkthrough" python3 "$here/walkthrough.py" "$ROOT/README.md" "$(mktemp -d)"
}

with_boto3() {
	start_server
	local dev prod
	dev=$(account dev)
	prod=$(account prod)
	checks "boto3" python3 "$here/delegated_access.py" "$here" "$dev" "$prod"
	stop_server
}

walkthrough
scenario aws1
scenario aws2
with_boto3
report "01 delegated access across accounts"
