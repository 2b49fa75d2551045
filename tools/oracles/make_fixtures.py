"""Reference values for the classifier's statistics, from the established Python
implementations. Run once; the JSON is committed and read by the Rust tests.

    python3 -m venv tools/oracles/.venv
    tools/oracles/.venv/bin/pip install -r tools/oracles/requirements.txt
    tools/oracles/.venv/bin/python tools/oracles/make_fixtures.py

Writes tests/fixtures/classify/oracles.json (relative to the crate root).
"""
import json
import math
import pathlib
import zlib

import numpy as np
import pandas as pd
import pymannkendall as mk
import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "classify" / "oracles.json"


def series():
    """Deterministic test series: noise, trends, ties, autocorrelation, zig-zags."""
    rng = np.random.default_rng(20240601)
    out = {}
    for n in (10, 25, 60, 150, 400):
        out[f"noise_{n}"] = rng.normal(size=n)
        t = np.arange(n)
        out[f"trend_{n}"] = 0.02 * t + rng.normal(scale=0.5, size=n)
        out[f"saturating_{n}"] = 1 - np.exp(-t / (n / 5)) + rng.normal(scale=0.03, size=n)
    for n in (12, 40, 100):
        out[f"ties_{n}"] = np.round(rng.normal(size=n) * 2) / 2
        out[f"ties_trend_{n}"] = np.round(np.arange(n) * 0.05 + rng.normal(size=n))
    x = 0.0
    ar = []
    for _ in range(200):
        x = 0.9 * x + rng.normal()
        ar.append(x)
    out["ar1_200"] = np.array(ar)
    out["zigzag_30"] = np.array([(-1) ** i * 0.3 + 0.01 * i for i in range(30)])
    out["seed_f1_healthy"] = np.array(
        [0.15, 0.35, 0.55, 0.68, 0.76, 0.82, 0.86, 0.88, 0.90, 0.91, 0.91])
    out["seed_f1_tradeoff"] = np.array(
        [0.15, 0.40, 0.55, 0.62, 0.58, 0.65, 0.55, 0.68, 0.52, 0.60, 0.58])
    return out


def steps_for(name, n):
    """Steps with gaps (Theil–Sen runs against steps, not indices)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    return np.cumsum(rng.integers(1, 6, size=n)).astype(float)


def f(v):
    v = float(v)
    return v if math.isfinite(v) else None


def main():
    cases = []
    for name, y in series().items():
        y = np.asarray(y, dtype=float)
        n = len(y)
        x = steps_for(name, n)
        orig = mk.original_test(y)
        hr = mk.hamed_rao_modification_test(y)
        ts = stats.theilslopes(y, x, alpha=0.95, method="separate")
        sen = mk.sens_slope(y)
        d = np.diff(y)
        case = {
            "name": name,
            "x": [float(v) for v in x],
            "y": [float(v) for v in y],
            "mk": {"s": f(orig.s), "var_s": f(orig.var_s), "z": f(orig.z), "p": f(orig.p),
                   "tau": f(orig.Tau)},
            "theilslopes": {"slope": f(ts.slope), "intercept": f(ts.intercept),
                            "low_slope": f(ts.low_slope), "high_slope": f(ts.high_slope)},
            "sens_slope": {"slope": f(sen.slope), "intercept": f(sen.intercept)},
            "median": f(np.median(y)),
            "percentiles": {str(q): f(np.percentile(y, q)) for q in (0, 10, 25, 50, 75, 90, 100)},
            "iqr": f(np.percentile(y, 75) - np.percentile(y, 25)),
            "mad_raw": f(stats.median_abs_deviation(y, scale=1.0)),
            "mad_normal": f(stats.median_abs_deviation(y, scale="normal")),
            "diff_noise": f(stats.median_abs_deviation(d, scale="normal") / np.sqrt(2)),
            "ema": {str(w): [f(v) for v in pd.Series(y).ewm(alpha=1 - w, adjust=True).mean()]
                    for w in (0.0, 0.3, 0.6, 0.9, 0.99)},
        }
        # Hamed–Rao is undefined (NaN or a negative variance) for some series in
        # pymannkendall; keep only well-defined references.
        if hr.var_s > 0 and math.isfinite(hr.z):
            case["hamed_rao"] = {"s": f(hr.s), "var_s": f(hr.var_s), "z": f(hr.z),
                                 "p": f(hr.p), "n_ns": f(hr.var_s / orig.var_s)}
        cases.append(case)
    doc = {
        "generated_by": "tools/oracles/make_fixtures.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                     "pandas": pd.__version__, "pymannkendall": mk.__version__},
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
