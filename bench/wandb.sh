#!/usr/bin/env bash
# Import speed of a W&B transaction log: one run of 5 metrics x 200,000 steps logged offline.
#
#   bash bench/wandb.sh
#
# Once: a venv in tools/.venv-wandb with wandb, and the run logged offline into
# bench/data/wandb/ (reused when present; the time `wandb.log` took is printed when made).
# Then `tracker import` (release build) of the run directory into a fresh database, timed,
# and its stored points counted.
#
# The wandb package offers no offline reader of its own to compare with: from 0.19 on its
# Python side no longer ships `wandb/sdk/internal/datastore.py` (the log is read and written
# by its Go core, `wandb-core`), and `wandb sync` uploads rather than reads locally.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$repo/tools/.venv-wandb"
data="$here/data/wandb"
metrics=5 steps=200000
expected=$((metrics * steps))

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet wandb
fi
if ! ls "$data"/wandb/offline-run-*/run-*.wandb >/dev/null 2>&1; then
    mkdir -p "$data"
    (cd "$data" && WANDB_MODE=offline WANDB_SILENT=true "$venv/bin/python" - "$metrics" "$steps" <<'PY'
import sys, time, wandb
metrics, steps = int(sys.argv[1]), int(sys.argv[2])
settings = wandb.Settings(x_disable_meta=True, x_disable_stats=True, disable_git=True,
                          save_code=False, disable_code=True)
run = wandb.init(dir=".", project="bench", name="bench", settings=settings)
t = time.perf_counter()
for step in range(steps):
    wandb.log({f"m{k}": 1.0 / (1 + step + k) for k in range(metrics)}, step=step)
run.finish()
print(f"wandb.log of {metrics}x{steps} and finish: {time.perf_counter() - t:.1f} s", file=sys.stderr)
PY
    )
fi
dir="$(ls -d "$data"/wandb/offline-run-* | head -1)"
ls -l "$dir"/run-*.wandb

(cd "$repo" && cargo build --release --quiet)
db="$(mktemp -d)/bench.db"
start=$(date +%s.%N)
"$repo/target/release/tracker" import --db "$db" "$dir" 2>/dev/null
end=$(date +%s.%N)
points=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from points').fetchone()[0])" "$db")
echo "tracker import: $(python3 -c "print(f'{$end - $start:.2f}')") s, $points points stored (expected $expected)"
rm -rf "$(dirname "$db")"
