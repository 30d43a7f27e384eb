#!/usr/bin/env bash
# Installs the tools the tests need, skipping each one already present.
set -euo pipefail

log() { echo "[ci-install] $*"; }

command -v go >/dev/null || { log "Go is missing; install Go 1.24+"; exit 2; }
command -v java >/dev/null || { log "Java 17 is missing"; exit 2; }

log "local control plane"
bash "$(dirname "${BASH_SOURCE[0]}")/../test/controlplane/build.sh"
