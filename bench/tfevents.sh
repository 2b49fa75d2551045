#!/usr/bin/env bash
# Import speed of TensorBoard event files: TensorBoard's own loader against `tracker import`.
#
#   bash bench/tfevents.sh            # 3 rounds, prints each and the medians
#   ROUNDS=5 bash bench/tfevents.sh
#
# Once: a venv in bench/.venv with tensorboard and tensorboardX, and 1,000,000 scalars written
# by tensorboardX into bench/data/ (10 runs x 10 tags x 10,000 steps; reused when present).
# Each round: TensorBoard's EventAccumulator (size_guidance scalars=0, Reload(), every point
# read) over each run, then `tracker import bench/data` (release build) into a fresh database,
# whose stored points are counted. Both are timed from the outside, process start included.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$here/.venv"
data="$here/data"
rounds="${ROUNDS:-3}"
runs=10 tags=10 steps=10000
expected=$((runs * tags * steps))

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv (tensorboard, tensorboardX)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet tensorboard tensorboardX
fi
py="$venv/bin/python"

if [[ ! -f "$data/.complete" ]]; then
    echo "writing $expected scalars with tensorboardX into $data (once)" >&2
    rm -rf "$data"
    "$py" - "$data" "$runs" "$tags" "$steps" <<'EOF'
import math, sys
from tensorboardX import SummaryWriter
data, runs, tags, steps = sys.argv[1], *map(int, sys.argv[2:])
for r in range(runs):
    w = SummaryWriter(f"{data}/run{r:02d}", max_queue=10000, flush_secs=3600)
    for s in range(steps):
        for t in range(tags):
            w.add_scalar(f"train/tag{t}", math.exp(-s / 2000) + 0.01 * t + 0.001 * r, s)
    w.close()
EOF
    touch "$data/.complete"
fi

echo "building tracker (release)" >&2
(cd "$repo" && cargo build --release --quiet)
tracker="${CARGO_TARGET_DIR:-$repo/target}/release/tracker"

tensorboard_round() {
    "$py" - "$data" <<'EOF'
import os, sys, time
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
root = sys.argv[1]
start = time.perf_counter()
points = 0
for run in sorted(os.listdir(root)):
    path = os.path.join(root, run)
    if not os.path.isdir(path):
        continue
    acc = EventAccumulator(path, size_guidance={"scalars": 0})
    acc.Reload()
    for tag in acc.Tags()["scalars"]:
        points += sum(1 for e in acc.Scalars(tag) if e.value is not None)
print(points, time.perf_counter() - start)
EOF
}

tracker_round() {
    local db
    db="$(mktemp -d)/bench.db"
    local start end
    start=$EPOCHREALTIME
    "$tracker" --db "$db" import "$data" 2>/dev/null
    end=$EPOCHREALTIME
    local stored
    stored=$("$tracker" --db "$db" runs --json |
        "$py" -c 'import json,sys; print(sum(r["points"] for r in json.load(sys.stdin)))')
    rm -rf "$(dirname "$db")"
    echo "$stored $(calc "$end - $start")"
}

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

tb_rates=() tr_rates=() ratios=()
for ((i = 1; i <= rounds; i++)); do
    read -r tb_points tb_secs < <(tensorboard_round)
    read -r tr_points tr_secs < <(tracker_round)
    if [[ "$tb_points" != "$expected" || "$tr_points" != "$expected" ]]; then
        echo "round $i: expected $expected points, TensorBoard read $tb_points, tracker stored $tr_points" >&2
        exit 1
    fi
    tb_rate=$(calc "$tb_points / $tb_secs")
    tr_rate=$(calc "$tr_points / $tr_secs")
    ratio=$(calc "$tr_rate / $tb_rate")
    printf 'round %d: TensorBoard %8.0f points/s (%.2f s)   tracker import %9.0f points/s (%.2f s, stored)   ratio %.1fx\n' \
        "$i" "$tb_rate" "$tb_secs" "$tr_rate" "$tr_secs" "$ratio"
    tb_rates+=("$tb_rate") tr_rates+=("$tr_rate") ratios+=("$ratio")
done
printf 'median of %d: TensorBoard EventAccumulator %.0f points/s, tracker import %.0f points/s, ratio %.1fx\n' \
    "$rounds" "$(median "${tb_rates[@]}")" "$(median "${tr_rates[@]}")" "$(median "${ratios[@]}")"
