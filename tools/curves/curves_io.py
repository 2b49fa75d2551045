"""Read one metric of one native log file as (x, y) points. Standard library only."""

import csv
import json
import math


def _f(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def read_series(path, metric):
    path = str(path)
    pts = []
    if path.endswith(".jsonl"):
        with open(path) as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if metric in rec:
                        pts.append((rec["step"], _f(rec[metric])))
    elif path.endswith("trainer_state.json"):
        with open(path) as fh:
            for rec in json.load(fh)["log_history"]:
                if metric in rec:
                    pts.append((rec["step"], _f(rec[metric])))
    elif path.endswith("monitor.csv"):
        # SB3 Monitor: a '#{...}' header line, then r,l,t per episode; x = env steps so far.
        with open(path) as fh:
            fh.readline()
            steps = 0
            for row in csv.DictReader(fh):
                steps += int(float(row["l"]))
                pts.append((steps, _f(row[metric])))
    elif path.endswith("progress.csv"):
        with open(path) as fh:
            for row in csv.DictReader(fh):
                if row.get(metric, "") != "":
                    pts.append((int(float(row["time/total_timesteps"])), _f(row[metric])))
    elif path.endswith("metrics.csv"):  # Lightning CSVLogger
        with open(path) as fh:
            for row in csv.DictReader(fh):
                if row.get(metric, "") != "":
                    pts.append((int(row["step"]), _f(row[metric])))
    else:
        raise ValueError(f"unknown log format: {path}")
    return pts


def finite(pts):
    return [(x, y) for x, y in pts if y is not None and math.isfinite(y)]
