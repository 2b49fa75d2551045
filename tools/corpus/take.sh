#!/usr/bin/env bash
# Copy one file byte-exactly out of a fetched mirror into the corpus.
# Usage: take.sh OWNER/NAME COMMIT PATH DEST
set -euo pipefail
repo=$1 commit=$2 path=$3 dest=$4
git_dir=/work/.mirror/${repo/\//+}/repo
mkdir -p "$(dirname "$dest")"
git --git-dir="$git_dir" show "$commit:$path" > "$dest"
wc -c "$dest"
