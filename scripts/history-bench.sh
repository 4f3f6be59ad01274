#!/usr/bin/env bash
# History-proof cost: `rota check` on the example repository with its second-line rota
# hourly (members not marked experienced), started last month, in 1990 and in year 1.
# Prints the mean wall time of RUNS runs of the release binary for each; the cost must
# not grow with the rota's age. Usage: scripts/history-bench.sh [RUNS]
set -euo pipefail
runs=${1:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/rota"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for start in 2026-10-21 1990-01-03 0001-01-01; do
  dir="$work/$start"
  mkdir -p "$dir"
  cp -r "$here/rota" "$here/runbooks" "$dir/"
  sed -i "s/start: 2026-01-05/start: $start/; s/every: 1w/every: 1h/" "$dir/rota/rotas/second-line.yaml"
  sed -i -E 's/experienced: true, handle: "@(kate|leo|mia|noah)"/experienced: false, handle: "@\1"/' "$dir/rota/people.yaml"
  "$bin" --root "$dir" --today 2026-11-22 check >/dev/null
  # Wall time and CPU time (user + system): on a shared machine the CPU time is the
  # steadier figure.
  TIMEFORMAT="%R %U %S"
  read -r real user sys < <({ time (for _ in $(seq "$runs"); do
    "$bin" --root "$dir" --today 2026-11-22 check >/dev/null
  done) ; } 2>&1)
  printf 'second line hourly from %s: check %6.1f ms wall, %6.1f ms CPU (mean of %d)\n' \
    "$start" "$(echo "$real * 1000 / $runs" | bc -l)" "$(echo "($user + $sys) * 1000 / $runs" | bc -l)" "$runs"
done
