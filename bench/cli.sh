#!/usr/bin/env bash
# bench/cli.sh: the wall time of one `get-log-delivery-configuration`
# against a local Cognate, with `cognate cognito-idp`, the AWS CLI v1 (the
# machine's Python) and the AWS CLI v2 (/usr/bin/aws, Debian's), in one run.
# Targets: cognate at most a tenth of v1's time, and under 20 ms.
#
#   bench/cli.sh            (N=30 runs each by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-30}
tmp=$(mktemp -d /tmp/cognate-clibench.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

cd "$root"
go build -o "$tmp/cognate" ./cmd/cognate
go build -o "$tmp/cmdtime" ./bench/cmdtime
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tmp/cognate" serve --addr "127.0.0.1:$port" --in-memory >/dev/null 2>&1 &
pid=$!
endpoint=http://127.0.0.1:$port
for _ in $(seq 100); do curl -s "$endpoint/health" >/dev/null && break; sleep 0.05; done

# The AWS CLIs read the cognito-idp model of the machine's botocore (v2.9.19's
# bundled model predates the log delivery operations).
data=$tmp/awsdata/cognito-idp/2016-04-18
mkdir -p "$data"
botocore=$(python3 -c 'import botocore, os; print(os.path.dirname(botocore.__file__))')
gunzip -c "$botocore/data/cognito-idp/2016-04-18/service-2.json.gz" >"$data/service-2.json"
cp "$botocore/data/cognito-idp/2016-04-18/paginators-1.json" "$data/"
export AWS_DATA_PATH=$tmp/awsdata AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=""
export HOME=$tmp AWS_CONFIG_FILE=$tmp/config AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials

pool=$("$tmp/cognate" cognito-idp create-user-pool --pool-name clibench --user-pool-tier PLUS --endpoint-url "$endpoint" --query UserPool.Id --output text)
args=(cognito-idp get-log-delivery-configuration --user-pool-id "$pool" --endpoint-url "$endpoint")

v1=$(command -v aws)
v2=/usr/bin/aws
echo "command: bench/cli.sh (N=$N); aws v1: $("$v1" --version 2>&1); aws v2: $("$v2" --version 2>&1)"
results=()
for entry in "cognate:$tmp/cognate" "aws-v1:$v1" "aws-v2:$v2"; do
	label=${entry%%:*}
	bin=${entry#*:}
	results+=("$("$tmp/cmdtime" -n "$N" -json -label "$label" -- "$bin" "${args[@]}")")
done
printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
by = {r["label"]: r for r in rows}
print("| command | median ms | p90 ms | min ms |")
print("|---|---:|---:|---:|")
for r in rows:
    print("| %s | %.1f | %.1f | %.1f |" % (r["label"], r["median_ms"], r["p90_ms"], r["min_ms"]))
c, v1 = by["cognate"]["median_ms"], by["aws-v1"]["median_ms"]
print()
print("cognate / aws v1 = %.3f (target <= 0.1: %s); cognate median %.1f ms (target < 20 ms: %s)" % (
    c / v1, "met" if c / v1 <= 0.1 else "NOT met", c, "met" if c < 20 else "NOT met"))
'
