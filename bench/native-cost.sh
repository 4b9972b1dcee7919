#!/usr/bin/env bash
# What the native binary costs, beside Go's nsqlookupd measured the same way: exec → first GET /ping answered 200,
# idle RSS and its anonymous part (RssAnon, /proc/PID/status) 2 s after ready, SIGTERM → exit when idle, and the
# executable's size. Medians of RUNS runs, the two binaries taken in turns (bench/footprint-ab.sh).
#   bench/native-cost.sh GO_NSQLOOKUPD [RUNS]   (GO_NSQLOOKUPD: path of the Go nsqlookupd to compare with; RUNS: 11)
# On a shared machine single runs move a lot: compare medians of one run, and note the load average printed at the end.
# Loopback only; every daemon it starts is stopped by PID (by the probe).
set -euo pipefail
go=${1:?usage: bench/native-cost.sh GO_NSQLOOKUPD [RUNS]}
runs=${2:-11}
[ -x "$go" ] || { echo "not an executable: $go" >&2; exit 2; }
go=$(realpath "$go")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish src/NsqLookup -c Release -r linux-x64 -o "$work/aot" -nologo >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$("$go" --version 2>&1 | head -1) vs $("$work/aot/nsqlookupd" --version | head -1)"
bench/footprint-ab.sh "$runs" "X=1 $work/aot/nsqlookupd" "X=1 $go" |
  sed -e "s|X=1 $work/aot/nsqlookupd|NsqLookup native AOT|" -e "s|X=1 $go|Go nsqlookupd|"
echo "executable: NsqLookup native $(stat -c %s "$work/aot/nsqlookupd") bytes, Go $(stat -c %s "$go") bytes"
echo "machine: $(nproc) cores, kernel $(uname -r); load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
