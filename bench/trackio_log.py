#!/usr/bin/env python3
"""Log the benchmark's JSONL data through trackio (the closest peer) and time it.

The file is read and parsed before the clock starts; the clock covers trackio.init, every
trackio.log call and trackio.finish (which waits until the data is stored in trackio's SQLite).

usage: trackio_log.py FILE.jsonl
"""
import json
import os
import sys
import tempfile
import time

path = sys.argv[1]
os.environ.setdefault("TRACKIO_DIR", tempfile.mkdtemp(prefix="trackio-bench-"))
import trackio  # noqa: E402  (TRACKIO_DIR must be set first)

runs = {}
with open(path) as f:
    for line in f:
        rec = json.loads(line)
        runs.setdefault(rec.pop("run"), []).append(rec)

points = sum(len(r) - 1 for recs in runs.values() for r in recs)
start = time.perf_counter()
for name, recs in runs.items():
    trackio.init(project="bench", name=name)
    for rec in recs:
        step = rec.pop("step")
        trackio.log(rec, step=step)
    trackio.finish()
secs = time.perf_counter() - start

# Check that the points were stored, not just queued.
import glob  # noqa: E402
import sqlite3  # noqa: E402

stored = 0
for db in glob.glob(os.path.join(os.environ["TRACKIO_DIR"], "*.db")):
    con = sqlite3.connect(db)
    for (metrics,) in con.execute("SELECT metrics FROM metrics"):
        stored += sum(1 for k in json.loads(metrics) if not k.startswith("_"))
print(f"trackio: {points} points in {secs:.2f} s: {points / secs:.0f} points/s ({stored} stored)")
