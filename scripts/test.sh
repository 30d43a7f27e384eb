#!/usr/bin/env bash
# Runs every test of the project: unit tests, the operator against a real kube-apiserver + etcd,
# the edge agent and emulators against a real Mosquitto, and the system tests. Builds the local control plane first (cached after the first run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# installs what the tests need on a fresh machine, skipping what is there (seconds once cached)
bash scripts/lib/install.sh test
# the device firmware in C: host build, unit and conformance tests, Cortex-M4 and RV32IMC builds;
# the host binary it leaves is what the agent's conformance test drives
bash firmware/test.sh
./mvnw -B -ntp verify "$@"
