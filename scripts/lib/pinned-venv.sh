#!/usr/bin/env bash
# One Python venv outside the repo, installed from a fully pinned requirements file.
# Idempotent: when the venv matches the requirements (a stamp holds their sha256) and the
# import check passes, it returns in about a second. Callers set:
#   VENV       where the venv lives
#   REQ        the pinned requirements file
#   TAG        the log prefix
#   IMPORTS    python modules that must import (comma separated)
#   SHOW       distributions whose versions are printed after an install (space separated)
#   POSTCHECK  a command run with the venv's python after an install (words after "python")
# and call pinned_venv. Prints the venv's python path as its last line.
set -euo pipefail

log() { echo "[$TAG] $*" >&2; }

pick_python() {
  if [[ -n "${PYTHON:-}" ]]; then echo "$PYTHON"; return; fi
  for p in python3.11 python3; do
    if command -v "$p" >/dev/null 2>&1; then echo "$p"; return; fi
  done
  log "no python3 found (need Python 3.11)"
  exit 1
}

pinned_venv() {
  local want stamp start py ver
  want="$(sha256sum "$REQ" | cut -d' ' -f1)"
  stamp="$VENV/.fieldproof-requirements.sha256"
  mkdir -p "$(dirname "$VENV")"
  exec 9>"$VENV.lock"
  flock 9   # two concurrent callers (CI, a test) must not install at once

  if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
     && "$VENV/bin/python" -c "import $IMPORTS" >/dev/null 2>&1; then
    log "up to date: $VENV"
    echo "$VENV/bin/python"
    return 0
  fi

  start=$SECONDS
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import sys" >/dev/null 2>&1; then
    py="$(pick_python)"
    ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [[ "$ver" == "3.11" ]] || log "warning: $py is Python $ver; the pins were made with 3.11"
    log "creating venv $VENV with $py ($ver)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
  else
    log "venv exists but does not match $(basename "$REQ"): installing"
  fi

  log "installing $(grep -cE '^[A-Za-z]' "$REQ") pinned packages from $REQ (first time: ~1-2 min)"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input \
    --progress-bar off -r "$REQ" >&2
  "$VENV/bin/python" -m pip check --disable-pip-version-check >&2
  log "checking pinned versions"
  "$VENV/bin/python" - "$REQ" "$TAG" $SHOW <<'PY' >&2
import importlib.metadata as m, sys
req, tag, show = sys.argv[1], sys.argv[2], sys.argv[3:]
bad = 0
for line in open(req):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        have = m.version(name)
    except m.PackageNotFoundError:
        have = None
    if have != want:
        print("[%s] %s: installed %s, pinned %s" % (tag, name, have, want))
        bad += 1
for d in show:
    print("[%s]   %s %s" % (tag, d, m.version(d)))
sys.exit(1 if bad else 0)
PY
  # shellcheck disable=SC2086
  "$VENV/bin/python" $POSTCHECK >&2
  echo "$want" > "$stamp"
  log "done in $((SECONDS - start))s: $VENV"
  echo "$VENV/bin/python"
}
