#!/usr/bin/env bash
# Append one file's provenance to DIR/SOURCE.md.
# Usage: source.sh DIR REPO PATH COMMIT LICENSE CUT [NOTE]
set -euo pipefail
dir=$1 repo=$2 path=$3 commit=$4 license=$5 cut=$6 note=${7:-}
f=$dir/SOURCE.md
[ -f "$f" ] || printf '# Source\n\n' > "$f"
{
  printf -- '- repository: https://github.com/%s\n' "$repo"
  printf -- '  - path: `%s`\n' "$path"
  printf -- '  - commit: %s\n' "$commit"
  printf -- '  - license: %s\n' "$license"
  printf -- '  - cut: %s\n' "$cut"
  [ -z "$note" ] || printf -- '  - note: %s\n' "$note"
} >> "$f"
