"""scikit-learn runs trained epoch by epoch with partial_fit; each writes RUN_ID/metrics.jsonl.

Usage: python sk_runs.py [RUN_ID ...]
"""

import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

import common
from common import Jsonl, run_dir, seed_all

warnings.filterwarnings("ignore", category=ConvergenceWarning)
warnings.filterwarnings("ignore", category=RuntimeWarning)
LIB = "scikit-learn"


def epochs_loop(run_id, clf, data, epochs, binary=False, lr_fn=None, seed=0, batch_rows=None):
    """One partial_fit call per epoch over the (shuffled) training set; one JSONL line per epoch.
    step = number of training rows seen so far."""
    Xtr, ytr, Xva, yva = data
    classes = np.unique(np.concatenate([ytr, yva]))
    rng = np.random.RandomState(seed)
    log = Jsonl(run_dir(run_id) / "metrics.jsonl")
    seen = 0
    for ep in range(epochs):
        perm = rng.permutation(len(Xtr))
        clf.partial_fit(Xtr[perm], ytr[perm], classes=classes)
        seen += len(Xtr)
        rec = {"epoch": ep}
        with np.errstate(all="ignore"):
            if hasattr(clf, "loss_"):
                rec["train_loss"] = clf.loss_
            else:
                rec["train_loss"] = log_loss(ytr, _proba(clf, Xtr), labels=classes)
            p = _proba(clf, Xva)
            pred = clf.predict(Xva)
        rec["val_loss"] = log_loss(yva, p, labels=classes) if np.all(np.isfinite(p)) else float("nan")
        rec["val_acc"] = accuracy_score(yva, pred)
        rec["val_f1"] = f1_score(yva, pred, zero_division=0) if binary else \
            f1_score(yva, pred, average="macro", zero_division=0)
        if lr_fn is not None:
            rec["lr"] = lr_fn(clf)
        log.log(seen, **rec)
    log.close()


def _proba(clf, X):
    if hasattr(clf, "predict_proba"):
        return clf.predict_proba(X)
    raise ValueError


def digits(seed, noise=None):
    Xtr, ytr, Xva, yva = common.digits(seed=seed)
    if noise:
        ytr = common.noisy_labels(ytr, noise, 10, seed)
    return Xtr.astype(np.float64), ytr, Xva.astype(np.float64), yva


def sk_mlp_digits_good_lr():
    seed_all(31)
    clf = MLPClassifier((64,), solver="adam", learning_rate_init=1e-3, batch_size=64, random_state=31)
    epochs_loop("sk_mlp_digits_good_lr", clf, digits(31), 60, seed=31)


def sk_mlp_digits_lr_too_small():
    seed_all(32)
    clf = MLPClassifier((64,), solver="sgd", learning_rate_init=1e-6, momentum=0.9, batch_size=64,
                        random_state=32)
    epochs_loop("sk_mlp_digits_lr_too_small", clf, digits(32), 40, seed=32)


def sk_mlp_digits_lr_too_large():
    seed_all(33)
    clf = MLPClassifier((64,), solver="sgd", learning_rate_init=0.8, momentum=0.9, batch_size=64,
                        random_state=33)
    epochs_loop("sk_mlp_digits_lr_too_large", clf, digits(33), 40, seed=33)


def sk_mlp_digits_label_noise():
    seed_all(34)
    clf = MLPClassifier((256,), solver="adam", learning_rate_init=1e-3, alpha=0.0, batch_size=32,
                        random_state=34)
    epochs_loop("sk_mlp_digits_label_noise", clf, digits(34, noise=0.4), 80, seed=34)


def sk_mlp_tabular_overfit():
    seed_all(35)
    X, y = make_classification(n_samples=2300, n_features=40, n_informative=8, n_redundant=4,
                               flip_y=0.05, class_sep=0.8, random_state=35)
    clf = MLPClassifier((256, 256), solver="adam", learning_rate_init=1e-3, alpha=0.0,
                        batch_size=32, random_state=35)
    epochs_loop("sk_mlp_tabular_overfit", clf, (X[:300], y[:300], X[300:], y[300:]), 100,
                binary=True, seed=35)


def sgd_lr(clf):
    """The learning rate SGDClassifier used last, by its schedule and its update count t_."""
    t = max(clf.t_ - 1, 1)
    if clf.learning_rate == "constant":
        return clf.eta0
    if clf.learning_rate == "invscaling":
        return clf.eta0 / t ** clf.power_t
    if clf.learning_rate == "optimal":
        typw = np.sqrt(1.0 / np.sqrt(clf.alpha))
        eta0 = typw / max(1.0, 2 * typw)  # log-loss dloss bound
        optimal_init = 1.0 / (eta0 * clf.alpha)
        return 1.0 / (clf.alpha * (optimal_init + t - 1))
    return clf.eta0


def tabular(seed, flip_y, n=6000, sep=1.0):
    X, y = make_classification(n_samples=n, n_features=30, n_informative=10, n_redundant=5,
                               flip_y=flip_y, class_sep=sep, random_state=seed)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=seed)
    sc = StandardScaler().fit(Xtr)
    return sc.transform(Xtr), ytr, sc.transform(Xva), yva


def sk_sgd_tabular_good_lr():
    seed_all(36)
    clf = SGDClassifier(loss="log_loss", learning_rate="invscaling", eta0=0.01, power_t=0.5,
                        alpha=1e-4, random_state=36)
    epochs_loop("sk_sgd_tabular_good_lr", clf, tabular(36, 0.01), 40, binary=True, lr_fn=sgd_lr, seed=36)


def sk_sgd_tabular_label_noise():
    # make_classification's flip_y=0.4: 40% of labels (train and validation) are random.
    seed_all(37)
    clf = SGDClassifier(loss="log_loss", learning_rate="invscaling", eta0=0.01, power_t=0.5,
                        alpha=1e-4, random_state=37)
    epochs_loop("sk_sgd_tabular_label_noise", clf, tabular(37, 0.4), 40, binary=True, lr_fn=sgd_lr, seed=37)


def sk_sgd_tabular_lr_too_large():
    seed_all(38)
    clf = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=20.0, alpha=1e-6, random_state=38)
    epochs_loop("sk_sgd_tabular_lr_too_large", clf, tabular(38, 0.05, sep=0.7), 40, binary=True, seed=38)


def sk_sgd_imbalanced_majority_collapse():
    # 4% positives, weak signal, heavy L2 (alpha=0.5): the model predicts "negative" throughout.
    seed_all(39)
    data = common.imbalanced(seed=39, minority=0.04, class_sep=0.3, n=6000)
    clf = SGDClassifier(loss="log_loss", alpha=0.5, learning_rate="optimal", random_state=39)
    epochs_loop("sk_sgd_imbalanced_majority_collapse", clf, data, 40, binary=True, lr_fn=sgd_lr, seed=39)


RUNS = [sk_mlp_digits_good_lr, sk_mlp_digits_lr_too_small, sk_mlp_digits_lr_too_large,
        sk_mlp_digits_label_noise, sk_mlp_tabular_overfit, sk_sgd_tabular_good_lr,
        sk_sgd_tabular_label_noise, sk_sgd_tabular_lr_too_large, sk_sgd_imbalanced_majority_collapse]

if __name__ == "__main__":
    common.main(RUNS)
