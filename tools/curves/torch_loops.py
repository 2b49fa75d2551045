"""Plain PyTorch training loops; each writes RUN_ID/metrics.jsonl (one JSON object per line).

Usage: python torch_loops.py [RUN_ID ...]   (no argument: every run)
"""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification, make_moons, make_regression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

import common
from common import Jsonl, run_dir, seed_all

LIB = "pytorch"


def mlp(d_in, hidden, d_out, bias_init=None):
    layers, d = [], d_in
    for h in hidden:
        lin = nn.Linear(d, h)
        if bias_init is not None:
            nn.init.constant_(lin.bias, bias_init)
        layers += [lin, nn.ReLU()]
        d = h
    layers.append(nn.Linear(d, d_out))
    return nn.Sequential(*layers)


def grad_norm(model):
    sq = [p.grad.detach().pow(2).sum() for p in model.parameters() if p.grad is not None]
    return torch.stack(sq).sum().sqrt().item() if sq else 0.0


def evaluate(model, Xv, yv, binary_f1):
    model.eval()
    with torch.no_grad():
        out = model(Xv)
        loss = F.cross_entropy(out, yv).item()
        pred = out.argmax(1)
    model.train()
    acc = (pred == yv).float().mean().item()
    p, t = pred.numpy(), yv.numpy()
    f1 = f1_score(t, p, zero_division=0) if binary_f1 else f1_score(t, p, average="macro", zero_division=0)
    return loss, acc, f1


def train_classifier(run_id, data, model, opt, epochs, batch=64, sched=None, step_every=None,
                     log_lr=False, log_grad=False, binary_f1=False, seed=0):
    """Mini-batch training with cross-entropy. One line per epoch with the validation metrics;
    with step_every, extra lines every step_every steps holding the train loss of that batch."""
    Xtr, ytr, Xva, yva = data
    Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
    ytr, yva = torch.tensor(ytr, dtype=torch.long), torch.tensor(yva, dtype=torch.long)
    d = run_dir(run_id)
    log = Jsonl(d / "metrics.jsonl")
    g = torch.Generator().manual_seed(seed)
    step = 0
    for ep in range(epochs):
        perm = torch.randperm(len(Xtr), generator=g)
        tot, n, gn = 0.0, 0, []
        for i in range(0, len(Xtr), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn.append(grad_norm(model))
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
            n += len(idx)
            if step_every and step % step_every == 0:
                rec = {"train_loss": loss.item()}
                if log_lr:
                    rec["lr"] = opt.param_groups[0]["lr"]
                log.log(step, **rec)
        lr_now = opt.param_groups[0]["lr"]
        if sched is not None:
            sched.step()
        vl, va, vf = evaluate(model, Xva, yva, binary_f1)
        rec = {"epoch": ep, "train_loss": tot / n, "val_loss": vl, "val_acc": va, "val_f1": vf}
        if log_lr:
            rec["lr"] = lr_now
        if log_grad:
            rec["grad_norm"] = float(np.mean(gn))
        if step_every:
            rec["train_loss_epoch"] = rec.pop("train_loss")
        log.log(step, **rec)
    log.close()


# ---------------------------------------------------------------- the runs


def digits_run(run_id, lr, opt="sgd", epochs=40, hidden=(128, 64), seed=1, **kw):
    seed_all(seed)
    data = common.digits(seed=seed, n_train=kw.pop("n_train", None))
    if "noise" in kw:
        Xtr, ytr, Xva, yva = data
        data = (Xtr, common.noisy_labels(ytr, kw.pop("noise"), 10, seed), Xva, yva)
    model = mlp(64, hidden, 10, bias_init=kw.pop("bias_init", None))
    if opt == "sgd":
        o = torch.optim.SGD(model.parameters(), lr=lr, momentum=kw.pop("momentum", 0.9),
                            weight_decay=kw.pop("wd", 0.0))
    else:
        o = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=kw.pop("wd", 0.0))
    sched = kw.pop("sched", None)
    if sched is not None:
        sched = sched(o)
    train_classifier(run_id, data, model, o, epochs, sched=sched, seed=seed, **kw)


def pt_digits_good_lr():
    digits_run("pt_digits_good_lr", 0.05, epochs=40, log_grad=True)


def pt_digits_lr_too_small():
    digits_run("pt_digits_lr_too_small", 1e-6, epochs=40, log_grad=True)


def pt_digits_lr_too_large_dead():
    # SGD with momentum at lr 1.5: the loss blows up in the first epoch, after which every ReLU
    # is dead and the net sits at chance.
    digits_run("pt_digits_lr_too_large_dead", 1.5, epochs=30, step_every=4, log_grad=True)


def pt_digits_lr_too_large_sgd():
    # SGD with momentum at lr 0.5: learns for a few epochs, then bounces and degrades.
    digits_run("pt_digits_lr_too_large_sgd", 0.5, epochs=50, log_grad=True)


def pt_digits_lr_too_large_adam():
    # Adam at lr 0.1: stays finite but bounces from epoch to epoch.
    digits_run("pt_digits_lr_too_large_adam", 0.1, opt="adam", epochs=50, log_grad=True)


def pt_digits_dead_relu():
    # Every hidden bias starts at -10: no unit ever fires, only the output bias learns.
    digits_run("pt_digits_dead_relu", 0.05, epochs=40, bias_init=-10.0, log_grad=True)


def pt_tabular_overfit():
    # 300 training rows of a 40-feature task with 5% flipped labels, a 256x256 MLP, Adam, no
    # regularisation, 120 epochs: train loss goes to ~0 while validation loss turns up.
    seed_all(6)
    X, y = make_classification(n_samples=2300, n_features=40, n_informative=8, n_redundant=4,
                               flip_y=0.05, class_sep=0.8, random_state=6)
    X = X.astype(np.float32)
    model = mlp(40, (256, 256), 2)
    o = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_classifier("pt_tabular_overfit", (X[:300], y[:300], X[300:], y[300:]), model, o, 120,
                     batch=32, binary_f1=True, seed=6)


def pt_digits_overfit():
    # 150 training images, a wide MLP, Adam, no regularisation, 150 epochs.
    digits_run("pt_digits_overfit", 1e-3, opt="adam", epochs=150, hidden=(512, 512), n_train=150)


def pt_digits_label_noise():
    # 45% of training labels replaced with a wrong class; validation labels are clean.
    digits_run("pt_digits_label_noise", 1e-3, opt="adam", epochs=100, hidden=(256, 256), noise=0.45)


def pt_digits_step_decay():
    digits_run("pt_digits_step_decay", 0.1, epochs=60, momentum=0.0, log_lr=True,
               sched=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=15, gamma=0.1))


def pt_digits_cosine():
    def warm_cos(o, warm=5, total=60):
        f = lambda e: (e + 1) / warm if e < warm else 0.5 * (1 + math.cos(math.pi * (e - warm) / (total - warm)))
        return torch.optim.lr_scheduler.LambdaLR(o, f)
    digits_run("pt_digits_cosine", 0.1, epochs=60, momentum=0.0, log_lr=True, sched=warm_cos,
               step_every=10)


def pt_imbalanced_majority_collapse():
    # 5% positives, weak signal, strong weight decay: the net settles on "always negative".
    seed_all(2)
    data = common.imbalanced(seed=2, minority=0.05, class_sep=0.25)
    model = mlp(20, (64,), 2)
    o = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=0.05)
    train_classifier("pt_imbalanced_majority_collapse", data, model, o, 40, binary_f1=True,
                     log_grad=True, seed=2)


def pt_moons_good_lr():
    seed_all(3)
    X, y = make_moons(3000, noise=0.25, random_state=3)
    Xtr, Xva, ytr, yva = train_test_split(X.astype(np.float32), y, test_size=0.3, random_state=3)
    model = mlp(2, (32, 32), 2)
    o = torch.optim.Adam(model.parameters(), lr=3e-3)
    train_classifier("pt_moons_good_lr", (Xtr, ytr, Xva, yva), model, o, 40, binary_f1=True,
                     step_every=10, seed=3)


def regression_run(run_id, model_kind, lr, momentum, steps=400, every=5, seed=7, ramp_to=None):
    """MSE regression on make_regression (standardised). lr for the linear model is given as a
    multiple of 1/lambda_max of the input covariance (plain SGD is unstable above ~1)."""
    seed_all(seed)
    X, y = make_regression(n_samples=2000, n_features=20, n_informative=10, noise=10, random_state=seed)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
    y = ((y - y.mean()) / y.std()).astype(np.float32)
    Xt, yt, Xv, yv = map(torch.tensor, (X[:1500], y[:1500], X[1500:], y[1500:]))
    if model_kind == "linear":
        Xa = torch.cat([Xt, torch.ones(len(Xt), 1)], 1)
        lr = lr / torch.linalg.eigvalsh(Xa.T @ Xa / len(Xa)).max().item()
        model = nn.Linear(20, 1)
    else:
        model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))
    o = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    log = Jsonl(run_dir(run_id) / "metrics.jsonl")
    g = torch.Generator().manual_seed(seed)
    for step in range(1, steps + 1):
        if ramp_to is not None:  # linear warm-up from lr to ramp_to over the whole run
            for pg in o.param_groups:
                pg["lr"] = lr + (ramp_to - lr) * (step - 1) / (steps - 1)
        idx = torch.randint(0, len(Xt), (64,), generator=g)
        loss = F.mse_loss(model(Xt[idx]).squeeze(1), yt[idx])
        o.zero_grad()
        loss.backward()
        gn = grad_norm(model)
        o.step()
        if step % every == 0:
            with torch.no_grad():
                vl = F.mse_loss(model(Xv).squeeze(1), yv).item()
            log.log(step, train_loss=loss.item(), val_loss=vl, grad_norm=gn, lr=o.param_groups[0]["lr"])
    log.close()


def pt_regression_good_lr():
    regression_run("pt_regression_good_lr", "mlp", 0.05, 0.9)


def pt_regression_lr_too_large_diverge():
    # Linear model, plain SGD at 1.0/lambda_max: the loss grows geometrically to inf.
    regression_run("pt_regression_lr_too_large_diverge", "linear", 1.0, 0.0, steps=300)


def pt_regression_lr_edge_spiky():
    # Linear model, plain SGD at 0.9/lambda_max: on the edge of stability, loss spikes and recovers.
    regression_run("pt_regression_lr_edge_spiky", "linear", 0.9, 0.0)


def pt_regression_lr_too_large_nan():
    # MLP, SGD with momentum 0.9, lr warmed up linearly from 0.01 to 1.0 (stable only below
    # ~0.25): the loss falls, then blows up and is NaN from then on (the loop does not stop).
    regression_run("pt_regression_lr_too_large_nan", "mlp", 0.01, 0.9, steps=400, ramp_to=1.0)


def pt_gan_ring():
    """A tiny GAN on a ring of 8 gaussians: noisy generator / discriminator losses."""
    seed_all(4)
    G = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    D = nn.Sequential(nn.Linear(2, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64), nn.LeakyReLU(0.2),
                      nn.Linear(64, 1))
    og = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    data = torch.tensor(common.gaussian_ring(200_000, seed=4))
    log = Jsonl(run_dir("pt_gan_ring") / "metrics.jsonl")
    bce = nn.BCEWithLogitsLoss()
    B = 128
    for step in range(1, 3001):
        real = data[torch.randint(0, len(data), (B,))]
        fake = G(torch.randn(B, 4))
        dr, df = D(real), D(fake.detach())
        d_loss = bce(dr, torch.ones_like(dr)) + bce(df, torch.zeros_like(df))
        od.zero_grad()
        d_loss.backward()
        od.step()
        dg = D(fake)
        g_loss = bce(dg, torch.ones_like(dg))
        og.zero_grad()
        g_loss.backward()
        og.step()
        if step % 25 == 0:
            with torch.no_grad():
                d_real = torch.sigmoid(dr).mean().item()
                d_fake = torch.sigmoid(df).mean().item()
            log.log(step, d_loss=d_loss.item(), g_loss=g_loss.item(), d_real=d_real, d_fake=d_fake)
    log.close()


class TinyUNet(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.e1 = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1), nn.ReLU())
        self.e2 = nn.Sequential(nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU())
        self.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.d1 = nn.Sequential(nn.Conv2d(2 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, 1, 1))

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        return self.d1(torch.cat([a, self.up(b)], 1))


def dice_score(logits, mask, eps=1e-6):
    p = (torch.sigmoid(logits) > 0.5).float()
    inter = (p * mask).sum((1, 2, 3))
    return ((2 * inter + eps) / (p.sum((1, 2, 3)) + mask.sum((1, 2, 3)) + eps)).mean().item()


def soft_dice_loss(logits, mask, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * mask).sum((1, 2, 3))
    return (1 - (2 * inter + eps) / (p.sum((1, 2, 3)) + mask.sum((1, 2, 3)) + eps)).mean()


def seg_run(run_id, lr, epochs=30, seed=5):
    seed_all(seed)
    X, M = shapes(600 + 200, seed=seed)
    Xtr, Mtr, Xva, Mva = map(torch.tensor, (X[:600], M[:600], X[600:], M[600:]))
    model = TinyUNet()
    o = torch.optim.Adam(model.parameters(), lr=lr)
    log = Jsonl(run_dir(run_id) / "metrics.jsonl")
    g = torch.Generator().manual_seed(seed)
    step = 0
    for ep in range(epochs):
        perm = torch.randperm(600, generator=g)
        tot = 0.0
        for i in range(0, 600, 32):
            idx = perm[i:i + 32]
            out = model(Xtr[idx])
            loss = F.binary_cross_entropy_with_logits(out, Mtr[idx]) + soft_dice_loss(out, Mtr[idx])
            o.zero_grad()
            loss.backward()
            o.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = (F.binary_cross_entropy_with_logits(out, Mva) + soft_dice_loss(out, Mva)).item()
            dice = dice_score(out, Mva)
            p = (torch.sigmoid(out) > 0.5).float()
            inter = (p * Mva).sum((1, 2, 3))
            union = ((p + Mva) > 0).float().sum((1, 2, 3))
            iou = ((inter + 1e-6) / (union + 1e-6)).mean().item()
        model.train()
        log.log(step, epoch=ep, train_loss=tot / 600, val_loss=vl, dice=dice, iou=iou)
    log.close()


def shapes(n, seed):
    return common.shapes(n, seed=seed)


def pt_seg_shapes_dice():
    seg_run("pt_seg_shapes_dice", 3e-3, epochs=30)


def pt_seg_shapes_lr_too_small():
    seg_run("pt_seg_shapes_lr_too_small", 1e-6, epochs=25)


RUNS = [
    pt_digits_good_lr, pt_digits_lr_too_small, pt_digits_lr_too_large_dead,
    pt_digits_lr_too_large_sgd, pt_digits_lr_too_large_adam, pt_digits_dead_relu,
    pt_tabular_overfit, pt_digits_overfit, pt_digits_label_noise, pt_digits_step_decay,
    pt_digits_cosine, pt_imbalanced_majority_collapse, pt_moons_good_lr, pt_regression_good_lr,
    pt_regression_lr_too_large_diverge, pt_regression_lr_edge_spiky, pt_regression_lr_too_large_nan,
    pt_gan_ring, pt_seg_shapes_dice, pt_seg_shapes_lr_too_small,
]

if __name__ == "__main__":
    common.main(RUNS)
