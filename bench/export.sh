#!/usr/bin/env bash
# bench/export.sh: measure log export (issue 4, item 8; issue 5, item 6) and
# print a Markdown report (also written to bench/results/export-<UTC>.md):
#
#   1. through the API: a durable `cognate serve` (SQLite in a temporary
#      data dir) gets failing sends from C clients for DUR, each call owing
#      one record; a reader follows the log stream with GetLogEvents.
#      Two operations: AdminUpdateUserAttributes (a changed email's
#      verification code to a bouncing address; no password hashing) and
#      AdminCreateUser (an invitation; a generated temporary password,
#      hashed with argon2id's light parameters). For comparison, the same
#      AdminUpdateUserAttributes calls on a pool that exports nothing.
#   2. the pipeline alone, in process (bench/exportbench -mode pipeline):
#      records committed to the export outbox one write each, delivered to
#      the built-in CloudWatch Logs; at RATE records/s offered, and as fast
#      as the producers go;
#   3. the same for threat protection's userAuthEvents records (issue 5,
#      item 6), to the built-in CloudWatch Logs, S3 and Firehose.
#
# Settings (environment): DUR=10s, C=64 (API clients), PIPE_C=256
# (pipeline producers), RATE=10000, KEEP_TMP=1 keeps the temporary dir.
set -euo pipefail
DUR=${DUR:-10s}
C=${C:-64}
PIPE_C=${PIPE_C:-256}
RATE=${RATE:-10000}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cognate-exportbench.XXXXXX")
pid=
cleanup() {
	local status=$?
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [[ -n ${KEEP_TMP:-} ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd "$root" && go build -o "$tmp/" ./cmd/cognate ./bench/exportbench)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
endpoint=http://127.0.0.1:$port
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

run() { # LABEL ARGS...: one exportbench run, its command and output
	local label=$1
	shift
	echo "### $label"
	echo
	echo '```'
	echo "\$ exportbench $*"
	"$tmp/exportbench" "$@"
	echo '```'
	echo
}

report=$tmp/report.md
{
	echo "# Cognate export benchmark"
	echo
	echo "- cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores; the load generator shares them"
	echo "- command: \`DUR=$DUR C=$C PIPE_C=$PIPE_C RATE=$RATE bench/export.sh\`"
	echo "- load average before: $load_start"
	echo
	mkdir -p "$tmp/data"
	"$tmp/cognate" serve --addr "127.0.0.1:$port" --data-dir "$tmp/data" --log-level warn 2>"$tmp/serve.log" >/dev/null &
	pid=$!
	for _ in $(seq 200); do curl -fs "$endpoint/health" >/dev/null 2>&1 && break; sleep 0.05; done
	echo "## Through the API (durable cognate serve, $endpoint)"
	echo
	run "AdminUpdateUserAttributes without export (the API path alone), c=$C" -mode api -no-export -endpoint "$endpoint" -c "$C" -d "$DUR"
	run "AdminUpdateUserAttributes, c=$C" -mode api -endpoint "$endpoint" -op AdminUpdateUserAttributes -c "$C" -d "$DUR"
	run "AdminCreateUser, c=$C" -mode api -endpoint "$endpoint" -op AdminCreateUser -c "$C" -d "$DUR"
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
	echo "## The pipeline alone (outbox -> built-in CloudWatch Logs, durable SQLite)"
	echo
	run "offered $RATE records/s, $PIPE_C producers" -mode pipeline -rate "$RATE" -c "$PIPE_C" -d "$DUR"
	run "as fast as $PIPE_C producers go" -mode pipeline -c "$PIPE_C" -d "$DUR"
	echo "## Threat protection's userAuthEvents records (about 700 bytes each), the pipeline alone"
	echo
	run "to the built-in CloudWatch Logs, as fast as $PIPE_C producers go" -mode pipeline -source userAuthEvents -dest cloudwatchlogs -c "$PIPE_C" -d "$DUR"
	run "to the built-in S3 (one gzip object per batch), as fast as $PIPE_C producers go" -mode pipeline -source userAuthEvents -dest s3 -c "$PIPE_C" -d "$DUR"
	run "to the built-in Firehose (stored in its buffer, flushed to S3), as fast as $PIPE_C producers go" -mode pipeline -source userAuthEvents -dest firehose -c "$PIPE_C" -d "$DUR"
	echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$report"
mkdir -p "$root/bench/results"
out=$root/bench/results/export-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$out"
echo "Report: ${out#"$root"/}"
