#!/usr/bin/env bash
# Creates (or updates) the Python venv of the third-party flashing tools that judge the
# emulators (esptool, stm32loader), outside the repo, from the pinned requirements.txt beside
# this script. Idempotent and fast when up to date.
#
#   test/flash-tools/setup-venv.sh          # install / verify
#   FIELDPROOF_FLASH_TOOLS_VENV=/path ...   # other venv location
#   PYTHON=python3.11 ...                   # interpreter used to create it
#
# Prints the venv's python path as its last line.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib/pinned-venv.sh"
VENV="${FIELDPROOF_FLASH_TOOLS_VENV:-$HOME/.cache/fieldproof/venv-flash-tools}"
REQ="$HERE/requirements.txt"
TAG=flash-tools
IMPORTS="esptool, stm32loader, serial"
SHOW="esptool stm32loader pyserial"
POSTCHECK="-m esptool version"
pinned_venv
