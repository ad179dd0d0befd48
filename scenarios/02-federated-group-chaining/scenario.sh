#!/usr/bin/env bash
# Scenario 2: users federated into a primary account, roles in a child account, reached by
# profile chaining. A user of primary's group child-users may, through a group policy, assume
# users_assume_role_default in child; the user's own ~/.aws holds only its keys and a
# `[profile child]` with role_arn + source_profile = default, and the CLI assumes the role itself
# (botocore-session-<time> session names). Then the role's trust policy demands MFA and the
# profile gains mfa_serial: the CLI prompts for a code, and only a valid one is accepted.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib.sh"
require_clients

# as_user CMD... runs CMD as the primary user: a home directory of its own holding the rendered
# ~/.aws files, and no cached role credentials (the CLIs cache assumed roles in ~/.aws/cli/cache,
# which would hide a refusal).
as_user() {
	(
		export HOME="$DATA/home" AWS_CONFIG_FILE="$DATA/home/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$DATA/home/.aws/credentials"
		rm -rf "$HOME/.aws/cli/cache"
		"$@"
	)
}

scenario() {
	local cli=$1
	start_server
	local primary child
	primary=$(account primary)
	child=$(account child)
	local P="--profile primary" C="--profile child"

	# primary: the user, the group, and the group's policy naming the child role.
	ok "$cli primary create-user" $cli $P iam create-user --user-name dana.ops
	ok "$cli primary create-group" $cli $P iam create-group --group-name child-users
	ok "$cli primary add-user-to-group" $cli $P iam add-user-to-group --group-name child-users --user-name dana.ops
	ok "$cli primary create-policy" $cli $P iam create-policy --policy-name assume-role-child-user \
		--policy-document "file://$(render "$here/primary-assume-child.json" CHILD="$child")"
	local group_policy="arn:aws:iam::$primary:policy/assume-role-child-user"
	ok "$cli primary attach-group-policy" $cli $P iam attach-group-policy --group-name child-users --policy-arn "$group_policy"
	ok "$cli primary create-access-key" $cli $P iam create-access-key --user-name dana.ops
	local kid ksecret _
	IFS=$'\t' read -r kid ksecret _ < <(creds_of <<<"$LAST")

	# child: the role, trusting primary's account, with a permission policy and the seed-style
	# policy that allows everything only when the group is the request's aws:SourceArn (a key
	# only AWS services acting on a principal's behalf set, so it grants a CLI user nothing).
	ok "$cli child create-role" $cli $C iam create-role --role-name users_assume_role_default \
		--assume-role-policy-document "file://$(render "$here/child-trust.json" PRIMARY="$primary")"
	ok "$cli child create-policy child-users-read" $cli $C iam create-policy --policy-name child-users-read \
		--policy-document "file://$here/child-permissions.json"
	ok "$cli child attach-role-policy child-users-read" $cli $C iam attach-role-policy --role-name users_assume_role_default \
		--policy-arn "arn:aws:iam::$child:policy/child-users-read"
	ok "$cli child create-policy child-users-access" $cli $C iam create-policy --policy-name child-users-access \
		--policy-document "file://$(render "$here/child-group-source.json" PRIMARY="$primary")"
	ok "$cli child attach-role-policy child-users-access" $cli $C iam attach-role-policy --role-name users_assume_role_default \
		--policy-arn "arn:aws:iam::$child:policy/child-users-access"

	# The user's ~/.aws.
	mkdir -p "$DATA/home/.aws"
	cp "$(render "$here/aws-config" CHILD="$child" ENDPOINT="$ENDPOINT")" "$DATA/home/.aws/config"
	cp "$(render "$here/aws-credentials" KEY_ID="$kid" SECRET="$ksecret")" "$DATA/home/.aws/credentials"

	ok "$cli get-caller-identity" as_user $cli sts get-caller-identity
	same "$cli default profile account" "$primary" "$(json Account <<<"$LAST")"
	same "$cli default profile identity" "arn:aws:iam::$primary:user/dana.ops" "$(json Arn <<<"$LAST")"
	ok "$cli get-caller-identity --profile child" as_user $cli sts get-caller-identity --profile child
	local ident=$LAST
	same "$cli child profile account" "$child" "$(json Account <<<"$ident")"
	matches "$cli child profile ARN" "^arn:aws:sts::$child:assumed-role/users_assume_role_default/botocore-session-[0-9]+$" "$(json Arn <<<"$ident")"
	matches "$cli child profile user id" '^AROA[A-Z0-9]{17}:botocore-session-[0-9]+$' "$(json UserId <<<"$ident")"
	ok "$cli child profile uses the role's permission" as_user $cli --profile child iam get-role --role-name users_assume_role_default --query Role.Arn --output text
	same "$cli child role ARN" "arn:aws:iam::$child:role/users_assume_role_default" "$LAST"
	refused "$cli child profile beyond the role's permission (aws:SourceArn is absent)" AccessDenied \
		as_user $cli --profile child iam list-users
	refused "$cli child profile cannot change the child account" AccessDenied \
		as_user $cli --profile child iam create-user --user-name intruder

	# Out of the group, the user may no longer assume the role.
	ok "$cli primary remove-user-from-group" $cli $P iam remove-user-from-group --group-name child-users --user-name dana.ops
	refused "$cli child profile outside the group" AccessDenied as_user $cli sts get-caller-identity --profile child
	ok "$cli primary add-user-to-group again" $cli $P iam add-user-to-group --group-name child-users --user-name dana.ops
	ok "$cli child profile back in the group" as_user $cli sts get-caller-identity --profile child

	# MFA: a virtual device for the user, then a trust policy that demands MFA.
	ok "$cli primary create-virtual-mfa-device" $cli $P iam create-virtual-mfa-device --virtual-mfa-device-name dana.ops \
		--outfile "$DATA/mfa-seed" --bootstrap-method Base32StringSeed
	local serial seed
	serial=$(json VirtualMFADevice.SerialNumber <<<"$LAST")
	seed=$(cat "$DATA/mfa-seed")
	# Enabling takes two consecutive past codes, so the current code is still unused afterwards.
	local codes
	mapfile -t codes < <(totp "$seed" -3 -2)
	ok "$cli primary enable-mfa-device" $cli $P iam enable-mfa-device --user-name dana.ops --serial-number "$serial" \
		--authentication-code1 "${codes[0]}" --authentication-code2 "${codes[1]}"
	ok "$cli child update-assume-role-policy (MFA required)" $cli $C iam update-assume-role-policy --role-name users_assume_role_default \
		--policy-document "file://$(render "$here/child-trust-mfa.json" PRIMARY="$primary")"
	refused "$cli child profile without mfa_serial" AccessDenied as_user $cli sts get-caller-identity --profile child
	cp "$(render "$here/aws-config-mfa" CHILD="$child" ENDPOINT="$ENDPOINT" MFA_SERIAL="$serial")" "$DATA/home/.aws/config"
	refused "$cli child profile with a wrong MFA code" AccessDenied \
		as_user with_input 000000 $cli sts get-caller-identity --profile child
	local code
	code=$(totp "$seed")
	ok "$cli child profile prompts for the MFA code and accepts it" \
		as_user with_input "$code" $cli sts get-caller-identity --profile child --query Arn --output text
	has "$cli the CLI asked for the code" "Enter MFA code for $serial" "$LAST"
	matches "$cli child profile ARN with MFA" "assumed-role/users_assume_role_default/botocore-session-[0-9]+$" "$LAST"
	refused "$cli the same code a second time" AccessDenied \
		as_user with_input "$code" $cli sts get-caller-identity --profile child
	stop_server
}

scenario aws1
scenario aws2
report "02 federated group, profile chaining"
