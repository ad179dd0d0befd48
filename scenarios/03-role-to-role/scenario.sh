#!/usr/bin/env bash
# Scenario 3: role to role. A bucket only role2 may use (its identity policy allows it, and the
# bucket policy denies everyone else, administrators included); role1, handed out by an
# administrator, may assume role2 and nothing else. role1's credentials list the bucket → denied;
# after role1 assumes role2 the same listing works. The role2 session lasts 900 s and is then
# refused as expired.
#
# Expiry without waiting: the server starts with its clock 10 minutes behind (so the 900 s session
# ends 5 real minutes from now) and is restarted on the same data directory 6 minutes ahead. Both
# offsets stay inside SigV4's 15-minute skew allowance, so the CLI's real-time signatures are
# accepted and only the session's own expiry decides.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib.sh"
require_clients

scenario() {
	local cli=$1
	start_server --clock-offset -10m
	local acct bucket=role2-only-data
	acct=$(account app)
	local A="--profile app"

	# The bucket, with an object, then the policy that leaves it to role2 alone.
	ok "$cli create-bucket" $cli $A s3api create-bucket --bucket "$bucket"
	printf 'quarterly numbers\n' >"$DATA/report.txt"
	ok "$cli put-object" $cli $A s3 cp "$DATA/report.txt" "s3://$bucket/reports/q1.txt"
	ok "$cli put-bucket-policy" $cli $A s3api put-bucket-policy --bucket "$bucket" \
		--policy "file://$(render "$here/bucket-policy.json" ACCOUNT="$acct" BUCKET="$bucket")"

	# The administrator and the three roles.
	ok "$cli create-user admin" $cli $A iam create-user --user-name admin
	ok "$cli put-user-policy admin" $cli $A iam put-user-policy --user-name admin --policy-name admin \
		--policy-document "file://$here/admin.json"
	ok "$cli create-access-key admin" $cli $A iam create-access-key --user-name admin
	local aid asecret _
	IFS=$'\t' read -r aid asecret _ < <(creds_of <<<"$LAST")
	local r
	for r in role1 role2 role3; do
		ok "$cli create-role $r" $cli $A iam create-role --role-name "$r" \
			--assume-role-policy-document "file://$(render "$here/$r-trust.json" ACCOUNT="$acct")"
	done
	ok "$cli put-role-policy role1" $cli $A iam put-role-policy --role-name role1 --policy-name assume \
		--policy-document "file://$(render "$here/role1-permissions.json" ACCOUNT="$acct")"
	ok "$cli put-role-policy role2" $cli $A iam put-role-policy --role-name role2 --policy-name bucket \
		--policy-document "file://$(render "$here/role2-permissions.json" BUCKET="$bucket")"

	# Not even the administrator may read the bucket.
	refused "$cli admin lists the bucket" AccessDenied with_keys "$aid" "$asecret" "" $cli s3 ls "s3://$bucket/"

	# role1, from the administrator.
	ok "$cli admin assume-role role1" with_keys "$aid" "$asecret" "" $cli sts assume-role \
		--role-arn "arn:aws:iam::$acct:role/role1" --role-session-name app-on-role1
	local id1 secret1 token1
	IFS=$'\t' read -r id1 secret1 token1 < <(creds_of <<<"$LAST")
	role1() { with_keys "$id1" "$secret1" "$token1" "$@"; }
	ok "$cli role1 get-caller-identity" role1 $cli sts get-caller-identity --query Arn --output text
	same "$cli role1 identity" "arn:aws:sts::$acct:assumed-role/role1/app-on-role1" "$LAST"
	refused "$cli role1 lists the bucket" AccessDenied role1 $cli s3 ls "s3://$bucket/"
	refused "$cli role1 reads an object" AccessDenied role1 $cli s3api get-object --bucket "$bucket" --key reports/q1.txt "$DATA/out.txt"
	refused "$cli role1 assumes role3, whose trust names only the administrator" AccessDenied \
		role1 $cli sts assume-role --role-arn "arn:aws:iam::$acct:role/role3" --role-session-name hop
	refused "$cli the administrator assumes role2, whose trust names only role1" AccessDenied \
		with_keys "$aid" "$asecret" "" $cli sts assume-role --role-arn "arn:aws:iam::$acct:role/role2" --role-session-name direct

	# role1 → role2, for the shortest session.
	ok "$cli role1 assume-role role2" role1 $cli sts assume-role --role-arn "arn:aws:iam::$acct:role/role2" \
		--role-session-name role1-to-role2 --duration-seconds 900
	local id2 secret2 token2
	IFS=$'\t' read -r id2 secret2 token2 < <(creds_of <<<"$LAST")
	role2() { with_keys "$id2" "$secret2" "$token2" "$@"; }
	ok "$cli role2 get-caller-identity" role2 $cli sts get-caller-identity --query Arn --output text
	same "$cli role2 identity" "arn:aws:sts::$acct:assumed-role/role2/role1-to-role2" "$LAST"
	ok "$cli role2 lists the bucket" role2 $cli s3 ls "s3://$bucket/reports/"
	has "$cli role2 sees the object" q1.txt "$LAST"
	ok "$cli role2 reads the object" role2 $cli s3 cp "s3://$bucket/reports/q1.txt" -
	same "$cli role2 object content" "quarterly numbers" "$LAST"
	ok "$cli role2 writes an object" role2 $cli s3 cp "$DATA/report.txt" "s3://$bucket/reports/q2.txt"
	refused "$cli role2 beyond its policy (iam)" AccessDenied role2 $cli iam list-roles
	refused "$cli role2 beyond its policy (delete)" AccessDenied role2 $cli s3 rm "s3://$bucket/reports/q2.txt"

	# Eleven minutes later by the server's clock: role2's 900 s are over, role1's hour is not.
	restart_server --clock-offset 6m
	refused "$cli expired role2 session lists the bucket" ExpiredToken role2 $cli s3 ls "s3://$bucket/reports/"
	refused "$cli expired role2 session calls STS" ExpiredToken role2 $cli sts get-caller-identity
	refused "$cli role1, still valid, is still denied the bucket" AccessDenied role1 $cli s3 ls "s3://$bucket/"
	ok "$cli role1 assumes role2 afresh" role1 $cli sts assume-role --role-arn "arn:aws:iam::$acct:role/role2" \
		--role-session-name role1-to-role2-again --duration-seconds 900
	IFS=$'\t' read -r id2 secret2 token2 < <(creds_of <<<"$LAST")
	ok "$cli the fresh role2 session lists the bucket" role2 $cli s3 ls "s3://$bucket/reports/"
	has "$cli the fresh role2 session sees both objects" q2.txt "$LAST"
	stop_server
}

scenario aws1
scenario aws2
report "03 role to role"
