#!/usr/bin/env bash
# Header memory an unauthenticated client controls (issue 34 item 6): CONNS connections each send a request line and
# a HEADER_KB KiB Authorization header and withhold the blank line that ends the headers; they are held HOLD s, then
# closed. Prints the daemon's RSS (VmRSS) idle, while held, and every second for AFTER s after the close, then the
# growth against what the headers weigh and how much of it was given back.
#   bench/header-memory.sh BIN [CONNS] [HEADER_KB]      (defaults 300 and 1024; BIN: ours or Go's nsqlookupd)
#   HOLD=5 AFTER=30 EXTRA_ARGS="--log-level=warn" bench/header-memory.sh ...
# The header timeout (30 s by default, in both) must not expire before every connection is held; loopback only;
# the daemon is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
conns=${2:-300}
kib=${3:-1024}
HOLD=${HOLD:-5}
AFTER=${AFTER:-30}
work=$(mktemp -d)
pid=
trap 'exec 4>&- 2>/dev/null || true; [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib.sh # free_ports
read -r tcp http < <(free_ports)
# shellcheck disable=SC2086 # EXTRA_ARGS is a list of flags on purpose
"$bin" --tcp-address=127.0.0.1:$tcp --http-address=127.0.0.1:$http --log-level=warn ${EXTRA_ARGS:-} 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/ping" >/dev/null && break; sleep 0.1; done
sleep 2
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status"; }
idle=$(rss)
echo "idle            $idle MiB"

mkfifo "$work/in"
python3 bench/header-hold.py "$http" "$conns" "$kib" <"$work/in" >"$work/hold.out" &
exec 4>"$work/in"
start=$(date +%s.%N)
until grep -q '^held' "$work/hold.out"; do sleep 0.1; done
sent=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
peak=$(rss)
for _ in $(seq 1 "$HOLD"); do sleep 1; r=$(rss); peak=$(awk -v a="$peak" -v b="$r" 'BEGIN {print (b > a) ? b : a}'); done
echo "held            $peak MiB  ($conns connections, all sent in ${sent} s, peak over ${HOLD} s)"
echo >&4
until grep -q '^closed' "$work/hold.out"; do sleep 0.1; done
for t in $(seq 1 "$AFTER"); do sleep 1; last=$(rss); echo "after close $t s  $last MiB"; done
awk -v idle="$idle" -v peak="$peak" -v last="$last" -v conns="$conns" -v kib="$kib" -v after="$AFTER" 'BEGIN {
  weight = conns * kib / 1024; growth = peak - idle
  printf "headers weigh   %.1f MiB\n", weight
  printf "growth          %.1f MiB  (%.2fx the headers)\n", growth, growth / weight
  printf "after %d s       %.1f MiB  (%.0f%% of the growth given back)\n", after, last, (growth > 0 ? 100 * (peak - last) / growth : 0)
}'
if [ -n "${SHOW_LOG:-}" ]; then cat "$work/daemon.log"; fi
