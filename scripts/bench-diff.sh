#!/usr/bin/env bash
# Times `policywatch diff --format json` against git's histogram word diff
# and Python's difflib.HtmlDiff on the same ~1 MB pair built from the
# CAPP-130 policies with 30% of lines changed (textdiff's largePair), as
# whole processes: start-up included. Also times `policywatch --help`, a
# command that does nothing. Needs ../shared; uses hyperfine when installed,
# else runs the commands in turn RUNS times (default 15) and reports the
# best and the median of each (the best is the figure least disturbed by
# whatever else the machine is doing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-15}
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

pw="$work/policywatch diff $work/old.txt $work/new.txt --format json"
git="git diff --no-index --histogram --word-diff=porcelain $work/old.txt $work/new.txt"
help="$work/policywatch --help"
py="python3 $work/difflib_table.py $work/old.txt $work/new.txt"

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs 20 --output=null "$pw" -i "$git" "$help"
  hyperfine --runs 1 --shell=bash "$py"
  exit
fi

# us runs a command once and prints its wall time in microseconds (bash's
# clock: no process started to read the time).
us() {
  local start end
  start=${EPOCHREALTIME/./}
  $1 >/dev/null 2>&1 || true
  end=${EPOCHREALTIME/./}
  echo $((end - start))
}

for cmd in "$pw" "$git" "$help"; do us "$cmd" >/dev/null; done # warm the page cache
declare -A times
for ((i = 0; i < runs; i++)); do
  for name in pw git help; do
    case $name in pw) cmd=$pw ;; git) cmd=$git ;; help) cmd=$help ;; esac
    times[$name]+="$(us "$cmd") "
  done
done

# stats prints "best median" in ms of a list of microsecond times.
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{t[NR]=$1} END {printf "%.1f %.1f", t[1]/1000, t[int((NR+1)/2)]/1000}'; }
read -r pwb pwm <<<"$(stats "${times[pw]}")"
read -r gitb gitm <<<"$(stats "${times[git]}")"
read -r helpb helpm <<<"$(stats "${times[help]}")"
printf '%-28s best %7.1f ms  median %7.1f ms\n' "policywatch diff --format json" "$pwb" "$pwm" \
  "git diff --histogram" "$gitb" "$gitm" "policywatch --help" "$helpb" "$helpm"
awk -v a="$pwb" -v b="$gitb" -v c="$pwm" -v d="$gitm" 'BEGIN {printf "policywatch / git: %.2fx (best), %.2fx (median), %d runs each\n", a/b, c/d, '"$runs"'}'
echo "python3 difflib.HtmlDiff (one run): $(( $(us "$py") / 1000 )) ms"
