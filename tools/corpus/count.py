#!/usr/bin/env python3
"""Count what a user expects `tracker import` to keep from each corpus file.

Each counter reads the file by its own format, independently of tracker, and
returns (runs, metrics, points). points = (metric, step) values; the step
counter itself is not a metric; config/metadata/summaries are not points.

Usage: count.py KIND PATH [ARGS...]   prints runs<TAB>metrics<TAB>points
"""
import csv, io, json, math, re, sys
from collections import defaultdict


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


class Acc:
    """(run, metric) -> set of steps."""

    def __init__(self):
        self.d = defaultdict(set)

    def add(self, run, metric, step):
        self.d[(run, metric)].add(step)

    def result(self):
        runs = {r for r, _ in self.d}
        names = {m for _, m in self.d}
        points = sum(len(s) for s in self.d.values())
        return len(runs) or 0, len(names), points


def csv_wide(path, step_col=None, delimiter=",", comment=None):
    """Wide CSV: one row per step; step from step_col or the row index."""
    acc = Acc()
    with open(path, newline="", encoding="utf-8") as f:
        lines = [l for l in f if not (comment and l.startswith(comment))]
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    for i, row in enumerate(rows[1:]):
        if not row:
            continue
        step = i
        if step_col is not None:
            step = num(row[header.index(step_col)])
        for h, v in zip(header, row):
            if h == step_col:
                continue
            if num(v) is not None:
                acc.add(0, h, step)
    return acc.result()


def baselines_tables(path):
    """OpenAI-baselines/SB3 console tables: one | key | value | block per dump."""
    acc = Acc()
    step, inblock, section = -1, False, ""
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("---"):
            if not inblock:
                step += 1
            inblock = not inblock
            continue
        m = re.match(r"^\|\s*(.*?)\s*\|\s*(.*?)\s*\|$", s)
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if key.endswith("/") and val == "":
            section = key
            continue
        name = section + key if line.startswith("|    ") and section else key
        if num(val) is not None:
            acc.add(0, name, step)
    return acc.result()


KINDS = {
    "csv": lambda p, *a: csv_wide(p, *(a[:1] or [None])),
    "tsv": lambda p, *a: csv_wide(p, *(a[:1] or [None]), delimiter="\t"),
    "monitor": lambda p: csv_wide(p, None, comment="#"),
    "baselines-tables": baselines_tables,
}

if __name__ == "__main__":
    kind, path, *args = sys.argv[1:]
    print(*KINDS[kind](path, *args), sep="\t")
