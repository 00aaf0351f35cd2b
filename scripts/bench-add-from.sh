#!/usr/bin/env bash
# Times `policywatch add --from` of ROWS (default 2,000) generated policies as
# a whole process (start-up, opening and migrating the database included), on
# a new SQLite file and on a new PostgreSQL database (POLICYWATCH_TEST_POSTGRES,
# default the local server; skipped when psql or the server is missing).
# Each setup runs RUNS times (default 5) on a fresh database; the best and the
# median wall times are printed, by bash's clock. For comparison it also times
# ADD_CALLS (default 50) single `add` processes and extrapolates to ROWS.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-2000}
runs=${RUNS:-5}
calls=${ADD_CALLS:-50}
server=${POLICYWATCH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/policywatch" ./cmd/policywatch
pw="$work/policywatch"

# The generator: 20 platforms of 100 apps each, every kind of column used,
# some rows with several remove rules.
awk -v n="$rows" 'BEGIN {
  print "url,name,platform,kind,select,remove,render,every"
  split("privacy children sdk terms", kinds, " ")
  for (i = 0; i < n; i++) {
    printf "https://app%d.host%d.example/privacy/%d,应用%d隐私政策,平台%d,%s,%s,%s,%s,%s\n",
      i, i % 20, i, i, i % 20, kinds[i % 4 + 1], (i % 3 ? "#content" : ""),
      (i % 5 ? ".ad|.share|footer nav" : ""), (i % 7 ? "auto" : "browser"), (i % 2 ? "1d" : "12h")
  }
}' >"$work/policies.csv"
echo "$(($(wc -l <"$work/policies.csv") - 1)) rows, $(wc -c <"$work/policies.csv") bytes"

# us runs a command once and prints its wall time in microseconds.
us() {
  local start end
  start=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
  end=${EPOCHREALTIME/./}
  echo $((end - start))
}

# stats prints "best median" in ms of a list of microsecond times.
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{t[NR]=$1} END {printf "%.0f %.0f", t[1]/1000, t[int((NR+1)/2)]/1000}'; }

report() {
  local best median
  read -r best median <<<"$(stats "$2")"
  printf '%-32s best %6s ms   median %6s ms\n' "$1" "$best" "$median"
}

times=""
for ((i = 0; i < runs; i++)); do
  times+="$(us "$pw" --db "$work/bench$i.db" add --from "$work/policies.csv") "
done
report "add --from, SQLite" "$times"

times=""
for ((i = 0; i < calls; i++)); do
  times+="$(us "$pw" --db "$work/single.db" add "https://single$i.example/p" --name "隐私政策" --platform "单个$i") "
done
read -r best median <<<"$(stats "$times")"
printf '%-32s median %s ms each: %d rows would take %.0f s\n' "$calls single adds, SQLite" "$median" "$rows" \
  "$(awk -v m="$median" -v n="$rows" 'BEGIN { print m * n / 1000 }')"

if ! command -v psql >/dev/null || ! psql "$server" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL: skipped (no psql or no server at $server)"
  exit
fi
base=${server%%\?*}
base=${base%/*}
times=""
for ((i = 0; i < runs; i++)); do
  db="pw_bench_add_from_$$_$i"
  psql "$server" -qc "CREATE DATABASE $db" >/dev/null
  times+="$(us "$pw" --db "$base/$db?sslmode=disable" add --from "$work/policies.csv") "
  psql "$server" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
report "add --from, PostgreSQL" "$times"
