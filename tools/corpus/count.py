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



def hf_trainer_state(path):
    """Hugging Face Trainer trainer_state.json: log_history entries, step = 'step';
    'epoch', 'step' are counters; the closing summary entry (train_runtime,
    train_loss, total_flos, ...) is a summary, not points."""
    acc = Acc()
    for e in json.load(open(path, encoding="utf-8"))["log_history"]:
        if "train_runtime" in e:
            continue
        s = e.get("step")
        for k, v in e.items():
            if k in ("epoch", "step") or isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if math.isfinite(v):
                acc.add(0, k, s)
    return acc.result()


def lightning_csv(path):
    """PyTorch Lightning CSVLogger metrics.csv: wide rows, step = 'step' (or the row
    epoch if there is none, as in the old test-tube logger, else the row index);
    'epoch', 'step' and
    'created_at' are counters/timestamps; train and val rows at one step merge."""
    acc = Acc()
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for i, row in enumerate(rows[1:]):
        d = dict(zip(header, row))
        step = num(d["step"]) if "step" in d else num(d["epoch"]) if "epoch" in d else i
        for k, v in d.items():
            if k in ("epoch", "step", "created_at"):
                continue
            if num(v) is not None:
                acc.add(0, k, step)
    return acc.result()


def _varint(b, i):
    r = shift = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return r, i


def _fields(b):
    """Protobuf wire fields of one message: [(field, wiretype, value)]."""
    import struct
    out, i = [], 0
    while i < len(b):
        key, i = _varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = _varint(b, i)
        elif w == 1:
            v = struct.unpack("<d", b[i:i + 8])[0]; i += 8
        elif w == 2:
            n, i = _varint(b, i)
            v = b[i:i + n]; i += n
        elif w == 5:
            v = struct.unpack("<f", b[i:i + 4])[0]; i += 4
        else:
            raise ValueError("wire type %d" % w)
        out.append((f, w, v))
    return out


def _tb_scalar(value_fields):
    """Scalar of one Summary.Value: simple_value (2), or a rank-0 float/double/int
    tensor (8) under the scalars plugin; histograms, images, text are not scalars."""
    import struct
    plugin = None
    for f, w, v in value_fields:
        if f == 9 and w == 2:  # SummaryMetadata.plugin_data.plugin_name
            for f2, w2, v2 in _fields(v):
                if f2 == 1 and w2 == 2:
                    for f3, w3, v3 in _fields(v2):
                        if f3 == 1 and w3 == 2:
                            plugin = v3.decode()
    for f, w, v in value_fields:
        if f == 2 and w == 5:
            return v
        if f == 8 and w == 2 and plugin in (None, "scalars"):
            t = _fields(v)
            dtype = next((v2 for f2, w2, v2 in t if f2 == 1), 0)
            shape = next((v2 for f2, w2, v2 in t if f2 == 2), b"")
            if any(f2 == 2 for f2, _, _ in _fields(shape)):
                return None  # has dims: not rank 0
            for f2, w2, v2 in t:
                if f2 == 4 and dtype == 1 and len(v2) == 4:
                    return struct.unpack("<f", v2)[0]
                if f2 == 4 and dtype == 2 and len(v2) == 8:
                    return struct.unpack("<d", v2)[0]
                if f2 == 5:
                    return v2 if w2 == 5 else struct.unpack("<f", v2[:4])[0]
                if f2 == 6:
                    return v2 if w2 == 1 else struct.unpack("<d", v2[:8])[0]
    return None


def tfevents(path):
    """TensorBoard event files (TFRecord of Event protos, read without TensorFlow):
    every directory holding event files is a run; step = Event.step; scalar
    summaries only (see _tb_scalar); the tag is the metric name; the tag 'epoch'
    (Lightning's epoch counter) is a counter, not a metric."""
    import glob, os, struct
    files = [path] if os.path.isfile(path) else sorted(
        glob.glob(os.path.join(path, "**", "*tfevents*"), recursive=True))
    acc = Acc()
    for fn in files:
        run = os.path.dirname(fn)
        b = open(fn, "rb").read()
        i = 0
        while i + 12 <= len(b):
            n = struct.unpack("<Q", b[i:i + 8])[0]
            data = b[i + 12:i + 12 + n]
            i += 12 + n + 4
            ev = _fields(data)
            step = next((v for f, w, v in ev if f == 2 and w == 0), 0)
            for f, w, v in ev:
                if f != 5 or w != 2:
                    continue
                for f2, w2, val in _fields(v):
                    if f2 != 1:
                        continue
                    vf = _fields(val)
                    tag = next((x.decode() for f3, w3, x in vf if f3 == 1 and w3 == 2), None)
                    x = _tb_scalar(vf)
                    if tag == "epoch":
                        continue  # Lightning's epoch counter logged as a scalar
                    if tag is not None and x is not None and math.isfinite(x):
                        acc.add(run, tag, step)
    return acc.result()


def mlflow_file_store(path):
    """MLflow file store (mlruns/): every EXP/RUN/meta.yaml is a run (counted even
    without metrics, given as the first figure); RUN/metrics/NAME (names may hold
    '/', kept as subdirectories) has lines 'timestamp value step'; a (metric, step)
    logged twice counts once; params/ and tags/ are not points."""
    import glob, os
    acc = Acc()
    runs = set()
    for meta in glob.glob(os.path.join(path, "**", "meta.yaml"), recursive=True):
        rd = os.path.dirname(meta)
        if ".trash" in rd.split(os.sep) or "run_id:" not in open(meta).read():
            continue  # an experiment's meta.yaml, or a deleted run
        runs.add(rd)
        md = os.path.join(rd, "metrics")
        for root, _, fns in os.walk(md):
            for fn in fns:
                name = os.path.relpath(os.path.join(root, fn), md)
                for line in open(os.path.join(root, fn), encoding="utf-8"):
                    parts = line.split()
                    if len(parts) >= 2 and num(parts[1]) is not None:
                        acc.add(rd, name, int(parts[2]) if len(parts) > 2 else 0)
    _, m, p = acc.result()
    return len(runs), m, p


KINDS.update({
    "hf-trainer-state": hf_trainer_state,
    "lightning-csv": lightning_csv,
    "tfevents": tfevents,
    "mlflow-file-store": mlflow_file_store,
})



def _wandb_records(fn):
    """Records of a W&B run-*.wandb datastore: 7-byte header ':W&B' magic version,
    then LevelDB-log blocks of 32 KiB holding chunks (crc32 u32, length u16, type
    u8: 1 full, 2 first, 3 middle, 4 last); a block tail under 7 bytes is padding."""
    import struct
    b = open(fn, "rb").read()
    assert b[:4] == b":W&B", fn
    i, buf = 7, b""
    while i + 7 <= len(b):
        left = 32768 - i % 32768
        if left < 7:
            i += left
            continue
        _, n, t = struct.unpack("<IHB", b[i:i + 7])
        data = b[i + 7:i + 7 + n]
        i += 7 + n
        if t == 0 and n == 0:
            continue
        if t == 1:
            yield data
        elif t == 2:
            buf = data
        elif t == 3:
            buf += data
        elif t == 4:
            yield buf + data
            buf = b""


def wandb_binary(path):
    """W&B run-*.wandb: Record.history (field 2) items (key 1, nested_key 2,
    value_json 16); the step is the '_step' item (or HistoryStep.num); names
    starting with '_' (_step, _runtime, _timestamp, _wandb) are not metrics; values
    that are not finite JSON numbers (media, histograms, strings) are not points.
    A run is one .wandb file."""
    import glob, os
    files = [path] if os.path.isfile(path) else sorted(
        glob.glob(os.path.join(path, "**", "*.wandb"), recursive=True))
    acc = Acc()
    for fn in files:
        for rec in _wandb_records(fn):
            for f, w, v in _fields(rec):
                if f != 2 or w != 2:
                    continue
                items, step = {}, None
                for f2, w2, v2 in _fields(v):
                    if f2 == 1:
                        it = _fields(v2)
                        key = next((x.decode() for f3, _, x in it if f3 == 1), None)
                        nested = [x.decode() for f3, _, x in it if f3 == 2]
                        vj = next((x.decode() for f3, _, x in it if f3 == 16), None)
                        name = "/".join(nested) if nested else key
                        items[name] = vj
                    elif f2 == 2:
                        step = next((x for f3, _, x in _fields(v2) if f3 == 1), 0)
                if "_step" in items:
                    step = int(json.loads(items["_step"]))
                for k, vj in items.items():
                    if k.startswith("_") or vj is None:
                        continue
                    try:
                        x = json.loads(vj)
                    except ValueError:
                        continue
                    if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
                        acc.add(fn, k, step)
    return acc.result()


def wandb_history_jsonl(path):
    """Old W&B (< 0.10) RUN/wandb-history.jsonl: one JSON object per log call,
    step = '_step' (else the line index); keys starting with '_' are not metrics;
    nested dicts (media, histograms) are not points. A run is one history file."""
    import glob, os
    files = [path] if os.path.isfile(path) else sorted(
        glob.glob(os.path.join(path, "**", "wandb-history.jsonl"), recursive=True))
    acc = Acc()
    for fn in files:
        for i, line in enumerate(open(fn, encoding="utf-8")):
            if not line.strip():
                continue
            d = json.loads(line)
            step = d.get("_step", i)
            for k, v in d.items():
                if k.startswith("_") or isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                if math.isfinite(v):
                    acc.add(fn, k, step)
    return acc.result()


KINDS.update({"wandb-binary": wandb_binary, "wandb-history-jsonl": wandb_history_jsonl})



def olmo_console(path):
    """OLMo trainer console: a header line '... INFO\t[step=N/M,epoch=E]' and, under
    it, indented 'name=value' lines (thousands separators '2,097,152' allowed) up to
    the next unindented line; step = N. The 'Pre-train system metrics' block has no
    step and gives no points. Each 'Starting training...' begins a new run."""
    acc = Acc()
    run, step = -1, None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if "Starting training..." in line:
            run += 1
        m = re.search(r"\t\[step=(\d+)/\d+(?:,epoch=\d+)?\]$", line)
        if m:
            step = int(m.group(1))
            continue
        if not line.startswith("    "):
            if not line.startswith(" "):
                step = None
            continue
        m = re.match(r"^    (\S.*?)=([-+0-9.,eE]+|nan|inf|-inf)$", line)
        if m and step is not None:
            v = num(m.group(2).replace(",", ""))
            if v is not None:
                acc.add(max(run, 0), m.group(1), step)
    return acc.result()


def nanogpt_console(path):
    """nanoGPT train.py console: 'iter N: loss X, time Tms, mfu M%' (loss, time (ms),
    mfu (%) at N; 'mfu -100.00%' is nanoGPT's not-yet-measured placeholder and not a
    point) and 'step N: train loss X, val loss Y' (train loss, val loss at N);
    'loss nan' is no point. A step going backwards starts a new run."""
    acc = Acc()
    run, prev = 0, None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^iter (\d+): loss (\S+), time ([-0-9.]+)ms, mfu ([-0-9.]+)%", line)
        if m:
            s = int(m.group(1))
            if prev is not None and s < prev:
                run += 1
            prev = s
            for name, v in (("loss", m.group(2)), ("time", m.group(3)), ("mfu", m.group(4))):
                x = num(v)
                if x is None or (name == "mfu" and x == -100.0):
                    continue
                acc.add(run, name, s)
            continue
        m = re.match(r"^step (\d+): train loss (\S+), val loss (\S+?)(?:,|$)", line.rstrip())
        if m:
            s = int(m.group(1))
            for name, v in (("train loss", m.group(2)), ("val loss", m.group(3))):
                if num(v) is not None:
                    acc.add(run, name, s)
    return acc.result()


def long_lines(path):
    """Long-format lines 'STEP NAME VALUE' (build-nanogpt log.txt: '0 train 10.93',
    '0 val 10.93', '0 hella 0.24'): one point per line, the name is the metric."""
    acc = Acc()
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit() and num(parts[2]) is not None:
            acc.add(0, parts[1], int(parts[0]))
    return acc.result()


KINDS.update({"olmo-console": olmo_console, "nanogpt-console": nanogpt_console,
              "long-lines": long_lines})



def mlflow_sqlite(path):
    """MLflow SQLite tracking store (mlflow.db): every row of runs not deleted is a
    run (first figure, counted even without metrics); points are the distinct
    (run_uuid, key, step) rows of metrics with a finite value; params/tags are not
    points; latest_metrics is a summary."""
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    runs = con.execute("select run_uuid from runs where lifecycle_stage != 'deleted'").fetchall()
    live = {r for (r,) in runs}
    acc = Acc()
    for r, k, st, v in con.execute("select run_uuid, key, step, value from metrics"):
        if r in live and v is not None and math.isfinite(v):
            acc.add(r, k, st)
    _, m, p = acc.result()
    return len(live), m, p


KINDS.update({"mlflow-sqlite": mlflow_sqlite})



def build_nanogpt_console(path):
    """build-nanogpt train_gpt2.py console: 'step N | loss: X | lr Y | norm: Z | dt:
    Tms | tok/sec: W' (loss, lr, norm, dt, tok/sec at N); 'validation loss: V' and
    'HellaSwag accuracy: a/b=A' carry no step: the eval runs at the top of the loop,
    so they belong to the next 'step' line (held until it comes; left over at the
    end they are dropped)."""
    acc = Acc()
    pending = []
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^step\s+(\d+) \| (.*)$", line.rstrip("\n"))
        if m:
            s = int(m.group(1))
            for name in pending:
                acc.add(0, name, s)
            pending = []
            for k, v in re.findall(r"([\w/]+):? ([-0-9.e+]+)(?:ms)?(?: \||$)", m.group(2)):
                if num(v) is not None:
                    acc.add(0, k, s)
            continue
        m = re.match(r"^validation loss: (\S+)", line)
        if m and num(m.group(1)) is not None:
            pending.append("validation loss")
        m = re.match(r"^HellaSwag accuracy: \d+/\d+=(\S+)", line)
        if m and num(m.group(1)) is not None:
            pending.append("HellaSwag accuracy")
    return acc.result()


KINDS.update({"build-nanogpt-console": build_nanogpt_console})


if __name__ == "__main__":
    kind, path, *args = sys.argv[1:]
    print(*KINDS[kind](path, *args), sep="\t")
