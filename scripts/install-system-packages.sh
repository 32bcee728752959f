#!/usr/bin/env bash
# Installs Debian packages the tests need (e.g. redis-server) when they are missing; does nothing otherwise.
# Services are not started: each test starts its own instance on a free loopback port.
# Usage: scripts/install-system-packages.sh PACKAGE...
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-system-packages: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-system-packages: installing ${missing[*]}" >&2
# apt may be locked by another install for a moment: wait for it rather than fail.
for attempt in 1 2 3 4 5 6; do
  if $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; then exit 0; fi
  echo "install-system-packages: apt busy or failed (attempt $attempt); retrying in 10 s" >&2
  sleep 10
done
exit 1
