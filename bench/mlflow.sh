#!/usr/bin/env bash
# Import speed of MLflow's local stores: MLflow's own reader against `tracker import`.
#
#   bash bench/mlflow.sh            # 1 round per store
#   ROUNDS=3 bash bench/mlflow.sh   # prints each round and the medians
#
# Once: the venv tools/.venv-mlflow with mlflow (as tools/fixtures/mlflow_stores.py uses), and
# two stores of 20 runs x 5 metrics x 20,000 steps (2,000,000 values each) written with
# MlflowClient.log_batch: a file store bench/data/mlflow/mlruns and a SQLite database
# bench/data/mlflow/mlflow.db (reused when present).
# Each round, per store: MlflowClient().get_metric_history(run_id, key) for every run and key
# (every value read), then `tracker import` of the store (release build) into a fresh database,
# whose stored points are counted (tracker's time includes its process start).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$repo/tools/.venv-mlflow"
data="$here/data/mlflow"
rounds="${ROUNDS:-1}"
runs=20 metrics=5 steps=20000
expected=$((runs * metrics * steps))
export MLFLOW_ALLOW_FILE_STORE=true

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import mlflow" 2>/dev/null; then
    echo "installing mlflow into $venv" >&2
    "$venv/bin/pip" install --quiet mlflow
fi
py="$venv/bin/python"

if [[ ! -f "$data/.complete" ]]; then
    echo "writing $expected values per store with MlflowClient.log_batch into $data (once)" >&2
    rm -rf "$data"
    mkdir -p "$data"
    "$py" - "$data" "$runs" "$metrics" "$steps" <<'PY'
import logging, math, sys, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient
data, runs, metrics, steps = sys.argv[1], *map(int, sys.argv[2:])
t0 = 1_700_000_000_000
for uri in (f"file:{data}/mlruns", f"sqlite:///{data}/mlflow.db"):
    c = MlflowClient(tracking_uri=uri)
    exp = c.create_experiment("bench")
    for r in range(runs):
        rid = c.create_run(exp, run_name=f"run{r:02d}").info.run_id
        batch = []
        for s in range(steps):
            for m in range(metrics):
                v = math.exp(-s / 4000) + 0.01 * m + 0.001 * r
                batch.append(Metric(f"train/m{m}", v, t0 + s, s))
            if len(batch) >= 1000 or s == steps - 1:
                c.log_batch(rid, metrics=batch)
                batch = []
        c.set_terminated(rid)
    print(f"  wrote {uri.split(':', 1)[0]} store", file=sys.stderr)
PY
    touch "$data/.complete"
fi

echo "building tracker (release)" >&2
(cd "$repo" && cargo build --release --quiet)
tracker="${CARGO_TARGET_DIR:-$repo/target}/release/tracker"

"$py" - "$data" "$tracker" "$rounds" "$expected" <<'PY'
import json, logging, os, statistics, subprocess, sys, tempfile, time, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
from mlflow.tracking import MlflowClient

data, tracker, rounds, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
stores = {"file store": (f"file:{data}/mlruns", f"{data}/mlruns"),
          "SQLite database": (f"sqlite:///{data}/mlflow.db", f"{data}/mlflow.db")}


def mlflow_read(uri):
    start = time.perf_counter()
    c = MlflowClient(tracking_uri=uri)
    points = 0
    for exp in c.search_experiments():
        for run in c.search_runs([exp.experiment_id], max_results=50000):
            for key in run.data.metrics:
                points += len(c.get_metric_history(run.info.run_id, key))
    return points, time.perf_counter() - start


def tracker_import(path):
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        subprocess.run([tracker, "--db", db, "import", path], check=True,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        out = subprocess.run([tracker, "--db", db, "runs", "--json"], check=True,
                             capture_output=True, text=True).stdout
        return sum(r["points"] for r in json.loads(out)), wall


for name, (uri, path) in stores.items():
    rows = []
    for i in range(1, rounds + 1):
        ml, tr = mlflow_read(uri), tracker_import(path)
        if ml[0] != expected or tr[0] != expected:
            sys.exit(f"{name}, round {i}: expected {expected} values, MLflow read {ml[0]}, "
                     f"tracker stored {tr[0]}")
        rows.append((ml[1], tr[1], ml[1] / tr[1]))
        print(f"{name}, round {i}: MLflow get_metric_history {ml[1]:.2f} s "
              f"({ml[0] / ml[1]:.0f} values/s)   tracker import {tr[1]:.2f} s "
              f"({tr[0] / tr[1]:.0f} values/s, stored)   ratio {ml[1] / tr[1]:.1f}x", flush=True)
    m = [statistics.median(r[k] for r in rows) for k in range(3)]
    print(f"{name}, median of {rounds}: MLflow {m[0]:.2f} s, tracker import {m[1]:.2f} s, "
          f"tracker {m[2]:.1f}x faster")
PY
