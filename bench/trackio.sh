#!/usr/bin/env bash
# Import speed of a trackio project database: trackio's own reader against `tracker import`.
#
#   bash bench/trackio.sh            # 1 round
#   ROUNDS=3 bash bench/trackio.sh   # prints each round and the medians
#
# Once: the venv bench/.venv with trackio, and a project database of 20 runs x 5 metrics x
# 20,000 steps (2,000,000 values) written with trackio's SQLiteStorage.bulk_log into
# bench/data/trackio (reused when present).
# Each round: SQLiteStorage.get_logs(project, run) for every run (every value read, its read
# cache emptied first), then `tracker import` of the database (release build) into a fresh
# database, whose stored points are counted (tracker's time includes its process start).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$here/.venv"
data="$here/data/trackio"
rounds="${ROUNDS:-1}"
runs=20 metrics=5 steps=20000
expected=$((runs * metrics * steps))

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import trackio" 2>/dev/null; then
    echo "installing trackio into $venv" >&2
    "$venv/bin/pip" install --quiet trackio
fi
py="$venv/bin/python"
export TRACKIO_DIR="$data"

if [[ ! -f "$data/.complete" ]]; then
    echo "writing $expected values with SQLiteStorage.bulk_log into $data (once)" >&2
    rm -rf "$data"
    mkdir -p "$data"
    "$py" - "$runs" "$metrics" "$steps" <<'PY'
import math, sys
from trackio.sqlite_storage import SQLiteStorage
runs, metrics, steps = map(int, sys.argv[1:])
for r in range(runs):
    for start in range(0, steps, 5000):
        chunk = range(start, min(start + 5000, steps))
        rows = [{f"train/m{m}": math.exp(-s / 4000) + 0.01 * m + 0.001 * r for m in range(metrics)}
                for s in chunk]
        SQLiteStorage.bulk_log("bench", f"run{r:02d}", rows, steps=list(chunk))
PY
    touch "$data/.complete"
fi

echo "building tracker (release)" >&2
(cd "$repo" && cargo build --release --quiet)
tracker="${CARGO_TARGET_DIR:-$repo/target}/release/tracker"

"$py" - "$data" "$tracker" "$rounds" "$expected" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, time
import trackio.sqlite_storage as storage
from trackio.sqlite_storage import SQLiteStorage

data, tracker, rounds, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db_path = str(SQLiteStorage.get_project_db_path("bench"))


def trackio_read():
    # get_logs keeps what it read in a cache: empty it so every round reads the database.
    storage._LOGS_READ_CACHE.clear()
    start = time.perf_counter()
    points = 0
    for run in SQLiteStorage.get_runs("bench"):
        for row in SQLiteStorage.get_logs("bench", run):
            points += sum(1 for k in row if k.startswith("train/"))
    return points, time.perf_counter() - start


def tracker_import():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        subprocess.run([tracker, "--db", db, "import", db_path], check=True,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        out = subprocess.run([tracker, "--db", db, "runs", "--json"], check=True,
                             capture_output=True, text=True).stdout
        return sum(r["points"] for r in json.loads(out)), wall


rows = []
for i in range(1, rounds + 1):
    tk, tr = trackio_read(), tracker_import()
    if tk[0] != expected or tr[0] != expected:
        sys.exit(f"round {i}: expected {expected} values, trackio read {tk[0]}, "
                 f"tracker stored {tr[0]}")
    rows.append((tk[1], tr[1], tk[1] / tr[1]))
    print(f"round {i}: trackio get_logs {tk[1]:.2f} s ({tk[0] / tk[1]:.0f} values/s)   "
          f"tracker import {tr[1]:.2f} s ({tr[0] / tr[1]:.0f} values/s, stored)   "
          f"ratio {tk[1] / tr[1]:.1f}x", flush=True)
m = [statistics.median(r[k] for r in rows) for k in range(3)]
print(f"median of {rounds}: trackio {m[0]:.2f} s, tracker import {m[1]:.2f} s, "
      f"tracker {m[2]:.1f}x faster")
PY
