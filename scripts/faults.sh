#!/usr/bin/env bash
# The fault suite: a rollout over 20 emulated devices on two gateways, hit by one fault at a time
# (docs/faults.md). The test command runs two of the faults; this runs them all, or those named:
#   scripts/faults.sh                               every fault
#   scripts/faults.sh BROKER_RESTART,SERIAL_NOISE   only these
# Each run leaves its logs and a one-line summary in test/system/target/faults/<FAULT>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/lib/install.sh test
./mvnw -B -ntp -q install -DskipTests
./mvnw -B -ntp -pl test/system verify -Dtest=FaultSuiteTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfieldproof.faults="${1:-all}"
cat test/system/target/faults/*/summary.txt
