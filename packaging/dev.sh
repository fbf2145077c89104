#!/usr/bin/env bash
# Earful from a fresh Debian/Ubuntu machine, in one command:
#   bash packaging/dev.sh run    install what is missing, then show Earful working on the demo interview
#   bash packaging/dev.sh test   install what is missing (test tools too), then run the whole test suite
# System packages come from apt (with sudo when not root); Python packages go into ./.venv, at the versions
# pinned in packaging/requirements.lock (refresh it on purpose with packaging/refresh_lock.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
mode="${1:-run}"
shift || true
venv=.venv

# PortAudio for recording; Qt's X11/EGL libraries for the window; libpulse for Qt's audio playback.
run_packages=(libportaudio2 libpulse0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1)
# Tests drive real parts: PulseAudio for capture, Chromium and poppler for exported packs, Xvfb for real
# windows, espeak-ng and sox to make speech.
test_packages=(pulseaudio pulseaudio-utils xvfb chromium poppler-utils espeak-ng sox git)
# PyInstaller reads and strips libraries with binutils (objdump, strip) when the suite builds the bundle.
test_packages+=(binutils)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "Installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  # Earful needs Python 3.11 or newer with the venv module.
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
      "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  return 1
}

ensure_python() {
  find_python && return
  say "Installing Python 3.11+ with venv"
  install_system_packages python3 python3-venv python3-pip
  find_python || { echo "Earful needs Python 3.11 or newer; this system's python3 is older." >&2; exit 1; }
}

ensure_venv() {
  local extras="$1" python stamp
  python="$(ensure_python)"
  [ -x "$venv/bin/python" ] || { say "Creating $venv with $python"; "$python" -m venv "$venv"; }
  stamp="$venv/.installed-$(cat pyproject.toml packaging/requirements.lock | sha256sum | cut -c1-16)-$extras"
  if [ ! -f "$stamp" ]; then
    say "Installing Earful and its Python packages into $venv"
    "$venv/bin/python" -m pip install -q -c packaging/requirements.lock --upgrade pip setuptools
    "$venv/bin/python" -m pip install -q -c packaging/requirements.lock -e ".$extras"
    rm -f "$venv"/.installed-*
    touch "$stamp"
  fi
}

case "$mode" in
  run)
    install_system_packages "${run_packages[@]}"
    ensure_venv ""
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      say "No display here: showing the demo on the command line instead of the window"
      exec "$venv/bin/earful" demo "$@"
    fi
    exec "$venv/bin/earful" "$@"
    ;;
  test)
    install_system_packages "${run_packages[@]}" "${test_packages[@]}"
    ensure_venv "[test,base]"
    say "Checking the architecture (only app.ui may import Qt) and lint"
    "$venv/bin/lint-imports"
    "$venv/bin/ruff" check app tests bench
    say "Running the tests"
    exec "$venv/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash packaging/dev.sh run|test [arguments]" >&2
    exit 2
    ;;
esac
