#!/usr/bin/env bash
# Run every diagnostics benchmark on two commits, ABBA, each tree in its own worktree, virtualenv
# and PostgreSQL databases (how docs/benchmarks.md compared the trees before and after the
# restructure). Usage: bench/compare_trees.sh BEFORE AFTER [OUT_DIR]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379 (databases 7, 8).
# Writes one log per benchmark, tree and pass into OUT_DIR (default /tmp/ustaz-compare); each
# log ends with /usr/bin/time -v's figures (CPU time of the benchmark and its worker).
set -euo pipefail
before=$1 after=$2 out=${3:-/tmp/ustaz-compare}
root=$(git rev-parse --show-toplevel)
mkdir -p "$out"
for tree in before after; do
  commit=${!tree}
  dir="$out/tree-$tree"
  [ -d "$dir" ] || git -C "$root" worktree add --detach "$dir" "$commit"
  make -C "$dir" install >/dev/null
  for db in "ustaz_cmp_$tree" "ustaz_cmp_${tree}_s"; do
    psql -h 127.0.0.1 -U postgres -qtc "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -qc "create database $db"
    (cd "$dir" && DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" .venv/bin/python manage.py migrate -v0)
  done
  (cd "$dir" && .venv/bin/python manage.py migrate -v0)  # the embedded SQLite
done

run() { # pass tree name env... -- args
  local pass=$1 tree=$2 name=$3; shift 3
  (cd "$out/tree-$tree" && /usr/bin/time -v env "$@" >"$out/$name-$tree-$pass.log" 2>&1) || true
  echo "$(date +%T) $name $tree pass $pass" >>"$out/progress"
}
for pass in 1 2; do
  order="before after"; [ "$pass" = 2 ] && order="after before"
  for spec in "roster_sqlite|bench/roster_import.py --rows 5000 --repeat 3|sqlite" \
              "roster_pg|bench/roster_import.py --rows 5000 --repeat 3|pg" \
              "itemstats_sqlite|bench/item_stats.py --respondents 10000 --repeat 3|sqlite" \
              "itemstats_pg|bench/item_stats.py --respondents 10000 --repeat 3|pg" \
              "library|bench/library_search.py --rounds 5|pg" \
              "reports|bench/reports.py --repeat 5|pg" \
              "grouping|bench/grouping.py --repeat 3 --keep|pg" \
              "scoring|bench/scoring.py --responses 10000 --latency-samples 50|pgredis"; do
    IFS='|' read -r name command kind <<<"$spec"
    for tree in $order; do
      n=7; [ "$tree" = after ] && n=8
      case $kind in
        sqlite) envs=(USTAZ_COMPARE=1) ;;
        pg) envs=("DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_cmp_$tree") ;;
        # Scoring in a database of its own: grouping keeps its rounds (--keep).
        pgredis) envs=("DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_cmp_${tree}_s"
                       "CELERY_BROKER_URL=redis://127.0.0.1:6379/$n") ;;
      esac
      # shellcheck disable=SC2086
      run "$pass" "$tree" "$name" "${envs[@]}" .venv/bin/python $command
    done
  done
done
echo "logs in $out"
