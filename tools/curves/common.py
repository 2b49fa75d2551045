"""Shared helpers for the labelled-curve corpus: seeding, output paths, JSONL logging, data."""

import sys
import json
import math
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = Path(os.environ.get("CURVES_OUT", REPO / "tests" / "fixtures" / "labelled"))


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    try:
        import torch

        torch.manual_seed(seed)
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True, warn_only=True)
    except ImportError:
        pass


def run_dir(run_id, fresh=True):
    d = OUT / run_id
    if fresh and d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _num(v):
    """A value as a training script would log it: plain float, 6 significant digits."""
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return v  # json writes NaN / Infinity, as Python's json module does by default
    return float(f"{v:.6g}")


class Jsonl:
    """metrics.jsonl: one JSON object per logging call, {"step": N, name: value, ...}."""

    def __init__(self, path):
        self.f = open(path, "w")

    def log(self, step, **metrics):
        rec = {"step": int(step)}
        rec.update({k: _num(v) for k, v in metrics.items()})
        self.f.write(json.dumps(rec) + "\n")

    def close(self):
        self.f.close()


class Timer:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.t = time.time()
        return self

    def __exit__(self, *a):
        print(f"[{self.name}] {time.time() - self.t:.1f}s", flush=True)


def main(runs):
    """Run the functions of `runs` named on the command line (all of them when none is)."""
    want = set(sys.argv[1:])
    for fn in runs:
        if not want or fn.__name__ in want:
            with Timer(fn.__name__):
                fn()


# ---------------------------------------------------------------- data (all bundled / generated)


def digits(seed=0, n_train=None, val_frac=0.3):
    """scikit-learn's bundled 8x8 digits, scaled to [0, 1], split train/val (stratified)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=val_frac, random_state=seed, stratify=y)
    if n_train is not None:
        Xtr, ytr = Xtr[:n_train], ytr[:n_train]
    return Xtr, ytr, Xva, yva


def noisy_labels(y, frac, n_classes, seed):
    """Replace a fraction of labels with a different, uniformly drawn class."""
    rng = np.random.RandomState(seed)
    y = y.copy()
    idx = rng.choice(len(y), int(frac * len(y)), replace=False)
    y[idx] = (y[idx] + rng.randint(1, n_classes, len(idx))) % n_classes
    return y


def imbalanced(seed=0, n=4000, minority=0.05, class_sep=0.25, n_features=20):
    """Binary task, minority class `minority` share, weak signal: the regime of majority collapse."""
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    X, y = make_classification(
        n_samples=n, n_features=n_features, n_informative=3, n_redundant=2,
        weights=[1 - minority, minority], class_sep=class_sep, flip_y=0.0, random_state=seed,
    )
    X = X.astype(np.float32)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    return Xtr, ytr, Xva, yva


def shapes(n, size=32, seed=0):
    """Synthetic segmentation: noisy images with random discs and rectangles; mask = shapes."""
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    imgs = np.zeros((n, 1, size, size), np.float32)
    masks = np.zeros((n, 1, size, size), np.float32)
    for i in range(n):
        m = np.zeros((size, size), bool)
        for _ in range(rng.randint(1, 4)):
            if rng.rand() < 0.5:
                cx, cy, r = rng.randint(4, size - 4), rng.randint(4, size - 4), rng.randint(3, 8)
                m |= (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
            else:
                x0, y0 = rng.randint(0, size - 8), rng.randint(0, size - 8)
                w, h = rng.randint(4, 12), rng.randint(4, 12)
                m[y0:y0 + h, x0:x0 + w] = True
        bg = rng.uniform(0.2, 0.5)
        fg = bg + rng.uniform(0.15, 0.4)
        img = np.where(m, fg, bg) + rng.normal(0, 0.18, (size, size))
        imgs[i, 0] = img
        masks[i, 0] = m
    return imgs, masks


def gaussian_ring(n, seed, modes=8, radius=2.0, std=0.05):
    rng = np.random.RandomState(seed)
    k = rng.randint(0, modes, n)
    ang = 2 * np.pi * k / modes
    c = np.stack([radius * np.cos(ang), radius * np.sin(ang)], 1)
    return (c + rng.normal(0, std, (n, 2))).astype(np.float32)
