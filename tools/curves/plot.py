"""Blind plots for human judges: one PNG per curve (640x400), x = step, y = value, title = the
metric name only. No regime, run id or file name in the image or its file name.

Usage: python plot.py OUT_DIR [curves.tsv]
Writes OUT_DIR/<curve_id>.png and OUT_DIR/index.tsv (curve_id, metric)."""

import csv
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from common import OUT
from curves_io import read_series


def main():
    out = Path(sys.argv[1])
    tsv = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT / "curves.tsv"
    out.mkdir(parents=True, exist_ok=True)
    with open(tsv) as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    with open(out / "index.tsv", "w") as idx:
        idx.write("curve_id\tmetric\n")
        for r in rows:
            pts = read_series(tsv.parent / r["file"], r["metric"])
            xs = [x for x, _ in pts]
            ys = [y if y is not None else math.nan for _, y in pts]
            fig = plt.figure(figsize=(6.4, 4.0), dpi=100)
            ax = fig.add_subplot(111)
            ax.plot(xs, ys, "-", lw=1.2, marker="." if len(pts) <= 80 else None, ms=4)
            bad = [x for x, y in zip(xs, ys) if not math.isfinite(y)]
            if bad:  # NaN / inf points cannot be drawn: mark them along the top edge
                top = ax.get_ylim()[1]
                ax.plot(bad, [top] * len(bad), "x", color="red", ms=5, clip_on=False,
                        label="NaN / inf (not drawn)")
                ax.legend(loc="center left", fontsize=8)
            ax.set_title(r["metric"])
            ax.set_xlabel("step")
            ax.set_ylabel("value")
            ax.grid(alpha=0.3)
            fig.tight_layout()
            fig.savefig(out / f"{r['curve_id']}.png")
            plt.close(fig)
            idx.write(f"{r['curve_id']}\t{r['metric']}\n")
    print(f"{len(rows)} plots -> {out}")


if __name__ == "__main__":
    main()
