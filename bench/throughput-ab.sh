#!/usr/bin/env bash
# A/B of server CPU per operation between native binaries, rounds alternated: each round starts every binary in turn
# pinned to core 1 (DAEMON_CPU), loads it with the load tool pinned to core 0 (LOAD_CPU), and reads the tool's JSON.
# Prints, per scenario, the median over the rounds of each binary's server CPU µs per request (per REGISTER for the
# load), the range, and the ratio to the first binary.
#   bench/throughput-ab.sh ROUNDS BIN_A BIN_B [BIN ...]
#   PRODUCERS=100 TOPICS=1000 CHANNELS=5 DURATION=5s bench/throughput-ab.sh 4 old/nsqlookupd new/nsqlookupd
#   SCENARIOS=register,http,disconnect …  also times every producer disconnecting at once (ms until /nodes is empty)
# Loopback only; every daemon it starts is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1; shift
PRODUCERS=${PRODUCERS:-100}
TOPICS=${TOPICS:-1000}
CHANNELS=${CHANNELS:-5}
DURATION=${DURATION:-5s}
SCENARIOS=${SCENARIOS:-register,http}
DAEMON_CPU=${DAEMON_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
work=$(mktemp -d)
daemon_pid=
trap 'if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

dotnet build bench/NsqLookup.LoadTool -c Release -nologo -v q >/dev/null
load=bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load.dll
. bench/lib.sh # free_ports (the script runs from the repository root)

for round in $(seq 1 "$rounds"); do
  # alternate the order: odd rounds A, B, …; even rounds …, B, A
  order=("$@")
  if [ $((round % 2)) -eq 0 ]; then order=($(printf '%s\n' "$@" | tac)); fi
  for bin in "${order[@]}"; do
    read -r tcp http < <(free_ports)
    taskset -c "$DAEMON_CPU" "$bin" --tcp-address=127.0.0.1:$tcp --http-address=127.0.0.1:$http \
      --broadcast-address=127.0.0.1 --log-level=warn 2>/dev/null &
    daemon_pid=$!
    until curl -sf "http://127.0.0.1:$http/ping" >/dev/null; do sleep 0.05; done
    idx=$(printf '%s\n' "$@" | grep -nxF "$bin" | head -1 | cut -d: -f1)
    taskset -c "$LOAD_CPU" dotnet "$load" --tcp=127.0.0.1:$tcp --http=127.0.0.1:$http --server-pid=$daemon_pid \
      --producers="$PRODUCERS" --topics="$TOPICS" --channels="$CHANNELS" --duration="$DURATION" --concurrency=16 \
      --coalesce-writes=true --scenarios="$SCENARIOS" --json="$work/r$round-b$idx.json" >/dev/null 2>&1
    kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=
    echo "round $round done: $bin" >&2
  done
done

python3 - "$work" "$rounds" "$@" <<'EOF'
import json, statistics, sys
work, rounds, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
per = {}  # scenario -> bin index -> [values]
for b in range(1, len(bins) + 1):
    for r in range(1, rounds + 1):
        d = json.load(open(f"{work}/r{r}-b{b}.json"))
        reg = d.get("registration") or {}
        if reg.get("server_cpu_micros_per_register") is not None:
            per.setdefault("REGISTER (load)", {}).setdefault(b, []).append(reg["server_cpu_micros_per_register"])
        dis = d.get("disconnect") or {}
        if dis.get("milliseconds") is not None:
            per.setdefault("disconnect (ms)", {}).setdefault(b, []).append(dis["milliseconds"])
        for h in d.get("http") or []:
            if h.get("server_cpu_micros_per_request") is not None:
                per.setdefault(h["name"], {}).setdefault(b, []).append(h["server_cpu_micros_per_request"])
print("server CPU µs per operation, median of %d rounds (min-max); ratio to %s" % (rounds, bins[0]))
for name, by in per.items():
    med = {b: statistics.median(v) for b, v in by.items()}
    cells = ["%s %.1f (%.0f-%.0f)" % (bins[b - 1], med[b], min(by[b]), max(by[b])) for b in sorted(by)]
    ratios = [("%.2f" % (med[b] / med[1])) if med.get(1) else "n/a" for b in sorted(by) if b != 1]
    print("%-16s %s  ratio %s" % (name, " | ".join(cells), " ".join(ratios)))
EOF
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
