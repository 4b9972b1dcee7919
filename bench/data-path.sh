#!/usr/bin/env bash
# --data-path costs: admin actions per second (POST /topic/create, each one journal record fsynced before its 200)
# with 1 and 16 concurrent clients, against the same daemon without --data-path; then the start (exec → first
# GET /ping) with an empty data path and with a 100,000-record journal, as medians over RUNS runs.
# Usage: bench/data-path.sh [RUNS]   (default 5)
#   DATA_ROOT=DIR  where the data paths go (default: a temporary folder under bench/; put it on the disk you
#                  want measured — a tmpfs makes fsync free)
#   BIN=PATH       the daemon binary (default: the Release build of src/NsqLookup, built here)
#   REQUESTS=N     admin requests per throughput run (default 2000)
# Loopback only; every daemon it starts is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
requests=${REQUESTS:-2000}
root=$(mktemp -d "${DATA_ROOT:-$PWD/bench}/.data-path-bench.XXXXXX")
trap 'rm -rf "$root"' EXIT
port=$((20000 + RANDOM % 20000))

if [ -z "${BIN:-}" ]; then
  dotnet build src/NsqLookup -c Release -nologo >/dev/null
  BIN=src/NsqLookup/bin/Release/net10.0/nsqlookupd
fi
dotnet build bench/NsqLookup.LoadTool -c Release -nologo >/dev/null
load=bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load

ping_ok() { # one GET /ping over bash's /dev/tcp, no process spawned
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /ping HTTP/1.0\r\n\r\n' >&3
  local reply; reply=$(cat <&3); exec 3<&-
  [[ "$reply" == *$'\r\n\r\nOK' ]]
}

start_daemon() { # $@ = extra flags; sets pid and the ms from exec to the first /ping 200 in startup_ms
  local t0 t1
  t0=$(date +%s%N)
  "$BIN" --tcp-address=127.0.0.1:$port --http-address=127.0.0.1:$((port + 1)) --log-level=warn "$@" 2>>"$root/stderr" &
  pid=$!
  for _ in $(seq 1 20000); do ping_ok $((port + 1)) && break; kill -0 $pid 2>/dev/null || { cat "$root/stderr"; exit 1; }; done
  t1=$(date +%s%N)
  startup_ms=$(( (t1 - t0) / 1000000 ))
}

stop_daemon() { kill -TERM "$pid"; wait "$pid" || true; }

. bench/lib.sh # median (the script runs from the repository root)

echo "machine: $(nproc) cores, $(uname -r); data path on $(df -T "$root" | awk 'NR==2 {print $2 " (" $1 ")"}')"
for mode in off on; do
  for c in 1 16; do
    results=()
    for r in $(seq 1 "$runs"); do
      dir="$root/throughput-$mode-$c-$r"; mkdir -p "$dir"
      flags=(); [ $mode = on ] && flags=(--data-path="$dir")
      start_daemon "${flags[@]}"
      line=$("$load" admin --http=127.0.0.1:$((port + 1)) --requests="$requests" --concurrency=$c --prefix="r$r")
      stop_daemon
      results+=("$(sed -E 's/.*: ([0-9]+)\/s, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms.*/\1 \2 \3/' <<<"$line")")
    done
    printf '%s\n' "${results[@]}" >"$root/res"
    echo "admin actions, --data-path $mode, $c clients: median $(cut -d' ' -f1 "$root/res" | median)/s," \
      "p50 $(cut -d' ' -f2 "$root/res" | median) ms, p99 $(cut -d' ' -f3 "$root/res" | median) ms ($runs runs of $requests)"
  done
done

"$load" journal --out="$root/journal-100k" --records=100000 >/dev/null
for kind in none empty journal; do
  times=()
  for r in $(seq 1 "$runs"); do
    dir="$root/start-$kind-$r"; mkdir -p "$dir"; flags=()
    [ $kind != none ] && flags=(--data-path="$dir")
    [ $kind = journal ] && cp "$root/journal-100k" "$dir/admin.journal"
    start_daemon "${flags[@]}"
    if [ $kind = journal ]; then # the start must have restored every key, not just answered /ping
      topics=$(curl -s "http://127.0.0.1:$((port + 1))/topics" | grep -o journal-topic- | wc -l)
      [ "$topics" = 50000 ] || { echo "restored $topics topics, expected 50000"; stop_daemon; exit 1; }
    fi
    stop_daemon
    times+=("$startup_ms")
  done
  echo "start to first /ping, data path: $kind: median $(printf '%s\n' "${times[@]}" | median) ms ($runs runs)"
done
