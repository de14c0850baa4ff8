#!/usr/bin/env bash
# bench/run.sh: measure Cognate beside moto_server and a no-op Go server on
# this machine, in one run, and print a Markdown report (also written to
# bench/results/<UTC timestamp>.md). See bench/README.md for what each figure
# means. Settings come from the environment:
#
#   DUR=3s              length of each throughput measurement
#   WARMUP=300ms        unmeasured requests before each measurement (not for creates)
#   CONCURRENCY="1 8 64"
#   MOTO_CREATE_DUR=4s  moto's CreateUserPool is slow (~8/s): its runs are capped by time
#   POOLS=10000         pools created for the memory-after-load figure
#   LIST_POOLS=60       pools created on each target before ListUserPools, so pages are full
#   STARTS=5            launches of each server for start-to-first-answer (median reported)
#   IDLE_WAIT=1         seconds to wait after the first answer before reading idle RSS
#   USER_DUR=3s         length of each AdminCreateUser / SignUp / InitiateAuth measurement
#   MOTO_SERVER=path    moto_server to run (default: the real script behind pyenv's shim)
#   KEEP_TMP=1          keep the temporary directory (binaries, logs, data) on exit
set -euo pipefail

cmdline="bench/run.sh"
for v in DUR WARMUP CONCURRENCY MOTO_CREATE_DUR POOLS LIST_POOLS STARTS IDLE_WAIT USER_DUR MOTO_SERVER KEEP_TMP; do
	if [[ -n ${!v+x} ]]; then cmdline="$v=$(printf %q "${!v}") $cmdline"; fi
done
for a in "$@"; do cmdline+=" $(printf %q "$a")"; done

DUR=${DUR:-3s}
WARMUP=${WARMUP:-300ms}
CONCURRENCY=${CONCURRENCY:-1 8 64}
MOTO_CREATE_DUR=${MOTO_CREATE_DUR:-4s}
POOLS=${POOLS:-10000}
LIST_POOLS=${LIST_POOLS:-60}
IDLE_WAIT=${IDLE_WAIT:-1}
STARTS=${STARTS:-5}
USER_DUR=${USER_DUR:-3s}
REGION=us-west-2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cognate-bench.XXXXXX")
bin=$tmp/bin
results=$tmp/results.jsonl
commands=$tmp/commands.txt
: >"$results"
: >"$commands"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Every server is started by `loadgen -launch`, which writes its process ID
# to $tmp/<name>.pid before polling it. cleanup stops exactly those
# processes: SIGTERM, then SIGKILL after 5 s.
# alive PID: the process exists and is not a zombie. (The servers' parent,
# loadgen -launch, has exited, so they are not this shell's children.)
alive() {
	[[ -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

cleanup() {
	local status=$?
	set +e
	trap - EXIT INT TERM
	local f pid pids=()
	if [[ -n $loadgen_pid ]]; then
		kill -TERM "$loadgen_pid" 2>/dev/null
		wait "$loadgen_pid" 2>/dev/null
	fi
	for f in "$tmp"/*.pid; do
		[[ -f $f ]] || continue
		pid=$(<"$f")
		[[ $pid =~ ^[0-9]+$ ]] || continue
		if alive "$pid"; then
			kill -TERM "$pid" 2>/dev/null
			pids+=("$pid")
		fi
	done
	for _ in $(seq 50); do
		local any=0
		for pid in "${pids[@]}"; do alive "$pid" && any=1; done
		((any)) || break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
	if ((status != 0)); then
		for f in "$tmp"/*.log; do
			[[ -f $f ]] || continue
			echo "---- last lines of $(basename "$f") ----" >&2
			tail -n 20 "$f" >&2
		done
		log "failed (exit $status)"
	fi
	if [[ -n ${KEEP_TMP:-} ]]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# record KIND TARGET JSON-FIELDS: one line of $results.
record() { printf '{"kind":"%s","target":"%s",%s}\n' "$1" "$2" "$3" >>"$results"; }

# loadgen OUT ARGS...: run the load generator with its stdout in OUT. It runs
# in the background so that a signal to this script is handled at once
# (bash runs traps only between foreground commands, or during wait).
loadgen_pid=
loadgen() {
	local out=$1
	shift
	"$bin/loadgen" "$@" >"$out" &
	loadgen_pid=$!
	wait "$loadgen_pid"
	loadgen_pid=
}

# start NAME SERIES ENDPOINT CMD...: start a server, wait for its first
# answer, record the delay (in SERIES), and set $pid.
start() {
	local name=$1 series=$2 endpoint=$3
	shift 3
	local out
	echo "$bin/loadgen -endpoint $endpoint -region $REGION -launch -json -- $*" >>"$commands"
	loadgen "$tmp/out.json" -endpoint "$endpoint" -region "$REGION" -launch -json \
		-pidfile "$tmp/$name.pid" -log "$tmp/$name.log" -- "$@"
	out=$(<"$tmp/out.json")
	pid=$(<"$tmp/$name.pid")
	record ready "$name" "\"series\":\"$series\",\"launch\":$out"
	log "$name (pid $pid) answered: $out"
}

# stop NAME: stop a server that start started and wait until it is gone.
stop() {
	local f=$tmp/$1.pid p
	p=$(<"$f")
	kill -TERM "$p" 2>/dev/null || true
	for _ in $(seq 100); do
		alive "$p" || break
		sleep 0.05
	done
	kill -KILL "$p" 2>/dev/null || true
	rm -f "$f"
}

# measure TARGET ENDPOINT OP C [loadgen flags...]: one throughput run.
measure() {
	local target=$1 endpoint=$2 op=$3 c=$4
	shift 4
	local args=(-endpoint "$endpoint" -region "$REGION" -op "$op" -c "$c" -json "$@")
	echo "$bin/loadgen ${args[*]}" >>"$commands"
	local out
	loadgen "$tmp/out.json" "${args[@]}"
	out=$(<"$tmp/out.json")
	record run "$target" "\"result\":$out"
	log "$target $op c=$c: $(printf '%s' "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%(rps).0f req/s, p50 %(p50_ms).3f ms, p99 %(p99_ms).3f ms, %(errors)d errors" % r)')"
}

# The figures are only worth something on a quiet machine.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_start%% *}" 'BEGIN { exit !(l > 1.0) }'; then
	log "warning: load average is $load_start before starting; other work on this machine will distort the figures"
fi

# ---- build ----------------------------------------------------------------
log "building into $bin"
mkdir -p "$bin"
(cd "$root" && go build -o "$bin/" ./cmd/cognate ./bench/loadgen ./bench/noop)

moto=${MOTO_SERVER:-}
if [[ -z $moto ]]; then
	# pyenv's shim is a shell script that runs pyenv before Python; run the
	# real script so that moto's start time is moto's own.
	moto=$(pyenv which moto_server 2>/dev/null || command -v moto_server || true)
fi
[[ -n $moto ]] || { echo "bench/run.sh: moto_server not found (set MOTO_SERVER)" >&2; exit 1; }

cog_port=$(free_port)
moto_port=$(free_port)
noop_port=$(free_port)
cog=http://127.0.0.1:$cog_port
mot=http://127.0.0.1:$moto_port
noop=http://127.0.0.1:$noop_port

# ---- start: time to first answer and idle memory -----------------------------
# STARTS launches of each server; the last one of each stays up for the
# throughput runs. Every Cognate launch gets a new, empty data dir.
for ((i = 1; i < STARTS; i++)); do
	p=$(free_port)
	mkdir -p "$tmp/start-$i-data"
	start "start-cognate-$i" cognate "http://127.0.0.1:$p" "$bin/cognate" serve --addr "127.0.0.1:$p" --data-dir "$tmp/start-$i-data"
	stop "start-cognate-$i"
	p=$(free_port)
	start "start-moto-$i" moto "http://127.0.0.1:$p" "$moto" -H 127.0.0.1 -p "$p"
	stop "start-moto-$i"
done
mkdir -p "$tmp/cognate-data"
start cognate cognate "$cog" "$bin/cognate" serve --addr "127.0.0.1:$cog_port" --data-dir "$tmp/cognate-data"
cog_pid=$pid
start moto moto "$mot" "$moto" -H 127.0.0.1 -p "$moto_port"
moto_pid=$pid
start noop noop "$noop" "$bin/noop" -addr "127.0.0.1:$noop_port"
sleep "$IDLE_WAIT"
record rss cognate "\"when\":\"idle\",\"kb\":$(rss_kb "$cog_pid")"
record rss moto "\"when\":\"idle\",\"kb\":$(rss_kb "$moto_pid")"

loadgen "$tmp/out.json" -endpoint "$cog" -region "$REGION" -print-pool
cog_pool=$(<"$tmp/out.json")
loadgen "$tmp/out.json" -endpoint "$mot" -region "$REGION" -print-pool
moto_pool=$(<"$tmp/out.json")
log "pools: cognate $cog_pool, moto $moto_pool"

# ---- throughput and latency ----------------------------------------------------
for c in $CONCURRENCY; do
	measure noop "$noop" Noop "$c" -d "$DUR" -warmup "$WARMUP"
done
# Reads before creates, so that every target lists and describes in the same
# state; SetLogDeliveryConfiguration before Get, so that Get returns an entry.
for c in $CONCURRENCY; do
	measure cognate "$cog" DescribeUserPool "$c" -pool "$cog_pool" -d "$DUR" -warmup "$WARMUP"
	measure moto "$mot" DescribeUserPool "$c" -pool "$moto_pool" -d "$DUR" -warmup "$WARMUP"
done
# ListUserPools pages of MaxResults 60 only cost something when there are
# pools to list: give each target LIST_POOLS of them first (not measured).
for pair in "$cog" "$mot"; do
	echo "$bin/loadgen -endpoint $pair -region $REGION -op CreateUserPool -c 8 -n $LIST_POOLS" >>"$commands"
	loadgen /dev/null -endpoint "$pair" -region "$REGION" -op CreateUserPool -c 8 -n "$LIST_POOLS"
done
log "created $LIST_POOLS pools on cognate and on moto for ListUserPools"
for c in $CONCURRENCY; do
	measure cognate "$cog" ListUserPools "$c" -max-results 60 -d "$DUR" -warmup "$WARMUP"
	measure moto "$mot" ListUserPools "$c" -max-results 60 -d "$DUR" -warmup "$WARMUP"
done
for c in $CONCURRENCY; do
	measure cognate "$cog" SetLogDeliveryConfiguration "$c" -pool "$cog_pool" -d "$DUR" -warmup "$WARMUP"
done
for c in $CONCURRENCY; do
	measure cognate "$cog" GetLogDeliveryConfiguration "$c" -pool "$cog_pool" -d "$DUR" -warmup "$WARMUP"
done
# The same reads at c=64 with every request signed afresh, as SDKs sign
# them: the generator then costs what a real client costs, which lowers the
# no-op ceiling too (the issue's "about 15,000 signed requests/s").
measure noop-signed "$noop" Noop 64 -sign-each -d "$DUR" -warmup "$WARMUP"
measure cognate-signed "$cog" DescribeUserPool 64 -sign-each -pool "$cog_pool" -d "$DUR" -warmup "$WARMUP"
measure cognate-signed "$cog" GetLogDeliveryConfiguration 64 -sign-each -pool "$cog_pool" -d "$DUR" -warmup "$WARMUP"
for c in $CONCURRENCY; do
	measure cognate "$cog" CreateUserPool "$c" -d "$DUR"
	measure moto "$mot" CreateUserPool "$c" -d "$MOTO_CREATE_DUR"
done
# ---- users: AdminCreateUser (without and with an email invitation) and
# SignUp, Cognate beside moto at the same concurrency; then the same on a
# Cognate started with --password-hashing light. Each run makes its own
# pool (and, for SignUp, an app client without a secret); emails go to the
# SES mailbox simulator, which has no daily quota.
for op in AdminCreateUser AdminCreateUserInvite SignUp InitiateAuth; do
	for c in $CONCURRENCY; do
		measure cognate "$cog" "$op" "$c" -d "$USER_DUR"
		measure moto "$mot" "$op" "$c" -d "$USER_DUR"
	done
done
# InitiateAuth with threat protection (AUDIT, userAuthEvents exported to
# the built-in CloudWatch Logs): Cognate only, moto has none.
for c in $CONCURRENCY; do
	measure cognate "$cog" InitiateAuthThreat "$c" -d "$USER_DUR"
done
# Full USER_SRP_AUTH sign-ins (InitiateAuth, the client's SRP arithmetic,
# RespondToAuthChallenge): Cognate only, moto's SRP does not complete.
for c in $CONCURRENCY; do
	measure cognate "$cog" SRPSignIn "$c" -d "$USER_DUR"
done
record rss cognate "\"when\":\"after-runs\",\"kb\":$(rss_kb "$cog_pid"),\"hwm_kb\":$(hwm_kb "$cog_pid")"
record rss moto "\"when\":\"after-runs\",\"kb\":$(rss_kb "$moto_pid"),\"hwm_kb\":$(hwm_kb "$moto_pid")"

# The light preset, on a Cognate of its own (a new data dir).
cogl_port=$(free_port)
cogl=http://127.0.0.1:$cogl_port
mkdir -p "$tmp/cognate-light-data"
start cognate-light cognate-light "$cogl" "$bin/cognate" serve --addr "127.0.0.1:$cogl_port" --data-dir "$tmp/cognate-light-data" --password-hashing light
for op in AdminCreateUserInvite SignUp InitiateAuth; do
	for c in $CONCURRENCY; do
		measure cognate-light "$cogl" "$op" "$c" -d "$USER_DUR"
	done
done
stop cognate-light

# ---- memory after POOLS pools, on a fresh Cognate --------------------------------
cog2_port=$(free_port)
cog2=http://127.0.0.1:$cog2_port
mkdir -p "$tmp/cognate-pools-data"
start cognate-pools cognate "$cog2" "$bin/cognate" serve --addr "127.0.0.1:$cog2_port" --data-dir "$tmp/cognate-pools-data"
cog2_pid=$pid
sleep "$IDLE_WAIT"
record rss cognate-pools "\"when\":\"idle\",\"kb\":$(rss_kb "$cog2_pid")"
measure cognate-pools "$cog2" CreateUserPool 64 -n "$POOLS"
record rss cognate-pools "\"when\":\"after-create\",\"kb\":$(rss_kb "$cog2_pid"),\"hwm_kb\":$(hwm_kb "$cog2_pid"),\"pools\":$POOLS,\"disk_kb\":$(du -sk "$tmp/cognate-pools-data" | cut -f1)"
# How the read paths fare with POOLS pools stored.
measure cognate-pools "$cog2" ListUserPools 8 -max-results 60 -d "$DUR" -warmup "$WARMUP"
measure cognate-pools "$cog2" DescribeUserPool 8 -d "$DUR" -warmup "$WARMUP"

# ---- report ---------------------------------------------------------------------
mkdir -p "$root/bench/results"
report=$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ).md
{
	echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores; $(uname -sr)"
	echo "go: $(go version | cut -d' ' -f3-); cognate: $("$bin/cognate" version); moto: $(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?') ($moto)"
	echo "cognate data dir filesystem: $(df --output=fstype "$tmp/cognate-data" | tail -n 1)"
	echo "ListUserPools runs: MaxResults 60 over $((LIST_POOLS + 1)) pools on cognate and moto, over $POOLS on the fresh Cognate"
	echo "load average (1, 5, 15 min): $load_start before the run, $(cut -d' ' -f1-3 /proc/loadavg) after it"
} >"$tmp/machine.txt"
python3 - "$results" "$cmdline" "$tmp/machine.txt" "$commands" "$DUR" "$MOTO_CREATE_DUR" "$CONCURRENCY" >"$report" <<'PY'
import json, sys

results_path, cmdline, machine_path, commands_path, dur, moto_create_dur, conc = sys.argv[1:]
conc = [int(c) for c in conc.split()]
rows = [json.loads(l) for l in open(results_path) if l.strip()]
runs = {}   # (target, op, c) -> result
ready, rss = {}, {}
for r in rows:
    if r["kind"] == "run":
        x = r["result"]
        runs[(r["target"], x["op"], x["concurrency"])] = x
    elif r["kind"] == "ready":
        ready.setdefault(r["series"], []).append(r["launch"]["ready_ms"])
    elif r["kind"] == "rss":
        rss[(r["target"], r["when"])] = r

def rps(t, op, c):
    x = runs.get((t, op, c))
    return x["rps"] if x and x["requests"] > 0 and x["errors"] == 0 else None

def mib(kb):
    return kb / 1024.0

def fmt_ratio(v):
    return "n/a" if v is None else ("%.1fx" % v if v >= 10 else "%.2fx" % v)

out = []
w = out.append
w("# Cognate benchmark")
w("")
w("Command: `%s`" % cmdline)
w("")
for line in open(machine_path):
    w("- " + line.strip())
w("- each throughput run: %s (moto CreateUserPool: %s), one signed request per worker reused (except the runs marked \"each request signed\")" % (dur, moto_create_dur))
w("- the load generator runs on the same cores as the server it measures")
w("")
w("## Start and memory")
w("")
w("| Figure | Cognate | moto | Target (Cognate) | Met |")
w("|---|---:|---:|---|---|")
def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
cr, mr = ready["cognate"], ready["moto"]
def spread(xs):
    return "%.1f ms (%.1f–%.1f, n=%d)" % (median(xs), min(xs), max(xs), len(xs))
w("| start to first answer: median (min–max, launches) | %s | %s | < 50 ms | %s |" % (
    spread(cr), spread(mr), "yes" if median(cr) < 50 else "**no**"))
ci, mi = rss[("cognate", "idle")]["kb"], rss[("moto", "idle")]["kb"]
w("| idle RSS | %.1f MiB | %.1f MiB | < 25 MiB | %s |" % (mib(ci), mib(mi), "yes" if mib(ci) < 25 else "**no**"))
ca, ma = rss[("cognate", "after-runs")], rss[("moto", "after-runs")]
w("| RSS after the throughput runs (peak) | %.1f MiB (%.1f) | %.1f MiB (%.1f) | | |" % (mib(ca["kb"]), mib(ca["hwm_kb"]), mib(ma["kb"]), mib(ma["hwm_kb"])))
p0, p1 = rss[("cognate-pools", "idle")], rss[("cognate-pools", "after-create")]
cp = runs.get(("cognate-pools", "CreateUserPool", 64))
w("| fresh Cognate: idle RSS | %.1f MiB | | | |" % mib(p0["kb"]))
w("| fresh Cognate: RSS after creating %d pools (peak) | %.1f MiB (%.1f) | | | |" % (p1["pools"], mib(p1["kb"]), mib(p1["hwm_kb"])))
w("| fresh Cognate: data dir after %d pools | %.1f MiB | | | |" % (p1["pools"], mib(p1["disk_kb"])))
if cp:
    w("| fresh Cognate: %d creates at c=64 | %.1f s, %.0f req/s, p99 %.2f ms, %d errors | | | |" % (cp["requests"], cp["seconds"], cp["rps"], cp["p99_ms"], cp["errors"]))
w("")
w("## Throughput and latency")
w("")
w("| Operation | Target | c | req/s | p50 ms | p99 ms | max ms | requests | errors |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
order = ["Noop", "DescribeUserPool", "GetLogDeliveryConfiguration", "ListUserPools", "CreateUserPool", "SetLogDeliveryConfiguration",
         "AdminCreateUser", "AdminCreateUserInvite", "SignUp", "InitiateAuth", "InitiateAuthThreat", "SRPSignIn"]
targets = ["noop", "noop-signed", "cognate", "cognate-light", "cognate-signed", "moto", "cognate-pools"]
def label(t):
    return {"cognate-pools": "cognate (%d pools)" % p1["pools"],
            "cognate-light": "cognate, --password-hashing light",
            "noop-signed": "noop, each request signed",
            "cognate-signed": "cognate, each request signed"}.get(t, t)
for op in order:
    for t in targets:
        for c in sorted({k[2] for k in runs if k[0] == t and k[1] == op}):
            if t == "cognate-pools" and op == "CreateUserPool":
                continue  # shown above
            x = runs[(t, op, c)]
            w("| %s | %s | %d | %.0f | %.3f | %.3f | %.3f | %d | %d |" % (op, label(t), c, x["rps"], x["p50_ms"], x["p99_ms"], x["max_ms"], x["requests"], x["errors"]))
w("")
w("## Ratios against the targets")
w("")
w("| Ratio | c | Value | Target | Met |")
w("|---|---:|---:|---|---|")
def ratio_row(name, num, den, c, target):
    v = None if num is None or den is None or den == 0 else num / den
    met = "n/a" if v is None else ("yes" if v >= target else "**no**")
    tgt = (">= %gx" % target) if target >= 1 else (">= %g" % target)
    w("| %s | %s | %s | %s | %s |" % (name, c, fmt_ratio(v), tgt, met))
for op in ["DescribeUserPool", "GetLogDeliveryConfiguration"]:
    for c in conc:
        ratio_row("Cognate %s ÷ moto DescribeUserPool" % op, rps("cognate", op, c), rps("moto", "DescribeUserPool", c), c, 50)
for op in ["DescribeUserPool", "GetLogDeliveryConfiguration"]:
    c = max(conc)
    ratio_row("Cognate %s ÷ noop ceiling" % op, rps("cognate", op, c), rps("noop", "Noop", c), c, 0.5)
    ratio_row("Cognate %s ÷ noop ceiling, each request signed" % op, rps("cognate-signed", op, 64), rps("noop-signed", "Noop", 64), 64, 0.5)
for op in ["CreateUserPool", "SetLogDeliveryConfiguration"]:
    for c in conc:
        ratio_row("Cognate %s ÷ moto CreateUserPool" % op, rps("cognate", op, c), rps("moto", "CreateUserPool", c), c, 100)
for op in ["AdminCreateUser", "AdminCreateUserInvite", "SignUp", "InitiateAuth"]:
    for t in ["cognate", "cognate-light"]:
        if not any(k[0] == t and k[1] == op for k in runs):
            continue
        for c in conc:
            # Issue 4's targets for the user operations; issue 5's 10x for
            # USER_PASSWORD_AUTH sign-ins.
            ratio_row("%s %s ÷ moto %s" % (label(t).capitalize(), op, op), rps(t, op, c), rps("moto", op, c), c, 10 if op == "InitiateAuth" else 20)
w("")
w("For information (no target): Cognate ListUserPools ÷ moto ListUserPools: " + ", ".join(
    "c=%d %s" % (c, fmt_ratio(None if not rps("moto", "ListUserPools", c) or rps("cognate", "ListUserPools", c) is None else rps("cognate", "ListUserPools", c) / rps("moto", "ListUserPools", c))) for c in conc) + ".")
w("A ratio is n/a when a run it needs had errors or no answers.")
errs = [(k, x["first_error"]) for k, x in sorted(runs.items()) if x.get("first_error")]
if errs:
    w("")
    w("## Errors")
    w("")
    for (t, op, c), e in errs:
        w("- %s %s c=%d: `%s`" % (t, op, c, e.replace("`", "'")[:300]))
w("")
w("<details><summary>Commands run</summary>")
w("")
w("```")
for line in open(commands_path):
    w(line.rstrip())
w("```")
w("</details>")
print("\n".join(out))
PY
cat "$report"
echo
echo "Command: $cmdline"
echo "Report: ${report#"$root"/}"
