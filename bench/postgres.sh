#!/usr/bin/env bash
# PostgreSQL against SQLite on the same data, as ratios measured in one run:
#   - importing the 1,000,000-point JSONL (10 runs x 10 metrics x 10,000 steps), median of 3;
#   - reading one 100,000-point series, and what the UI reads before its first frame
#     (bench/engines.rs), median of 5.
# The server: TRACKER_BENCH_PG=postgres://USER@HOST:PORT (it creates and drops a database
# there), else a private one started like CI's (.ci/pg.sh).
# usage: bash bench/postgres.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=bench/data/points_1m.jsonl
long=bench/data/series_100k.jsonl
mkdir -p bench/data
[ -f "$data" ] || python3 bench/gen_jsonl.py "$data"
[ -f "$long" ] || python3 -c '
import math, sys
with open(sys.argv[1], "w") as f:
    for s in range(100_000):
        f.write("{\"step\": %d, \"loss\": %.6f}\n" % (s, 2 * math.exp(-s / 30000) + 0.01 * math.sin(s)))
' "$long"
cargo build --release -q --bin tracker --example engines
if [ -n "${TRACKER_BENCH_PG:-}" ]; then
    server=${TRACKER_BENCH_PG%/}
else
    source .ci/pg.sh
    server=$PG_URL
fi
tmp=$(mktemp -d)
db=tracker_bench_$$
psql "$server/postgres" -qc "CREATE DATABASE $db"
trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; rm -rf "$tmp"; declare -F stop_pg >/dev/null && stop_pg' EXIT
pg="$server/$db"
tracker=./target/release/tracker
median() { sort -g | sed -n 2p; }
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    t1=$(date +%s.%N)
    python3 -c "print($t1 - $t0)"
}
sqlite_import() { rm -f "$tmp"/s.db*; seconds "$tracker" --db "$tmp/s.db" import --run r "$data"; }
pg_import() {
    psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    seconds "$tracker" --db "$pg" import --run r "$data"
}
s=$(for i in 1 2 3; do sqlite_import; done | median)
p=$(for i in 1 2 3; do pg_import; done | median)
printf 'import of 1,000,000 points: SQLite %.2f s, PostgreSQL %.2f s: PostgreSQL at %.2fx the SQLite rate\n' \
    "$s" "$p" "$(python3 -c "print($s / $p)")"
"$tracker" --db "$tmp/s.db" import --run long "$long" >/dev/null 2>&1
"$tracker" --db "$pg" import --run long "$long" >/dev/null 2>&1
./target/release/examples/engines "$tmp/s.db" "$pg" long loss
