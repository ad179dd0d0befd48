#!/usr/bin/env bash
# Scenario 4: a tool operating in another account through an assumed role. OpenTofu runs in the
# tools account as the user ci-runner, whose only permission is to assume infra's tofu-state role;
# that role's trust policy demands an agreed ExternalId, and its permissions reach only the state
# objects in infra's bucket. The S3 backend (aws-sdk-go-v2) validates its credentials with
# GetCallerIdentity, assumes the role, writes the state to the other account's bucket and locks
# with a lock file created by a conditional PUT (If-None-Match: *), so a second concurrent apply
# cannot take the lock. A wrong external_id is refused. The Go side of this scenario, the
# hashicorp/aws provider's call sequence, is scenarios/terraformreplay.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tests/lib.sh"
require_clients
TOFU=${TOFU:-$("$here/../build-tofu")}

# tofu_in DIR ARGS... runs OpenTofu in the working directory DIR as ci-runner: only its keys in
# the environment, no profile files, no CLI configuration, no prompts.
tofu_in() {
	local dir=$1
	shift
	(
		export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
		export AWS_ACCESS_KEY_ID=$RUNNER_ID AWS_SECRET_ACCESS_KEY=$RUNNER_SECRET AWS_REGION=us-east-1
		unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL
		export TF_CLI_CONFIG_FILE="$DATA/tofurc" TF_IN_AUTOMATION=1 TF_INPUT=0 TF_DATA_DIR="$dir/.terraform"
		timeout 300 "$TOFU" -chdir="$dir" "$@" -no-color
	)
}

# workdir NAME WHO prints a fresh OpenTofu working directory with the configuration and a
# backend.hcl for the given external id.
workdir() {
	local dir="$DATA/$1"
	mkdir -p "$dir"
	cp "$here/config/main.tf" "$dir/"
	cp "$(render "$here/backend.hcl" BUCKET="$BUCKET" ENDPOINT="$ENDPOINT" INFRA="$INFRA" EXTERNAL_ID="$2" WHO="$1")" "$dir/backend.hcl"
	echo "$dir"
}

# tofu_calls prints "EventName caller-ARN" for each call OpenTofu made, from the server's audit
# log (CloudTrail-shaped JSON lines; OpenTofu's user agent names it).
tofu_calls() { python3 -c 'import json,sys
for line in open(sys.argv[1]):
    e=json.loads(line)
    if "OpenTofu/" in e.get("userAgent",""):
        print(e["eventName"], e["userIdentity"].get("arn",""))' "$DATA/audit.log"; }

# state_summary reads a state file on stdin and prints its resources and its release output.
state_summary() { python3 -c 'import json,sys
s=json.load(sys.stdin)
print(" ".join(r["type"]+"."+r["name"] for r in s["resources"]), s["outputs"]["release"]["value"])'; }

# vars RELEASE GATE: the variables of one apply; its provisioner waits for the file GATE.
vars() { echo -var "release=$1" -var "started=$DATA/started-$1" -var "gate=$DATA/$2"; }

scenario() {
	local cli=$1
	start_server
	local tools
	tools=$(account tools)
	INFRA=$(account infra)
	BUCKET=infra-tofu-state
	local external_id="tofu-7f3c1e" T="--profile tools" I="--profile infra"
	: >"$DATA/tofurc"

	# tools: ci-runner, allowed to assume the state role and nothing else.
	ok "$cli tools create-user" $cli $T iam create-user --user-name ci-runner
	ok "$cli tools put-user-policy" $cli $T iam put-user-policy --user-name ci-runner --policy-name assume-state-role \
		--policy-document "file://$(render "$here/tools-runner-assume.json" INFRA="$INFRA")"
	ok "$cli tools create-access-key" $cli $T iam create-access-key --user-name ci-runner
	local _
	IFS=$'\t' read -r RUNNER_ID RUNNER_SECRET _ < <(creds_of <<<"$LAST")

	# infra: the state bucket and the role.
	ok "$cli infra create-bucket" $cli $I s3api create-bucket --bucket "$BUCKET"
	ok "$cli infra create-role" $cli $I iam create-role --role-name tofu-state \
		--assume-role-policy-document "file://$(render "$here/infra-role-trust.json" TOOLS="$tools" EXTERNAL_ID="$external_id")"
	ok "$cli infra put-role-policy" $cli $I iam put-role-policy --role-name tofu-state --policy-name state \
		--policy-document "file://$(render "$here/infra-role-permissions.json" BUCKET="$BUCKET")"

	# Without the role, ci-runner cannot touch the bucket.
	refused "$cli ci-runner lists the state bucket with its own keys" AccessDenied \
		with_keys "$RUNNER_ID" "$RUNNER_SECRET" "" $cli s3 ls "s3://$BUCKET/"

	local a b
	a=$(workdir a "$external_id")
	b=$(workdir b "$external_id")
	touch "$DATA/open"
	ok "$cli tofu init" tofu_in "$a" init -backend-config=backend.hcl
	has "$cli tofu init configures the s3 backend" 'Successfully configured the backend "s3"' "$LAST"
	# Credential validation stays on: the backend assumes the role as ci-runner, then checks the
	# role's credentials with GetCallerIdentity.
	local calls
	calls=$(tofu_calls)
	has "$cli OpenTofu assumed the role as ci-runner" "AssumeRole arn:aws:iam::$tools:user/ci-runner" "$calls"
	has "$cli OpenTofu validated the role's credentials" "GetCallerIdentity arn:aws:sts::$INFRA:assumed-role/tofu-state/tofu-a" "$calls"
	ok "$cli tofu apply" tofu_in "$a" apply -auto-approve $(vars r1 open)
	has "$cli tofu apply adds the resource" "Apply complete! Resources: 1 added" "$LAST"

	# The state is in infra's bucket; the lock file is gone again.
	ok "$cli infra reads the state" $cli $I s3 cp "s3://$BUCKET/network/terraform.tfstate" -
	same "$cli state records the resource and the output" "terraform_data.release r1" "$(state_summary <<<"$LAST")"
	refused "$cli no lock file after apply" 404 $cli $I s3api head-object --bucket "$BUCKET" --key network/terraform.tfstate.tflock
	ok "$cli infra lists its buckets" $cli $I s3 ls
	has "$cli the state bucket belongs to infra" "$BUCKET" "$LAST"
	ok "$cli tools lists its buckets" $cli $T s3 ls
	lacks "$cli the state bucket is not in tools" "$BUCKET" "$LAST"
	ok "$cli tofu plan after apply" tofu_in "$a" plan -detailed-exitcode $(vars r1 open)
	has "$cli no changes" "No changes." "$LAST"

	# Two applies at once: the first holds the lock (its provisioner waits for the gate file),
	# the second fails to take it; then both run, in order. The second one's gate is open, so
	# were it wrongly given the lock it would finish at once, not hang.
	ok "$cli tofu init (second working directory)" tofu_in "$b" init -backend-config=backend.hcl
	tofu_in "$a" apply -auto-approve $(vars r2 gate) >"$DATA/apply-r2.log" 2>&1 &
	local first=$!
	for _ in $(seq 600); do [[ -e $DATA/started-r2 ]] && break; sleep 0.1; done
	ok "$cli the first apply is running its provisioner" test -e "$DATA/started-r2"
	ok "$cli the lock file exists while the first apply runs" $cli $I s3 cp "s3://$BUCKET/network/terraform.tfstate.tflock" -
	local lock_id
	lock_id=$(json ID <<<"$LAST" 2>/dev/null || true)
	has "$cli the lock records an apply" '"Operation":"OperationTypeApply"' "$LAST"
	fails "$cli a second apply cannot take the lock" 'Error acquiring the state lock' \
		tofu_in "$b" apply -auto-approve -lock-timeout=0s $(vars r3 open)
	has "$cli the refusal names the holder's lock" "ID:        $lock_id" "$LAST"
	has "$cli the refusal is the conditional PUT's" "PreconditionFailed" "$LAST"
	touch "$DATA/gate"
	local status=0
	wait "$first" || status=$?
	same "$cli the first apply completes" 0 "$status"
	has "$cli the first apply replaced the resource" "Resources: 1 added, 0 changed, 1 destroyed" "$(cat "$DATA/apply-r2.log")"
	ok "$cli the second apply, after the first" tofu_in "$b" apply -auto-approve -lock-timeout=0s $(vars r3 open)
	has "$cli the second apply replaced the resource" "Resources: 1 added, 0 changed, 1 destroyed" "$LAST"
	ok "$cli infra reads the state again" $cli $I s3 cp "s3://$BUCKET/network/terraform.tfstate" -
	same "$cli state holds the second apply's output" "terraform_data.release r3" "$(state_summary <<<"$LAST")"
	refused "$cli no lock file left" 404 $cli $I s3api head-object --bucket "$BUCKET" --key network/terraform.tfstate.tflock

	# A wrong external_id: AssumeRole is refused, so the backend cannot even start.
	local wrong
	wrong=$(workdir wrong tofu-0000)
	fails "$cli tofu init with a wrong external_id" 'AccessDenied' tofu_in "$wrong" init -backend-config=backend.hcl
	has "$cli the refusal is AssumeRole's" "sts:AssumeRole" "$LAST"
	stop_server
}

scenario aws1
scenario aws2
report "04 a tool in another account (OpenTofu $("$TOFU" version 2>/dev/null | sed -n 's/^OpenTofu //p'))"
