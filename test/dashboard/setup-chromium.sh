#!/usr/bin/env bash
# Installs Debian's chromium, the headless browser the fleet page test loads the page in, unless
# a chromium of a recent enough major version is already there. Idempotent: a second run only
# checks. Records the version found in ~/.cache/fieldproof/chromium.version.
#
#   test/dashboard/setup-chromium.sh                                 # install / verify
#   FIELDPROOF_CHROMIUM_PACKAGE='chromium=156.0.8078.108-1~deb12u1' ...   # pin an exact package
#
# The default takes the chromium of the configured Debian release: Debian's security archive
# keeps only its latest build, so an exact pin stops resolving after the next security update.
# The page test needs --headless=new and --dump-dom, both there since major version 112.
set -euo pipefail
MIN_MAJOR=112
PACKAGE="${FIELDPROOF_CHROMIUM_PACKAGE:-chromium}"
CACHE="$HOME/.cache/fieldproof"

major() { chromium --version 2>/dev/null | sed -n 's/^Chromium \([0-9]*\)\..*/\1/p'; }

if ! command -v chromium >/dev/null || [[ "$(major)" -lt "$MIN_MAJOR" ]]; then
  echo "[setup-chromium] installing $PACKAGE (headless browser for the fleet page test)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$PACKAGE" >/dev/null
fi
found="$(major)"
[[ -n "$found" && "$found" -ge "$MIN_MAJOR" ]] || {
  echo "[setup-chromium] chromium $MIN_MAJOR or newer is needed, found '${found:-none}'" >&2
  exit 2
}
mkdir -p "$CACHE"
chromium --version 2>/dev/null | tee "$CACHE/chromium.version"
