#!/usr/bin/env bash
# Import benchmark: 1,000,000 points (10 runs x 10 metrics x 10,000 steps, JSONL) through
#   - tracker import (release build), into a fresh database, with the idempotent key;
#   - bench/minimal_import.rs: serde_json + rusqlite into a WITHOUT ROWID table keyed by
#     (run, metric, step) (and with no key at all), the least a program can do;
#   - trackio, the closest peer (installed into bench/.venv).
# Each is run 3 times; the median is reported, and ratios are taken within this one run.
# usage: bench/import.sh [--no-trackio]
set -euo pipefail
cd "$(dirname "$0")/.."
data=bench/data/points_1m.jsonl
mkdir -p bench/data
[ -f "$data" ] || python3 bench/gen_jsonl.py "$data"
cargo build --release -q --bin tracker --example minimal_import
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | sed -n 2p; }

tracker_rate() {
    rm -f "$tmp"/t.db*
    local t0 t1
    t0=$(date +%s.%N)
    ./target/release/tracker --db "$tmp/t.db" import "$data" 2>/dev/null
    t1=$(date +%s.%N)
    python3 -c "print(1_000_000 / ($t1 - $t0))"
}
minimal_rate() {
    ./target/release/examples/minimal_import "$data" "$tmp/m.db" "$@" | sed 's/.*: \([0-9]*\) points\/s/\1/'
}

tr=$(for i in 1 2 3; do tracker_rate; done | median)
mk=$(for i in 1 2 3; do minimal_rate; done | median)
mn=$(for i in 1 2 3; do minimal_rate --no-key; done | median)
rm -f "$tmp"/t.db*
mem=$( { /usr/bin/time -f '%M' ./target/release/tracker --db "$tmp/t.db" import "$data" 2>&1 >/dev/null; } | tail -1)

printf 'tracker import:               %8.0f points/s (whole command, median of 3)\n' "$tr"
printf 'minimal, keyed (same run):    %8.0f points/s\n' "$mk"
printf 'minimal, no key (same run):   %8.0f points/s\n' "$mn"
printf 'tracker / minimal keyed:      %8.2f\n' "$(python3 -c "print($tr / $mk)")"
printf 'peak memory of tracker import: %s KB\n' "$mem"

if [ "${1:-}" != "--no-trackio" ]; then
    [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
    bench/.venv/bin/python -c "import trackio" 2>/dev/null || bench/.venv/bin/pip install -q trackio
    out=$(bench/.venv/bin/python bench/trackio_log.py "$data" 2>/dev/null | tail -1)
    echo "$out"
    tk=$(echo "$out" | sed 's/.*: \([0-9]*\) points\/s.*/\1/')
    printf 'tracker / trackio:            %8.2f\n' "$(python3 -c "print($tr / $tk)")"
fi
