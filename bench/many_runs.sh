#!/usr/bin/env bash
# A sweep's worth of runs: 1,000 runs x 10 metrics with 10 steps each (100,000 points) and
# with 1,000 steps each (10,000,000 points). Times `tracker runs` and `tracker show ONE_RUN`
# (median of 5, whole commands) on both databases and prints the ratios (100x the points),
# measured in one run.
# usage: bash bench/many_runs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q --bin tracker
tracker=./target/release/tracker
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # STEPS FILE
    python3 - "$1" "$2" <<'PY'
import math, sys
steps, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for r in range(1000):
        for s in range(steps):
            m = ", ".join(f'"m{k}": {math.exp(-s / (steps + 1)) + 0.001 * k:.6f}' for k in range(10))
            f.write(f'{{"run": "sweep/{r:04d}", "step": {s}, {m}}}\n')
PY
}
median() { sort -g | sed -n 3p; }
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    python3 -c "print($t1 - $t0)"
}
for steps in 10 1000; do
    gen "$steps" "$tmp/s$steps.jsonl"
    "$tracker" --db "$tmp/s$steps.db" import "$tmp/s$steps.jsonl" 2>/dev/null
    rm "$tmp/s$steps.jsonl"
    "$tracker" --db "$tmp/s$steps.db" runs --json | python3 -c '
import json, sys
runs = json.load(sys.stdin)
print(len(runs), "runs,", sum(r["points"] for r in runs), "points")'

done
declare -A t
for steps in 10 1000; do
    t[runs$steps]=$(for i in 1 2 3 4 5; do seconds "$tracker" --db "$tmp/s$steps.db" runs; done | median)
    t[show$steps]=$(for i in 1 2 3 4 5; do seconds "$tracker" --db "$tmp/s$steps.db" show sweep/0500; done | median)
done
printf '1,000 runs, 100,000 points:    runs %.3f s, show %.3f s\n' "${t[runs10]}" "${t[show10]}"
printf '1,000 runs, 10,000,000 points: runs %.3f s, show %.3f s\n' "${t[runs1000]}" "${t[show1000]}"
printf 'ratio (100x the points):       runs %.2fx, show %.2fx\n' \
    "$(python3 -c "print(${t[runs1000]} / ${t[runs10]})")" "$(python3 -c "print(${t[show1000]} / ${t[show10]})")"
