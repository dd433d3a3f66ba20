#!/usr/bin/env bash
# Debian packages Gridbook needs beyond PyPI: a CJK font (else Chinese renders as
# boxes), the libraries Qt's platform plugins load, and PostgreSQL for CI's station
# tests. Installs only what is missing, and only where it can (root + apt-get).
set -euo pipefail
want=(fonts-wqy-microhei libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
      # Qt's xcb platform plugin, for a real window (also under xvfb-run on a headless box)
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1
      libxcb-render-util0 libxcb-image0 xvfb xauth)
if [ "${1:-}" = "--with-postgres" ]; then want+=(postgresql); fi
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: please install these Debian packages: ${missing[*]}" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
