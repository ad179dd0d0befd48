#!/usr/bin/env bash
# IAM and STS through the real aws CLI v1 and v2 against rolegate serve: the IAM lifecycle with
# pagination and DeleteConflict, decisions of identity policies, authentication failures, and
# AssumeRole in all its forms, including role_arn/source_profile profiles with external_id and
# mfa_serial.
source "$(dirname "$0")/../lib.sh"
require_clients
start_server

run_cli() {
	local cli=$1 tag=$2
	local dev prod
	dev=$(account "dev$tag")
	prod=$(account "prod$tag")
	local D="--profile dev$tag" P="--profile prod$tag"

	# IAM lifecycle.
	ok "$cli create-user" $cli $D iam create-user --user-name alice --path /eng/
	refused "$cli create-user with a taken name" EntityAlreadyExists $cli $D iam create-user --user-name ALICE
	refused "$cli create-user with a bad name" ValidationError $cli $D iam create-user --user-name "a b"
	ok "$cli create-group" $cli $D iam create-group --group-name devs
	ok "$cli add-user-to-group" $cli $D iam add-user-to-group --group-name devs --user-name alice
	ok "$cli create-role" $cli $D iam create-role --role-name app --assume-role-policy-document \
		"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$dev:root\"},\"Action\":\"sts:AssumeRole\"}]}"
	ok "$cli create-policy" $cli $D iam create-policy --policy-name p --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}'
	local parn="arn:aws:iam::$dev:policy/p"
	ok "$cli create-policy-version" $cli $D iam create-policy-version --policy-arn "$parn" --set-as-default \
		--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}'
	ok "$cli get-policy" $cli $D iam get-policy --policy-arn "$parn" --query Policy.DefaultVersionId --output text
	same "$cli default version" v2 "$LAST"
	ok "$cli get-policy-version" $cli $D iam get-policy-version --policy-arn "$parn" --version-id v2 --query PolicyVersion.Document.Statement[0].Action --output text
	same "$cli decoded policy document" "s3:List*" "$LAST"
	ok "$cli put-user-policy" $cli $D iam put-user-policy --user-name alice --policy-name i --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'
	ok "$cli put-group-policy" $cli $D iam put-group-policy --group-name devs --policy-name i --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}'
	ok "$cli put-role-policy" $cli $D iam put-role-policy --role-name app --policy-name i --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}'
	ok "$cli attach-user-policy" $cli $D iam attach-user-policy --user-name alice --policy-arn "$parn"
	ok "$cli attach-group-policy" $cli $D iam attach-group-policy --group-name devs --policy-arn "$parn"
	ok "$cli attach-role-policy" $cli $D iam attach-role-policy --role-name app --policy-arn "$parn"
	ok "$cli create-access-key" $cli $D iam create-access-key --user-name alice
	local key=$LAST
	for i in 1 2 3 4 5; do $cli $D iam create-user --user-name "page$i" >/dev/null; done
	ok "$cli list-users one per page" $cli $D iam list-users --page-size 1 --query 'length(Users)'
	same "$cli users across pages" 6 "$LAST"
	refused "$cli delete-policy while attached" DeleteConflict $cli $D iam delete-policy --policy-arn "$parn"
	refused "$cli delete-group with members" DeleteConflict $cli $D iam delete-group --group-name devs
	refused "$cli delete-user with keys" DeleteConflict $cli $D iam delete-user --user-name alice
	refused "$cli delete-role with policies" DeleteConflict $cli $D iam delete-role --role-name app
	refused "$cli get-user of nobody" NoSuchEntity $cli $D iam get-user --user-name nobody

	# Decisions: bob has no policy, then an Allow, then an explicit Deny.
	$cli $D iam create-user --user-name bob >/dev/null
	local bk bid bsec
	bk=$($cli $D iam create-access-key --user-name bob)
	bid=$(json AccessKey.AccessKeyId <<<"$bk")
	bsec=$(json AccessKey.SecretAccessKey <<<"$bk")
	bob() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$bid AWS_SECRET_ACCESS_KEY=$bsec $cli --endpoint-url "$ENDPOINT" "$@"; }
	refused "$cli list-users without a policy" AccessDenied bob iam list-users
	$cli $D iam put-user-policy --user-name bob --policy-name allow --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}'
	ok "$cli list-users with an Allow" bob iam list-users
	$cli $D iam put-user-policy --user-name bob --policy-name deny --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}'
	refused "$cli list-users with an explicit Deny" AccessDenied bob iam list-users
	wrong() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$bid AWS_SECRET_ACCESS_KEY=x$bsec $cli --endpoint-url "$ENDPOINT" "$@"; }
	refused "$cli wrong secret" SignatureDoesNotMatch wrong iam list-users
	unknown() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=AKIAAAAAAAAAAAAAAAAA AWS_SECRET_ACCESS_KEY=x $cli --endpoint-url "$ENDPOINT" "$@"; }
	refused "$cli unknown key" InvalidClientTokenId unknown iam list-users

	# AssumeRole: carol may assume roles; the trust side decides too.
	$cli $D iam create-user --user-name carol >/dev/null
	$cli $D iam put-user-policy --user-name carol --policy-name assume --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}'
	local ck cid csec
	ck=$($cli $D iam create-access-key --user-name carol)
	cid=$(json AccessKey.AccessKeyId <<<"$ck")
	csec=$(json AccessKey.SecretAccessKey <<<"$ck")
	carol() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$cid AWS_SECRET_ACCESS_KEY=$csec $cli --endpoint-url "$ENDPOINT" "$@"; }
	local trust_dev="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$dev:root\"},\"Action\":\"sts:AssumeRole\"}]}"
	$cli $P iam create-role --role-name open --assume-role-policy-document "$trust_dev" >/dev/null
	$cli $P iam put-role-policy --role-name open --policy-name p --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:GetRole"],"Resource":"*"}]}'
	ok "$cli cross-account assume-role" carol sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s1
	local creds=$LAST
	local sid ssec stok
	sid=$(json Credentials.AccessKeyId <<<"$creds")
	ssec=$(json Credentials.SecretAccessKey <<<"$creds")
	stok=$(json Credentials.SessionToken <<<"$creds")
	sess() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$sid AWS_SECRET_ACCESS_KEY=$ssec AWS_SESSION_TOKEN=$stok $cli --endpoint-url "$ENDPOINT" "$@"; }
	ok "$cli get-caller-identity as the role" sess sts get-caller-identity --query Arn --output text
	same "$cli assumed-role ARN" "arn:aws:sts::$prod:assumed-role/open/s1" "$LAST"
	ok "$cli the role's permission" sess iam list-roles
	refused "$cli beyond the role's permission" AccessDenied sess iam list-users
	refused "$cli trust without identity permission" AccessDenied bob sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s1
	$cli $P iam create-role --role-name closed --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$prod:root\"},\"Action\":\"sts:AssumeRole\"}]}" >/dev/null
	refused "$cli identity permission without trust" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/closed" --role-session-name s1
	refused "$cli root cannot assume roles" AccessDenied $cli $D sts assume-role --role-arn "arn:aws:iam::$dev:role/app" --role-session-name root-s
	$cli $D iam update-assume-role-policy --role-name app --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$dev:user/eng/alice\"},\"Action\":\"sts:AssumeRole\"}]}"
	local aid asec
	aid=$(json AccessKey.AccessKeyId <<<"$key")
	asec=$(json AccessKey.SecretAccessKey <<<"$key")
	alice() { AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$aid AWS_SECRET_ACCESS_KEY=$asec $cli --endpoint-url "$ENDPOINT" "$@"; }
	ok "$cli same-account assume-role by the user the trust policy names" alice sts assume-role --role-arn "arn:aws:iam::$dev:role/app" --role-session-name alice-s
	refused "$cli duration above the maximum" ValidationError carol sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s1 --duration-seconds 7200
	$cli $P iam create-role --role-name ext --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$dev:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"xid-42\"}}}]}" >/dev/null
	refused "$cli ExternalId missing" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/ext" --role-session-name s1
	refused "$cli ExternalId wrong" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/ext" --role-session-name s1 --external-id nope-1
	ok "$cli ExternalId right" carol sts assume-role --role-arn "arn:aws:iam::$prod:role/ext" --role-session-name s1 --external-id xid-42
	refused "$cli session tags without sts:TagSession" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s1 --tags Key=team,Value=red
	ok "$cli session policy" carol sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s2 \
		--policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}'
	creds=$LAST
	sid=$(json Credentials.AccessKeyId <<<"$creds")
	ssec=$(json Credentials.SecretAccessKey <<<"$creds")
	stok=$(json Credentials.SessionToken <<<"$creds")
	ok "$cli allowed by the role and the session policy" sess iam get-role --role-name open
	refused "$cli allowed by the role, not by the session policy" AccessDenied sess iam list-roles
	# Role chaining is capped at one hour.
	$cli $P iam put-role-policy --role-name open --policy-name chain --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}'
	$cli $P iam create-role --role-name next --max-session-duration 7200 --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$prod:role/open\"},\"Action\":\"sts:AssumeRole\"}]}" >/dev/null
	creds=$(carol sts assume-role --role-arn "arn:aws:iam::$prod:role/open" --role-session-name s3)
	sid=$(json Credentials.AccessKeyId <<<"$creds")
	ssec=$(json Credentials.SecretAccessKey <<<"$creds")
	stok=$(json Credentials.SessionToken <<<"$creds")
	refused "$cli chained session over an hour" ValidationError sess sts assume-role --role-arn "arn:aws:iam::$prod:role/next" --role-session-name c1 --duration-seconds 7200
	ok "$cli chained session of an hour" sess sts assume-role --role-arn "arn:aws:iam::$prod:role/next" --role-session-name c1 --duration-seconds 3600

	# Profiles: role_arn + source_profile, with external_id, and with mfa_serial.
	cat >>"$AWS_CONFIG_FILE" <<CFG

[profile chain$tag]
role_arn = arn:aws:iam::$prod:role/ext
source_profile = carol$tag
external_id = xid-42
endpoint_url = $ENDPOINT
region = us-east-1
CFG
	cat >>"$AWS_CONFIG_FILE" <<CFG

[profile carol$tag]
endpoint_url = $ENDPOINT
region = us-east-1
CFG
	cat >>"$AWS_SHARED_CREDENTIALS_FILE" <<CRED

[carol$tag]
aws_access_key_id = $cid
aws_secret_access_key = $csec
CRED
	ok "$cli role_arn profile with external_id" $cli --profile "chain$tag" sts get-caller-identity --query Arn --output text
	has "$cli role_arn profile identity" "assumed-role/ext/" "$LAST"
	local mfa seed serial
	mfa=$($cli $D iam create-virtual-mfa-device --virtual-mfa-device-name carol --outfile "$DATA/seed$tag" --bootstrap-method Base32StringSeed)
	serial=$(json VirtualMFADevice.SerialNumber <<<"$mfa")
	seed=$(cat "$DATA/seed$tag")
	local codes
	mapfile -t codes < <(totp "$seed" -1 0)
	ok "$cli enable-mfa-device" $cli $D iam enable-mfa-device --user-name carol --serial-number "$serial" --authentication-code1 "${codes[0]}" --authentication-code2 "${codes[1]}"
	$cli $P iam create-role --role-name mfa --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$dev:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}]}" >/dev/null
	refused "$cli MFA-protected role without a code" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/mfa" --role-session-name m1
	refused "$cli MFA-protected role with a wrong code" AccessDenied carol sts assume-role --role-arn "arn:aws:iam::$prod:role/mfa" --role-session-name m1 --serial-number "$serial" --token-code 000000
	cat >>"$AWS_CONFIG_FILE" <<CFG

[profile mfa$tag]
role_arn = arn:aws:iam::$prod:role/mfa
source_profile = carol$tag
mfa_serial = $serial
endpoint_url = $ENDPOINT
region = us-east-1
CFG
	# The enabling codes are spent: wait for the next time step, then answer the CLI's prompt.
	sleep $((31 - $(date +%s) % 30))
	ok "$cli mfa_serial profile prompts and accepts the code" with_input "$(totp "$seed")" $cli --profile "mfa$tag" sts get-caller-identity --query Arn --output text
	has "$cli MFA profile identity" "assumed-role/mfa/" "$LAST"
}

run_cli aws1 v1
run_cli aws2 v2

# Expired credentials and clock skew: restart the same data directory with the clock moved on.
creds=$(aws1 --profile carolv1 sts assume-role --role-arn "$(aws1 --profile prodv1 iam get-role --role-name open --query Role.Arn --output text)" --role-session-name short --duration-seconds 900)
sid=$(json Credentials.AccessKeyId <<<"$creds")
ssec=$(json Credentials.SecretAccessKey <<<"$creds")
stok=$(json Credentials.SessionToken <<<"$creds")
restart_server --clock-offset 16m
for cli in aws1 aws2; do
	refused "$cli expired session credentials" ExpiredToken with_keys "$sid" "$ssec" "$stok" $cli iam list-roles
	refused "$cli clock skewed by 16 minutes" SignatureDoesNotMatch $cli --profile prodv1 iam list-roles
done

report "cli iam+sts"
