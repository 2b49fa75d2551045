#!/usr/bin/env bash
# Imports every file of a corpus as a new user would (no --format) and compares what was kept
# with the counts written down before any import (expected.tsv: dir, file, kind, runs,
# metrics, points, notes; a row of "-" counts is listed but not scored).
#
# Usage: bash bench/corpus.sh [CORPUS_DIR ...]
#   default: tests/fixtures/corpus, and $TRACKER_CORPUS when set (the logs kept outside the
#   repository, laid out as tests/fixtures/corpus/ELSEWHERE.md says).
# Prints a Markdown table, then "files as expected N/M" and the share of expected points kept
# (a file's kept points count up to its expected points: extra points are not credit).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/tracker
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    dirs=(tests/fixtures/corpus)
    [ -n "${TRACKER_CORPUS:-}" ] && dirs+=("$TRACKER_CORPUS")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$work" "${dirs[@]}" <<'EOF'
import json, os, subprocess, sys

bin, work, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]

def tracker(db, *args):
    r = subprocess.run([bin, "--db", db, *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr

def kept(db):
    code, out, _ = tracker(db, "runs", "--json")
    if code != 0:
        return 0, 0, 0
    runs = json.loads(out)
    names, points = set(), 0
    for r in runs:
        code, out, _ = tracker(db, "show", "--json", r["name"])
        shown = json.loads(out)
        for m in shown.get("metrics", []):
            names.add(m["metric"])
        points += r["points"]
    return len(runs), len(names), points

rows, scored, good, exp_pts, kept_pts = [], 0, 0, 0, 0
for d in dirs:
    tsv = os.path.join(d, "expected.tsv")
    if not os.path.exists(tsv):
        print(f"{tsv}: no expected.tsv, skipped", file=sys.stderr)
        continue
    lines = open(tsv, encoding="utf-8").read().splitlines()
    for n, line in enumerate(lines[1:], 2):
        cols = line.split("\t")
        if len(cols) < 6:
            continue
        name, file, kind = cols[0], cols[1], cols[2]
        path = os.path.join(d, name, file)
        db = os.path.join(work, f"{len(rows)}.db")
        if not os.path.exists(path):
            rows.append((name, kind, "-", "missing", "-"))
            continue
        tracker(db, "import", path)
        got = kept(db)
        if "-" in cols[3:6]:
            rows.append((name, kind, "not counted", "/".join(map(str, got)), "-"))
            continue
        want = tuple(int(c) for c in cols[3:6])
        scored += 1
        ok = got == want
        good += ok
        exp_pts += want[2]
        kept_pts += min(got[2], want[2])
        rows.append((name, kind, "/".join(map(str, want)), "/".join(map(str, got)),
                     "yes" if ok else "no"))

print("| file | kind | expected runs/metrics/points | kept | as expected |")
print("|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
share = kept_pts / exp_pts if exp_pts else 0.0
print(f"files as expected {good}/{scored}, share of expected points kept "
      f"{100 * share:.1f}% ({kept_pts}/{exp_pts})")
EOF
