#!/usr/bin/env bash
# Creates (or updates) the Python venv of the third-party flashing tools that
# judge the emulators (esptool, stm32loader), outside the repo. Idempotent: when the venv already
# matches requirements.txt it checks one import and exits 0 in about a second.
#
#   test/flash-tools/setup-venv.sh          # install / verify
#   FIELDPROOF_FLASH_TOOLS_VENV=/path ...      # other venv location
#   PYTHON=python3.11 ...                   # interpreter used to create it
#
# Prints the venv's python path as its last line.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQ="$HERE/requirements.txt"
VENV="${FIELDPROOF_FLASH_TOOLS_VENV:-$HOME/.cache/fieldproof/venv-flash-tools}"
STAMP="$VENV/.fieldproof-requirements.sha256"

log() { echo "[flash-tools] $*" >&2; }

pick_python() {
  if [[ -n "${PYTHON:-}" ]]; then echo "$PYTHON"; return; fi
  for p in python3.11 python3; do
    if command -v "$p" >/dev/null 2>&1; then echo "$p"; return; fi
  done
  log "no python3 found (need Python 3.11; tflite-micro wheels exist for 3.10-3.13)"
  exit 1
}

want="$(sha256sum "$REQ" | cut -d' ' -f1)"

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9   # two concurrent callers (CI, a test) must not install at once

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] \
   && "$VENV/bin/python" -c "import esptool, stm32loader, serial" >/dev/null 2>&1; then
  log "up to date: $VENV"
  echo "$VENV/bin/python"
  exit 0
fi

start=$SECONDS
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import sys" >/dev/null 2>&1; then
  py="$(pick_python)"
  ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  log "creating venv $VENV with $py ($ver)"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
else
  log "venv exists but does not match requirements.txt: installing"
fi

log "installing $(grep -cE '^[A-Za-z]' "$REQ") pinned packages from $REQ (first time: ~1-2 min)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input \
  --progress-bar off -r "$REQ" >&2
"$VENV/bin/python" -m pip check --disable-pip-version-check >&2
log "checking pinned versions"
"$VENV/bin/python" - "$REQ" <<'PY' >&2
import importlib.metadata as m, re, sys
bad = 0
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        have = m.version(name)
    except m.PackageNotFoundError:
        have = None
    if have != want:
        print("[flash-tools] %s: installed %s, pinned %s" % (name, have, want))
        bad += 1
for d in ("esptool", "stm32loader", "pyserial"):
    print("[flash-tools]   %s %s" % (d, m.version(d)))
sys.exit(1 if bad else 0)
PY
"$VENV/bin/python" -m esptool version >&2
echo "$want" > "$STAMP"
log "done in $((SECONDS - start))s: $VENV"
echo "$VENV/bin/python"
