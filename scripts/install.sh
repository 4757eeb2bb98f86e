#!/usr/bin/env bash
# esgledger's one setup script (the README points here).
#
#   scripts/install.sh          Debian packages if missing, .venv, pip install -e .
#   scripts/install.sh --test   the same with the test extras: pip install -e '.[test]'
#
# Debian packages:
#   fonts-noto-cjk        Noto Sans/Serif CJK SC: Chinese text in PDF, DOCX and charts
#   poppler-utils         pdftotext / pdftoppm, used by the report tests
#   libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz0b, libharfbuzz-subset0, fontconfig
#                         WeasyPrint's native libraries
#
# Idempotent: apt is skipped entirely when every package is present, the venv is created
# only when absent. Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

extras=""
for arg in "$@"; do
    case "$arg" in
        --test) extras="[test]" ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $arg (use --test)" >&2; exit 2 ;;
    esac
done

# --- Debian packages --------------------------------------------------------------------
apt_packages=(fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
              libharfbuzz-subset0 fontconfig)
missing=()
for pkg in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install.sh: apt-get not found; install these packages by hand: ${missing[*]}" >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then sudo_=(); else sudo_=(sudo); fi
    echo "install.sh: installing ${missing[*]}"
    "${sudo_[@]}" apt-get update -qq
    "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    # matplotlib caches the font list; drop it so the new CJK fonts are seen.
    rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/matplotlib" "${MPLCONFIGDIR:-/nonexistent}"/fontlist-*.json
fi

# --- Python virtual environment ---------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
    python=""
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            python="$candidate"
            break
        fi
    done
    if [ -z "$python" ]; then
        echo "install.sh: esgledger needs Python >= 3.11; none found on PATH" >&2
        exit 1
    fi
    echo "install.sh: creating .venv with $("$python" --version)"
    "$python" -m venv .venv
fi

.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
