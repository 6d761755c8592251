#!/usr/bin/env bash
# Install what storycast needs, only what is missing: Debian packages for the
# programs it runs, then a .venv with the project. Safe to run again: quick
# when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# program on PATH -> Debian package that provides it
declare -A NEEDS=(
  [espeak-ng]=espeak-ng
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [pandoc]=pandoc
  [gpo]=gpodder     # podcast client: the feed tests subscribe with it
  # tag readers players and librarians use: the tag tests read the files with them
  [mediainfo]=mediainfo
  [AtomicParsley]=atomicparsley
  [eyeD3]=eyed3
  # the studio's browser tests drive a real headless browser
  [chromium]=chromium
  [chromedriver]=chromium-driver
)

missing=()
for program in "${!NEEDS[@]}"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("${NEEDS[$program]}")
done
if ((${#missing[@]})); then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "storycast needs these Debian packages: $packages" >&2
    echo "Install them with: sudo apt-get install $packages (then run this again)" >&2
    exit 1
  fi
  echo "Installing Debian packages: $packages"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq $packages
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.storycast-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing storycast into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
