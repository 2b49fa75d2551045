"""PyTorch Lightning runs; each writes RUN_ID/version_0/metrics.csv (CSVLogger) + hparams.yaml.

train_loss is logged on_step and on_epoch (columns train_loss_step, train_loss_epoch); the
validation metrics once per epoch; runs with a schedule add LearningRateMonitor (lr-SGD).

Usage: python lit_runs.py [RUN_ID ...]
"""

import os
import shutil
import warnings

import lightning as L
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchmetrics
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import make_classification
from torch.utils.data import DataLoader, TensorDataset

import common
from common import OUT, seed_all
from torch_loops import TinyUNet, mlp, soft_dice_loss

warnings.filterwarnings("ignore")
import logging

logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

LIB = "lightning"


class Classifier(L.LightningModule):
    def __init__(self, d_in, hidden, n_classes, lr, opt="sgd", momentum=0.9, weight_decay=0.0,
                 sched=None, step_size=10, gamma=0.1, bias_init=None):
        super().__init__()
        self.save_hyperparameters()
        self.net = mlp(d_in, hidden, n_classes, bias_init=bias_init)
        task = "binary" if n_classes == 2 else "multiclass"
        kw = {} if n_classes == 2 else {"num_classes": n_classes, "average": "macro"}
        self.acc = torchmetrics.Accuracy(task=task, **({} if n_classes == 2 else {"num_classes": n_classes}))
        self.f1 = torchmetrics.F1Score(task=task, **kw)
        self.n_classes = n_classes

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        out = self(x)
        pred = out.argmax(1)
        self.acc.update(pred, y)
        self.f1.update(pred, y)
        self.log("val_loss", F.cross_entropy(out, y), on_epoch=True)
        self.log("val_acc", self.acc, on_epoch=True)
        self.log("val_f1", self.f1, on_epoch=True)

    def configure_optimizers(self):
        h = self.hparams
        if h.opt == "sgd":
            o = torch.optim.SGD(self.parameters(), lr=h.lr, momentum=h.momentum, weight_decay=h.weight_decay)
        else:
            o = torch.optim.Adam(self.parameters(), lr=h.lr, weight_decay=h.weight_decay)
        if h.sched == "step":
            return [o], [torch.optim.lr_scheduler.StepLR(o, h.step_size, h.gamma)]
        if h.sched == "cosine":
            s = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=self.trainer.estimated_stepping_batches)
            return [o], [{"scheduler": s, "interval": "step"}]
        if h.sched == "onecycle":
            s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=h.lr, total_steps=self.trainer.estimated_stepping_batches)
            return [o], [{"scheduler": s, "interval": "step"}]
        if h.sched == "plateau":
            s = torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.3, patience=3)
            return [o], [{"scheduler": s, "monitor": "val_loss"}]
        return o


def loaders(Xtr, ytr, Xva, yva, seed, batch=64):
    g = torch.Generator().manual_seed(seed)
    tr = TensorDataset(torch.tensor(Xtr), torch.tensor(ytr, dtype=torch.long))
    va = TensorDataset(torch.tensor(Xva), torch.tensor(yva, dtype=torch.long))
    return DataLoader(tr, batch_size=batch, shuffle=True, generator=g), DataLoader(va, batch_size=512)


def fit(run_id, module, train_dl, val_dl, epochs, seed, lr_monitor=None, log_every=5):
    d = OUT / run_id
    if d.exists():
        shutil.rmtree(d)
    logger = CSVLogger(save_dir=str(OUT), name=run_id, version=0)
    cbs = [LearningRateMonitor(logging_interval=lr_monitor)] if lr_monitor else []
    tr = L.Trainer(max_epochs=epochs, logger=logger, callbacks=cbs, accelerator="cpu", devices=1,
                   enable_checkpointing=False, enable_progress_bar=False,
                   enable_model_summary=False, deterministic=True, log_every_n_steps=log_every,
                   num_sanity_val_steps=0)
    tr.fit(module, train_dl, val_dl)


def digits_lit(run_id, lr, epochs=30, seed=21, hidden=(128, 64), noise=None, lr_monitor=None, **kw):
    L.seed_everything(seed, workers=True, verbose=False)
    seed_all(seed)
    Xtr, ytr, Xva, yva = common.digits(seed=seed)
    if noise:
        ytr = common.noisy_labels(ytr, noise, 10, seed)
    tr, va = loaders(Xtr, ytr, Xva, yva, seed)
    fit(run_id, Classifier(64, hidden, 10, lr, **kw), tr, va, epochs, seed, lr_monitor)


def lit_digits_good_lr():
    digits_lit("lit_digits_good_lr", 0.05)


def lit_digits_lr_too_small():
    digits_lit("lit_digits_lr_too_small", 1e-6)


def lit_digits_lr_too_large():
    digits_lit("lit_digits_lr_too_large", 0.4, epochs=40)


def lit_digits_dead_relu():
    digits_lit("lit_digits_dead_relu", 0.05, bias_init=-10.0)


def lit_digits_label_noise():
    digits_lit("lit_digits_label_noise", 1e-3, opt="adam", epochs=60, hidden=(256, 256), noise=0.4)


def lit_digits_step_decay():
    digits_lit("lit_digits_step_decay", 0.1, epochs=45, momentum=0.0, sched="step", step_size=15,
               lr_monitor="epoch")


def lit_digits_cosine():
    digits_lit("lit_digits_cosine", 0.1, epochs=40, momentum=0.0, sched="cosine", lr_monitor="step")


def lit_digits_onecycle():
    digits_lit("lit_digits_onecycle", 0.2, epochs=30, sched="onecycle", lr_monitor="step")


def lit_digits_plateau():
    # Adam at 3e-3 with ReduceLROnPlateau on val_loss: the lr falls in steps when val_loss stalls.
    digits_lit("lit_digits_plateau", 3e-3, opt="adam", epochs=45, sched="plateau", lr_monitor="epoch")


def lit_tabular_overfit():
    seed = 22
    L.seed_everything(seed, workers=True, verbose=False)
    seed_all(seed)
    X, y = make_classification(n_samples=2300, n_features=40, n_informative=8, n_redundant=4,
                               flip_y=0.05, class_sep=0.8, random_state=seed)
    X = X.astype(np.float32)
    tr, va = loaders(X[:300], y[:300], X[300:], y[300:], seed, batch=32)
    fit("lit_tabular_overfit", Classifier(40, (256, 256), 2, 1e-3, opt="adam"), tr, va, 100, seed)


def lit_imbalanced_majority_collapse():
    seed = 23
    L.seed_everything(seed, workers=True, verbose=False)
    seed_all(seed)
    Xtr, ytr, Xva, yva = common.imbalanced(seed=seed, minority=0.04, class_sep=0.2)
    tr, va = loaders(Xtr, ytr, Xva, yva, seed)
    fit("lit_imbalanced_majority_collapse",
        Classifier(20, (64,), 2, 0.05, weight_decay=0.05), tr, va, 30, seed)


class Segmenter(L.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = TinyUNet()

    def training_step(self, batch, _):
        x, m = batch
        out = self.net(x)
        loss = F.binary_cross_entropy_with_logits(out, m) + soft_dice_loss(out, m)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, m = batch
        out = self.net(x)
        loss = F.binary_cross_entropy_with_logits(out, m) + soft_dice_loss(out, m)
        p = (torch.sigmoid(out) > 0.5).float()
        inter = (p * m).sum((1, 2, 3))
        dice = ((2 * inter + 1e-6) / (p.sum((1, 2, 3)) + m.sum((1, 2, 3)) + 1e-6)).mean()
        self.log("val_loss", loss, on_epoch=True)
        self.log("val_dice", dice, on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def lit_seg_shapes_dice():
    seed = 24
    L.seed_everything(seed, workers=True, verbose=False)
    seed_all(seed)
    X, M = common.shapes(800, seed=seed)
    g = torch.Generator().manual_seed(seed)
    tr = DataLoader(TensorDataset(torch.tensor(X[:600]), torch.tensor(M[:600])), batch_size=32,
                    shuffle=True, generator=g)
    va = DataLoader(TensorDataset(torch.tensor(X[600:]), torch.tensor(M[600:])), batch_size=200)
    fit("lit_seg_shapes_dice", Segmenter(2e-3), tr, va, 25, seed)


RUNS = [lit_digits_good_lr, lit_digits_lr_too_small, lit_digits_lr_too_large, lit_digits_dead_relu,
        lit_digits_label_noise, lit_digits_step_decay, lit_digits_cosine, lit_digits_onecycle,
        lit_digits_plateau, lit_tabular_overfit, lit_imbalanced_majority_collapse,
        lit_seg_shapes_dice]

if __name__ == "__main__":
    common.main(RUNS)
