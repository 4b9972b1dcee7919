#!/usr/bin/env bash
# A/B of DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS on the native binary: on (=1, socket completions run on the
# epoll thread) against off (=0, queued to the thread pool: .NET's default, and what the daemon runs with).
# Rounds alternate the order; each run starts the daemon pinned to DAEMON_CPU and loads it with the load tool pinned to
# LOAD_CPU: the registration load (REGISTER/s, round-trip p99, server CPU per REGISTER), then the mixed scenario
# (fresh producers' REGISTER round trips while /nodes runs flat out). Prints medians over the rounds.
#   bench/inline-completions-ab.sh [ROUNDS]   (default 5; PRODUCERS, TOPICS, CHANNELS, DURATION as in throughput-ab.sh)
# Loopback only; every daemon it starts is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
PRODUCERS=${PRODUCERS:-100}
TOPICS=${TOPICS:-1000}
CHANNELS=${CHANNELS:-5}
DURATION=${DURATION:-5s}
DAEMON_CPU=${DAEMON_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
work=$(mktemp -d)
daemon_pid=
trap 'if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$work/aot" -nologo >/dev/null
dotnet build bench/NsqLookup.LoadTool -c Release -nologo -v q >/dev/null
load=bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load.dll
. bench/lib.sh # free_ports (the script runs from the repository root)

for round in $(seq 1 "$rounds"); do
  order=(1 0)
  if [ $((round % 2)) -eq 0 ]; then order=(0 1); fi
  for inline in "${order[@]}"; do
    read -r tcp http < <(free_ports)
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$inline taskset -c "$DAEMON_CPU" "$work/aot/nsqlookupd" \
      --tcp-address=127.0.0.1:$tcp --http-address=127.0.0.1:$http --broadcast-address=127.0.0.1 --log-level=warn 2>/dev/null &
    daemon_pid=$!
    until curl -sf "http://127.0.0.1:$http/ping" >/dev/null; do sleep 0.05; done
    taskset -c "$LOAD_CPU" dotnet "$load" --tcp=127.0.0.1:$tcp --http=127.0.0.1:$http --server-pid=$daemon_pid \
      --producers="$PRODUCERS" --topics="$TOPICS" --channels="$CHANNELS" --duration="$DURATION" --concurrency=16 \
      --coalesce-writes=true --scenarios=register,mixed --json="$work/r$round-i$inline.json" >/dev/null 2>&1
    kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=
    echo "round $round done: inline completions=$inline" >&2
  done
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rows = [
    ("REGISTER/s (load)", lambda d: d["registration"]["registers_per_second"]),
    ("REGISTER p99 ms (load)", lambda d: d["registration"]["round_trip"]["p99_ms"]),
    ("server CPU µs/REGISTER", lambda d: d["registration"]["server_cpu_micros_per_register"]),
    ("mixed: REGISTER p99 ms", lambda d: d["mixed"]["register"]["p99_ms"]),
    ("mixed: REGISTER max ms", lambda d: d["mixed"]["register"]["max_ms"]),
    ("mixed: REGISTER timeouts", lambda d: d["mixed"]["register_timeouts"]),
    ("mixed: /nodes req/s", lambda d: d["mixed"]["nodes"]["requests_per_second"]),
]
runs = {i: [json.load(open(f"{work}/r{r}-i{i}.json")) for r in range(1, rounds + 1)] for i in (1, 0)}
print("median of %d rounds (min-max)         inline on (=1)              inline off (=0)        off/on" % rounds)
for name, get in rows:
    cells, med = [], {}
    for i in (1, 0):
        v = [get(d) for d in runs[i]]
        med[i] = statistics.median(v)
        cells.append("%10.1f (%.1f-%.1f)" % (med[i], min(v), max(v)))
    ratio = ("%.2f" % (med[0] / med[1])) if med[1] else "n/a"
    print("%-26s %-27s %-27s %s" % (name, cells[0], cells[1], ratio))
PY
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
