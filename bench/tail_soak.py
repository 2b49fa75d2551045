#!/usr/bin/env python3
"""Tail soak: replay ../shared/wild-logs into a fresh directory in random chunks (1-8192 bytes,
lines and records cut anywhere, files interleaved) while `tracker tail DIR` follows it, kill -9
tail halfway and start it again, then compare every point with a one-shot `tracker import` of
the final files. Prints the runs that differ (there should be none).

usage: bench/tail_soak.py TRACKER_BINARY [SEED]      (see bench/tail_soak.sh)
"""
import os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

tracker = sys.argv[1]
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "wild-logs")
work = tempfile.mkdtemp(prefix="tail-soak-")
dst = os.path.join(work, "logs")
db = os.path.join(work, "tail.db")
env = dict(os.environ, TRACKER_DB=db, NO_COLOR="1")

data = {}
for root, _, names in os.walk(src):
    for n in names:
        p = os.path.join(root, n)
        with open(p, "rb") as f:
            data[os.path.relpath(p, src)] = f.read()
pos = dict.fromkeys(data, 0)


def start():
    err = open(os.path.join(work, "tail.err"), "ab")
    return subprocess.Popen([tracker, "tail", dst], env=env, stdout=subprocess.DEVNULL, stderr=err)


tail = start()
killed = False
total = sum(len(d) for d in data.values())
written = 0
pending = sorted(data)
while pending:
    name = random.choice(pending)
    chunk = data[name][pos[name]:pos[name] + random.randint(1, 8192)]
    path = os.path.join(dst, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "ab") as out:
        out.write(chunk)
    pos[name] += len(chunk)
    written += len(chunk)
    if pos[name] >= len(data[name]):
        pending.remove(name)
    if not killed and written > total / 2:
        tail.send_signal(signal.SIGKILL)
        tail.wait()
        killed = True
        tail = start()
    time.sleep(0.0005)
time.sleep(2)
tail.send_signal(signal.SIGTERM)
tail.wait()

imported = os.path.join(work, "import.db")
subprocess.run([tracker, "--db", imported, "import", dst], env=env,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def points(path):
    rows = sqlite3.connect(path).execute(
        "SELECT r.name, m.name, p.step, p.value FROM points p JOIN runs r ON r.id = p.run_id "
        "JOIN metrics m ON m.id = p.metric_id").fetchall()
    runs = {}
    for run, metric, step, value in rows:
        runs.setdefault(run, {})[(metric, step)] = str(value)
    return runs


a, b = points(db), points(imported)
differ = 0
for run in sorted(set(a) | set(b)):
    x, y = a.get(run, {}), b.get(run, {})
    if x != y:
        differ += 1
        changed = sum(1 for k in set(x) & set(y) if x[k] != y[k])
        print(f"differs: {run}: tail {len(x)} points, import {len(y)}, "
              f"only tail {len(set(x) - set(y))}, only import {len(set(y) - set(x))}, "
              f"other values {changed}")
print(f"tail exit status {tail.returncode}; {total} bytes in {len(data)} files; "
      f"{len(set(a) | set(b))} runs, {differ} differ from import")
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if differ or tail.returncode != 0 else 0)
