#!/usr/bin/env bash
# A/B of admin actions per second with --data-path between two (or more) daemon binaries, rounds alternated so
# that the noise of a shared machine falls on each binary alike: each round starts every binary in turn on a fresh
# data path and runs POST /topic/create from 16 clients, then from 1. Prints, per binary and concurrency, the median
# over the rounds and the ratio to the first binary.
#   bench/data-path-ab.sh ROUNDS BIN_A BIN_B [BIN ...]
#   DATA_ROOT=DIR  where the data paths go (default: a temporary folder under bench/; a tmpfs makes fsync free)
#   REQUESTS=N     requests per run (default 3000)
# Loopback only; every daemon it starts is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1; shift
requests=${REQUESTS:-3000}
root=$(mktemp -d "${DATA_ROOT:-$PWD/bench}/.data-path-ab.XXXXXX")
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$root"' EXIT
dotnet build bench/NsqLookup.LoadTool -c Release -nologo -v q >/dev/null
load=bench/NsqLookup.LoadTool/bin/Release/net10.0/nsqlookup-load
. bench/lib.sh # median, free_ports

for r in $(seq 1 "$rounds"); do
  for i in $(seq 1 $#); do
    bin=${!i}
    read -r tcp http < <(free_ports)
    dir="$root/$r-$i"; mkdir -p "$dir"
    "$bin" --tcp-address=127.0.0.1:$tcp --http-address=127.0.0.1:$http --log-level=warn --data-path="$dir" 2>>"$root/stderr" &
    pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$http/ping"; do kill -0 "$pid" 2>/dev/null || { cat "$root/stderr"; exit 1; }; done
    for c in 16 1; do
      line=$("$load" admin --http=127.0.0.1:$http --requests="$requests" --concurrency=$c --prefix="r$r-c$c")
      sed -E 's/.*: ([0-9]+)\/s,.*/\1/' <<<"$line" >>"$root/$i-c$c"
    done
    kill -TERM "$pid"; wait "$pid" || true; pid=
  done
done

for c in 16 1; do
  base=$(median <"$root/1-c$c")
  for i in $(seq 1 $#); do
    m=$(median <"$root/$i-c$c")
    echo "$c clients, ${!i}: median $m/s over $rounds rounds (range $(sort -n "$root/$i-c$c" | head -1)-$(sort -n "$root/$i-c$c" | tail -1)), ratio $(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
  done
done
