#!/usr/bin/env bash
# Times `policywatch diff --format json` against git's histogram word diff
# and Python's difflib.HtmlDiff on the same ~1 MB pair built from the
# CAPP-130 policies with 30% of lines changed (textdiff's largePair).
# Needs ../shared; uses hyperfine when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

POLICYWATCH_WRITE_PAIR="$work" go test ./internal/textdiff -run TestWriteLargePair -count=1 >/dev/null
go build -o "$work/policywatch" ./cmd/policywatch
ls -l "$work"/old.txt "$work"/new.txt | awk '{print $5, $9}'

cat > "$work/difflib_table.py" <<'PY'
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
difflib.HtmlDiff().make_table(a, b)
PY

pw="$work/policywatch diff $work/old.txt $work/new.txt --format json > /dev/null"
git="git diff --no-index --histogram --word-diff=porcelain $work/old.txt $work/new.txt > /dev/null || true"
py="python3 $work/difflib_table.py $work/old.txt $work/new.txt"

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs 20 --output=null "$work/policywatch diff $work/old.txt $work/new.txt --format json" -i "git diff --no-index --histogram --word-diff=porcelain $work/old.txt $work/new.txt"
  hyperfine --runs 1 --shell=bash "$py"
else
  for cmd in "$pw" "$git" "$py"; do
    start=$(date +%s%N); bash -c "$cmd"; end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) ms  $cmd"
  done
fi
