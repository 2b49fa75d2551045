#!/usr/bin/env python3
"""Count what a user expects `tracker import` to keep from each corpus file.

Each counter reads the file by its own format, independently of tracker, and
returns (runs, metrics, points). points = (metric, step) values; the step
counter itself is not a metric; config/metadata/summaries are not points.

Usage: count.py KIND PATH [ARGS...]   prints runs<TAB>metrics<TAB>points
"""
import csv, io, json, math, re, sys
from collections import defaultdict


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


class Acc:
    """(run, metric) -> set of steps."""

    def __init__(self):
        self.d = defaultdict(set)

    def add(self, run, metric, step):
        self.d[(run, metric)].add(step)

    def result(self):
        runs = {r for r, _ in self.d}
        names = {m for _, m in self.d}
        points = sum(len(s) for s in self.d.values())
        return len(runs) or 0, len(names), points


def csv_wide(path, step_col=None, delimiter=",", comment=None):
    """Wide CSV: one row per step; step from step_col or the row index."""
    acc = Acc()
    with open(path, newline="", encoding="utf-8") as f:
        lines = [l for l in f if not (comment and l.startswith(comment))]
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    for i, row in enumerate(rows[1:]):
        if not row:
            continue
        step = i
        if step_col is not None:
            step = num(row[header.index(step_col)])
        for h, v in zip(header, row):
            if h == step_col:
                continue
            if num(v) is not None:
                acc.add(0, h, step)
    return acc.result()


def baselines_tables(path):
    """OpenAI-baselines/SB3 console tables: one | key | value | block per dump."""
    acc = Acc()
    step, inblock, section = -1, False, ""
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("---"):
            if not inblock:
                step += 1
            inblock = not inblock
            continue
        m = re.match(r"^\|\s*(.*?)\s*\|\s*(.*?)\s*\|$", s)
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if key.endswith("/") and val == "":
            section = key
            continue
        name = section + key if line.startswith("|    ") and section else key
        if num(val) is not None:
            acc.add(0, name, step)
    return acc.result()


KINDS = {
    "csv": lambda p, *a: csv_wide(p, *(a[:1] or [None])),
    "tsv": lambda p, *a: csv_wide(p, *(a[:1] or [None]), delimiter="\t"),
    "monitor": lambda p: csv_wide(p, None, comment="#"),
    "baselines-tables": baselines_tables,
}



def _num_unit(s):
    """'3.04G' -> 3.04, '264375ms' -> 264375, '42.19%' -> 42.19; 'nanms' -> None."""
    m = re.fullmatch(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)([A-Za-z%]*)", s.strip())
    return num(m.group(1)) if m else None


def modded_nanogpt(path):
    """'step:N/M key:value ...' lines (val lines carry val_loss) and llm.c 's:N trl:X'."""
    acc = Acc()
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^(?:step|s):(\d+)(?:/\d+)?\s+(.*)$", line.rstrip("\n"))
        if not m:
            continue
        step = int(m.group(1))
        for k, v in re.findall(r"(\w+):(\S+)", m.group(2)):
            if _num_unit(v) is not None:
                acc.add(0, k, step)
    return acc.result()


def deepspeed_chat_sft(path):
    """DeepSpeed engine lines '[Rank 0] step=S, skipped=K, lr=[a, b]' (lr per param
    group, skipped; mom constants left out), timer lines 'global_step=S,
    RunningAvgSamplesPerSec=..., CurrSamplesPerSec=..., MemAllocated=..GB,
    MaxMemAllocated=..GB', and 'ppl: X' after the 'Evaluating perplexity, Epoch k/N'
    header (step = epoch k)."""
    acc = Acc()
    epoch = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.search(r"\[Rank 0\] step=(\d+), skipped=(\d+), lr=\[([^\]]*)\]", line)
        if m:
            s = int(m.group(1))
            acc.add(0, "skipped", s)
            for i, v in enumerate(m.group(3).split(",")):
                if num(v) is not None:
                    acc.add(0, f"lr_{i}", s)
            continue
        m = re.search(r"global_step=(\d+), (.*)$", line)
        if m:
            s = int(m.group(1))
            for k, v in re.findall(r"(\w+)=([^,\s]+)", m.group(2)):
                if _num_unit(v) is not None:
                    acc.add(0, k, s)
            continue
        m = re.search(r"Evaluating perplexity, Epoch (\d+)/\d+", line)
        if m:
            epoch = int(m.group(1))
            continue
        m = re.match(r"^ppl: (\S+)", line)
        if m and epoch is not None and num(m.group(1)) is not None:
            acc.add(0, "ppl", epoch)
    return acc.result()


def deepspeed_chat_rlhf(path):
    """'epoch: E|step: S|ppo_ep: P|act_loss: ...|cri_loss: ...|unsuper_loss: ...' then
    'average reward score: X' (same step) and the latency line (same step; the
    percentages in parentheses are shares of the E2E latency, left out). The two
    engines' '[Rank 0] step=' lines (actor and critic share names) are left out."""
    acc = Acc()
    step = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^epoch: (\d+)\|step: (\d+)\|(.*)$", line.rstrip("\n"))
        if m:
            step = int(m.group(2))
            for k, v in re.findall(r"(\w+): ([^|]+)", m.group(3)):
                if k != "ppo_ep" and num(v) is not None:
                    acc.add(0, k, step)
            continue
        if step is None:
            continue
        m = re.match(r"^average reward score: (\S+)", line)
        if m and num(m.group(1)) is not None:
            acc.add(0, "average reward score", step)
            continue
        if line.startswith("|E2E latency="):
            body = re.sub(r"\([^)]*\)", "", line)
            for k, v in re.findall(r"\|([A-Za-z2 ]+?)=\s*([^\s|]+)", body):
                if _num_unit(v) is not None:
                    acc.add(0, k.strip(), step)
    return acc.result()


KINDS.update({
    "modded-nanogpt": modded_nanogpt,
    "deepspeed-chat-sft": deepspeed_chat_sft,
    "deepspeed-chat-rlhf": deepspeed_chat_rlhf,
})




def yolov5_results_txt(path):
    """Old YOLOv5 results.txt: headerless rows '0/299 1.85G box obj cls total labels
    img_size P R mAP@.5 mAP@.5:.95 val_box val_obj val_cls'; the step is the epoch
    before the slash; gpu_mem ('1.85G') counts as a value; 14 columns."""
    names = ["gpu_mem", "box", "obj", "cls", "total", "labels", "img_size", "P", "R",
             "mAP@.5", "mAP@.5:.95", "val_box", "val_obj", "val_cls"]
    acc = Acc()
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if not parts or "/" not in parts[0]:
            continue
        step = int(parts[0].split("/")[0])
        for n, v in zip(names, parts[1:]):
            if _num_unit(v) is not None:
                acc.add(0, n, step)
    return acc.result()


def sacred_dir(path):
    """Sacred FileStorageObserver: RUN/metrics.json {name: {steps, values, timestamps}};
    every run directory with a metrics.json is a run."""
    import glob, os
    acc = Acc()
    files = [path] if path.endswith(".json") else glob.glob(os.path.join(path, "**", "metrics.json"), recursive=True)
    for f in files:
        run = os.path.dirname(f)
        for name, d in json.load(open(f)).items():
            for s, v in zip(d["steps"], d["values"]):
                if isinstance(v, (int, float)) and math.isfinite(v):
                    acc.add(run, name, s)
    return acc.result()


KINDS.update({"yolov5-results-txt": yolov5_results_txt, "sacred": sacred_dir})




def mmengine_scalars(path):
    """MMEngine vis_data JSON lines: train lines carry 'iter' (step = 'step'); others
    are validation (names kept apart with 'val/'; their 'step' is the epoch).
    'epoch', 'iter', 'step' are counters. A train step going backwards starts a new
    run (several launches appended to one scalars.json)."""
    acc = Acc()
    run, prev = 0, None
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        s = d.get("step")
        train = "iter" in d
        if train and prev is not None and s < prev:
            run += 1
        if train:
            prev = s
        for k, v in d.items():
            if k in ("epoch", "iter", "step") or isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            acc.add(run, k if train else "val/" + k, s)
    return acc.result()


def mmdet_log_json(path):
    """MMDetection 2.x *.log.json: first line env/config; then {"mode": "train"|"val",
    "epoch", "iter", ...}; train step = iteration counted across epochs is not in
    the file, so the step is (epoch, iter); val lines at (epoch)."""
    acc = Acc()
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        mode = d.get("mode")
        if mode not in ("train", "val"):
            continue
        step = (d.get("epoch"), d.get("iter")) if mode == "train" else (d.get("epoch"),)
        for k, v in d.items():
            if k in ("mode", "epoch", "iter") or isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            acc.add(0, k if mode == "train" else "val/" + k, step)
    return acc.result()


KINDS.update({"mmengine": mmengine_scalars, "mmdet-log-json": mmdet_log_json})




def keras_history(path):
    """Keras History.history dumped as JSON: {name: [v_epoch0, v_epoch1, ...]}."""
    acc = Acc()
    for name, vals in json.load(open(path, encoding="utf-8")).items():
        if isinstance(vals, list):
            for i, v in enumerate(vals):
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                    acc.add(0, name, i)
    return acc.result()


KINDS.update({"keras-history": keras_history})


if __name__ == "__main__":
    kind, path, *args = sys.argv[1:]
    print(*KINDS[kind](path, *args), sep="\t")
