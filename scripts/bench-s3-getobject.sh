#!/usr/bin/env bash
# Runs BenchmarkGetObject4KiB with a CPU profile and prints the share of the server's request
# handling ((*router.Router).ServeHTTP) spent authenticating ((*authn.Authenticator).Authenticate)
# and authorizing ((*gate.Call).Authorize).
set -euo pipefail
cd "$(dirname "$0")/.."
prof=$(mktemp -d)
trap 'rm -rf "$prof"' EXIT
go test ./internal/api/s3api/ -run '^$' -bench 'GetObject4KiB$' -benchtime="${BENCHTIME:-3s}" \
	-cpuprofile "$prof/cpu.prof" -o "$prof/s3api.test" | grep -E '^Benchmark'
go tool pprof -top -cum "$prof/s3api.test" "$prof/cpu.prof" 2>/dev/null | awk '
	function secs(v) { if (v ~ /ms$/) { sub(/ms$/, "", v); return v / 1000 } sub(/s$/, "", v); return v + 0 }
	/router\.\(\*Router\)\.ServeHTTP$/ { total = secs($4) }
	/authn\.\(\*Authenticator\)\.Authenticate$/ { authn = secs($4) }
	/gate\.\(\*Call\)\.Authorize/ { authz = secs($4) }
	END {
		if (total == 0) { print "no ServeHTTP samples"; exit 1 }
		printf "server time: %.2fs  authn: %.2fs (%.1f%%)  authz: %.2fs (%.1f%%)  authn+authz: %.1f%%\n",
			total, authn, 100 * authn / total, authz, 100 * authz / total, 100 * (authn + authz) / total
	}'
