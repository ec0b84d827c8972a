#!/usr/bin/env bash
# Installs Debian's headless Chromium for the browser tests of the HTML report (tests/browser).
# Idempotent: does nothing when `chromium` already runs. Installs only from Debian's packages
# (apt-get), never a browser build from elsewhere; fails loudly when it cannot.
#
#   scripts/install-chromium.sh        # prints the path of the chromium binary on success
set -euo pipefail

found() {
  local bin
  bin="$(command -v chromium || true)"
  [[ -n "$bin" ]] && "$bin" --version >/dev/null 2>&1 && echo "$bin"
}

if bin="$(found)"; then
  echo "$bin"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "install-chromium: chromium is missing and this is not root (and no sudo): run" \
    "'apt-get install chromium' as root" >&2
  exit 1
fi

echo "install-chromium: installing Debian's chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
# A lock held by another apt run (a colleague's test) is waited for, not failed on.
apt_opts=(-o DPkg::Lock::Timeout=600 -q -y --no-install-recommends)
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -q update >&2
"${sudo[@]}" apt-get "${apt_opts[@]}" install chromium fonts-dejavu-core >&2

if bin="$(found)"; then
  echo "$bin"
else
  echo "install-chromium: apt-get finished but chromium does not run" >&2
  exit 1
fi
