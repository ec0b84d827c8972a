#!/usr/bin/env bash
# Capture real pairs of `GODEBUG=gocachehash=1` logs, one pair per cause of a build-cache miss, into
# corpus/pairs/<name>/ (the test and demo corpus for `whymiss`: side A vs side B, known answer).
#
#   scripts/capture-pairs.sh                 # every pair; replaces corpus/pairs/ entirely
#   scripts/capture-pairs.sh moved race …    # only these pairs; other corpus/pairs/* are left alone
#   scripts/capture-pairs.sh --list          # the pair names
#
# Each corpus/pairs/<name>/ holds:
#   a.log.gz, b.log.gz  gzip -9n of the go command's STDERR only (stdout is discarded), captured with
#                       GODEBUG=gocachehash=1,goindex=0 (noise-tz: gocachehash=1 only) and the default
#                       -p (2 on a 2-core machine), so lines of different blocks interleave as in real
#                       life and every capture differs a little in line order.
#   case.txt            `expect: <category>[,<category>…]` (whymiss categories, kebab-case; `same` for a
#                       noise pair whose build/link action IDs must all be equal), `field: <the hashed
#                       field that differs>`, then `a:`/`b:` (directory, variables and command of each
#                       side), `env:` (the environment every go command starts from), `cache:`,
#                       optionally `setup:`, and `lesson:`.
#   README.md (top level) is generated too: a table of all pairs.
#
# The pairs (A vs B -> expected category):
#   moved               lab at …/x/lab vs …/elsewhere/deeper/lab                 absolute-path (dir)
#   trimpath-both-cgo   the same move, -trimpath on both sides                   absolute-path (cgo CC -I…)
#   trimpath-one-side   plain vs -trimpath                                       trimpath
#   toolchain           go1.26.6 vs go1.27.3                                     toolchain
#   goroot-moved        go1.27.3 vs a `cp -a` copy of its GOROOT                 absolute-path (link GOROOT=)
#   go-directive        go.mod `go 1.21` vs `go 1.22`                            go-version
#   goamd64             GOAMD64=v1 vs v3                                         target
#   goarch              GOARCH=amd64 vs arm64 (CGO_ENABLED=0)                    target
#   buildmode           default vs -buildmode=pie                                target
#   gcflags-scope       -gcflags=-N vs -gcflags=all=-N                           compiler-flags
#   ldflags-x           -X=main.version=1.0.0 vs 1.0.1                           linker-flags
#   cgo-enabled         CGO_ENABLED=1 vs 0                                       cgo, file-set
#   cgo-cflags          CGO_CFLAGS="-O2 -g" vs "-O1 -g"                          cgo
#   goexperiment        default vs GOEXPERIMENT=fieldtrack                       experiment
#   race                default vs -race                                         instrumentation
#   cover               default vs -cover                                        instrumentation
#   source              greet/greet.go: one string changed on B                  source
#   build-tags          default vs -tags=labextra                                file-set
#   vcs-stamp           clean git checkout vs the same with an untracked file    vcs-stamp
#   godebug             B adds `//go:debug panicnil=1` to cmd/labctl/main.go     godebug
#   debug-env           B sets GOSSAFUNC to a function that does not exist       debug-env
#   dependency-version  depapp vendoring example.com/dep v1.0.0 vs v1.1.0        dependency-version
#   nondeterministic    nondet: same key, different C header outside the module  nondeterministic
#   noise-cold-warm     the same build on a cold and on a warm cache             same
#   noise-tz            TZ=UTC vs TZ=America/New_York (moduleIndex lines kept)   same
#   noise-touch         touch every .go file between the runs                    same
#   noise-p1            -p 1 vs the default -p                                   same
#   noise-repeat        the same command twice                                   same
#
# How the runs are made:
#   * Modules: corpus/modules/{lab,depapp,nondet} are copied (cp -a, no .git) under
#     ${TMPDIR:-/tmp}/whymiss-pairs/p/<pair>/ and every mtime in a copy is pinned to
#     2024-01-01 00:00:00 UTC. Nothing is ever built inside corpus/.
#   * nondet includes a header from the FIXED directory /tmp/whymiss-nondet (named in its source);
#     the script writes it before each side and removes it at exit.
#   * Toolchains: go1.27.3 for everything, go1.26.6 for side A of `toolchain`, both installed by
#     scripts/install-go.sh (idempotent). goroot-moved copies the go1.27.3 GOROOT (about 250 MB).
#   * Environment: every go command runs under `env -i` with only HOME (a temp dir), PATH, TMPDIR (if
#     set) and GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GOSUMDB=off GONOSUMDB=
#     TZ=UTC CGO_ENABLED=1, plus GOCACHE, GODEBUG and the pair's own variables (which win).
#   * Caches: a seed GOCACHE is built once (go1.27.3 build ./... of lab); most pairs start from a
#     copy of it, warm it with side A's command (not captured), then capture A and B on that one
#     cache. Exceptions: noise-cold-warm starts empty, and nondeterministic gives A and B separate
#     empty caches (so B really recompiles the cgo package).
#   * Every pair is checked after capture (the expected field must differ, or the action IDs must be
#     equal for noise pairs); a failed check or a failing go command fails the script.
#   * Output goes to a staging directory; corpus/pairs/ is only touched when every requested pair
#     succeeded. ${TMPDIR:-/tmp}/whymiss-pairs is deleted at the start and, by a trap, at exit.
#     Do not run two captures at once. WHYMISS_KEEP_TEMP=1 keeps it at exit (for debugging a check).
# Prints one line per pair (gzip sizes, line counts, seconds) and the total time: about 4 minutes
# on 2 cores (more on a cold disk cache); corpus/pairs/ is about 2.9 MB.
# shellcheck disable=SC2016 # backquotes inside single quotes are Markdown/prose, not expansions
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
modules=$repo/corpus/modules
pairs_dir=$repo/corpus/pairs
toolchains=${WHYMISS_TOOLCHAINS:-$repo/.toolchains}
root=${TMPDIR:-/tmp}
root=${root%/}/whymiss-pairs
stage=$root/stage
nondet_inc=/tmp/whymiss-nondet # fixed: it is named in corpus/modules/nondet/cpkg/cpkg.go
pinned_mtime='2024-01-01 00:00:00 UTC'
v_main=1.27.3
v_old=1.26.6

all_pairs=(moved trimpath-both-cgo trimpath-one-side toolchain goroot-moved go-directive goamd64
  goarch buildmode gcflags-scope ldflags-x cgo-enabled cgo-cflags goexperiment race cover source
  build-tags vcs-stamp godebug debug-env dependency-version nondeterministic
  noise-cold-warm noise-tz noise-touch noise-p1 noise-repeat)

log() { printf 'capture-pairs: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

if [ "${1:-}" = --list ]; then
  printf '%s\n' "${all_pairs[@]}"
  exit 0
fi
if [ $# -eq 0 ]; then
  pairs=("${all_pairs[@]}")
  replace_all=1
else
  pairs=("$@")
  replace_all=0
  for p in "${pairs[@]}"; do
    case " ${all_pairs[*]} " in
    *" $p "*) ;;
    *) die "unknown pair '$p' (see --list)" ;;
    esac
  done
fi

made_nondet_inc=0
remove_root() {
  if [ -d "$root" ]; then
    chmod -R u+w "$root" 2>/dev/null || true
    rm -rf "$root"
  fi
}
cleanup() {
  if [ "${WHYMISS_KEEP_TEMP:-0}" = 1 ] && [ -d "$root" ]; then
    log "WHYMISS_KEEP_TEMP=1: keeping $root"
  else
    remove_root
  fi
  if [ "$made_nondet_inc" = 1 ]; then rm -rf "$nondet_inc"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for m in lab depapp nondet; do
  [ -f "$modules/$m/go.mod" ] || die "missing $modules/$m/go.mod"
done
command -v git >/dev/null || die "git is needed (vcs-stamp)"
command -v gcc >/dev/null || die "gcc is needed (cgo pairs)"

"$repo/scripts/install-go.sh" "$v_main" "$v_old" >&2
go_main=$toolchains/bin/go$v_main
go_old=$toolchains/bin/go$v_old

remove_root
mkdir -p "$stage" "$root/home" "$root/p"

base_env=(GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GOSUMDB=off GONOSUMDB= TZ=UTC
  CGO_ENABLED=1)
env_desc="env -i HOME=<temp> PATH=… ${base_env[*]} GOCACHE=<see cache:> GODEBUG=<see a:/b:>, then the variables shown in a:/b:"

# ---------------------------------------------------------------------------------------------
# Helpers. Per pair, these globals are set: go (binary), go_label (its name in case.txt), gocache,
# godebug, pstage (staging dir of the pair), pwork (temp work dir of the pair).

# go_cmd DIR LOG [VAR=VALUE…] -- ARGS… : run `$go ARGS…` in DIR, stderr to LOG, stdout discarded.
go_cmd() {
  local dir=$1 out=$2
  shift 2
  local -a extra=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    extra+=("$1")
    shift
  done
  [ $# -gt 0 ] || die "go_cmd: missing --"
  shift
  local -a envv=(HOME="$root/home" PATH="$PATH")
  if [ -n "${TMPDIR:-}" ]; then envv+=(TMPDIR="$TMPDIR"); fi
  envv+=("${base_env[@]}" GOCACHE="$gocache" GODEBUG="$godebug" "${extra[@]}")
  if ! (cd "$dir" && exec env -i "${envv[@]}" "$go" "$@") >"$root/stdout" 2>"$out"; then
    log "$pair: \`$go_label $*\` failed in $dir (${extra[*]}); non-HASH stderr and stdout follow"
    grep -v -e '^HASH' -e '^testcache:' "$out" | tail -n 40 >&2 || true
    tail -n 40 "$root/stdout" >&2 || true
    exit 1
  fi
}

# shell_words WORD… : the words joined by spaces, double-quoting those that contain blanks.
shell_words() {
  local w s=""
  for w in "$@"; do
    case $w in
    *[[:space:]]*) w="\"$w\"" ;;
    esac
    s+="${s:+ }$w"
  done
  printf '%s' "$s"
}

# warm DIR [VAR=VALUE…] -- ARGS… : an uncaptured run, to fill the cache.
warm() {
  local dir=$1
  shift
  go_cmd "$dir" "$root/warm.log" "$@"
}

# side a|b DIR [VAR=VALUE…] -- ARGS… : the captured run of one side; its description goes to case.txt.
side() {
  local s=$1 dir=$2
  shift 2
  local out=$pstage/$s.log
  go_cmd "$dir" "$out" "$@"
  [ -s "$out" ] || die "$pair: side $s: empty log"
  grep -q '^HASH\[' "$out" || die "$pair: side $s: no HASH lines"
  local -a extra=()
  while [ "$1" != -- ]; do
    extra+=("$1")
    shift
  done
  shift
  local d
  d="cd $dir && $(shell_words GODEBUG="$godebug" "${extra[@]}" "$go_label" "$@")"
  if [ "$s" = a ]; then desc_a=$d; else desc_b=$d; fi
}

# copy_module NAME DEST : a .git-free copy of corpus/modules/NAME with every mtime pinned.
copy_module() {
  mkdir -p "$(dirname "$2")"
  cp -a "$modules/$1" "$2"
  find "$2" -name .git -prune -exec rm -rf {} +
  pin_mtimes "$2"
}
pin_mtimes() { find "$1" -exec touch -h -d "$pinned_mtime" {} +; }

# seed_cache DEST : DEST becomes a copy of the seed cache (std and lab built once by go1.27.3).
seed_cache() {
  if [ ! -d "$root/seed/gocache" ]; then
    local t=$SECONDS
    local go=$go_main go_label=go$v_main gocache=$root/seed/gocache godebug='' pair=seed
    copy_module lab "$root/seed/lab"
    go_cmd "$root/seed/lab" "$root/warm.log" -- build ./...
    log "seed cache built in $((SECONDS - t)) s"
  fi
  cp -a "$root/seed/gocache" "$1"
}

# Checks, on the uncompressed logs. A "line" below is a raw log line, matched with grep -E.
# only_in a|b REGEX : some line matches in that side and none in the other.
only_in() {
  local s=$1 re=$2 o=a
  [ "$s" = a ] && o=b
  grep -qE -- "$re" "$pstage/$s.log" || die "$pair: check failed: no line of $s.log matches /$re/"
  if grep -qE -- "$re" "$pstage/$o.log"; then
    die "$pair: check failed: $o.log also has a line matching /$re/: $(grep -m1 -E -- "$re" "$pstage/$o.log")"
  fi
}
# in_both REGEX : both sides have a matching line.
in_both() {
  local s
  for s in a b; do
    grep -qE -- "$1" "$pstage/$s.log" || die "$pair: check failed: no line of $s.log matches /$1/"
  done
}
# in_neither REGEX
in_neither() {
  local s
  for s in a b; do
    if grep -qE -- "$1" "$pstage/$s.log"; then die "$pair: check failed: $s.log matches /$1/"; fi
  done
}
# lines_differ REGEX : the sorted sets of matching lines differ (and neither is empty).
lines_differ() {
  local a b
  a=$(grep -E -- "$1" "$pstage/a.log" | sort -u) || die "$pair: check failed: a.log has no /$1/"
  b=$(grep -E -- "$1" "$pstage/b.log" | sort -u) || die "$pair: check failed: b.log has no /$1/"
  [ "$a" != "$b" ] || die "$pair: check failed: lines /$1/ are the same on both sides"
}
# lines_same REGEX : the sorted sets of matching lines are equal (and not empty).
lines_same() {
  local a b
  a=$(grep -E -- "$1" "$pstage/a.log" | sort) || die "$pair: check failed: a.log has no /$1/"
  b=$(grep -E -- "$1" "$pstage/b.log" | sort) || die "$pair: check failed: b.log has no /$1/"
  [ "$a" = "$b" ] || die "$pair: check failed: lines /$1/ differ between the sides"
}
# Action-ID result lines of build/link blocks (moduleIndex, gccCompilerID, vet… are not included).
ids_re='^HASH\[(build|link) [^]]*\]: [0-9a-f]{64}$'

# finish : compress the logs, write case.txt, print the summary line.
finish() {
  local s
  for s in a b; do
    gzip -9n "$pstage/$s.log"
  done
  {
    printf 'expect: %s\n' "$expect"
    printf 'field: %s\n' "$field"
    printf 'a: %s\n' "$desc_a"
    printf 'b: %s\n' "$desc_b"
    printf 'env: %s\n' "$env_desc"
    printf 'cache: %s\n' "$cache_note"
    if [ -n "$setup_note" ]; then printf 'setup: %s\n' "$setup_note"; fi
    printf 'lesson: %s\n' "$lesson"
  } >"$pstage/case.txt"
  printf '%-19s a %6d B gz %5d lines | b %6d B gz %5d lines | %3d s\n' "$pair" \
    "$(wc -c <"$pstage/a.log.gz")" "$(zcat "$pstage/a.log.gz" | wc -l)" \
    "$(wc -c <"$pstage/b.log.gz")" "$(zcat "$pstage/b.log.gz" | wc -l)" "$((SECONDS - pair_start))"
}

# Build scopes (the logs are mostly std: each package in the closure costs ~1 KB of gzip, mostly
# incompressible hashes, so pairs build only what shows their difference):
labctl=(build -o /dev/null ./cmd/labctl)                          # 77 packages + link, ~68 KB gz
greet=(build ./greet)                                             # 56 packages, ~52 KB gz
cgo=(build ./cgopkg)                                              # 43 packages, ~41 KB gz
small=(build ./asmpkg ./tagged ./util/mathx ./internal/events)    # 37 packages, ~35 KB gz
nostd=(build ./asmpkg ./tagged ./util/mathx ./util/slicex)        # 4 packages without imports, ~2 KB gz
cache_shared="one GOCACHE for both sides: a copy of the seed cache (go$v_main build ./... of lab elsewhere), warmed with side A's command before A and B were captured"

# ---------------------------------------------------------------------------------------------
# The pairs. Each sets expect, field, cache_note, setup_note, lesson and captures sides a and b.

pair_moved() {
  local a=$pwork/x/lab b=$pwork/elsewhere/deeper/lab
  copy_module lab "$a"
  copy_module lab "$b"
  seed_cache "$gocache"
  warm "$a" -- "${labctl[@]}"
  side a "$a" -- "${labctl[@]}"
  side b "$b" -- "${labctl[@]}"
  only_in a '^HASH\[build example\.com/lab/greet\]: "dir /.*/x/lab/greet\\n"$'
  only_in b '^HASH\[build example\.com/lab/greet\]: "dir /.*/elsewhere/deeper/lab/greet\\n"$'
  expect=absolute-path
  field='dir (every main-module build block; then import/packagefile content IDs downstream)'
  cache_note=$cache_shared
  setup_note='two copies of lab at different absolute paths; no -trimpath'
  lesson='Without -trimpath the package directory is part of every main-module compile key, so the same checkout in another directory (another CI workspace, another user) misses for all of its packages; std packages still hit. Fix: -trimpath, or build at a fixed path.'
}

pair_trimpath-both-cgo() {
  local a=$pwork/x/lab b=$pwork/elsewhere/deeper/lab
  copy_module lab "$a"
  copy_module lab "$b"
  seed_cache "$gocache"
  warm "$a" -- build -trimpath ./cgopkg
  side a "$a" -- build -trimpath ./cgopkg
  side b "$b" -- build -trimpath ./cgopkg
  in_neither '^HASH\[build [^]]*\]: "dir '
  in_both '^HASH\[build example\.com/lab/cgopkg\]: "trimpath\\n"$'
  only_in b '^HASH\[build example\.com/lab/cgopkg\]: "CC=.*-I/[^"]*/elsewhere/deeper/lab/cgopkg/include'
  lines_same '^HASH\[build runtime\]: [0-9a-f]{64}$'
  expect=absolute-path
  field='CC (cgo flags of example.com/lab/cgopkg: the expanded -I${SRCDIR}/include; nothing else differs)'
  cache_note=$cache_shared
  setup_note='two copies of lab at different absolute paths; -trimpath on both sides'
  lesson='-trimpath removes the dir lines, but #cgo CFLAGS: -I${SRCDIR}/… is expanded to an absolute path before it is hashed, so a cgo package (and everything that imports it) still misses after a move. Fix: a relative include (#include "include/lab.h") or building at a fixed path.'
}

pair_trimpath-one-side() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  side b "$d" -- build -trimpath "${small[@]:1}"
  only_in b '^HASH\[build runtime\]: "trimpath\\n"$'
  expect=trimpath
  field='trimpath (every build block, std included; main-module blocks get a module line instead of dir; in a link also GOROOT= empty)'
  cache_note=$cache_shared
  setup_note=
  lesson='-trimpath is part of every compile and link key, std included, so switching it on for one kind of build (release) but not the other (dev, CI) means nothing is shared. Use the same flag everywhere.'
}

pair_toolchain() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  go=$go_old go_label=go$v_old
  warm "$d" -- "${greet[@]}"
  side a "$d" -- "${greet[@]}"
  go=$go_main go_label=go$v_main
  side b "$d" -- "${greet[@]}"
  only_in a "^HASH\\[build runtime\\]: \"go$v_old\"\$"
  only_in b "^HASH\\[build runtime\\]: \"go$v_main\"\$"
  only_in b "^HASH\\[build example\\.com/lab/greet\\]: \"compile compile version go$v_main "
  expect=toolchain
  field="salt and tool IDs (\"go$v_old\" / \"compile compile version go$v_old\" vs $v_main) in every block"
  cache_note="one GOCACHE: a copy of the seed cache (go$v_main std), warmed with side A's command (go$v_old) before capture"
  setup_note="side A runs go$v_old, side B go$v_main, same directory and flags"
  lesson='Every key starts with the go version and includes the compile/link tool IDs, so a toolchain upgrade (or two machines with different patch releases) invalidates the whole cache. Pin the toolchain (go.mod toolchain line, GOTOOLCHAIN) on every machine that shares a cache.'
}

pair_goroot-moved() {
  local d=$pwork/lab goroot copy=$pwork/goroot-copy/go
  copy_module lab "$d"
  seed_cache "$gocache"
  goroot=$(cd "$(dirname "$(readlink -f "$go_main")")/.." && pwd)
  mkdir -p "$(dirname "$copy")"
  cp -a "$goroot" "$copy"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  go=$copy/bin/go go_label=$copy/bin/go
  side b "$d" -- "${labctl[@]}"
  only_in b "^HASH\\[link example\\.com/lab/cmd/labctl\\]: \"GOROOT=$copy\\\\n\"\$"
  lines_same '^HASH\[build [^]]*\]: [0-9a-f]{64}$'
  lines_differ '^HASH\[link [^]]*\]: [0-9a-f]{64}$'
  expect=absolute-path
  field='GOROOT (link block only; every compile key is unchanged)'
  cache_note=$cache_shared
  setup_note="side B runs the same go$v_main installed elsewhere: \`cp -a $goroot $copy\`, then $copy/bin/go"
  lesson='The link key contains the absolute GOROOT (Go 1.23+: the real path), so the same release installed in another directory relinks every binary although every package compile hits. -trimpath removes it (GOROOT= empty).'
}

pair_go-directive() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  sed -i 's/^go 1\.21$/go 1.22/' "$d/go.mod"
  grep -qx 'go 1.22' "$d/go.mod" || die "$pair: could not edit go.mod"
  pin_mtimes "$d"
  side b "$d" -- "${labctl[@]}"
  only_in a '^HASH\[build example\.com/lab/greet\]: "go 1\.21\\n"$'
  only_in b '^HASH\[build example\.com/lab/greet\]: "go 1\.22\\n"$'
  lines_differ '^HASH\[link example\.com/lab/cmd/labctl\]: "defaultgodebug '
  expect='go-version'
  field='go (the go.mod go directive, in every main-module build block; defaultgodebug in the link)'
  cache_note=$cache_shared
  setup_note='between the sides, go.mod is edited from `go 1.21` to `go 1.22`'
  lesson='The go directive selects the language version (and with it the default GODEBUG settings), so it is part of every main-module compile key and of the link key. Bumping it rebuilds the whole module, but not std.'
}

pair_goamd64() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" GOAMD64=v1 -- "${small[@]}"
  side a "$d" GOAMD64=v1 -- "${small[@]}"
  side b "$d" GOAMD64=v3 -- "${small[@]}"
  only_in a '^HASH\[build runtime\]: "GOAMD64=v1\\n"$'
  only_in b '^HASH\[build runtime\]: "GOAMD64=v3\\n"$'
  expect=target
  field='GOAMD64 (every build block, std included; in a link also the link block and the main modinfo)'
  cache_note=$cache_shared
  setup_note=
  lesson='GOAMD64 (like GOARM, GOARM64, GO386 …) is part of every compile key, std included: a build machine with GOAMD64=v3 in its environment shares nothing with one that uses the default v1.'
}

pair_goarch() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" GOARCH=amd64 CGO_ENABLED=0 -- "${small[@]}"
  side a "$d" GOARCH=amd64 CGO_ENABLED=0 -- "${small[@]}"
  side b "$d" GOARCH=arm64 CGO_ENABLED=0 -- "${small[@]}"
  only_in a '^HASH\[build runtime\]: "goos linux goarch amd64\\n"$'
  only_in b '^HASH\[build runtime\]: "goos linux goarch arm64\\n"$'
  only_in a '^HASH\[build example\.com/lab/asmpkg\]: "file add_amd64\.s '
  only_in b '^HASH\[build example\.com/lab/asmpkg\]: "file add_other\.go '
  expect=target
  field='goos/goarch (every build block; also GOAMD64= vs GOARM64=, and per-arch file sets such as asmpkg)'
  cache_note=$cache_shared
  setup_note='CGO_ENABLED=0 on both sides (no arm64 C cross-compiler here)'
  lesson='GOOS/GOARCH are part of every key: a cross build shares nothing with a native one. The GOARCH-specific files (asmpkg/add_amd64.s vs add_other.go) change the file sets too, as a consequence.'
}

pair_buildmode() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  side b "$d" -- build -buildmode=pie -o /dev/null ./cmd/labctl
  only_in a '^HASH\[link example\.com/lab/cmd/labctl\]: "buildmode default goos linux goarch amd64\\n"$'
  only_in b '^HASH\[link example\.com/lab/cmd/labctl\]: "buildmode pie goos linux goarch amd64\\n"$'
  only_in b '^HASH\[build runtime\]: "compile compile version [^ ]+ \[\\"-shared\\"\] \[\]\\n"$'
  expect=target
  field='buildmode (link block: buildmode pie and the link tool line […] pie; every build block, std included: forced compile/asm flags ["-shared"]; -buildmode=pie in the main modinfo)'
  cache_note=$cache_shared
  setup_note=
  lesson='-buildmode=pie is recorded in the link key and, on linux/amd64, forces position-independent compilation of every package, std included, so it misses everywhere. Distro packaging (GOFLAGS=-buildmode=pie) is a common hidden source.'
}

pair_gcflags-scope() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- build -gcflags=-N ./greet
  side a "$d" -- build -gcflags=-N ./greet
  side b "$d" -- build -gcflags=all=-N ./greet
  in_both '^HASH\[build example\.com/lab/greet\]: "compile compile version [^ ]+ \[\] \[\\"-N\\"\]\\n"$'
  only_in b '^HASH\[build example\.com/lab/util/strs\]: "compile compile version [^ ]+ \[\] \[\\"-N\\"\]\\n"$'
  only_in b '^HASH\[build runtime\]: "compile compile version [^ ]+ \[\] \[\\"-N\\"\]\\n"$'
  expect=compiler-flags
  field='compile (the per-package gcflags list: ["-N"] only for greet (the named package) on A, for every package on B)'
  cache_note=$cache_shared
  setup_note=
  lesson='-gcflags=-N applies only to the packages named on the command line; -gcflags=all=-N to every dependency, std included. The two look alike on the command line but share almost nothing in the cache.'
}

pair_ldflags-x() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- build -ldflags=-X=main.version=1.0.0 -o /dev/null ./cmd/labctl
  side a "$d" -- build -ldflags=-X=main.version=1.0.0 -o /dev/null ./cmd/labctl
  side b "$d" -- build -ldflags=-X=main.version=1.0.1 -o /dev/null ./cmd/labctl
  only_in a '^HASH\[link example\.com/lab/cmd/labctl\]: "linkflags \[\\"-X=main\.version=1\.0\.0\\"\]\\n"$'
  only_in b '^HASH\[link example\.com/lab/cmd/labctl\]: "linkflags \[\\"-X=main\.version=1\.0\.1\\"\]\\n"$'
  lines_same '^HASH\[build example\.com/lab/greet\]: [0-9a-f]{64}$'
  expect=linker-flags
  field='linkflags (link block); -ldflags also lands in the main package modinfo (build -ldflags=…)'
  cache_note=$cache_shared
  setup_note=
  lesson='A version stamped with -X changes the link key and the main package modinfo (so main recompiles too), but no other package: expected, cheap misses. Stamping a commit hash or date makes every build relink.'
}

pair_cgo-enabled() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" CGO_ENABLED=1 -- "${labctl[@]}"
  side a "$d" CGO_ENABLED=1 -- "${labctl[@]}"
  side b "$d" CGO_ENABLED=0 -- "${labctl[@]}"
  only_in a '^HASH\[build example\.com/lab/cgopkg\]: "file cgo\.go '
  only_in b '^HASH\[build example\.com/lab/cgopkg\]: "file nocgo\.go '
  only_in a '^HASH\[build runtime/cgo\]$'
  only_in b '^HASH\[build example\.com/lab/cmd/labctl\]: "modinfo .*CGO_ENABLED=0'
  expect=cgo
  field='CGO_ENABLED (main modinfo build CGO_ENABLED=1/0; cgo/CC lines of cgopkg; its file set: cgo.go vs nocgo.go; runtime/cgo only on A)'
  cache_note=$cache_shared
  setup_note=
  lesson='CGO_ENABLED selects different files (//go:build cgo vs !cgo) and drops the cgo lines and runtime/cgo; it is also recorded in the main package modinfo. Its default depends on whether a C compiler is found, so two machines can differ without anyone setting it.'
}

pair_cgo-cflags() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" CGO_CFLAGS="-O2 -g" -- "${cgo[@]}"
  side a "$d" CGO_CFLAGS="-O2 -g" -- "${cgo[@]}"
  side b "$d" CGO_CFLAGS="-O1 -g" -- "${cgo[@]}"
  only_in a '^HASH\[build example\.com/lab/cgopkg\]: "CC=\[\\"gcc\\"\] \[\] \[\\"-O2\\" \\"-g\\"'
  only_in b '^HASH\[build example\.com/lab/cgopkg\]: "CC=\[\\"gcc\\"\] \[\] \[\\"-O1\\" \\"-g\\"'
  expect=cgo
  field='CC (the cgo flag lists of cgopkg and runtime/cgo); in a link also CGO_CFLAGS in the main modinfo'
  cache_note=$cache_shared
  setup_note=
  lesson='CGO_CFLAGS (and CGO_CPPFLAGS/CXXFLAGS/LDFLAGS, CC) are part of every cgo package key, runtime/cgo included; a different optimisation level on one machine rebuilds every cgo package and their dependents.'
}

pair_goexperiment() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  side b "$d" GOEXPERIMENT=fieldtrack -- "${small[@]}"
  only_in b '^HASH\[build runtime\]: "GOEXPERIMENT=\\"fieldtrack\\"\\n"$'
  only_in b '^HASH\[build runtime\]: "compile compile version [^ ]+ X:fieldtrack '
  expect=experiment
  field='GOEXPERIMENT (its own line and the X:fieldtrack suffix of the compile/asm/link tool IDs, every block)'
  cache_note=$cache_shared
  setup_note="fieldtrack is one of go$v_main's internal/goexperiment flags and off by default"
  lesson='A GOEXPERIMENT changes the tool IDs and adds a GOEXPERIMENT line to every key, std included: the whole build misses. Keep experiments out of shared build environments.'
}

pair_race() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" CGO_ENABLED=1 -- "${small[@]}"
  side a "$d" CGO_ENABLED=1 -- "${small[@]}"
  side b "$d" CGO_ENABLED=1 -- build -race "${small[@]:1}"
  only_in b '^HASH\[build runtime\]: "compile compile version [^ ]+ \[\\"-race\\"'
  expect=instrumentation
  field='compile (forced gcflags ["-race"] in every build block, std included; internal/race switches to race.go; in a link also runtime/race and -race in the main modinfo)'
  cache_note=$cache_shared
  setup_note='CGO_ENABLED=1 on both sides (-race needs cgo on linux/amd64)'
  lesson='-race instruments every package, std included, and adds runtime/race; race builds and normal builds share nothing. Expected, but keep them in separate jobs or caches if the cache is size-limited.'
}

pair_cover() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  side b "$d" -- build -cover "${small[@]:1}"
  only_in b '^HASH\[build example\.com/lab/internal/events\]: "cover \\"set\\" '
  expect=instrumentation
  field='cover (cover mode and tool in every main-module build block; std unchanged; in a link also runtime/coverage and -cover=true in the main modinfo)'
  cache_note=$cache_shared
  setup_note=
  lesson='-cover instruments the main-module packages (not std) and links in runtime/coverage: every main-module package and the link miss. Expected for coverage builds.'
}

pair_source() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  sed -i 's/msg := "hello, "/msg := "hi, "/' "$d/greet/greet.go"
  grep -q 'msg := "hi, "' "$d/greet/greet.go" || die "$pair: could not edit greet.go"
  pin_mtimes "$d"
  side b "$d" -- "${labctl[@]}"
  lines_differ '^HASH\[build example\.com/lab/greet\]: "file greet\.go '
  lines_same '^HASH\[build example\.com/lab/util/strs\]: [0-9a-f]{64}$'
  expect=source
  field='file greet.go (the content hash of one source file; then greet'"'"'s content ID in its dependents)'
  cache_note=$cache_shared
  setup_note='between the sides, greet/greet.go is edited: msg := "hello, " becomes msg := "hi, "'
  lesson='An edit changes the file hash of one package; its dependents (cmd/labctl and the link) miss only because that package'"'"'s compiled output changed. A change that leaves the output identical (a comment) stops at the package itself.'
}

pair_build-tags() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${nostd[@]}"
  side a "$d" -- "${nostd[@]}"
  side b "$d" -- build -tags=labextra "${nostd[@]:1}"
  only_in a '^HASH\[build example\.com/lab/tagged\]: "file plain\.go '
  only_in b '^HASH\[build example\.com/lab/tagged\]: "file extra\.go '
  expect=file-set
  field='file (the file set of example.com/lab/tagged: plain.go vs extra.go); in a link also -tags=labextra in the main modinfo'
  cache_note=$cache_shared
  setup_note=
  lesson='Build tags are not hashed themselves: they change which files a package has. Only the packages with tagged files (and their dependents, and the main modinfo) miss.'
}

pair_vcs-stamp() {
  local d=$pwork/lab
  copy_module lab "$d"
  (
    cd "$d"
    export HOME=$root/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
      GIT_AUTHOR_NAME=whymiss GIT_AUTHOR_EMAIL=whymiss@example.com \
      GIT_COMMITTER_NAME=whymiss GIT_COMMITTER_EMAIL=whymiss@example.com \
      GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
    git init -q -b main .
    git add -A
    git commit -q -m 'lab: initial import'
  ) || die "$pair: git setup failed"
  pin_mtimes "$d"
  seed_cache "$gocache"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  echo 'an untracked file' >"$d/NOTES.txt"
  touch -d "$pinned_mtime" "$d/NOTES.txt"
  side b "$d" -- "${labctl[@]}"
  only_in a '^HASH\[build example\.com/lab/cmd/labctl\]: "modinfo .*vcs\.modified=false'
  only_in b '^HASH\[build example\.com/lab/cmd/labctl\]: "modinfo .*vcs\.modified=true'
  lines_same '^HASH\[build example\.com/lab/greet\]: [0-9a-f]{64}$'
  expect=vcs-stamp
  field='modinfo (vcs.modified=false vs true, and the +dirty main-module version; main package only, then the link)'
  cache_note=$cache_shared
  setup_note='lab copied into a fresh git repository with one commit (fixed author, committer and dates); before side B an untracked NOTES.txt is added'
  lesson='VCS stamping (-buildvcs=auto) puts the revision, commit time and dirty flag into the main package modinfo: a new commit or just an untracked file recompiles main and relinks. Use -buildvcs=false where stamping is not wanted.'
}

pair_godebug() {
  local d=$pwork/lab f
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${labctl[@]}"
  side a "$d" -- "${labctl[@]}"
  f=$d/cmd/labctl/main.go
  { printf '//go:debug panicnil=1\n\n'; cat "$f"; } >"$f.new"
  mv "$f.new" "$f"
  pin_mtimes "$d"
  side b "$d" -- "${labctl[@]}"
  only_in b '^HASH\[link example\.com/lab/cmd/labctl\]: "defaultgodebug \\".*panicnil=1'
  only_in b '^HASH\[build example\.com/lab/cmd/labctl\]: "modinfo .*DefaultGODEBUG=[^"]*panicnil=1'
  lines_same '^HASH\[build example\.com/lab/greet\]: [0-9a-f]{64}$'
  expect=godebug
  field='defaultgodebug (link) and DefaultGODEBUG in the main package modinfo (main.go'"'"'s file hash changes too: the directive is in it)'
  cache_note=$cache_shared
  setup_note='before side B, the line `//go:debug panicnil=1` (and a blank line) is prepended to cmd/labctl/main.go'
  lesson='//go:debug directives (and the go.mod godebug block) change the default GODEBUG of the binary: only the main package and the link miss.'
}

pair_debug-env() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  side b "$d" GOSSAFUNC=WhymissNoSuchFunc -- "${small[@]}"
  only_in b '^HASH\[build runtime\]: "magic GOSSAFUNC=WhymissNoSuchFunc\\n"$'
  expect=debug-env
  field='magic GOSSAFUNC (every build block)'
  cache_note=$cache_shared
  setup_note='GOSSAFUNC names a function that does not exist, so the compiler writes nothing'
  lesson='GOSSAFUNC, GOSSADIR, GOCOMPILEDEBUG and GOCLOBBERDEADHASH are read from the environment and hashed into every compile key, std included, even when they have no effect. A leftover export in a shell profile silently disables the cache.'
}

pair_dependency-version() {
  local d=$pwork/depapp up
  copy_module depapp "$d"
  up=$d/testdata/upgrade-v1.1.0
  seed_cache "$gocache"
  local cmd=(build -mod=vendor -trimpath -o /dev/null .)
  warm "$d" -- "${cmd[@]}"
  side a "$d" -- "${cmd[@]}"
  cp -a "$up/." "$d/"
  grep -q 'v1.1.0' "$d/vendor/modules.txt" || die "$pair: upgrade overlay not applied"
  pin_mtimes "$d"
  side b "$d" -- "${cmd[@]}"
  only_in a '^HASH\[build example\.com/dep\]: "module example\.com/dep@v1\.0\.0\\n"$'
  only_in b '^HASH\[build example\.com/dep\]: "module example\.com/dep@v1\.1\.0\\n"$'
  expect=dependency-version
  field='module (example.com/dep@v1.0.0 vs @v1.1.0 in the dependency'"'"'s build block, -trimpath); dep line in the main modinfo; dep.go file hash'
  cache_note=$cache_shared
  setup_note='module corpus/modules/depapp, -mod=vendor, -trimpath on both sides; before side B its testdata/upgrade-v1.1.0/ (go.mod, go.sum, vendor/modules.txt, vendor/example.com/dep/dep.go) is copied over the module: dep v1.0.0 -> v1.1.0 with a changed Greeting'
  lesson='Upgrading a dependency changes its module version (with -trimpath: the module line; always: the main package modinfo) and usually its sources; the dependency and everything importing it miss.'
}

# write_nondet_header VALUE : the header outside the module that nondet/cpkg includes.
write_nondet_header() {
  mkdir -p "$nondet_inc"
  made_nondet_inc=1
  printf '/* written by scripts/capture-pairs.sh */\n#define VALUE %s\n' "$1" >"$nondet_inc/ext.h"
  touch -d "$pinned_mtime" "$nondet_inc/ext.h"
}

pair_nondeterministic() {
  local d=$pwork/nondet
  copy_module nondet "$d"
  local cmd=(build -o /dev/null .)
  gocache=$pwork/gocache-a
  write_nondet_header 1
  side a "$d" -- "${cmd[@]}"
  gocache=$pwork/gocache-b
  write_nondet_header 2
  side b "$d" -- "${cmd[@]}"
  lines_same '^HASH\[build example\.com/nondet/cpkg\]: [0-9a-f]{64}$'
  lines_differ '^HASH\[build example\.com/nondet\]: "import example\.com/nondet/cpkg '
  lines_differ '^HASH\[build example\.com/nondet\]: [0-9a-f]{64}$'
  expect=nondeterministic
  field='import example.com/nondet/cpkg <content ID> (in the main package; cpkg'"'"'s own action ID is identical)'
  cache_note='two separate, initially empty GOCACHEs (A: gocache-a, B: gocache-b), so B really recompiles cpkg'
  setup_note="module corpus/modules/nondet; cpkg includes ext.h from the fixed directory $nondet_inc (#cgo CFLAGS: -I$nondet_inc), which the go command does not hash; before side A it says #define VALUE 1, before side B #define VALUE 2"
  lesson='Inputs the go command does not hash (headers outside the package directory, files read by cgo or by the C compiler) change a package'"'"'s output without changing its key: two caches can hold different outputs for one key, and the dependents'"'"' import lines are the only visible difference. Keep cgo inputs inside the package directory.'
}

pair_noise-cold-warm() {
  local d=$pwork/lab
  copy_module lab "$d"
  side a "$d" -- "${cgo[@]}"
  side b "$d" -- "${cgo[@]}"
  lines_same "$ids_re"
  expect=same
  field='none (cache state only: store-side subkey lines, gccCompilerID second sum, etc.)'
  cache_note='one GOCACHE, initially empty: side A runs cold, side B warm'
  setup_note=
  lesson='A cold and a warm run print different subkey/gccCompilerID lines but identical action IDs: nothing to explain.'
}

pair_noise-tz() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  godebug=gocachehash=1
  warm "$d" TZ=UTC -- "${small[@]}"
  side a "$d" TZ=UTC -- "${small[@]}"
  side b "$d" TZ=America/New_York -- "${small[@]}"
  only_in a '^HASH\[moduleIndex\]: "file [^ ]+ 2024-01-01 00:00:00 \+0000 UTC '
  only_in b '^HASH\[moduleIndex\]: "file [^ ]+ 2023-12-31 19:00:00 -0500 EST '
  lines_same "$ids_re"
  expect=same
  field='none (moduleIndex file mtimes are printed in local time; not part of any action ID)'
  cache_note=$cache_shared
  setup_note='GODEBUG=gocachehash=1 without goindex=0 on both sides, so moduleIndex blocks are printed; module mtimes pinned to 2024-01-01 00:00:00 UTC'
  lesson='TZ changes the moduleIndex lines (local-time mtimes) but no build or link key. (It does change test-cache keys when a test opens files.)'
}

pair_noise-touch() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  find "$d" -name '*.go' -exec touch {} +
  side b "$d" -- "${small[@]}"
  lines_same "$ids_re"
  expect=same
  field='none (mtimes are not hashed; files are identified by content)'
  cache_note=$cache_shared
  setup_note='between the sides every .go file of the module is touched (mtime = now)'
  lesson='The Go build cache keys on file contents, not mtimes: a fresh checkout or `touch` does not cause misses (unlike make).'
}

pair_noise-p1() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- build -p 1 "${small[@]:1}"
  side b "$d" -- "${small[@]}"
  lines_same "$ids_re"
  expect=same
  field='none (-p changes only the order and interleaving of lines)'
  cache_note=$cache_shared
  setup_note='side A runs with -p 1 (contiguous blocks), side B with the default -p (interleaved blocks)'
  lesson='-p is not part of any key; only the interleaving of the log differs, which a raw diff mistakes for changes.'
}

pair_noise-repeat() {
  local d=$pwork/lab
  copy_module lab "$d"
  seed_cache "$gocache"
  warm "$d" -- "${small[@]}"
  side a "$d" -- "${small[@]}"
  side b "$d" -- "${small[@]}"
  lines_same "$ids_re"
  expect=same
  field='none (the same command twice; at most the line interleaving differs)'
  cache_note=$cache_shared
  setup_note=
  lesson='Two identical warm runs: identical keys. A tool must report nothing here.'
}

# ---------------------------------------------------------------------------------------------

start_all=$SECONDS
for pair in "${pairs[@]}"; do
  pair_start=$SECONDS
  pstage=$stage/$pair
  pwork=$root/p/$pair
  mkdir -p "$pstage" "$pwork"
  go=$go_main go_label=go$v_main gocache=$pwork/gocache godebug=gocachehash=1,goindex=0
  expect='' field='' cache_note='' setup_note='' lesson='' desc_a='' desc_b=''
  "pair_$pair"
  if [ -z "$expect" ] || [ -z "$field" ] || [ -z "$lesson" ]; then die "$pair: case description incomplete"; fi
  finish
  if [ "${WHYMISS_KEEP_TEMP:-0}" != 1 ]; then
    chmod -R u+w "$pwork" 2>/dev/null || true
    rm -rf "$pwork"
  fi
  if [ "$made_nondet_inc" = 1 ]; then
    rm -rf "$nondet_inc"
    made_nondet_inc=0
  fi
done

# Install: only now is corpus/pairs/ touched.
mkdir -p "$pairs_dir"
if [ "$replace_all" = 1 ]; then
  find "$pairs_dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
fi
for pair in "${pairs[@]}"; do
  rm -rf "${pairs_dir:?}/$pair"
  mv "$stage/$pair" "$pairs_dir/$pair"
done

# README.md: a table of every pair present.
{
  printf '# Log pairs\n\n'
  printf 'Generated by `scripts/capture-pairs.sh`; do not edit by hand. Each directory holds `a.log.gz` and\n'
  printf '`b.log.gz` (the stderr of one `go` command each, `GODEBUG=gocachehash=1,goindex=0` except in\n'
  printf '`noise-tz`, default `-p`) and `case.txt` (`expect:` the whymiss categories the pair must produce,\n'
  printf 'or `same` for noise pairs whose build/link action IDs are all equal; `field:` the hashed field that\n'
  printf 'differs; `a:`/`b:` the commands, run in temporary copies of `corpus/modules/*`; `env:`, `cache:`,\n'
  printf '`setup:`, `lesson:`). Captured with go%s (and go%s for `toolchain`) on linux/amd64, gcc %s.\n\n' \
    "$v_main" "$v_old" "$(gcc -dumpfullversion 2>/dev/null || echo '?')"
  printf '| pair | expect | field |\n|---|---|---|\n'
  for d in "$pairs_dir"/*/; do
    n=$(basename "$d")
    [ -f "$d/case.txt" ] || continue
    printf '| `%s` | %s | %s |\n' "$n" "$(sed -n 's/^expect: //p' "$d/case.txt")" \
      "$(sed -n 's/^field: //p' "$d/case.txt" | sed 's/|/\\|/g')"
  done
} >"$pairs_dir/README.md"

log "wrote $(du -sh "$pairs_dir" | cut -f1) to $pairs_dir in $((SECONDS - start_all)) s"
