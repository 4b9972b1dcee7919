#!/usr/bin/env bash
# A/B of the registry micro-benchmarks (RegistryQueryBenchmarks: /lookup, /topics, /nodes, REGISTER's AddProducer;
# RegistryRemovePeerBenchmarks: a disconnect's detach and whole release) between two checkouts of this repository,
# rounds alternated (odd rounds A then B, even rounds B then A), BenchmarkDotNet's short job pinned to one core.
# Prints the median over the rounds of each benchmark's mean, the range, and the ratio B/A.
#   bench/registry-ab.sh ROUNDS DIR_A DIR_B
#   git worktree add /tmp/base <commit> && bench/registry-ab.sh 3 /tmp/base .
set -euo pipefail
set -f # FILTER holds BenchmarkDotNet globs, not file names
rounds=$1
a=$(cd "$2" && pwd)
b=$(cd "$3" && pwd)
CPU=${CPU:-1}
FILTER=${FILTER:-*Registry*} # one or more BenchmarkDotNet filters, space-separated
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for dir in "$a" "$b"; do
  dotnet build "$dir/bench/NsqLookup.Benchmarks" -c Release -nologo -v q >/dev/null
done

for round in $(seq 1 "$rounds"); do
  order=("$a" "$b")
  if [ $((round % 2)) -eq 0 ]; then order=("$b" "$a"); fi
  for dir in "${order[@]}"; do
    side=$([ "$dir" = "$a" ] && echo A || echo B)
    (cd "$work" && taskset -c "$CPU" dotnet "$dir/bench/NsqLookup.Benchmarks/bin/Release/net10.0/NsqLookup.Benchmarks.dll" \
      --filter $FILTER --artifacts "$work/$side-$round" >"$work/$side-$round.log" 2>&1)
    echo "round $round done: $side ($dir)" >&2
  done
done

python3 - "$work" "$rounds" "$a" "$b" <<'PY'
import csv, glob, statistics, sys
work, rounds, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
unit = {"ns": 1e-3, "us": 1.0, "μs": 1.0, "µs": 1.0, "ms": 1e3, "s": 1e6}
def micros(text):
    value, u = text.replace(",", "").split()
    return float(value) * unit[u]
res = {}  # (class, method, params) -> side -> [µs]
for side in "AB":
    for r in range(1, rounds + 1):
        for path in glob.glob(f"{work}/{side}-{r}/results/*-report.csv"):
            cls = path.split("/")[-1].split("-report")[0].split(".")[-1]
            for row in csv.DictReader(open(path, encoding="utf-8")):
                if row.get("Mean") in (None, "", "NA"):
                    continue
                key = (cls, row["Method"], f"Producers={row.get('Producers', '')}")
                res.setdefault(key, {}).setdefault(side, []).append(micros(row["Mean"]))
print(f"A = {a}\nB = {b}\nmean µs per operation, median of {rounds} rounds (min-max)\n")
print("| benchmark | A | B | B/A |")
print("| --- | --- | --- | --- |")
for (cls, method, params), by in sorted(res.items()):
    if "A" not in by or "B" not in by:
        continue
    ma, mb = statistics.median(by["A"]), statistics.median(by["B"])
    fmt = lambda v: f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
    print(f"| {cls}.{method} {params} | {fmt(by['A'])} | {fmt(by['B'])} | {mb / ma:.2f} |")
PY
