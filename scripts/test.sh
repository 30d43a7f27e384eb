#!/usr/bin/env bash
# Runs every test of the project: unit tests, the operator against a real kube-apiserver + etcd,
# and the system tests. Builds the local control plane first (cached after the first run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/prerequisites.sh
require_java
require_go

bash test/controlplane/build.sh >/dev/null
./mvnw -B -ntp verify "$@"
