#!/usr/bin/env bash
# Regenerates bench/RESULTS.md on this machine: builds Release, then RUNS times starts a fresh daemon pinned to
# core 1 and runs every load-tool scenario pinned to core 0 (per-run JSON and logs in bench/results/), writes the
# medians with `nsqlookup-load report`, and appends the BenchmarkDotNet micro-benchmarks (short job, core 1).
#
#   bench/run.sh                                   # the full size: 100 producers × 1,000 topics × 5 channels, 3 runs
#   RUNS=1 PRODUCERS=10 TOPICS=100 DURATION=1s MICRO=0 OUT=/tmp/r.md bench/run.sh   # a quick try
#   BUILD=jit bench/run.sh                         # the JIT build (`dotnet run`) instead of the native binary
#
# The daemon measured is the native (AOT) binary operators deploy (`dotnet publish -c Release -r linux-<arch>`);
# BUILD=jit measures the framework-dependent build, whose tiered JIT keeps hot paths in quick-jitted code for a long
# time on a saturated single core (see RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PRODUCERS=${PRODUCERS:-100}
TOPICS=${TOPICS:-1000}
CHANNELS=${CHANNELS:-5}
DURATION=${DURATION:-5s}
CONCURRENCY=${CONCURRENCY:-16}
MICRO=${MICRO:-1}
MICRO_FILTER=${MICRO_FILTER:-*}
BUILD=${BUILD:-aot}
OUT=${OUT:-bench/RESULTS.md}
RESULTS=${RESULTS:-bench/results}
DAEMON_CPU=${DAEMON_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}

case "$(uname -m)" in aarch64 | arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
if [ "$BUILD" = jit ]; then
  daemon=src/NsqLookup/bin/Release/net10.0/nsqlookupd
  build_note="Release JIT build"
else
  daemon=src/NsqLookup/bin/Release/net10.0/$rid/publish/nsqlookupd
  build_note="native AOT binary (\`dotnet publish -c Release -r $rid\`)"
fi
load=bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load.dll
micro=bench/NsqLookup.Benchmarks/bin/Release/net10.0/NsqLookup.Benchmarks.dll

echo "building Release" >&2
for project in src/NsqLookup bench/NsqLookup.LoadTool bench/NsqLookup.Benchmarks; do
  dotnet build -c Release --nologo -v q "$project" >&2
done
if [ "$BUILD" != jit ]; then
  echo "publishing the native binary ($rid)" >&2
  dotnet publish src/NsqLookup -c Release -r "$rid" --nologo -v q >&2
fi

commit="$(git rev-parse --short HEAD), src/ as of $(git log -1 --format=%h -- src)"
if ! git diff --quiet HEAD -- src; then commit="$commit+uncommitted src changes"; fi

. bench/lib.sh # free_ports: the daemon does not log its bound ports at --log-level=warn

pid=
stop_daemon() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi
}
trap stop_daemon EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$RESULTS"
rm -f "$RESULTS"/run-*.json "$RESULTS"/run-*.log "$RESULTS"/coalesced-*
start_daemon() { # $1: log file; sets pid, tcp, http
  read -r tcp http < <(free_ports 2>/dev/null || echo "14160 14161")
  taskset -c "$DAEMON_CPU" "$daemon" --tcp-address="127.0.0.1:$tcp" --http-address="127.0.0.1:$http" \
    --broadcast-address=127.0.0.1 --log-level=warn 2>"$1" &
  pid=$!
  for _ in $(seq 1 100); do # up to 10 s for the daemon to answer
    curl -sf "http://127.0.0.1:$http/ping" >/dev/null && break
    sleep 0.1
  done
}

for run in $(seq 1 "$RUNS"); do
  start_daemon "$RESULTS/run-$run.daemon.log"
  echo "run $run/$RUNS: daemon pid $pid on tcp $tcp, http $http" >&2
  taskset -c "$LOAD_CPU" dotnet "$load" --tcp="127.0.0.1:$tcp" --http="127.0.0.1:$http" \
    --producers="$PRODUCERS" --topics="$TOPICS" --channels="$CHANNELS" \
    --duration="$DURATION" --concurrency="$CONCURRENCY" --server-pid="$pid" \
    --json="$RESULTS/run-$run.json" >"$RESULTS/run-$run.log"
  stop_daemon
done

# The same registration load with each command in one write: shows what nsqd's piece-by-piece writes cost the
# server's reader (a comparison, not a target).
for run in $(seq 1 "$RUNS"); do
  start_daemon "$RESULTS/coalesced-$run.daemon.log"
  echo "coalesced registration run $run/$RUNS: daemon pid $pid" >&2
  taskset -c "$LOAD_CPU" dotnet "$load" --tcp="127.0.0.1:$tcp" --http="127.0.0.1:$http" \
    --producers="$PRODUCERS" --topics="$TOPICS" --channels="$CHANNELS" --scenarios=register --coalesce-writes=true \
    --server-pid="$pid" --json="$RESULTS/coalesced-$run.json" >"$RESULTS/coalesced-$run.log"
  stop_daemon
done

dotnet "$load" report --commit="$commit" --build="$build_note" --out="$OUT" "$RESULTS"/run-*.json
{
  printf '\n## Registration load with coalesced writes (comparison only)\n\n'
  dotnet "$load" report --no-header "$RESULTS"/coalesced-*.json
} >>"$OUT"

if [ "$MICRO" = 1 ]; then
  echo "micro-benchmarks" >&2
  rm -rf "$RESULTS/micro"
  taskset -c "$DAEMON_CPU" dotnet "$micro" --filter "$MICRO_FILTER" --artifacts "$RESULTS/micro" --exporters github >"$RESULTS/micro.log"
  {
    printf '\n## Micro-benchmarks (BenchmarkDotNet short job, in process, core %s)\n' "$DAEMON_CPU"
    for report in "$RESULTS"/micro/results/*-report-github.md; do
      printf '\n### %s\n\n' "$(basename "$report" -report-github.md)"
      sed -n '/^|/,$p' "$report"
    done
  } >>"$OUT"
fi
printf '\n---\nGenerated by `bench/run.sh` (RUNS=%s) in %d s. Load average (1/5/15 min) at the start: %s; at the end: %s\n' \
  "$RUNS" "$SECONDS" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
echo "wrote $OUT in $SECONDS s" >&2
