#!/usr/bin/env bash
# Drives rolegate's S3 with real clients: the aws CLI v1 (the `aws` on PATH), the aws CLI v2
# (Debian's awscli package, /usr/bin/aws) and boto3. It builds the binary, starts `rolegate
# serve` on a free port with a fresh data directory, creates an account and runs ls, cp of a
# 50 MB file both ways, sync and presign with each CLI, then a boto3 scenario. A missing client
# is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/../.."

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

AWS1=$(command -v aws || true)
AWS2=/usr/bin/aws
if [[ ! -x $AWS2 ]] && [[ $(id -u) == 0 ]]; then
	apt-get install -y -qq awscli >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq awscli >/dev/null 2>&1; } || true
fi
[[ -n $AWS1 ]] && "$AWS1" --version 2>&1 | grep -q '^aws-cli/1\.' || { echo "aws CLI v1 is missing (aws on PATH)"; exit 1; }
[[ -x $AWS2 ]] && "$AWS2" --version 2>&1 | grep -q '^aws-cli/2\.' || { echo "aws CLI v2 is missing ($AWS2)"; exit 1; }
python3 -c 'import boto3' || { echo "boto3 is missing"; exit 1; }

tmp=$(mktemp -d)
server_pid=
cleanup() {
	[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/rolegate" ./cmd/rolegate
"$tmp/rolegate" serve --listen 127.0.0.1:0 --data "$tmp/data" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
	[[ -s $tmp/data/endpoint ]] && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log"; echo "rolegate serve exited"; exit 1; }
	sleep 0.1
done
[[ -s $tmp/data/endpoint ]] || { echo "rolegate serve did not start"; exit 1; }
EP=$(cat "$tmp/data/endpoint")
echo "endpoint $EP"

keys=$("$tmp/rolegate" account create s3-clients --endpoint "$EP" --data "$tmp/data")
export AWS_ACCESS_KEY_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])' <<<"$keys")
export AWS_SECRET_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])' <<<"$keys")
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
unset AWS_CA_BUNDLE AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL || true
# rolegate verifies SigV4 only; the CLI v1 and boto3 presign S3 URLs with SigV2 unless told.
printf '[default]\ns3 =\n    signature_version = s3v4\n' >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

head -c $((50 * 1000 * 1000)) /dev/urandom >"$tmp/big.bin"
mkdir -p "$tmp/tree/sub"
for i in 1 2 3; do echo "file $i" >"$tmp/tree/f$i.txt"; echo "nested $i" >"$tmp/tree/sub/n$i.txt"; done

# cli_scenario NAME CMD...: the CLI scenario with one CLI.
cli_scenario() {
	local name=$1
	shift
	local cli=("$@" --endpoint-url "$EP")
	local b="bucket-$name"
	"${cli[@]}" s3 mb "s3://$b" >/dev/null && ok "$name s3 mb" || bad "$name s3 mb"
	"${cli[@]}" s3 ls | grep -q " $b\$" && ok "$name s3 ls" || bad "$name s3 ls"
	"${cli[@]}" s3 cp "$tmp/big.bin" "s3://$b/dir/big.bin" >/dev/null && ok "$name s3 cp 50 MB up" || bad "$name s3 cp up"
	"${cli[@]}" s3 cp "s3://$b/dir/big.bin" "$tmp/$name-down.bin" >/dev/null && cmp -s "$tmp/big.bin" "$tmp/$name-down.bin" &&
		ok "$name s3 cp 50 MB down" || bad "$name s3 cp down"
	"${cli[@]}" s3 ls "s3://$b/dir/" | grep -q ' 50000000 big.bin$' && ok "$name s3 ls prefix" || bad "$name s3 ls prefix"
	"${cli[@]}" s3 sync "$tmp/tree" "s3://$b/tree" >/dev/null && ok "$name s3 sync up" || bad "$name s3 sync up"
	[[ $("${cli[@]}" s3 ls --recursive "s3://$b/tree/" | wc -l) == 6 ]] && ok "$name s3 ls --recursive" || bad "$name s3 ls --recursive"
	# A second sync has nothing to copy.
	[[ -z $("${cli[@]}" s3 sync "$tmp/tree" "s3://$b/tree") ]] && ok "$name s3 sync idempotent" || bad "$name s3 sync idempotent"
	"${cli[@]}" s3 sync "s3://$b/tree" "$tmp/$name-tree" >/dev/null && diff -r "$tmp/tree" "$tmp/$name-tree" >/dev/null &&
		ok "$name s3 sync down" || bad "$name s3 sync down"
	local url
	url=$("${cli[@]}" s3 presign "s3://$b/tree/f1.txt" --expires-in 300)
	[[ $(python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode(), end="")' "$url") == "file 1" ]] &&
		ok "$name s3 presign GET" || bad "$name s3 presign GET"
	"${cli[@]}" s3 rm --recursive "s3://$b" >/dev/null && "${cli[@]}" s3 rb "s3://$b" >/dev/null && ok "$name s3 rm/rb" || bad "$name s3 rm/rb"
}

cli_scenario v1 "$AWS1"
cli_scenario v2 "$AWS2"

if python3 - "$EP" "$tmp" <<'PY'; then ok "boto3 scenario"; else bad "boto3 scenario"; fi
import hashlib, os, sys, urllib.request
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

ep, tmp = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=ep, config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
s3.create_bucket(Bucket="boto-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
assert s3.get_bucket_location(Bucket="boto-bucket")["LocationConstraint"] == "eu-central-1"
assert s3.head_bucket(Bucket="boto-bucket")["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "eu-central-1"
s3.put_object(Bucket="boto-bucket", Key="a b/c+d.txt", Body=b"hello", Metadata={"k": "v"})
got = s3.get_object(Bucket="boto-bucket", Key="a b/c+d.txt")
assert got["Body"].read() == b"hello" and got["Metadata"] == {"k": "v"}
listing = s3.list_objects_v2(Bucket="boto-bucket", Delimiter="/")
assert [p["Prefix"] for p in listing["CommonPrefixes"]] == ["a b/"], listing
listing = s3.list_objects(Bucket="boto-bucket", Prefix="a b/")
assert [o["Key"] for o in listing["Contents"]] == ["a b/c+d.txt"], listing
big = os.path.join(tmp, "big.bin")
cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20)
s3.upload_file(big, "boto-bucket", "big.bin", Config=cfg)
s3.download_file("boto-bucket", "big.bin", os.path.join(tmp, "boto-down.bin"), Config=cfg)
digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
assert digest(big) == digest(os.path.join(tmp, "boto-down.bin"))
head = s3.head_object(Bucket="boto-bucket", Key="big.bin")
assert head["ContentLength"] == 50_000_000 and head["ETag"].endswith('-6"'), head
url = s3.generate_presigned_url("put_object", Params={"Bucket": "boto-bucket", "Key": "presigned.txt"}, ExpiresIn=60)
urllib.request.urlopen(urllib.request.Request(url, data=b"via presigned PUT", method="PUT"))
assert s3.get_object(Bucket="boto-bucket", Key="presigned.txt")["Body"].read() == b"via presigned PUT"
try:
    s3.get_object(Bucket="boto-bucket", Key="missing")
    raise SystemExit("missing key did not fail")
except ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchKey", e.response
try:
    s3.put_object(Bucket="boto-bucket", Key="presigned.txt", Body=b"x", IfNoneMatch="*")
    raise SystemExit("If-None-Match did not fail")
except ClientError as e:
    assert e.response["Error"]["Code"] == "PreconditionFailed", e.response
keys = [{"Key": o["Key"]} for o in s3.list_objects_v2(Bucket="boto-bucket")["Contents"]]
assert len(s3.delete_objects(Bucket="boto-bucket", Delete={"Objects": keys})["Deleted"]) == len(keys)
s3.delete_bucket(Bucket="boto-bucket")
PY

echo "s3 clients: $pass passed, $fail failed"
[[ $fail == 0 ]]
