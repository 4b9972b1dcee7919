#!/usr/bin/env bash
# Measures the native AOT daemon's startup (exec → first successful GET /ping) and idle RSS, and the same for
# the JIT build, as medians over RUNS runs. Usage: bench/startup.sh [RUNS]   (default 9)
# Loopback only; every daemon it starts is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
port=$((20000 + RANDOM % 20000))
aot_dir=$(mktemp -d)
trap 'rm -rf "$aot_dir"' EXIT

dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$aot_dir" -nologo >/dev/null
dotnet build src/NsqLookup -c Release -nologo >/dev/null
jit_bin=src/NsqLookup/bin/Release/net10.0/nsqlookupd

ping_ok() { # one GET /ping over bash's /dev/tcp, no process spawned
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /ping HTTP/1.0\r\n\r\n' >&3
  local reply; reply=$(cat <&3); exec 3<&-
  [[ "$reply" == *$'\r\n\r\nOK' ]]
}

measure() { # $1 = binary; prints "startup_ms rss_kb"
  local http=$((port + 1)) start end pid
  start=$(date +%s%N)
  "$1" --tcp-address=127.0.0.1:$port --http-address=127.0.0.1:$http --log-level=warn 2>/dev/null &
  pid=$!
  for _ in $(seq 1 5000); do ping_ok $http && break; done
  end=$(date +%s%N)
  sleep 1
  local rss; rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  echo "$(( (end - start) / 1000000 )) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for kind in aot jit; do
  bin=$aot_dir/nsqlookupd; [ $kind = jit ] && bin=$jit_bin
  results=$(for _ in $(seq 1 "$runs"); do measure "$bin"; done)
  echo "$kind: startup to first /ping median $(cut -d' ' -f1 <<<"$results" | median) ms, idle RSS median $(( $(cut -d' ' -f2 <<<"$results" | median) / 1024 )) MiB ($runs runs)"
done
echo "native binary: $(du -h "$aot_dir/nsqlookupd" | cut -f1)"
