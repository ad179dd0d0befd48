#!/usr/bin/env bash
# Scenario 5: a central identity account holds the people; dev holds a least-privilege role they
# assume. The role may create and delete exactly one bucket, and only in sessions tagged
# team=platform. Its trust policy demands the agreed ExternalId for sts:AssumeRole and allows
# sts:TagSession only with team=platform (and no tag keys but team and ticket). Through the
# role: that bucket can be created and deleted; any other bucket name, any other S3 action and
# every iam: call are refused; so are a missing or wrong ExternalId, a wrong tag value, tags
# without sts:TagSession on the caller's side, and an untagged session's bucket calls.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib.sh"
require_clients

# own_home CMD... runs CMD with HOME in the data directory, so the CLI's cache of assumed-role
# credentials (~/.aws/cli/cache) starts empty and dies with the server.
own_home() { (export HOME="$DATA" && "$@"); }

scenario() {
	local cli=$1
	start_server
	local central dev
	central=$(account central)
	dev=$(account dev)
	local C="--profile central" D="--profile dev" xid=central-dev-4821 bucket=dev-team-artifacts
	local role="arn:aws:iam::$dev:role/bucket-provisioner"

	# dev: the role, a bucket someone else owns in dev.
	ok "$cli dev create-role" $cli $D iam create-role --role-name bucket-provisioner \
		--assume-role-policy-document "file://$(render "$here/dev-role-trust.json" CENTRAL="$central" EXTERNAL_ID="$xid")"
	ok "$cli dev put-role-policy" $cli $D iam put-role-policy --role-name bucket-provisioner --policy-name one-bucket \
		--policy-document "file://$(render "$here/dev-role-permissions.json" BUCKET="$bucket")"
	ok "$cli dev create-bucket dev-shared-logs" $cli $D s3api create-bucket --bucket dev-shared-logs

	# central: sam may assume the role with session tags; kai may assume it but not tag.
	ok "$cli central create-user sam" $cli $C iam create-user --user-name sam
	ok "$cli central put-user-policy sam" $cli $C iam put-user-policy --user-name sam --policy-name dev-buckets \
		--policy-document "file://$(render "$here/central-user.json" DEV="$dev")"
	ok "$cli central create-access-key sam" $cli $C iam create-access-key --user-name sam
	local sam_id sam_secret _
	IFS=$'\t' read -r sam_id sam_secret _ < <(creds_of <<<"$LAST")
	ok "$cli central create-user kai" $cli $C iam create-user --user-name kai
	ok "$cli central put-user-policy kai" $cli $C iam put-user-policy --user-name kai --policy-name dev-buckets \
		--policy-document "file://$(render "$here/central-user-untagged.json" DEV="$dev")"
	ok "$cli central create-access-key kai" $cli $C iam create-access-key --user-name kai
	local kai_id kai_secret
	IFS=$'\t' read -r kai_id kai_secret _ < <(creds_of <<<"$LAST")
	sam() { with_keys "$sam_id" "$sam_secret" "" "$@"; }
	kai() { with_keys "$kai_id" "$kai_secret" "" "$@"; }

	# The trust policy's conditions.
	local tags="Key=team,Value=platform Key=ticket,Value=OPS-17"
	refused "$cli assume-role without the ExternalId" AccessDenied \
		sam $cli sts assume-role --role-arn "$role" --role-session-name sam --tags $tags
	refused "$cli assume-role with a wrong ExternalId" AccessDenied \
		sam $cli sts assume-role --role-arn "$role" --role-session-name sam --tags $tags --external-id central-dev-0000
	refused "$cli assume-role tagged team=data" AccessDenied \
		sam $cli sts assume-role --role-arn "$role" --role-session-name sam --external-id "$xid" --tags Key=team,Value=data
	refused "$cli assume-role with a tag key the trust policy does not list" AccessDenied \
		sam $cli sts assume-role --role-arn "$role" --role-session-name sam --external-id "$xid" --tags Key=team,Value=platform Key=cost,Value=x
	refused "$cli assume-role with tags by a user without sts:TagSession" AccessDenied \
		kai $cli sts assume-role --role-arn "$role" --role-session-name kai --external-id "$xid" --tags $tags

	# An untagged session (kai, ExternalId right) exists, but the bucket calls need the tag.
	ok "$cli kai assume-role without tags" kai $cli sts assume-role --role-arn "$role" --role-session-name kai --external-id "$xid"
	local uid usecret utoken
	IFS=$'\t' read -r uid usecret utoken < <(creds_of <<<"$LAST")
	refused "$cli untagged session creates the bucket" AccessDenied with_keys "$uid" "$usecret" "$utoken" $cli s3api create-bucket --bucket "$bucket"

	# The tagged session.
	ok "$cli sam assume-role with ExternalId and tags" sam $cli sts assume-role --role-arn "$role" --role-session-name sam \
		--external-id "$xid" --tags $tags
	local sid ssecret stoken
	IFS=$'\t' read -r sid ssecret stoken < <(creds_of <<<"$LAST")
	has "$cli packed policy size reported for session tags" PackedPolicySize "$LAST"
	tagged() { with_keys "$sid" "$ssecret" "$stoken" "$@"; }
	ok "$cli tagged session identity" tagged $cli sts get-caller-identity --query Arn --output text
	same "$cli tagged session ARN" "arn:aws:sts::$dev:assumed-role/bucket-provisioner/sam" "$LAST"
	ok "$cli the one bucket can be created" tagged $cli s3api create-bucket --bucket "$bucket"
	ok "$cli dev sees the bucket" $cli $D s3 ls
	has "$cli the bucket is dev's" "$bucket" "$LAST"
	refused "$cli another bucket name" AccessDenied tagged $cli s3api create-bucket --bucket dev-team-artifacts-2
	refused "$cli deleting another dev bucket" AccessDenied tagged $cli s3api delete-bucket --bucket dev-shared-logs
	refused "$cli writing into the bucket" AccessDenied tagged $cli s3api put-object --bucket "$bucket" --key x --body "$here/dev-role-permissions.json"
	refused "$cli listing buckets" AccessDenied tagged $cli s3 ls
	refused "$cli iam list-roles" AccessDenied tagged $cli iam list-roles
	refused "$cli iam get-role of its own role" AccessDenied tagged $cli iam get-role --role-name bucket-provisioner
	refused "$cli iam create-user" AccessDenied tagged $cli iam create-user --user-name backdoor
	refused "$cli iam put-role-policy to widen itself" AccessDenied tagged $cli iam put-role-policy --role-name bucket-provisioner \
		--policy-name more --policy-document "file://$here/dev-role-permissions.json"
	ok "$cli the one bucket can be deleted" tagged $cli s3api delete-bucket --bucket "$bucket"
	ok "$cli dev lists its buckets again" $cli $D s3 ls
	lacks "$cli the bucket is gone" "$bucket" "$LAST"

	# The same role from a profile: role_arn + source_profile + external_id (no tags, so the
	# session may not create the bucket).
	cat >>"$AWS_CONFIG_FILE" <<CFG

[profile sam]
region = us-east-1
endpoint_url = $ENDPOINT

[profile dev-buckets]
role_arn = $role
source_profile = sam
external_id = $xid
region = us-east-1
endpoint_url = $ENDPOINT
CFG
	printf '\n[sam]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$sam_id" "$sam_secret" >>"$AWS_SHARED_CREDENTIALS_FILE"
	ok "$cli profile with external_id" own_home $cli --profile dev-buckets sts get-caller-identity --query Arn --output text
	matches "$cli profile session" "^arn:aws:sts::$dev:assumed-role/bucket-provisioner/botocore-session-[0-9]+$" "$LAST"
	refused "$cli profile session (untagged) creates the bucket" AccessDenied \
		own_home $cli --profile dev-buckets s3api create-bucket --bucket "$bucket"
	stop_server
}

scenario aws1
scenario aws2
report "05 central identity account, least privilege"
