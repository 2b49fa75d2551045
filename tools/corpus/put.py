#!/usr/bin/env python3
"""Write a corpus file byte-exactly from JSON string literals.

Usage: put.py DEST [--append] < chunks
stdin holds one or more JSON string literals (as read_file returns the text),
one per line; they are decoded and concatenated into DEST.
"""
import json, os, sys

dest = sys.argv[1]
mode = "ab" if "--append" in sys.argv[2:] else "wb"
text = "".join(json.loads(line) for line in sys.stdin if line.strip())
os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
with open(dest, mode) as f:
    f.write(text.encode("utf-8"))
print(dest, os.path.getsize(dest), "bytes")
