#!/usr/bin/env bash
# A/B of startup (exec → first GET /ping 200), idle RSS (and its anonymous part) 2 s after ready and SIGTERM → exit, interleaving the
# binaries run by run so machine noise (other builds on a shared box) hits each alike; prints medians.
#   bench/footprint-ab.sh RUNS BIN_A [BIN_B ...]          (each BIN may be prefixed with env: "VAR=1 /path/bin")
# Loopback only; every daemon is stopped by PID by the probe.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=$1; shift
probe=$(mktemp -d)/footprint-probe
trap 'rm -rf "$(dirname "$probe")"' EXIT
gcc -O2 -o "$probe" bench/footprint-probe.c
out=$(mktemp)
for _ in $(seq 1 "$runs"); do
  for i in $(seq 1 $#); do
    spec=${!i}
    # shellcheck disable=SC2086 # the spec is "ENV=... /path/bin" on purpose
    prefix=; [ "${spec% *}" != "$spec" ] && prefix=${spec% *} # a spec without a space is a bare path
    line=$(env $prefix "$probe" -s "${SETTLE_MS:-2000}" -- "${spec##* }" --tcp-address=127.0.0.1:{tcp} \
      --http-address=127.0.0.1:{http} --log-level=warn ${EXTRA_ARGS:-} 2>/dev/null || true)
    echo "$i $line" >>"$out"
  done
done
. bench/lib.sh # median (the script runs from the repository root)
for i in $(seq 1 $#); do
  field() { awk -v i="$i" -v k="$1" '$1==i { for (f=2; f<=NF; f++) { split($f, kv, "="); if (kv[1]==k) print kv[2] } }' "$out"; }
  printf '%-32s startup %6.1f ms  rss %6.1f MiB (anon %5.1f)  exit %6.1f ms  (%d runs)\n' "${!i}" \
    "$(field startup_us | median | awk '{print $1/1000}')" "$(field rss_kb | median | awk '{print $1/1024}')" \
    "$(field rss_anon_kb | median | awk '{print $1/1024}')" \
    "$(field exit_us | median | awk '{print $1/1000}')" "$(field startup_us | wc -l)"
done
rm -f "$out"
