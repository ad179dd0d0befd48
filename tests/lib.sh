# Shared helpers of rolegate's shell tests: start a server on a free loopback port with a fresh
# data directory, call the aws CLI v1 (pip) or v2 (Debian's awscli), and assert outcomes.
# Source it; it defines functions and does nothing else.

set -euo pipefail
unset AWS_CA_BUNDLE AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL
export AWS_PAGER="" AWS_DEFAULT_REGION=us-east-1 AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAILED=0
PASSED=0

# rolegate_bin builds the rolegate binary once into $ROLEGATE_BIN.
rolegate_bin() {
	if [[ -z "${ROLEGATE_BIN:-}" ]]; then
		ROLEGATE_BIN=$(mktemp -d)/rolegate
		(cd "$ROOT" && go build -o "$ROLEGATE_BIN" ./cmd/rolegate)
	fi
	export ROLEGATE_BIN
}

# start_server [SERVE_ARGS...] starts rolegate serve (and its HTTPS proxy) on free ports with a
# fresh data directory and exports DATA, ENDPOINT, PROXY, CA, AWS_CONFIG_FILE,
# AWS_SHARED_CREDENTIALS_FILE. Extra arguments go to serve (e.g. --clock-offset -10m).
start_server() {
	rolegate_bin
	DATA=$(mktemp -d)
	"$ROLEGATE_BIN" serve --listen 127.0.0.1:0 --proxy 127.0.0.1:0 --data "$DATA" "$@" >"$DATA/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[[ -s "$DATA/endpoint" && -s "$DATA/proxy" ]] && break
		sleep 0.1
	done
	[[ -s "$DATA/endpoint" ]] || { cat "$DATA/serve.log"; echo "rolegate did not start" >&2; exit 1; }
	ENDPOINT=$(cat "$DATA/endpoint")
	PROXY=$(cat "$DATA/proxy")
	CA="$DATA/ca.pem"
	export DATA ENDPOINT PROXY CA AWS_CONFIG_FILE="$DATA/aws/config" AWS_SHARED_CREDENTIALS_FILE="$DATA/aws/credentials"
	trap stop_server EXIT
}

stop_server() {
	[[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
}

# restart_server [SERVE_ARGS...] stops the server and serves the same data directory again on the
# same endpoint and proxy addresses, with extra serve arguments (e.g. --clock-offset 6m: a later
# clock for expiry tests). Sessions, keys and MFA state survive; the clock is whatever ARGS say.
restart_server() {
	stop_server
	"$ROLEGATE_BIN" serve --listen "${ENDPOINT#http://}" --proxy "${PROXY#http://}" --data "$DATA" "$@" >>"$DATA/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		curl -fs "$ENDPOINT/_rolegate/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$DATA/serve.log" >&2
	echo "rolegate did not restart" >&2
	exit 1
}

# account NAME creates a member account with a profile NAME and prints its id.
account() {
	"$ROLEGATE_BIN" account create "$1" --data "$DATA" >/dev/null
	aws1 --profile "$1" sts get-caller-identity --query Account --output text
}

# aws1 runs the aws CLI v1 (the machine's pip install); profiles carry endpoint_url.
aws1() { command aws "$@"; }

# aws2 runs the aws CLI v2 from Debian's awscli package. It predates configurable endpoints, so
# every call gets --endpoint-url, and credential providers that call STS themselves (role_arn
# profiles) reach rolegate through its HTTPS proxy.
aws2() { HTTPS_PROXY="$PROXY" AWS_CA_BUNDLE="$CA" /usr/bin/aws --endpoint-url "$ENDPOINT" "$@"; }

# require_clients fails unless both CLIs are installed.
require_clients() {
	command -v aws >/dev/null || { echo "aws CLI v1 is not installed" >&2; exit 1; }
	[[ -x /usr/bin/aws ]] || { echo "aws CLI v2 (/usr/bin/aws from Debian's awscli) is not installed" >&2; exit 1; }
	/usr/bin/aws --version 2>&1 | grep -q '^aws-cli/2' || { echo "/usr/bin/aws is not the aws CLI v2" >&2; exit 1; }
	aws --version 2>&1 | grep -q '^aws-cli/1' || { echo "aws on PATH is not the aws CLI v1" >&2; exit 1; }
}

# ok DESCRIPTION CMD... runs CMD and fails the test if it fails.
ok() {
	local what=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		PASSED=$((PASSED + 1))
		LAST="$out"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: expected success, got:" >&2
		echo "$out" | sed 's/^/    /' >&2
		LAST=""
	fi
}

# refused DESCRIPTION CODE CMD... runs CMD and fails the test unless it fails with error CODE.
refused() {
	local what=$1 code=$2
	shift 2
	local out
	if out=$("$@" 2>&1); then
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: expected $code, but it succeeded:" >&2
		echo "$out" | sed 's/^/    /' >&2
	elif grep -q "($code)" <<<"$out"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: expected $code, got:" >&2
		echo "$out" | sed 's/^/    /' >&2
	fi
}

# same DESCRIPTION WANT GOT fails the test unless GOT equals WANT.
same() {
	if [[ "$2" == "$3" ]]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $1: want '$2', got '$3'" >&2
	fi
}

# has DESCRIPTION NEEDLE HAYSTACK fails the test unless HAYSTACK contains NEEDLE.
has() {
	if [[ "$3" == *"$2"* ]]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $1: '$2' not found in:" >&2
		echo "$3" | sed 's/^/    /' >&2
	fi
}

# json FIELD reads a dotted field from JSON on stdin.
json() { python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if k.isdigit() else v[k]
print(v)' "$1"; }

# totp SEED [OFFSET...] prints the RFC 6238 code of a base32 seed at each offset in steps from now
# (default 0), one per line, all from one reading of the clock: two consecutive codes never
# straddle a step boundary.
totp() { python3 -c 'import base64,hmac,struct,time,sys
seed=sys.argv[1]; offs=[int(a) for a in sys.argv[2:]] or [0]
k=base64.b32decode(seed+"="*(-len(seed)%8))
now=int(time.time())//30
for off in offs:
    h=hmac.new(k,struct.pack(">Q",now+off),"sha1").digest()
    o=h[-1]&15
    print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))' "$@"; }

# report prints the result line and exits non-zero on failure.
report() {
	echo "$1: $PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 ]]
}

# with_input TEXT CMD... runs CMD with TEXT and a newline on its standard input (answers a
# prompt such as the aws CLI's MFA code prompt).
with_input() {
	local text=$1
	shift
	printf '%s\n' "$text" | "$@"
}

# with_keys ID SECRET TOKEN CMD... runs CMD (a command or one of the functions here, e.g. aws1)
# with only these credentials, as exported variables, and no profile files; TOKEN may be empty.
# The aws CLI v1 finds the endpoint in AWS_ENDPOINT_URL; aws2 passes --endpoint-url itself.
with_keys() {
	(
		export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ENDPOINT_URL="$ENDPOINT"
		export AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3
		[[ -n $3 ]] || unset AWS_SESSION_TOKEN
		shift 3
		"$@"
	)
}

# creds_of reads a create-access-key or assume-role answer (JSON) on stdin and prints its access
# key id, secret and session token (empty for a long-term key), tab-separated, for
# `IFS=$'\t' read -r id secret token`.
creds_of() { python3 -c 'import json,sys
v=json.load(sys.stdin)
c=v.get("Credentials") or v["AccessKey"]
print(c["AccessKeyId"], c["SecretAccessKey"], c.get("SessionToken",""), sep="\t")'; }

# render FILE KEY=VALUE... writes a copy of FILE with every {{KEY}} replaced by VALUE into
# $DATA/rendered and prints its path (for file:// arguments). A placeholder left unfilled is an
# error, so a template and its caller cannot drift apart silently.
render() {
	local src=$1
	shift
	mkdir -p "$DATA/rendered"
	local dst
	dst=$(mktemp "$DATA/rendered/XXXXXX-$(basename "$src")")
	python3 - "$src" "$dst" "$@" <<'PY'
import re, sys
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src).read()
for pair in pairs:
    key, _, value = pair.partition("=")
    text = text.replace("{{" + key + "}}", value)
left = re.findall(r"\{\{[A-Za-z0-9_]+\}\}", text)
if left:
    sys.exit("render: %s: unfilled %s" % (src, ", ".join(sorted(set(left)))))
open(dst, "w").write(text)
PY
	echo "$dst"
}

# matches DESCRIPTION REGEX TEXT fails the test unless TEXT matches the extended REGEX.
matches() {
	if [[ "$3" =~ $2 ]]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $1: /$2/ does not match:" >&2
		echo "$3" | sed 's/^/    /' >&2
	fi
}

# lacks DESCRIPTION NEEDLE HAYSTACK fails the test if HAYSTACK contains NEEDLE.
lacks() {
	if [[ "$3" != *"$2"* ]]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $1: '$2' found in:" >&2
		echo "$3" | sed 's/^/    /' >&2
	fi
}

# fails DESCRIPTION PATTERN CMD... runs CMD and fails the test unless CMD fails and its output
# matches the extended regular expression PATTERN (for tools whose errors are not the aws CLI's
# "(Code)" form, e.g. OpenTofu). The output is left in LAST.
fails() {
	local what=$1 pattern=$2
	shift 2
	local out
	if out=$("$@" 2>&1); then
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: expected a failure matching /$pattern/, but it succeeded:" >&2
		echo "$out" | sed 's/^/    /' >&2
	elif grep -Eq -- "$pattern" <<<"$out"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: expected a failure matching /$pattern/, got:" >&2
		echo "$out" | sed 's/^/    /' >&2
	fi
	LAST=$out
}

# checks DESCRIPTION CMD... runs a program that prints one "ok ..." or "FAIL ..." line per check
# of its own (e.g. a boto3 script) and adds them to the counts. A program that exits non-zero
# without printing a FAIL line (a crash) counts as one failure, shown with its output.
checks() {
	local what=$1
	shift
	local out status=0 n
	out=$("$@" 2>&1) || status=$?
	n=$(grep -c '^ok ' <<<"$out" || true)
	PASSED=$((PASSED + n))
	n=$(grep -c '^FAIL' <<<"$out" || true)
	FAILED=$((FAILED + n))
	if ((n)); then
		grep '^FAIL' <<<"$out" | sed "s/^FAIL/FAIL: $what:/" >&2
	elif ((status)); then
		FAILED=$((FAILED + 1))
		echo "FAIL: $what: exited with status $status:" >&2
		echo "$out" | sed 's/^/    /' >&2
	fi
}
