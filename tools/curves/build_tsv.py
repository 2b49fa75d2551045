"""Write tests/fixtures/labelled/curves.tsv from manifest.py, checking every curve is there with
enough points. curve ids are assigned in a fixed shuffled order (seeded), so that neighbouring
ids do not come from the same run: the ids say nothing about the regime."""

import random
import sys

from common import OUT
from curves_io import finite, read_series
from manifest import RUNS

MIN_POINTS, MIN_EVAL_POINTS = 20, 10


def main():
    curves = [(run, lib, regime, f"{run}/{fname}", m) for run, lib, regime, fname, ms in RUNS for m in ms]
    order = list(range(len(curves)))
    random.Random(20250601).shuffle(order)
    rows, bad = [], []
    for cid, i in enumerate(order, 1):
        run, lib, regime, rel, metric = curves[i]
        path = OUT / rel
        if not path.exists():
            bad.append(f"{rel}: missing")
            continue
        pts = read_series(path, metric)
        need = MIN_EVAL_POINTS if lib == "transformers" and metric.startswith("eval_") else MIN_POINTS
        if len(finite(pts)) < need:
            bad.append(f"{rel} {metric}: {len(finite(pts))} finite points of {len(pts)}, need {need}")
        rows.append((f"c{cid:03d}", run, rel, metric, regime, lib, len(pts)))
    with open(OUT / "curves.tsv", "w") as fh:
        fh.write("curve_id\trun_id\tfile\tmetric\tregime\tlibrary\n")
        for r in rows:
            fh.write("\t".join(map(str, r[:6])) + "\n")
    print(f"{len(rows)} curves from {len({r[1] for r in rows})} runs -> {OUT / 'curves.tsv'}")
    for b in bad:
        print("PROBLEM:", b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
