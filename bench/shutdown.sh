#!/usr/bin/env bash
# SIGTERM → exit of the daemon after a registration load, as medians over RUNS runs (footprint-probe times it).
#   bench/shutdown.sh [RUNS]                        (default 5)
#   PRODUCERS=300 TOPICS=3000 CHANNELS=2 bench/shutdown.sh 3     # 2.7M entries
#   BIN="old/nsqlookupd new/nsqlookupd" bench/shutdown.sh   # given binaries, interleaved run by run (A/B)
#                                                   (default: publishes this tree's native binary)
# Two cases per run, interleaved:
#   held   every producer still connected when the signal comes (each connection's entries must go with it)
#   after  the load tool has just exited: its connections closed a moment before the signal (bench/run.sh's case)
# Loopback only; the probe stops the daemon by PID, and the held load tool is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
PRODUCERS=${PRODUCERS:-100}
TOPICS=${TOPICS:-1000}
CHANNELS=${CHANNELS:-5}
work=$(mktemp -d)
trap 'if [ -s "$work/load.pid" ]; then kill "$(cat "$work/load.pid")" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

if [ -z "${BIN:-}" ]; then
  dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$work/aot" -nologo >/dev/null
  BIN=$work/aot/nsqlookupd
fi
dotnet build bench/NsqLookup.LoadTool -c Release -nologo -v q >/dev/null
load="dotnet bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load.dll --tcp=127.0.0.1:{tcp} --http=127.0.0.1:{http}"
load="$load --producers=$PRODUCERS --topics=$TOPICS --channels=$CHANNELS --scenarios=register"
gcc -O2 -o "$work/probe" bench/footprint-probe.c

# held: start the load in the background and return once it says every producer is registered and holding.
held="$load --hold=3600s >$work/load.out 2>&1 & echo \$! >$work/load.pid;
  until grep -q '^holding' $work/load.out; do kill -0 \$(cat $work/load.pid) 2>/dev/null || exit 1; sleep 0.2; done"

out=$work/results
for run in $(seq 1 "$runs"); do
  for bin in $BIN; do
    for mode in held after; do
      cmd="$load >/dev/null 2>&1"; [ $mode = held ] && cmd=$held
      line=$("$work/probe" -s 500 -l "$cmd" -- "$bin" --tcp-address=127.0.0.1:{tcp} --http-address=127.0.0.1:{http} \
        --broadcast-address=127.0.0.1 --log-level=warn 2>/dev/null)
      if [ -s "$work/load.pid" ]; then kill "$(cat "$work/load.pid")" 2>/dev/null || true; : >"$work/load.pid"; fi
      echo "run $run $bin $mode: $line" >&2
      echo "$bin $mode $line" >>"$out"
    done
  done
done

. bench/lib.sh # median (the script runs from the repository root)
entries=$((PRODUCERS * (1 + TOPICS + TOPICS * CHANNELS)))
for bin in $BIN; do
  for mode in held after; do
    field() { awk -v b="$bin" -v m="$mode" -v k="$1" '$1==b && $2==m { for (f=3; f<=NF; f++) { split($f, kv, "="); if (kv[1]==k) print kv[2] } }' "$out"; }
    printf '%s\n  %-5s %d x %d x %d (%d entries): SIGTERM -> exit median %.1f ms (min %.1f, max %.1f), RSS after load %d MiB, exit status %s(%d runs)\n' \
      "$bin" "$mode" "$PRODUCERS" "$TOPICS" "$CHANNELS" "$entries" \
      "$(field exit_us | median | awk '{print $1/1000}')" "$(field exit_us | sort -n | head -1 | awk '{print $1/1000}')" \
      "$(field exit_us | sort -n | tail -1 | awk '{print $1/1000}')" "$(( $(field rss_after_load_kb | median) / 1024 ))" \
      "$(field status | sort -u | tr '\n' ' ')" "$(field exit_us | wc -l)"
  done
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
