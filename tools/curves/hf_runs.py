"""Hugging Face Trainer runs on tiny randomly initialised models (no hub, no tokenizer).

Each run writes RUN_ID/trainer_state.json (the Trainer's own TrainerState.save_to_json, whose
log_history holds the train records {loss, grad_norm, learning_rate, epoch, step} and the eval
records {eval_loss, eval_accuracy, eval_f1, ...}).

Usage: python hf_runs.py [RUN_ID ...]
"""

import os
import shutil
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score
from transformers import (BertConfig, BertForSequenceClassification, GPT2Config, GPT2LMHeadModel,
                          Trainer, TrainingArguments, set_seed)
from transformers.utils import logging as hf_logging

import common
from common import run_dir, seed_all

hf_logging.set_verbosity_error()
LIB = "transformers"
VOCAB, SEQ = 64, 32
POS, NEG = list(range(2, 12)), list(range(12, 22))


class Seqs(torch.utils.data.Dataset):
    def __init__(self, ids, labels=None):
        self.ids = torch.tensor(ids, dtype=torch.long)
        self.labels = None if labels is None else torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        d = {"input_ids": self.ids[i], "attention_mask": torch.ones(SEQ, dtype=torch.long)}
        d["labels"] = self.ids[i] if self.labels is None else self.labels[i]
        return d


def count_task(n, seed, rule="majority"):
    """[CLS]=1 then 31 tokens from 2..63. 'majority': label 1 iff more tokens from POS than
    from NEG. 'rare': label 1 iff at least 5 tokens of {2,3,4,5} (about 5% of sequences)."""
    rng = np.random.RandomState(seed)
    toks = rng.randint(2, VOCAB, (n, SEQ - 1))
    ids = np.concatenate([np.ones((n, 1), int), toks], 1)
    if rule == "majority":
        y = (np.isin(toks, POS).sum(1) > np.isin(toks, NEG).sum(1)).astype(int)
    else:
        y = (np.isin(toks, [2, 3, 4, 5]).sum(1) >= 5).astype(int)
    return ids, y


def tiny_bert():
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=128, max_position_embeddings=SEQ, num_labels=2,
                     hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    return BertForSequenceClassification(cfg)


def clf_metrics(p):
    pred = p.predictions.argmax(-1)
    return {"accuracy": accuracy_score(p.label_ids, pred),
            "f1": f1_score(p.label_ids, pred, zero_division=0)}


def train(run_id, model, train_ds, eval_ds, seed, metrics=None, **args):
    tmp = tempfile.mkdtemp(prefix="hf_")
    defaults = dict(per_device_train_batch_size=32, per_device_eval_batch_size=256,
                    logging_steps=5, eval_strategy="steps", eval_steps=25, save_strategy="no",
                    report_to="none", disable_tqdm=True, use_cpu=True, seed=seed, data_seed=seed,
                    dataloader_num_workers=0, warmup_steps=0, weight_decay=0.0)
    defaults.update(args)
    targs = TrainingArguments(output_dir=tmp, **defaults)
    tr = Trainer(model=model, args=targs, train_dataset=train_ds, eval_dataset=eval_ds,
                 compute_metrics=metrics)
    tr.train()
    tr.state.save_to_json(str(run_dir(run_id) / "trainer_state.json"))
    shutil.rmtree(tmp, ignore_errors=True)


def bert_run(run_id, lr, seed=11, n_train=2000, epochs=8, noise=0.0, rule="majority", **args):
    seed_all(seed)
    set_seed(seed)
    Xtr, ytr = count_task(n_train, seed, rule)
    Xev, yev = count_task(600, seed + 1000, rule)
    if noise:
        ytr = common.noisy_labels(ytr, noise, 2, seed)  # binary: each picked label is flipped
    train(run_id, tiny_bert(), Seqs(Xtr, ytr), Seqs(Xev, yev), seed, clf_metrics,
          learning_rate=lr, num_train_epochs=epochs, **args)


def hf_bert_good_lr():
    bert_run("hf_bert_good_lr", 5e-4, warmup_steps=50)


def hf_bert_lr_too_small():
    bert_run("hf_bert_lr_too_small", 1e-7)


def hf_bert_lr_too_large():
    bert_run("hf_bert_lr_too_large", 5e-2, lr_scheduler_type="constant")


def hf_bert_majority_collapse():
    # 5% positives; short, modest-lr run with weight decay: the model answers "negative".
    bert_run("hf_bert_majority_collapse", 2e-4, rule="rare", weight_decay=0.1)


def hf_bert_overfit():
    # 160 training sequences, 60 epochs, no dropout would be too kind: the default 0.1 stays.
    bert_run("hf_bert_overfit", 1e-3, n_train=160, epochs=60, per_device_train_batch_size=16,
             logging_steps=10, eval_steps=25, lr_scheduler_type="constant")


def hf_bert_label_noise():
    # 35% of the training labels flipped; eval labels clean.
    bert_run("hf_bert_label_noise", 5e-4, noise=0.35, warmup_steps=50)


def arith_seqs(n, seed):
    """Token sequences x_{t+1} = (x_t + d) mod 60 + 2 with random start and step d in 1..5,
    one token in ten replaced by noise: an LM can learn it, never perfectly."""
    rng = np.random.RandomState(seed)
    start = rng.randint(0, 60, (n, 1))
    d = rng.randint(1, 6, (n, 1))
    x = (start + d * np.arange(SEQ)[None]) % 60 + 2
    noise = rng.rand(n, SEQ) < 0.1
    x[noise] = rng.randint(2, VOCAB, noise.sum())
    return x


def tiny_gpt2():
    cfg = GPT2Config(vocab_size=VOCAB, n_positions=SEQ, n_embd=64, n_layer=2, n_head=2,
                     bos_token_id=1, eos_token_id=1)
    return GPT2LMHeadModel(cfg)


def gpt2_run(run_id, lr, seed=12, epochs=6, **args):
    seed_all(seed)
    set_seed(seed)
    train(run_id, tiny_gpt2(), Seqs(arith_seqs(2000, seed)), Seqs(arith_seqs(400, seed + 1)),
          seed, None, learning_rate=lr, num_train_epochs=epochs, **args)


def hf_gpt2_cosine():
    gpt2_run("hf_gpt2_cosine", 1e-3, lr_scheduler_type="cosine", warmup_steps=40)


def hf_gpt2_cosine_restarts():
    gpt2_run("hf_gpt2_cosine_restarts", 1e-3, lr_scheduler_type="cosine_with_restarts",
             lr_scheduler_kwargs={"num_cycles": 3}, warmup_steps=20)


def hf_gpt2_lr_too_large():
    gpt2_run("hf_gpt2_lr_too_large", 1e-1, lr_scheduler_type="constant", max_grad_norm=1e9)


RUNS = [hf_bert_good_lr, hf_bert_lr_too_small, hf_bert_lr_too_large, hf_bert_majority_collapse,
        hf_bert_overfit, hf_bert_label_noise, hf_gpt2_cosine, hf_gpt2_cosine_restarts,
        hf_gpt2_lr_too_large]

if __name__ == "__main__":
    common.main(RUNS)
