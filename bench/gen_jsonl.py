#!/usr/bin/env python3
"""Write the import benchmark's data: 10 runs x 10 metrics x 10,000 steps = 1,000,000 points,
one JSON object per run and step (100,000 lines), like a training job's JSONL log.

usage: gen_jsonl.py OUT.jsonl [STEPS]
"""
import json
import math
import random
import sys

out = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rng = random.Random(42)
with open(out, "w") as f:
    for run in range(10):
        for step in range(steps):
            rec = {"run": f"run_{run}", "step": step}
            for m in range(10):
                rec[f"metric_{m}"] = math.exp(-step / 3000) * (1 + m / 10) + rng.gauss(0, 0.01)
            f.write(json.dumps(rec) + "\n")
