#!/usr/bin/env bash
# Installs Lua 5.1 from Debian (package lua5.1), the interpreter the Argo CD health checks under
# gitops/argocd/ are tested with. Argo CD runs them on gopher-lua, which implements Lua 5.1, so
# 5.1 (not 5.3 or 5.4) is the dialect that shows what Argo CD accepts. Idempotent: returns at
# once when lua5.1 is there. Prints the interpreter's path as its last line.
#
#   test/gitops/setup-lua.sh
set -euo pipefail

log() { echo "[lua] $*" >&2; }

want="Lua 5.1"
if ! command -v lua5.1 >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { log "lua5.1 is missing and there is no apt-get: install Lua 5.1 as lua5.1"; exit 1; }
  log "installing lua5.1 (Debian package)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.1 >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.1 >/dev/null
  fi
fi
have="$(lua5.1 -v 2>&1)"
[[ "$have" == "$want"* ]] || { log "lua5.1 reports '$have', expected $want.x"; exit 1; }
log "up to date: $have"
command -v lua5.1
