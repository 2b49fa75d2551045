#!/usr/bin/env bash
# Regenerate every run of the labelled-curve corpus into tests/fixtures/labelled/ and write
# curves.tsv. CPU only, no network at run time (only PyPI for the venv). ~11-18 min on 2 cores.
#   tools/curves/run_all.sh            # all runs, then curves.tsv
#   PLOTS=/tmp/curves-plots tools/curves/run_all.sh   # ... and the blind plots
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt

export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export CUBLAS_WORKSPACE_CONFIG=:4096:8 PYTHONWARNINGS=ignore
PYV=.venv/bin/python
mkdir -p .logs
start=$(date +%s)

# Two lanes, one per core (each script runs torch with one thread), balanced by measured time.
(
    $PYV sb3_runs.py sb3_ppo_cartpole_good sb3_a2c_cartpole_good sb3_a2c_cartpole_lr_too_large \
        sb3_dqn_cartpole_lr_too_large
    $PYV torch_loops.py
) > .logs/lane_a.log 2>&1 &
lane_a=$!
(
    $PYV sb3_runs.py sb3_ppo_cartpole_lr_too_small sb3_ppo_cartpole_lr_too_large \
        sb3_a2c_cartpole_high_ent_coef sb3_dqn_cartpole_good
    $PYV hf_runs.py
    $PYV lit_runs.py
    $PYV sk_runs.py
) > .logs/lane_b.log 2>&1 &
lane_b=$!

status=0
wait $lane_a || { echo "lane A failed, see tools/curves/.logs/lane_a.log"; status=1; }
wait $lane_b || { echo "lane B failed, see tools/curves/.logs/lane_b.log"; status=1; }
grep -h '^\[' .logs/lane_a.log .logs/lane_b.log || true
[ $status -eq 0 ] || exit $status

$PYV build_tsv.py
if [ -n "${PLOTS:-}" ]; then
    $PYV plot.py "$PLOTS"
fi
echo "generation took $(( $(date +%s) - start ))s"
