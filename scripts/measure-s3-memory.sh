#!/usr/bin/env bash
# Measures the resident memory of `rolegate serve` while the aws CLI uploads (multipart, 10
# concurrent 8 MiB parts) and downloads a 1 GiB object: prints the idle RSS and the peak RSS
# above it for each direction. SIZE_MIB overrides the size.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${SIZE_MIB:-1024}
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
for _ in $(seq 1 300); do [[ -s $tmp/data/endpoint ]] && break; sleep 0.1; done
EP=$(cat "$tmp/data/endpoint")
keys=$("$tmp/rolegate" account create memory --endpoint "$EP" --data "$tmp/data")
export AWS_ACCESS_KEY_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])' <<<"$keys")
export AWS_SECRET_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])' <<<"$keys")
export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_CA_BUNDLE AWS_PROFILE || true
aws --endpoint-url "$EP" s3 mb s3://memory >/dev/null
head -c $((size_mib << 20)) /dev/urandom >"$tmp/object.bin"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status"; }
sleep 1
idle=$(rss)
# measure CMD...: runs CMD while sampling the server's RSS; prints the peak in KiB.
measure() {
	local peak=$idle
	"$@" >/dev/null &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		local now
		now=$(rss)
		((now > peak)) && peak=$now
		sleep 0.1
	done
	wait "$pid"
	echo "$peak"
}
up=$(measure aws --endpoint-url "$EP" s3 cp "$tmp/object.bin" s3://memory/object.bin)
rm "$tmp/object.bin"
down=$(measure aws --endpoint-url "$EP" s3 cp s3://memory/object.bin "$tmp/down.bin")
printf 'object %d MiB; idle RSS %d MiB; upload peak +%d MiB; download peak +%d MiB\n' \
	"$size_mib" $((idle / 1024)) $(((up - idle) / 1024)) $(((down - idle) / 1024))
