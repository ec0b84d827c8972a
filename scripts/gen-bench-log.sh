#!/usr/bin/env bash
# Generate two large, real `GODEBUG=gocachehash=1` logs for the parser/diff benchmarks:
#
#   bench-data/big.log     >= 100 MiB (about 115-120 MB): concatenated stderr of real
#                          `go build std cmd` runs for several GOOS/GOARCH targets.
#   bench-data/big-b.log   the same sequence of captures, but every amd64 piece is built with
#                          GOAMD64=v3, so all build/link keys of those pieces really differ
#                          (section 6.h of the gocachehash reference); the arm64 pieces are
#                          unchanged. Piece i of big-b.log corresponds to piece i of big.log.
#   bench-data/big.pieces.tsv, big-b.pieces.tsv
#                          one row per capture: byte offset, size, line count, time, command.
#
# Sequence, for each target in linux/amd64 (cgo on when a C compiler is found), windows/amd64
# and darwin/arm64 (both CGO_ENABLED=0):
#   1. a first run with the default -p (cold on a fresh cache: compiles everything, minutes),
#   2. warm runs with -p 1, 2, 8, 32, each with GODEBUG=gocachehash=1 and with
#      GODEBUG=gocachehash=1,goindex=0,
#   3. one more warm run with -p 2, 8, 32 each (gocachehash=1): new real interleavings.
# Every capture must exit 0, print nothing on stdout, and print only `HASH` lines on stderr;
# otherwise the script fails.
#
# The Go cache is bench-data/gocache (kept between runs, so reruns are warm). Go runs with a
# minimal environment: GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off, no network.
#
# Idempotent: a log that already exists with >= 100 MiB is left alone unless --force is given.
# Full cold regeneration: `rm -rf bench-data && scripts/gen-bench-log.sh`. Measured on a busy
# 2-core machine: 44 min cold (5 cold builds of about 6-8 min each: 3 targets for big.log, then
# the 2 amd64 targets again with GOAMD64=v3), 14 min with a warm cache (--force); peak disk use
# of bench-data about 4 GB (3.7 GB Go cache + the logs). With --force on a warm cache, the first
# piece of each target is a warm run, not a cold one (slightly fewer lines).
#
#   scripts/gen-bench-log.sh            # generate whatever is missing
#   scripts/gen-bench-log.sh --force    # regenerate both logs (re-uses the warm cache)
#
# Environment: WHYMISS_BENCH_GO overrides the toolchain (default .toolchains/bin/go1.27.3,
# installed by scripts/install-go.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$repo/bench-data
go_bin=${WHYMISS_BENCH_GO:-$repo/.toolchains/bin/go1.27.3}
min_bytes=$((100 * 1024 * 1024))

force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "gen-bench-log: unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

die() {
  echo "gen-bench-log: $*" >&2
  exit 1
}

[ -x "$go_bin" ] || die "$go_bin not found; run scripts/install-go.sh"

mkdir -p "$out"
exec 9>"$out/.lock"
flock -n 9 || die "another gen-bench-log.sh is running on $out"

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
now_ns() { date +%s%N; }
secs_since() { echo "scale=1; ($(now_ns) - $1) / 1000000000" | bc; }

# Which logs need (re)generating?
want=()
for name in big big-b; do
  f=$out/$name.log
  if [ "$force" = 0 ] && [ "$(size_of "$f")" -ge "$min_bytes" ]; then
    echo "gen-bench-log: $name.log exists ($(size_of "$f") bytes), skipping (use --force to regenerate)"
  else
    want+=("$name")
  fi
done
if [ ${#want[@]} -eq 0 ]; then
  exit 0
fi

go_version=$("$go_bin" env GOVERSION)
host_cgo=0
if command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; then
  host_cgo=1
fi
echo "gen-bench-log: toolchain $go_version ($go_bin), output $out, linux/amd64 CGO_ENABLED=$host_cgo"

# target GOOS/GOARCH and its CGO_ENABLED
targets=("linux/amd64:$host_cgo" "windows/amd64:0" "darwin/arm64:0")
# -p value ("" = default) and GODEBUG, in capture order for each target
variants=(
  ":gocachehash=1"
  "1:gocachehash=1" "1:gocachehash=1,goindex=0"
  "2:gocachehash=1" "2:gocachehash=1,goindex=0"
  "8:gocachehash=1" "8:gocachehash=1,goindex=0"
  "32:gocachehash=1" "32:gocachehash=1,goindex=0"
  "2:gocachehash=1" "8:gocachehash=1" "32:gocachehash=1"
)

mkdir -p "$out/gocache" "$out/gopath"
# On any exit, drop partial outputs; a failing capture is kept as bench-data/failed-piece.log.
trap 'rm -f "$out"/*.tmp' EXIT
peak_kb=0
note_disk() {
  local kb
  kb=$(du -sk "$out" | cut -f1)
  if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
}

# generate NAME: writes $out/NAME.log and $out/NAME.pieces.tsv
generate() {
  local name=$1 log=$out/$1.log tsv=$out/$1.pieces.tsv
  local tmp=$log.tmp tsv_tmp=$tsv.tmp piece=$out/piece.tmp stdout_f=$out/stdout.tmp
  local start_all idx=0 offset=0 t goos goarch cgo goamd64 v p godebug start secs bytes lines bad
  start_all=$(now_ns)
  : >"$tmp"
  printf 'piece\ttarget\tbyte_offset\tbytes\tlines\tseconds\tcommand\n' >"$tsv_tmp"
  for t in "${targets[@]}"; do
    goos=${t%%/*}
    goarch=${t#*/}
    goarch=${goarch%%:*}
    cgo=${t##*:}
    goamd64=""
    if [ "$name" = big-b ] && [ "$goarch" = amd64 ]; then goamd64=v3; fi
    for v in "${variants[@]}"; do
      idx=$((idx + 1))
      p=${v%%:*}
      godebug=${v#*:}
      local -a envs=(
        "HOME=${HOME:-$out}" "PATH=$PATH" "TMPDIR=${TMPDIR:-/tmp}"
        GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off
        "GOCACHE=$out/gocache" "GOPATH=$out/gopath"
        "GOOS=$goos" "GOARCH=$goarch" "CGO_ENABLED=$cgo" "GODEBUG=$godebug"
      )
      if [ -n "$goamd64" ]; then envs+=("GOAMD64=$goamd64"); fi
      local -a args=(build)
      if [ -n "$p" ]; then args+=(-p "$p"); fi
      args+=(std cmd)
      local shown="GOOS=$goos GOARCH=$goarch CGO_ENABLED=$cgo${goamd64:+ GOAMD64=$goamd64} GODEBUG=$godebug go ${args[*]}"
      printf 'gen-bench-log: %s piece %2d: %s ... ' "$name" "$idx" "$shown"
      start=$(now_ns)
      rm -f "$out/failed-piece.log"
      if ! (cd "$out" && env -i "${envs[@]}" "$go_bin" "${args[@]}") >"$stdout_f" 2>"$piece"; then
        echo "FAILED"
        cp "$piece" "$out/failed-piece.log"
        grep -v '^HASH' "$piece" | head -n 40 >&2 || true
        die "$name piece $idx failed (stderr in bench-data/failed-piece.log): $shown"
      fi
      secs=$(secs_since "$start")
      if [ -s "$stdout_f" ]; then
        echo "FAILED"
        head -n 20 "$stdout_f" >&2
        die "$name piece $idx printed on stdout: $shown"
      fi
      bad=$(grep -vc '^HASH' "$piece" || true)
      if [ "$bad" != 0 ]; then
        echo "FAILED"
        cp "$piece" "$out/failed-piece.log"
        grep -v '^HASH' "$piece" | head -n 40 >&2
        die "$name piece $idx: $bad stderr lines are not HASH lines: $shown"
      fi
      bytes=$(size_of "$piece")
      lines=$(wc -l <"$piece")
      [ "$bytes" -gt 0 ] || die "$name piece $idx printed no HASH lines (is GODEBUG honoured?): $shown"
      cat "$piece" >>"$tmp"
      printf '%d\t%s/%s\t%d\t%d\t%d\t%s\t%s\n' "$idx" "$goos" "$goarch" "$offset" "$bytes" "$lines" "$secs" "$shown" >>"$tsv_tmp"
      offset=$((offset + bytes))
      echo "ok: $lines lines, $bytes bytes, ${secs}s (total $offset bytes)"
    done
    note_disk
  done
  rm -f "$piece" "$stdout_f"
  if [ "$offset" -lt "$min_bytes" ]; then
    rm -f "$tmp" "$tsv_tmp"
    die "$name.log came out at $offset bytes, below $min_bytes; add variants to the script"
  fi
  mv -f "$tsv_tmp" "$tsv"
  mv -f "$tmp" "$log"
  echo "gen-bench-log: $name.log done in $(secs_since "$start_all")s"
}

start_total=$(now_ns)
for name in "${want[@]}"; do
  generate "$name"
done
note_disk

echo "gen-bench-log: finished in $(secs_since "$start_total")s; peak disk use of bench-data ~$((peak_kb / 1024)) MiB"
for name in big big-b; do
  f=$out/$name.log
  printf 'gen-bench-log: %-11s %12d bytes %9d lines %9d HASH[ lines\n' \
    "$name.log" "$(size_of "$f")" "$(wc -l <"$f")" "$(grep -c '^HASH\[' "$f")"
done
