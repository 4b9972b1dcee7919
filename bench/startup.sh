#!/usr/bin/env bash
# Footprint of the native AOT daemon and of the JIT build, as medians over RUNS runs taken in turns (bench/footprint-probe.c):
# exec → first GET /ping answered 200, idle RSS 2 s after ready, SIGTERM → exit when idle, and the executable's size.
#   bench/startup.sh [RUNS]   (default 9)
# On a shared machine single runs vary widely: compare medians, and note the load average printed at the end.
# Loopback only; every daemon it starts is stopped by PID (by the probe).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$work/aot" -nologo >/dev/null
dotnet build src/NsqLookup -c Release -nologo >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench/footprint-ab.sh "$runs" "X=1 $work/aot/nsqlookupd" "X=1 src/NsqLookup/bin/Release/net10.0/nsqlookupd" |
  sed -e "s|X=1 $work/aot/nsqlookupd|native AOT|" -e "s|X=1 src/NsqLookup/bin/Release/net10.0/nsqlookupd|JIT (dotnet build -c Release)|"
echo "native executable: $(stat -c %s "$work/aot/nsqlookupd") bytes"
echo "machine: $(nproc) cores; load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
