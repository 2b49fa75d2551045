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
# whose stored points are counted (tracker's time includes its process start).
#
# Wall time is the headline. CPU time (user + sys: of the loading alone for TensorBoard, of the
# whole process for tracker) is printed beside it: on a machine shared with other jobs the short
# tracker run suffers more from contention than TensorBoard's long one.
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
    "$py" - "$data" "$runs" "$tags" "$steps" <<'PY'
import math, sys
from tensorboardX import SummaryWriter
data, runs, tags, steps = sys.argv[1], *map(int, sys.argv[2:])
for r in range(runs):
    w = SummaryWriter(f"{data}/run{r:02d}", max_queue=10000, flush_secs=3600)
    for s in range(steps):
        for t in range(tags):
            w.add_scalar(f"train/tag{t}", math.exp(-s / 2000) + 0.01 * t + 0.001 * r, s)
    w.close()
PY
    touch "$data/.complete"
fi

echo "building tracker (release)" >&2
(cd "$repo" && cargo build --release --quiet)
tracker="${CARGO_TARGET_DIR:-$repo/target}/release/tracker"

"$py" - "$data" "$tracker" "$rounds" "$expected" <<'PY'
import json, os, resource, statistics, subprocess, sys, tempfile, time
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

data, tracker, rounds, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def tensorboard():
    wall, cpu = time.perf_counter(), time.process_time()
    points = 0
    for run in sorted(os.listdir(data)):
        path = os.path.join(data, run)
        if not os.path.isdir(path):
            continue
        acc = EventAccumulator(path, size_guidance={"scalars": 0})
        acc.Reload()
        for tag in acc.Tags()["scalars"]:
            points += sum(1 for e in acc.Scalars(tag) if e.value is not None)
    return points, time.perf_counter() - wall, time.process_time() - cpu


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tracker_import():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        wall, cpu = time.perf_counter(), children_cpu()
        subprocess.run([tracker, "--db", db, "import", data], check=True,
                       stderr=subprocess.DEVNULL)
        wall, cpu = time.perf_counter() - wall, children_cpu() - cpu
        runs = subprocess.run([tracker, "--db", db, "runs", "--json"], check=True,
                              capture_output=True, text=True).stdout
        return sum(r["points"] for r in json.loads(runs)), wall, cpu


rows = []
for i in range(1, rounds + 1):
    tb, tr = tensorboard(), tracker_import()
    if tb[0] != expected or tr[0] != expected:
        sys.exit(f"round {i}: expected {expected} points, TensorBoard read {tb[0]}, "
                 f"tracker stored {tr[0]}")
    tb_rate, tr_rate = tb[0] / tb[1], tr[0] / tr[1]
    tb_cpu, tr_cpu = tb[0] / tb[2], tr[0] / tr[2]
    rows.append((tb_rate, tr_rate, tr_rate / tb_rate, tb_cpu, tr_cpu, tr_cpu / tb_cpu))
    print(f"round {i}: TensorBoard {tb_rate:8.0f} points/s ({tb[1]:.2f} s)   "
          f"tracker import {tr_rate:9.0f} points/s ({tr[1]:.2f} s, stored)   "
          f"ratio {tr_rate / tb_rate:.1f}x   (per CPU second: {tr_cpu / tb_cpu:.1f}x)",
          flush=True)
m = [statistics.median(r[k] for r in rows) for k in range(6)]
print(f"median of {rounds}: TensorBoard EventAccumulator {m[0]:.0f} points/s, "
      f"tracker import {m[1]:.0f} points/s, ratio {m[2]:.1f}x")
print(f"  per CPU second: TensorBoard {m[3]:.0f} points, tracker {m[4]:.0f} points, "
      f"ratio {m[5]:.1f}x")
PY
