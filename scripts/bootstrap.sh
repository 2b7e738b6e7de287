#!/usr/bin/env bash
# Installs what a fresh machine lacks: uv (from PyPI) and the Debian packages WeasyPrint,
# the fonts and (with --browser, as `make test` passes) the tests need. Idempotent and quiet when all is there.
set -euo pipefail

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
  esac
done

export PATH="$HOME/.local/bin:$PATH"

if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv from PyPI"
  python3 -m pip install --user --quiet uv 2>/dev/null \
    || python3 -m pip install --user --quiet --break-system-packages uv
fi

# The PDF tickets name their fonts: Noto Sans and Noto Naskh Arabic (fonts-noto-core) for
# the text, DejaVu Sans Mono (fonts-dejavu-core) for the manual code.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core)
if [ "$want_browser" = 1 ]; then
  # poppler-utils: the tests read PDFs back (pdftotext, pdftoppm, pdffonts).
  packages+=(chromium poppler-utils)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
  done
fi

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing Debian packages: ${missing[*]}. Install them as root (apt-get install ${missing[*]})." >&2
      exit 1
    fi
  fi
  echo "==> installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
