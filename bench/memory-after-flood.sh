#!/usr/bin/env bash
# RSS of the daemon every second: BEFORE s idle, FLOOD s of connection flood and churn (bench/flood.py), AFTER s
# quiet. Prints one line per second and a summary (idle median, peak, RSS 30 s after the flood ended, ratio).
#   bench/memory-after-flood.sh                      # publishes the native binary first
#   BIN=path/to/nsqlookupd FLOOD=40 bench/memory-after-flood.sh
# Loopback only; the daemon is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${BEFORE:-5}
FLOOD=${FLOOD:-20}
AFTER=${AFTER:-40}
CONNS=${CONNS:-500}
work=$(mktemp -d)
pid=
flood=
trap 'for p in $flood $pid; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
if [ -z "${BIN:-}" ]; then
  dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$work/aot" -nologo >/dev/null
  BIN=$work/aot/nsqlookupd
fi
. bench/lib.sh # free_ports, median (the script runs from the repository root)
read -r tcp http < <(free_ports)
"$BIN" --tcp-address=127.0.0.1:$tcp --http-address=127.0.0.1:$http --log-level=warn 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/ping" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status"; }
samples=$work/samples
t=0
sample() { echo "$t $1 $(rss)" | tee -a "$samples"; t=$((t + 1)); }
for _ in $(seq 1 "$BEFORE"); do sample before; sleep 1; done
python3 bench/flood.py "$tcp" "$FLOOD" "$CONNS" &
flood=$!
while kill -0 $flood 2>/dev/null; do sample flood; sleep 1; done
wait $flood || true
for _ in $(seq 1 "$AFTER"); do sample after; sleep 1; done

idle=$(awk '$2=="before" {print $3}' "$samples" | median)
peak=$(awk '{print $3}' "$samples" | sort -n | tail -1)
at30=$(awk '$2=="after" {n++; if (n==30) print $3}' "$samples")
last=$(awk '$2=="after" {v=$3} END {print v}' "$samples")
echo "idle ${idle} MiB, peak ${peak} MiB, 30 s after the flood ${at30:-n/a} MiB ($(awk -v a="${at30:-0}" -v b="$idle" 'BEGIN {printf "%.2f", a/b}')x idle), at the end ${last} MiB"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); binary: $BIN"
