#!/usr/bin/env python3
"""Merge blind judgments into tests/fixtures/labelled/labels.tsv (the rule: LABELS.md).

Usage: labels.py OUT FIRST.tsv[,MORE.tsv] SECOND.tsv[,MORE.tsv] [THIRD.tsv[,MORE.tsv]]
Each judgment file has the columns curve_id, verdict, confidence, reason (as the judges
wrote them); a comma joins the files of one judgment (the curves shared among judges).
"""
import csv, sys

VERDICTS = {"healthy", "stagnant", "oscillating", "diverging", "insufficient_data"}


def read(spec):
    out = {}
    for path in spec.split(","):
        with open(path) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                v = row["verdict"].strip().lower()
                if v not in VERDICTS:
                    sys.exit(f"{path}: curve {row['curve_id']}: unknown verdict {v!r}")
                out[row["curve_id"].strip()] = v
    return out


def main():
    out_path, *specs = sys.argv[1:]
    judgments = [read(s) for s in specs]
    first, second = judgments[0], judgments[1]
    third = judgments[2] if len(judgments) > 2 else {}
    missing = sorted(set(first) ^ set(second))
    if missing:
        sys.exit(f"the first two judgments do not cover the same curves: {missing}")
    rows = []
    for cid in sorted(first):
        a, b, c = first[cid], second[cid], third.get(cid, "")
        if a == b:
            label, rule = a, "agreed"
        elif c and c in (a, b):
            label, rule = c, "third judgment"
        elif c:
            label, rule = "disputed", "three different judgments"
        else:
            label, rule = "pending", "needs a third judgment"
        rows.append((cid, a, b, c, label, rule))
    with open(out_path, "w") as f:
        f.write("curve_id\tjudge_1\tjudge_2\tjudge_3\tlabel\trule\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    agreed = sum(r[5] == "agreed" for r in rows)
    print(f"{len(rows)} curves: {agreed} agreed by the first two judgments; "
          f"{sum(r[4] == 'pending' for r in rows)} need a third; "
          f"{sum(r[4] == 'disputed' for r in rows)} disputed")


main()
