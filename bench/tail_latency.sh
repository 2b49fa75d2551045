#!/usr/bin/env bash
# Tail latency: how long after a line is appended to a followed file it is committed and
# visible to a reader in another process. bench/tail_latency.rs starts `tracker tail` (release
# build), appends LINES JSONL lines at random intervals, polls the database every
# millisecond with its own connection, and prints p50/p90/p99/max. Lines come 2-30 ms apart by
# default (a busy log); --max-gap 500 spreads them like a job logging every few hundred ms.
# usage: bench/tail_latency.sh [LINES] [--poll] [--max-gap MS]     (LINES defaults to 600)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q --bin tracker --example tail_latency
target="${CARGO_TARGET_DIR:-target}"
"$target/release/examples/tail_latency" "$target/release/tracker" "${1:-600}" "${@:2}"
