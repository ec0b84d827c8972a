#!/usr/bin/env bash
# Dry keys (issue 12): how long the default check takes with `go build -n`, next to real builds.
#
#   scripts/bench-dry.sh                    # 5 rounds of the dry measurements, 3 of --exact; writes docs/bench-dry.md
#   scripts/bench-dry.sh --runs 7           # rounds of the dry measurements (at least 3)
#   scripts/bench-dry.sh --exact-runs 1     # rounds of the real builds (minutes each; 0 skips them)
#   scripts/bench-dry.sh --no-doc           # print only, leave docs/bench-dry.md alone
#
# What is measured (release build of whymiss, go1.27.3 from .toolchains, everything under nice -n 5,
# GOENV=off GOFLAGS= GOTOOLCHAIN=local, no inherited GODEBUG/GOAMD64/CGO_ENABLED):
#
#   gen dry          `whymiss -C bench-data/genmod --no-verify`: the default relocation check of the
#                    generated module (scripts/gen-module.py: 1,000 packages, 25 layers, 4 cgo, 1,208
#                    actions), dry, in whymiss's dry-run GOCACHE (warmed by one untimed run, as after
#                    the first use on a machine)
#   gen dry+verify   the same with the verification of the -trimpath fix (whymiss's default)
#   gen dry, first   `--no-verify` with an empty dry-run GOCACHE (the very first run on a machine)
#   gen exact        `whymiss -C bench-data/genmod --exact --no-verify` in a GOCACHE where side A's
#                    build is cached (one untimed `go build ./...` of genmod at its path) and side B,
#                    the module at another path, compiles every one of its 1,003 packages (the
#                    standard library is cached): the real relocation check, cold for side B
#   lab default      `whymiss -C <copy of corpus/modules/lab>`: the default check with verification
#   memory           whymiss's own peak resident memory (VmHWM of its process, sampled every 20 ms)
#                    during `gen dry`, against the size of the two logs it holds (a dry capture of
#                    each side: the gocachehash lines only)
#
# Each round runs every measurement once, interleaved, so a drift of the machine's load spreads
# over all of them. Wall times are medians and ranges; CPU is user + sys of whymiss and its go
# processes (GNU time); the load average (1 min) is taken before each run. This machine is
# shared: read the CPU column and the load next to the wall times.
set -euo pipefail

RUNS=5
EXACT_RUNS=3
WRITE_DOC=1
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --exact-runs) EXACT_RUNS=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-dry.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ "$RUNS" -ge 3 ] || { echo "bench-dry.sh: --runs must be at least 3" >&2; exit 2; }

cd "$(dirname "$0")/.."
ROOT=$PWD
GO=$ROOT/.toolchains/bin/go1.27.3
[ -x "$GO" ] || { echo "bench-dry.sh: $GO is missing (scripts/install-go.sh)" >&2; exit 2; }
DATA=$ROOT/bench-data
mkdir -p "$DATA"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/whymiss-bench-dry.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

echo "building whymiss (release)…" >&2
nice -n 5 cargo build --release --quiet
WHYMISS=$ROOT/target/release/whymiss

[ -f "$DATA/genmod/GENERATED" ] || python3 scripts/gen-module.py
GEN=$DATA/genmod
LAB=$SCRATCH/src/lab
mkdir -p "$SCRATCH/src"
cp -a corpus/modules/lab "$LAB"

# The environment of every command: the user's go settings out.
clean_env=(env -u GODEBUG -u GOAMD64 -u CGO_ENABLED -u GOEXPERIMENT -u GOFLAGS -u GOTMPDIR
  GOENV=off GOFLAGS= GOTOOLCHAIN=local GOPROXY=off NO_COLOR=1)
DRY_CACHE=$DATA/dry-gocache
EXACT_CACHE=$DATA/gocache-exact
export WHYMISS_DRY_GOCACHE=$DRY_CACHE

# One measured command: label, then the command. Appends "label wall user sys load exit" to the
# results file.
RESULTS=$SCRATCH/results.txt
: > "$RESULTS"
measure() {
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local exit=0
  /usr/bin/time -f "%e %U %S" -o "$SCRATCH/time.txt" nice -n 5 "${clean_env[@]}" "$@" \
    > "$SCRATCH/out.txt" 2> "$SCRATCH/err.txt" || exit=$?
  # whymiss exits 1 when the keys differ: what these checks find.
  if [ "$exit" -gt 1 ]; then
    echo "bench-dry.sh: $label failed (exit $exit):" >&2; cat "$SCRATCH/err.txt" >&2; exit 1
  fi
  echo "$label $(tail -1 "$SCRATCH/time.txt") $load $exit" >> "$RESULTS"
  echo "  $label: $(tail -1 "$SCRATCH/time.txt") (wall user sys), load $load" >&2
}

# whymiss's own peak resident memory while it runs the command (VmHWM, sampled).
peak_memory() {
  nice -n 5 "${clean_env[@]}" "$@" > /dev/null 2>&1 &
  local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.02
  done
  wait "$pid" || true
  echo "$hwm"
}

check=("$WHYMISS" --go "$GO" --quiet)
echo "warming: one dry check of genmod (untimed)…" >&2
nice -n 5 "${clean_env[@]}" "${check[@]}" -C "$GEN" --no-verify > /dev/null || true
if [ "$EXACT_RUNS" -gt 0 ]; then
  echo "warming: a real build of genmod into $EXACT_CACHE (untimed; minutes the first time)…" >&2
  (cd "$GEN" && nice -n 5 "${clean_env[@]}" GOCACHE="$EXACT_CACHE" "$GO" build -o /dev/null ./...)
fi

for round in $(seq 1 "$RUNS"); do
  echo "round $round of $RUNS" >&2
  measure gen-dry "${check[@]}" -C "$GEN" --no-verify
  measure gen-dry-verify "${check[@]}" -C "$GEN"
  first=$SCRATCH/dry-first-$round
  measure gen-dry-first env WHYMISS_DRY_GOCACHE="$first" "${check[@]}" -C "$GEN" --no-verify
  rm -rf "$first"
  measure lab-default "${check[@]}" -C "$LAB"
  if [ "$round" -le "$EXACT_RUNS" ]; then
    measure gen-exact env GOCACHE="$EXACT_CACHE" "${check[@]}" -C "$GEN" --exact --no-verify
  fi
  echo "gen-memory $(peak_memory "${check[@]}" -C "$GEN" --no-verify)" >> "$RESULTS"
done

# The two logs whymiss holds: a dry capture of each side (the moved side's paths are a little
# longer; its log is the same size within a few KB).
nice -n 5 "${clean_env[@]}" "$WHYMISS" capture --go "$GO" --quiet -C "$GEN" -o "$SCRATCH/a.capture" -- -buildvcs=false ./... > /dev/null
LOG_BYTES=$(( $(sed -n '/^# ---/,$p' "$SCRATCH/a.capture" | tail -n +2 | wc -c) * 2 ))

python3 - "$RESULTS" "$LOG_BYTES" "$RUNS" "$EXACT_RUNS" "$WRITE_DOC" <<'PY'
import statistics, sys, datetime, platform, os
results, log_bytes, runs, exact_runs, write_doc = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6])
rows = {}
memory = []
for line in open(results):
    parts = line.split()
    if parts[0] == "gen-memory":
        memory.append(int(parts[1]))
        continue
    label, wall, user, sys_, load, _ = parts
    rows.setdefault(label, []).append((float(wall), float(user) + float(sys_), float(load)))

def fmt(xs, unit="s"):
    xs = sorted(xs)
    return f"**{statistics.median(xs):.2f} {unit}** ({xs[0]:.2f}–{xs[-1]:.2f})"

names = [
    ("gen-dry", "generated module (1,000 packages), default check dry, `--no-verify`"),
    ("gen-dry-verify", "the same with the verification of the -trimpath fix (the default)"),
    ("gen-dry-first", "the same `--no-verify`, empty dry-run GOCACHE (first run on a machine)"),
    ("gen-exact", "`--exact --no-verify`, side A cached, side B at another path compiles every module package"),
    ("lab-default", "corpus/modules/lab, default check (dry, with verification)"),
]
out = []
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
cpus = os.cpu_count()
out.append(f"Measured {now} on {cpus} cores ({platform.machine()}), `scripts/bench-dry.sh --runs {runs} --exact-runs {exact_runs}`; "
           "release build, go1.27.3, `nice -n 5`. Wall: median (range); CPU: user + sys of whymiss and its go processes; "
           "load: the 1-minute load average before each run.\n")
out.append("| what | runs | wall | CPU | load |")
out.append("|---|---|---|---|---|")
for key, what in names:
    if key not in rows:
        continue
    r = rows[key]
    out.append(f"| {what} | {len(r)} | {fmt([x[0] for x in r])} | {fmt([x[1] for x in r])} | "
               f"{min(x[2] for x in r):.1f}–{max(x[2] for x in r):.1f} |")
med = lambda key, i: statistics.median(x[i] for x in rows[key])
out.append("")
if "gen-exact" in rows:
    out.append(f"Ratio `--exact` / dry (medians, `--no-verify` both): **{med('gen-exact', 0) / med('gen-dry', 0):.1f}×** wall, "
               f"**{med('gen-exact', 1) / med('gen-dry', 1):.1f}×** CPU; against the default dry check with verification: "
               f"{med('gen-exact', 0) / med('gen-dry-verify', 0):.1f}× wall, {med('gen-exact', 1) / med('gen-dry-verify', 1):.1f}× CPU.")
if memory:
    m = sorted(memory)
    peak = statistics.median(m) * 1024
    out.append(f"Peak memory of whymiss itself during the generated module's dry check: **{statistics.median(m)/1024:.1f} MiB** "
               f"({m[0]/1024:.1f}–{m[-1]/1024:.1f}), for {log_bytes/1e6:.2f} MB of logs (the two sides' gocachehash lines): "
               f"**{peak/log_bytes:.1f}×** the logs.")
text = "\n".join(out) + "\n"
print(text)
if write_doc:
    header = ("# Dry-run benchmark (`scripts/bench-dry.sh`)\n\n"
              "The latest run of `scripts/bench-dry.sh`; README's Performance section quotes it. What each row "
              "measures is described at the top of the script.\n\n")
    open("docs/bench-dry.md", "w").write(header + text)
PY
