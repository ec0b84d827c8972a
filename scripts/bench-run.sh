#!/usr/bin/env bash
# How long does `whymiss diff` take, next to running the same two go builds by hand?
#
#   scripts/bench-run.sh                 # 7 runs per command, hyperfine if installed, writes docs/bench-run.md
#   scripts/bench-run.sh --runs 11       # more runs (at least 5)
#   scripts/bench-run.sh --timer bash    # a plain bash loop (date +%s%N) even when hyperfine is installed;
#                                        # it interleaves the three commands round by round, which is fairer
#                                        # on a machine whose load drifts
#   scripts/bench-run.sh --only lab      # one corpus: lab or cmd-go (implies --no-doc)
#   scripts/bench-run.sh --no-doc        # print only, leave docs/bench-run.md alone
#   scripts/bench-run.sh --check         # exit 1 when a ratio target is missed
#
# The target (from the issue): with a warm cache, `whymiss diff` wall time is at most 1.1x the two
# `go build`s run concurrently by hand, and at most 0.85x the two run one after the other; medians of
# at least 5 runs, on a corpus module of at least 20 packages and on the Go distribution's own cmd/go.
#
# The corpora, both built with .toolchains/bin/go1.27.3 (scripts/install-go.sh), side B with
# GOAMD64=v3 so that every key differs and the report is as long as it gets:
#
#   lab     a copy of corpus/modules/lab (24 packages, cgo, two commands), `go build ./...`
#   cmd-go  the distribution's cmd/go (334 packages with its dependencies), `go build -o /dev/null cmd/go`,
#           run from an empty scratch module: a copy of $GOROOT/src/cmd cannot be built outside GOROOT
#           (go reports an ambiguous import of cmd/go), and building in GOROOT is not ours to do
#
# What is timed, per corpus:
#
#   whymiss      whymiss diff --go GO -C DIR --quiet --b-env GOAMD64=v3 -- PKGS     (text report to /dev/null)
#   concurrent   both go commands started with `&`, then `wait`
#   sequential   side A's go command, then side B's
#
# where each go command is what whymiss runs for the side: GODEBUG=gocachehash=1,goindex=0 (the log
# goes to a file in the scratch directory, as whymiss keeps it in memory), GOTOOLCHAIN=local, run in
# DIR. Every command runs with GOENV=off and without inherited GOFLAGS/GOAMD64/CGO_ENABLED/GODEBUG/GOTMPDIR,
# so the user's settings change neither side. The cache is the user's GOCACHE: the script warms it
# (one untimed run of each command; the first time this compiles cmd/go twice, minutes on 2 cores).
#
# It also times whymiss's own steps next to the builds (go env, parsing and
# comparing the two logs, copying a module for --b-relocate), and the critical path of a whymiss run
# (its go commands timed by a wrapper: how long before the builds start, how long after they end),
# to show where any overhead goes. On a busy machine prefer --timer bash and look at the "paired"
# ratios: docs/bench-run.md explains why.
set -euo pipefail

RUNS=7
TIMER=auto
ONLY=all
WRITE_DOC=1
CHECK=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --timer) TIMER=$2; shift 2 ;;
    --timer=*) TIMER=${1#*=}; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --only=*) ONLY=${1#*=}; shift ;;
    --no-doc) WRITE_DOC=0; shift ;;
    --check) CHECK=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-run: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench-run: $*" >&2; exit 2; }

case "$RUNS" in ''|*[!0-9]*) die "--runs takes a number" ;; esac
[ "$RUNS" -ge 5 ] || die "--runs must be at least 5 (medians of at least 5 runs)"
case "$ONLY" in all) ;; lab|cmd-go) WRITE_DOC=0 ;; *) die "--only takes lab or cmd-go" ;; esac
case "$TIMER" in
  auto) if command -v hyperfine >/dev/null 2>&1; then TIMER=hyperfine; else TIMER=bash; fi ;;
  hyperfine) command -v hyperfine >/dev/null 2>&1 || die "hyperfine is not installed (apt-get install hyperfine, or --timer bash)" ;;
  bash) ;;
  *) die "--timer takes hyperfine or bash" ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GO_VERSION=1.27.3
GO_CMD=${WHYMISS_TOOLCHAINS:-$ROOT/.toolchains}/bin/go$GO_VERSION
[ -x "$GO_CMD" ] || die "$GO_CMD not found: run scripts/install-go.sh $GO_VERSION"
DOC=$ROOT/docs/bench-run.md

# A clean go environment for everything below (whymiss passes it on to its go commands).
unset GOFLAGS GOAMD64 GOARCH GOOS CGO_ENABLED GODEBUG GOTMPDIR GOEXPERIMENT GOWORK GO CC CXX
export GOENV=off GOTOOLCHAIN=local GOPROXY=off NO_COLOR=1

echo "bench-run: building whymiss (release)" >&2
(cd "$ROOT" && cargo build --release --quiet)
WHYMISS=$ROOT/target/release/whymiss

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/whymiss-bench-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

cp -R "$ROOT/corpus/modules/lab" "$SCRATCH/lab"
mkdir "$SCRATCH/cmd-go"
printf 'module bench.example/cmdgo\n\ngo 1.21\n' > "$SCRATCH/cmd-go/go.mod"

# ---- timing helpers ---------------------------------------------------------------------------

now_ns() { date +%s%N; }

# median of numbers on stdin (one a line)
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -n | head -1; }
maximum() { sort -n | tail -1; }

# fmt_s MILLISECONDS -> "1.234 s"
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# run_checked SCRIPT EXPECTED_STATUS [LOG]: runs a command script, checking its exit status; on
# failure shows its stderr, or the lines of LOG (go's stderr) that are not hash lines.
run_checked() {
  local script=$1 expected=$2 log=${3:-} status=0
  bash "$script" >/dev/null 2>"$SCRATCH/last.err" || status=$?
  if [ "$status" != "$expected" ]; then
    echo "bench-run: $(basename "$script") exited $status, expected $expected:" >&2
    tail -20 "$SCRATCH/last.err" >&2
    [ -n "$log" ] && grep -v -e '^HASH' -e '^testcache' "$log" | tail -20 >&2
    exit 2
  fi
}

# time_ms SCRIPT: wall milliseconds of one run (exit status ignored: checked in the warm-up).
time_ms() {
  local t0 t1
  t0=$(now_ns)
  bash "$1" >/dev/null 2>&1 || true
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}

# ---- one corpus -------------------------------------------------------------------------------

ROWS=()
BREAKDOWN=()
MISSED=0

# bench NAME DIR PACKAGES GO_BUILD_ARGS...: PACKAGES go after whymiss's `--`; GO_BUILD_ARGS are
# what whymiss then runs (`go build ./...`; `go build -o /dev/null cmd/go` for a single command).
bench() {
  local name=$1 dir=$2 pkgs=$3
  shift 3
  local build_args="$*"
  local s=$SCRATCH/$name-scripts
  mkdir -p "$s"
  local hash="GODEBUG=gocachehash=1,goindex=0"
  local side_a="cd '$dir' && $hash '$GO_CMD' build $build_args 2>'$SCRATCH/$name-a.log'"
  local side_b="cd '$dir' && GOAMD64=v3 $hash '$GO_CMD' build $build_args 2>'$SCRATCH/$name-b.log'"
  printf '%s\n' "exec '$WHYMISS' diff --go '$GO_CMD' -C '$dir' --quiet --b-env GOAMD64=v3 -- $pkgs" > "$s/whymiss.sh"
  printf '%s\n' "set -e" "( $side_a ) & a=\$!" "( $side_b ) & b=\$!" "wait \$a" "wait \$b" > "$s/concurrent.sh"
  printf '%s\n' "set -e" "( $side_a )" "( $side_b )" > "$s/sequential.sh"
  printf '%s\n' "set -e" "$side_a" > "$s/side-a.sh"
  printf '%s\n' "set -e" "$side_b" > "$s/side-b.sh"

  echo "bench-run: $name: warming the cache (untimed; slow only the first time)" >&2
  run_checked "$s/side-a.sh" 0 "$SCRATCH/$name-a.log"
  run_checked "$s/side-b.sh" 0 "$SCRATCH/$name-b.log"
  run_checked "$s/whymiss.sh" 1
  local packages actions
  packages=$(cd "$dir" && "$GO_CMD" list -deps "$pkgs" | wc -l)
  # (compare exits 1: the keys differ)
  actions=$({ "$WHYMISS" compare --format json "$SCRATCH/$name-a.log" "$SCRATCH/$name-b.log" || true; } \
    | awk -F: '/"compared":/ { gsub(/[ ,]/, "", $2); print $2; exit }')

  local commands=(whymiss concurrent sequential)
  declare -A med lo hi
  if [ "$TIMER" = hyperfine ]; then
    echo "bench-run: $name: hyperfine, $RUNS runs each" >&2
    hyperfine --style basic -N -w 1 -r "$RUNS" -i \
      --export-json "$SCRATCH/$name.json" \
      -n whymiss "bash $s/whymiss.sh" \
      -n concurrent "bash $s/concurrent.sh" \
      -n sequential "bash $s/sequential.sh" >&2
    local i=0 c
    local medians mins maxs
    json_ms() { grep -o "\"$1\": *[0-9.e+-]*" "$2" | awk '{ printf "%.0f\n", $2 * 1000 }'; }
    # hyperfine's JSON lists results in command order; seconds -> ms.
    mapfile -t medians < <(json_ms median "$SCRATCH/$name.json")
    mapfile -t mins < <(json_ms min "$SCRATCH/$name.json")
    mapfile -t maxs < <(json_ms max "$SCRATCH/$name.json")
    [ "${#medians[@]}" -eq 3 ] || die "cannot read medians from hyperfine's JSON"
    for c in "${commands[@]}"; do
      med[$c]=${medians[$i]}; lo[$c]=${mins[$i]}; hi[$c]=${maxs[$i]}; i=$((i + 1))
    done
  else
    echo "bench-run: $name: bash loop, $RUNS interleaved rounds" >&2
    local r c
    for c in "${commands[@]}"; do : > "$SCRATCH/$name-$c.ms"; done
    for c in "${commands[@]}"; do time_ms "$s/$c.sh" >/dev/null; done # warm-up round
    for r in $(seq "$RUNS"); do
      for c in "${commands[@]}"; do time_ms "$s/$c.sh" >> "$SCRATCH/$name-$c.ms"; done
      echo "  round $r: $(for c in "${commands[@]}"; do printf '%s %s ms  ' "$c" "$(tail -1 "$SCRATCH/$name-$c.ms")"; done)" >&2
    done
    for c in "${commands[@]}"; do
      med[$c]=$(median < "$SCRATCH/$name-$c.ms")
      lo[$c]=$(minimum < "$SCRATCH/$name-$c.ms")
      hi[$c]=$(maximum < "$SCRATCH/$name-$c.ms")
    done
  fi

  local r_conc r_seq ok_conc ok_seq
  r_conc=$(ratio "${med[whymiss]}" "${med[concurrent]}")
  r_seq=$(ratio "${med[whymiss]}" "${med[sequential]}")
  if le "$r_conc" 1.10; then ok_conc=met; else ok_conc=MISSED; MISSED=1; fi
  if le "$r_seq" 0.85; then ok_seq=met; else ok_seq=MISSED; MISSED=1; fi
  cell() { printf '%s (%s–%s)' "$(fmt_s "${med[$1]}")" "$(fmt_s "${lo[$1]}" | sed 's/ s//')" "$(fmt_s "${hi[$1]}")"; }
  # The bash loop times the three commands round by round, so each round's ratios compare runs made
  # under the same load: their median is less sensitive to load drifting during the benchmark.
  local paired_conc="" paired_seq=""
  if [ "$TIMER" = bash ]; then
    paired_conc=" / paired $(paste "$SCRATCH/$name-whymiss.ms" "$SCRATCH/$name-concurrent.ms" | awk '{ print $1 / $2 }' | median | xargs printf '%.2f')"
    paired_seq=" / paired $(paste "$SCRATCH/$name-whymiss.ms" "$SCRATCH/$name-sequential.ms" | awk '{ print $1 / $2 }' | median | xargs printf '%.2f')"
  fi
  ROWS+=("| $name | $packages | $actions | $(cell whymiss) | $(cell concurrent) | $(cell sequential) | **$r_conc** ($ok_conc)$paired_conc | **$r_seq** ($ok_seq)$paired_seq |")

  # whymiss's own steps, each timed alone (median of 5): what the builds do not account for.
  local steps=()
  step() { # COMMAND...: appends its median wall time to steps
    local f=$SCRATCH/step.ms i t0 t1
    : > "$f"
    for i in 1 2 3 4 5 6; do
      t0=$(now_ns); "$@" >/dev/null 2>&1 || true; t1=$(now_ns)
      [ "$i" -gt 1 ] && echo $(( (t1 - t0) / 1000000 )) >> "$f" # the first run only warms
    done
    steps+=("$(median < "$f") ms")
  }
  step env -C "$dir" "$GO_CMD" env -json GOVERSION GOROOT GOFLAGS GOOS GOARCH CGO_ENABLED CC CXX \
    GOAMD64 GOARM GOARM64 GO386 GORISCV64 GOEXPERIMENT GOCACHE GOMODCACHE GOTOOLCHAIN GODEBUG GOMOD GOWORK
  step "$WHYMISS" compare "$SCRATCH/$name-a.log" "$SCRATCH/$name-b.log"
  # shellcheck disable=SC2317 # called through step
  copy_fresh() { cp -R "$1" "$SCRATCH/relocated-$(now_ns)"; }
  if [ "$name" = lab ]; then step copy_fresh "$dir"; else steps+=("–"); fi

  # The critical path of a whymiss run: its go commands timed by a wrapper (a few ms of bash per
  # command), so what whymiss adds before the builds start and after the last one ends shows apart
  # from the builds themselves. Medians of 5 runs.
  local wrapper=$s/go-timed wlog=$SCRATCH/$name-wrapper.log i t0 t1
  cat > "$wrapper" <<WRAPPER
#!/usr/bin/env bash
s=\$(date +%s%N); '$GO_CMD' "\$@"; rc=\$?
echo "\$s \$(date +%s%N) \$1" >> '$wlog'; exit \$rc
WRAPPER
  chmod +x "$wrapper"
  : > "$SCRATCH/$name-path.txt"
  for i in 1 2 3 4 5; do
    : > "$wlog"
    t0=$(now_ns)
    "$WHYMISS" diff --go "$wrapper" -C "$dir" --quiet --b-env GOAMD64=v3 -- "$pkgs" >/dev/null 2>&1 || true
    t1=$(now_ns)
    awk -v S="$t0" -v E="$t1" '
      $3 == "build" { if ($1 > start) start = $1; if ($2 > end) end = $2; if (!first || $1 < first) first = $1 }
      END { printf "%.0f %.0f %.0f\n", (start - S) / 1e6, (end - first) / 1e6, (E - end) / 1e6 }' "$wlog" \
      >> "$SCRATCH/$name-path.txt"
  done
  local before during after
  before=$(cut -d' ' -f1 "$SCRATCH/$name-path.txt" | median)
  during=$(cut -d' ' -f2 "$SCRATCH/$name-path.txt" | median)
  after=$(cut -d' ' -f3 "$SCRATCH/$name-path.txt" | median)
  steps+=("$before ms" "$during ms" "$after ms")

  local log_kb
  log_kb=$(( ($(wc -c < "$SCRATCH/$name-a.log") + $(wc -c < "$SCRATCH/$name-b.log")) / 1024 ))
  BREAKDOWN+=("| $name | $(printf '%s | ' "${steps[@]}")$log_kb KB |")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
[ "$ONLY" = cmd-go ] || bench lab "$SCRATCH/lab" ./... ./...
[ "$ONLY" = lab ] || bench cmd-go "$SCRATCH/cmd-go" cmd/go -o /dev/null cmd/go
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# ---- report -----------------------------------------------------------------------------------

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo '?')
REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')
DIRTY=
if (cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null | grep -q .); then
  DIRTY=' (uncommitted changes)'
fi
TIMER_TEXT=$TIMER
[ "$TIMER" = hyperfine ] && TIMER_TEXT="hyperfine $(hyperfine --version | awk '{ print $2 }') (1 warm-up run, each command's runs back to back)"
[ "$TIMER" = bash ] && TIMER_TEXT="bash loop with date +%s%N (1 warm-up round, then the three commands interleaved round by round)"

PAIRED_NOTE=
if [ "$TIMER" = bash ]; then
  PAIRED_NOTE='; "paired" is the median of the ratios within each round (the three commands run back to back, so under about the same load)'
fi

TABLE=$(cat <<EOF
Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`scripts/bench-run.sh --runs $RUNS --timer $TIMER\`: whymiss $REV$DIRTY
(release build), go$GO_VERSION, $(nproc) cores ($CPU), load average $LOAD_BEFORE before and
$LOAD_AFTER after; timer: $TIMER_TEXT. Warm cache. Times are medians of $RUNS runs
(min–max in parentheses); side B differs by GOAMD64=v3. The ratios are of the medians$PAIRED_NOTE.

| corpus | packages (with deps) | actions compared | \`whymiss diff\` | two \`go build\`s, concurrent | one after the other | whymiss / concurrent (target ≤ 1.10) | whymiss / sequential (target ≤ 0.85) |
|---|---:|---:|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

Where whymiss's own time goes. Left: its steps, each timed alone (median of 5): \`go env\` (once
per side, the sides in parallel, before the build), parsing + comparing +
reporting the two logs (\`whymiss compare\` of the logs the hand-run builds wrote), and the module
copy that \`--b-relocate\` makes (not used in the runs above). Right: the critical path of a
\`whymiss diff\` run (median of 5, its go commands timed by a wrapper script): how long after
whymiss starts the later of the two builds starts, how long the builds take, and how long whymiss
runs after the last build ends.

| corpus | go env | parse + compare + report | module copy | before the builds | builds | after the builds | logs (A + B) |
|---|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${BREAKDOWN[@]}")
EOF
)

echo
echo "$TABLE"
echo

if [ "$WRITE_DOC" = 1 ]; then
  # One section per timer, so a hyperfine run and a bash-loop run can stand side by side.
  BEGIN="<!-- bench-run:begin $TIMER (written by scripts/bench-run.sh --timer $TIMER; edit outside these markers) -->"
  END="<!-- bench-run:end $TIMER -->"
  if [ ! -f "$DOC" ] || ! grep -qF "$BEGIN" "$DOC"; then
    {
      [ -f "$DOC" ] && cat "$DOC" && echo
      if [ ! -f "$DOC" ]; then
        echo "# whymiss diff next to two go builds by hand"
        echo
        echo "Measured figures from \`scripts/bench-run.sh\` (see the script's header for what is timed)."
        echo
      fi
      echo "$BEGIN"
      echo "$END"
    } > "$DOC.tmp"
    mv "$DOC.tmp" "$DOC"
  fi
  printf '%s\n' "$TABLE" > "$SCRATCH/table.md"
  awk -v begin="$BEGIN" -v end="$END" -v table="$SCRATCH/table.md" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }
  ' "$DOC" > "$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
  echo "bench-run: wrote the table into ${DOC#"$ROOT"/}" >&2
fi

if [ "$MISSED" = 1 ]; then
  echo "bench-run: a ratio target was MISSED (see the table)" >&2
  [ "$CHECK" = 1 ] && exit 1
fi
exit 0
