#!/usr/bin/env bash
# Regenerate corpus/logs/ from real `GODEBUG=gocachehash=1` runs of every supported Go toolchain.
#
#   scripts/capture-corpus.sh              # all versions (1.21.13 … 1.27.3); replaces every corpus/logs/go*/
#   scripts/capture-corpus.sh 1.27.3 …     # only these versions; other corpus/logs/go*/ are left alone
#
# For each version V it writes corpus/logs/goV/ (stderr of the go command only; stdout is discarded;
# each log is stored gzip-compressed as NAME.log.gz, which whymiss reads directly):
#
#   lab-build.log          GODEBUG=gocachehash=1           go build ./...            cold cache, default -p,
#                                                                                     moduleIndex lines included
#   lab-trimpath.log       GODEBUG=gocachehash=1,goindex=0 go build -trimpath ./...  warm cache
#   lab-test.log           GODEBUG=gocachehash=1,gocachetest=1,goindex=0
#                                                          go test ./greet/... ./util/...   tests not yet cached
#   lab-test-cached.log    the same command again: results come from the test cache
#   lab-coverpkg.log       GODEBUG=gocachehash=1,gocachetest=1,goindex=0
#                                                          go test -coverpkg=./... <every lab package with tests>
#                          (first coverage run: misses and saves). A package and its test variant both
#                          print `HASH[build P]`; the summary line says whether two such blocks were
#                          open at the same time in this run (a matter of scheduling, see README)
#   tiny-build.log         GODEBUG=gocachehash=1,goindex=0 go build -p 1 -o /dev/null .   (corpus/modules/tiny)
#
# How the runs are made reproducible:
#   * Toolchains come from scripts/install-go.sh (idempotent), called with the versions needed.
#   * Every go command runs under `env -i` with only HOME, PATH, TMPDIR (if set) and
#     GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GONOSUMDB= GOSUMDB=off CGO_ENABLED=1 TZ=UTC
#     plus GOCACHE and GODEBUG, so nothing from the caller's environment (GODEBUG, GOFLAGS, CC, …) leaks in.
#   * The modules are copied (cp -a, without any .git) to a stable path,
#     ${TMPDIR:-/tmp}/whymiss-capture/goV/{lab,tiny}, and every mtime in the copy is set to
#     2024-01-01 00:00:00 UTC, so `dir` lines, moduleIndex blocks and test-cache stat lines are stable
#     and moduleIndex blocks are never abandoned (files newer than 2 s abandon them).
#   * Each version gets a fresh GOCACHE, ${TMPDIR:-/tmp}/whymiss-capture/goV/gocache.
#   * ${TMPDIR:-/tmp}/whymiss-capture is deleted at the start and, through a trap, at exit (also on error).
#     Do not run two captures at once.
#
# Logs are written to a staging directory first; corpus/logs/ is only touched after every capture of
# every requested version succeeded. Any failing go command fails the script.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
all=(1.21.13 1.22.10 1.23.9 1.24.11 1.25.5 1.26.6 1.27.3)
if [ $# -eq 0 ]; then
  versions=("${all[@]}")
  replace_all=1
else
  versions=("$@")
  replace_all=0
fi

logs=$repo/corpus/logs
modules=$repo/corpus/modules
toolchains=${WHYMISS_TOOLCHAINS:-$repo/.toolchains}
root=${TMPDIR:-/tmp}
root=${root%/}/whymiss-capture
stage=$root/logs
pinned_mtime='2024-01-01 00:00:00 UTC'

cleanup() { rm -rf "$root"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf 'capture-corpus: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for m in lab tiny; do
  [ -f "$modules/$m/go.mod" ] || die "missing $modules/$m/go.mod"
done

"$repo/scripts/install-go.sh" "${versions[@]}" >&2

rm -rf "$root"
mkdir -p "$stage"

# run_go GODEBUG GOCACHE DIR ARGS... : the go of the current version, in a clean environment.
run_go() {
  local godebug=$1 gocache=$2 dir=$3
  shift 3
  local -a envv=(HOME="$HOME" PATH="$PATH")
  if [ -n "${TMPDIR:-}" ]; then envv+=(TMPDIR="$TMPDIR"); fi
  envv+=(GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GONOSUMDB= GOSUMDB=off
    CGO_ENABLED=1 TZ=UTC GOCACHE="$gocache" GODEBUG="$godebug")
  (cd "$dir" && exec env -i "${envv[@]}" "$go" "$@")
}

# go_to_log NAME DIR GODEBUG ARGS... : run go with its stderr in NAME.log; on failure show why and exit.
go_to_log() {
  local name=$1 dir=$2 godebug=$3
  shift 3
  local out=$stage/go$v/$name.log
  local stdout=$work/$name.stdout
  if ! run_go "$godebug" "$gocache" "$dir" "$@" >"$stdout" 2>"$out"; then
    log "go$v: $name: \`go $*\` failed in $dir; non-HASH stderr and stdout follow"
    grep -v -e '^HASH' -e '^testcache:' "$out" | tail -n 40 >&2 || true
    tail -n 40 "$stdout" >&2 || true
    exit 1
  fi
  [ -s "$out" ] || die "go$v: $name: empty log"
  grep -q '^HASH\[' "$out" || die "go$v: $name: no HASH lines in log"
}

# report NAME [NOTE] : one summary line per log.
report() {
  local out=$stage/go$v/$1.log
  printf '%-10s %-22s %10d bytes %7d lines%s\n' "go$v" "$1.log" "$(wc -c <"$out")" "$(wc -l <"$out")" "${2:+  $2}"
}

# capture NAME DIR GODEBUG ARGS... : one run, kept as NAME.log.
capture() {
  go_to_log "$@"
  report "$1"
}

# same_name_overlap FILE : true when some `HASH[build P]` opens while another `HASH[build P]` is
# still waiting for its result line (a package and its test variant hashed at the same time).
same_name_overlap() {
  awk '
    /^HASH\[build [^]]*\]$/ { if (open[$0] > 0) found = 1; open[$0]++; next }
    /^HASH\[build [^]]*\]: [0-9a-f]+$/ { n = substr($0, 1, index($0, "]: ")); if (open[n] > 0) open[n]-- }
    END { exit !found }' "$1"
}

# copy_module NAME DEST : a .git-free copy with every mtime pinned.
copy_module() {
  cp -a "$modules/$1" "$2"
  find "$2" -name .git -prune -exec rm -rf {} +
  find "$2" -exec touch -h -d "$pinned_mtime" {} +
}

start_all=$SECONDS
for v in "${versions[@]}"; do
  start=$SECONDS
  go=$toolchains/bin/go$v
  [ -x "$go" ] || die "no toolchain at $go"
  work=$root/go$v
  gocache=$work/gocache
  lab=$work/lab
  tiny=$work/tiny
  mkdir -p "$work" "$gocache" "$stage/go$v"
  copy_module lab "$lab"
  copy_module tiny "$tiny"

  # The lab packages that have tests, as ./relative patterns. Listed with a throwaway cache so the
  # capture cache stays cold for lab-build.
  mapfile -t tested < <(run_go goindex=0 "$work/list-cache" "$lab" list \
    -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./... |
    sed -n 's|^example\.com/lab/|./|p')
  rm -rf "$work/list-cache"
  [ "${#tested[@]}" -ge 1 ] || die "go$v: no lab packages with tests"

  capture lab-build "$lab" gocachehash=1 build ./...
  capture lab-trimpath "$lab" gocachehash=1,goindex=0 build -trimpath ./...
  capture lab-test "$lab" gocachehash=1,gocachetest=1,goindex=0 test ./greet/... ./util/...
  capture lab-test-cached "$lab" gocachehash=1,gocachetest=1,goindex=0 test ./greet/... ./util/...
  go_to_log lab-coverpkg "$lab" gocachehash=1,gocachetest=1,goindex=0 test -coverpkg=./... "${tested[@]}"
  if same_name_overlap "$stage/go$v/lab-coverpkg.log"; then
    report lab-coverpkg "(same-name build blocks overlap)"
  else
    report lab-coverpkg "(same-name build blocks sequential)"
  fi
  capture tiny-build "$tiny" gocachehash=1,goindex=0 build -p 1 -o /dev/null .

  grep -q '^testcache: .*test ID .* => input ID ' "$stage/go$v/lab-test-cached.log" ||
    die "go$v: lab-test-cached.log has no test-cache hit"
  log "go$v: done in $((SECONDS - start)) s"
  # Free disk early; the trap removes the rest.
  rm -rf "$work"
done

mkdir -p "$logs"
if [ "$replace_all" = 1 ]; then
  find "$logs" -mindepth 1 -maxdepth 1 -type d -name 'go*' -exec rm -rf {} +
fi
for v in "${versions[@]}"; do
  # Stored gzip-compressed (whymiss reads .gz directly; `zcat` shows them): 16 MB → 4 MB.
  gzip -9 -n "$stage/go$v"/*.log
  rm -rf "${logs:?}/go$v"
  mv "$stage/go$v" "$logs/go$v"
done
log "wrote $(du -sh "$logs" | cut -f1) to $logs in $((SECONDS - start_all)) s"
