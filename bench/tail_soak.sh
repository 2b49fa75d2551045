#!/usr/bin/env bash
# Tail soak: the wild logs written in random chunks while `tracker tail` follows them (kill -9
# halfway), compared point by point with `tracker import` of the final files. Needs ../shared.
# usage: bench/tail_soak.sh [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q --bin tracker
target="${CARGO_TARGET_DIR:-target}"
python3 bench/tail_soak.py "$target/release/tracker" "${1:-1}"
