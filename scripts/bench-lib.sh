# Shared by scripts/bench-site and scripts/bench-check (sourced, not run): measuring a
# command beside the floor in the same run, and the ratio lines (docs/performance.md).
#
# Every case is timed as a whole process with GNU time (/usr/bin/time; Debian:
# apt-get install -y time): wall time (date, nanoseconds), CPU time (user + system) and
# peak RSS. rota and the floor run alternately (A B A B …, RUNS pairs), so a neighbour
# that slows the machine slows both; the ratio reported is the median of the pairs'
# ratios. STRICT=1 makes the script exit 1 when a target is missed.

RUNS=${RUNS:-5}
FAILED=0

if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time at /usr/bin/time (Debian: apt-get install -y time)" >&2
  exit 2
fi

calc() { awk "BEGIN { print ($*) }"; }

# measure CMD… → prints "WALL CPU PEAK_KB" of one run (exit 1, findings, is fine; a
# crash or exit 2 stops the benchmark).
measure() {
  local t0 t1 status=0
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || status=$?
  t1=$(date +%s%N)
  measured "$t0" "$t1" "$status" 1 "$@"
}

# measure_batch K CMD… → as measure, per run, of K runs of CMD one after the other in one
# timed shell loop: for what takes milliseconds, where starting `date` and GNU time for
# each run would add several milliseconds of the harness's own to each (rota's own
# process start stays in: each run is a whole process). The peak is the largest run's.
measure_batch() {
  local k=$1 t0 t1 status=0
  shift
  t0=$(date +%s%N)
  # shellcheck disable=SC2016 # the loop's own variables, expanded by the inner sh
  /usr/bin/time -f '%U %S %M' -o "$WORK/time" \
    sh -c 'k=$1; shift; i=0; while [ "$i" -lt "$k" ]; do "$@" >/dev/null; s=$?; [ "$s" -gt 1 ] && exit "$s"; i=$((i + 1)); done' \
    sh "$k" "$@" >/dev/null 2>"$WORK/stderr" || status=$?
  t1=$(date +%s%N)
  measured "$t0" "$t1" "$status" "$k" "$@"
}

# measured T0 T1 STATUS K CMD… → the line of measure and measure_batch: wall time from
# the nanosecond stamps and CPU time from GNU time's file, each per run of K, and the
# peak; a status above 1 stops the benchmark with the command's error output.
measured() {
  local t0=$1 t1=$2 status=$3 k=$4
  shift 4
  if [ "$status" -gt 1 ]; then
    echo "benchmark: \`$*\` exited with $status:" >&2
    cat "$WORK/stderr" >&2
    exit 2
  fi
  local user sys peak
  read -r user sys peak < <(tail -n1 "$WORK/time")
  awk -v w="$((t1 - t0))" -v u="$user" -v s="$sys" -v m="$peak" -v k="$k" \
    'BEGIN { printf "%.4f %.4f %d\n", w / 1e9 / k, (u + s) / k, m }'
}

# median FILE COLUMN → the median of that column
median() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# max FILE COLUMN
max() { awk -v c="$2" 'NR == 1 || $c > m { m = $c } END { print m }' "$1"; }

# verdict EXPR → sets V to PASS or FAIL (and FAILED=1 on a FAIL); not in a subshell,
# so that FAILED sticks.
verdict() { if [ "$(calc "$1")" = 1 ]; then V=PASS; else FAILED=1; V=FAIL; fi; }

# before_each: a shell command run (untimed) before each rota run, e.g. removing the
# output folder of the previous build.
BEFORE_EACH=${BEFORE_EACH:-true}

# paired LABEL TARGET_RATIO TARGET_MB -- ROTA CMD… -- FLOOR CMD…
# Runs RUNS pairs, rota then floor, and prints one line: medians of each side, the
# median of the pairs' wall-time ratios (and of the CPU ratios), peak RSS, verdicts.
# Sets P_WALL (rota's median wall time) for scaling lines.
paired() {
  local label=$1 target_ratio=$2 target_mb=$3
  shift 3
  [ "$1" = -- ] && shift
  local rota=() floor=()
  while [ "$1" != -- ]; do rota+=("$1"); shift; done
  shift
  floor=("$@")
  : >"$WORK/pairs"
  "${rota[@]}" >/dev/null 2>&1 || true # warm the page cache
  "${floor[@]}" >/dev/null 2>&1
  for _ in $(seq "$RUNS"); do
    eval "$BEFORE_EACH"
    local a b
    a=$(measure "${rota[@]}")
    b=$(measure "${floor[@]}")
    echo "$a $b" | awk '{ printf "%s %s %s %s %s %s %.4f %.4f\n", $1, $2, $3, $4, $5, $6, $1 / $4, ($5 > 0 ? $2 / $5 : 0) }' >>"$WORK/pairs"
  done
  local wall cpu wall_f cpu_f ratio cpu_ratio mb
  wall=$(median "$WORK/pairs" 1)
  cpu=$(median "$WORK/pairs" 2)
  wall_f=$(median "$WORK/pairs" 4)
  cpu_f=$(median "$WORK/pairs" 5)
  ratio=$(median "$WORK/pairs" 7)
  cpu_ratio=$(median "$WORK/pairs" 8)
  mb=$(calc "$(max "$WORK/pairs" 3) / 1024")
  P_WALL=$wall
  local v_ratio v_mb
  verdict "$ratio <= $target_ratio"
  v_ratio=$V
  verdict "$mb <= $target_mb"
  v_mb=$V
  printf '%-22s rota %6.3f s wall %5.2f s cpu %5.1f MB | floor %6.3f s wall %5.2f s cpu | median ratio %5.2fx wall %5.2fx cpu  [<= %sx: %s] [<= %s MB: %s]\n' \
    "$label" "$wall" "$cpu" "$mb" "$wall_f" "$cpu_f" "$ratio" "$cpu_ratio" \
    "$target_ratio" "$v_ratio" "$target_mb" "$v_mb"
}

# alone LABEL TARGET_SECONDS TARGET_MB CMD… → RUNS runs of one command held to an
# absolute target (what has no floor: 100,000 alerts, 10,000 members, `now`). A target
# under 0.1 s is measured as RUNS batches of BATCH runs (default 10, measure_batch).
alone() {
  local label=$1 target_s=$2 target_mb=$3
  shift 3
  : >"$WORK/runs"
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    eval "$BEFORE_EACH"
    if [ "$(calc "$target_s < 0.1")" = 1 ]; then
      measure_batch "${BATCH:-10}" "$@" >>"$WORK/runs"
    else
      measure "$@" >>"$WORK/runs"
    fi
  done
  local wall cpu mb
  wall=$(median "$WORK/runs" 1)
  cpu=$(median "$WORK/runs" 2)
  mb=$(calc "$(max "$WORK/runs" 3) / 1024")
  local v_s v_mb
  verdict "$wall <= $target_s"
  v_s=$V
  verdict "$mb <= $target_mb"
  v_mb=$V
  printf '%-22s rota %6.3f s wall %5.2f s cpu %5.1f MB  [<= %s s: %s] [<= %s MB: %s]\n' \
    "$label" "$wall" "$cpu" "$mb" "$target_s" "$v_s" "$target_mb" "$v_mb"
}

# Sizes and shapes: 1k and 10k runbooks of both shapes; BENCH_50K=1 adds 50k.
SIZES="1000 10000"
[ "${BENCH_50K:-0}" = 1 ] && SIZES="$SIZES 50000"
SHAPES=${SHAPES:-plain varied}

# bulk_alerts DIR N: the example repository plus N low alerts (tests/testsuite/performance/budgets.rs's case).
bulk_alerts() {
  local dir=$1 n=$2
  mkdir -p "$dir"
  cp -r "$HERE/rota" "$HERE/runbooks" "$dir/"
  echo "limits: { runbook: 64MB, data_file: 16MB }" >>"$dir/rota/config.yaml"
  awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "- { id: bulk-%d, summary: Bulk alert %d, service: blogs, severity: low }\n", i, i }' \
    >"$dir/rota/alerts/bulk.yaml"
}

# bulk_members DIR N: the example repository plus N people, all members of one more
# rota (`bulk`, in hours, weekly turns in two positions), clean under `rota check`.
bulk_members() {
  local dir=$1 n=$2
  mkdir -p "$dir"
  cp -r "$HERE/rota" "$HERE/runbooks" "$dir/"
  echo "limits: { runbook: 64MB, data_file: 16MB }" >>"$dir/rota/config.yaml"
  awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "- { id: bulk-%d, name: Bulk %d, roles: [developer], opted_in: true, vetted: 2024-01-01, experienced: true }\n", i, i }' \
    >>"$dir/rota/people.yaml"
  awk -v n="$n" 'BEGIN {
    print "name: Bulk\nkind: in-hours\nhours:\n  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }"
    printf "rotation:\n  start: 2026-01-05\n  handover: \"09:00\"\n  every: 1w\n  members: ["
    for (i = 0; i < n; i++) printf "%sbulk-%d", (i ? ", " : ""), i
    print "]\npositions:\n  - { name: primary }\n  - { name: secondary, offset: 1 }"
    print "escalation:\n  - { after: 0m, notify: primary }\n  - { after: 5m, notify: secondary }"
  }' >"$dir/rota/rotas/bulk.yaml"
}
