#!/usr/bin/env bash
# Runs the benchmarks: fleet-scale figures written to */target/benchmarks/*.json (see
# docs/benchmarks.md). Timings are measured here, never asserted by the test command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -ntp -q install -DskipTests
# scripts/bench.sh          every benchmark
# scripts/bench.sh flash    only the flashing one: esptool against the agent on the same paced ESP32 emulator
# scripts/bench.sh model    only the int8 interpreter against tflite-micro (needs model/fixtures/setup-venv.sh)
# scripts/bench.sh rollout [DEVICES...]   only the rollout over emulated fleets with the real
#                           operator, Mosquitto and kube-apiserver, once per fleet size (default 1000),
#                           e.g. scripts/bench.sh rollout 1000 3000 10000
# scripts/bench.sh ingest [DEVICES [RESTART_DEVICES]]   only the fleet's size against the real
#                           operator: DEVICES (default 100000) announced and reporting once over
#                           simulated gateways, and an operator restart at RESTART_DEVICES (10000)
tests='*Benchmark'
modules='model,edge-agent,operator,test/system'
devices=1000
ingest_devices=100000
restart_devices=10000
[[ "${1:-}" == "flash" ]] && tests='EspFlashBenchmark' && modules='edge-agent'
[[ "${1:-}" == "model" ]] && tests='InterpreterSpeedBenchmark' && modules='model'
if [[ "${1:-}" == "rollout" ]]; then
  tests='RolloutScaleBenchmark'
  modules='test/system'
  shift
  [[ $# -gt 0 ]] && devices=$(IFS=,; echo "$*")
fi
if [[ "${1:-}" == "ingest" ]]; then
  tests='FleetScaleBenchmark'
  modules='test/system'
  ingest_devices="${2:-$ingest_devices}"
  restart_devices="${3:-$restart_devices}"
fi
./mvnw -B -ntp -pl "$modules" test -Dgroups=benchmark -Dfieldproof.excludedGroups= -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Dfieldproof.bench.devices="$devices" \
  -Dfieldproof.bench.ingest.devices="$ingest_devices" -Dfieldproof.bench.restart.devices="$restart_devices"
cat model/target/benchmarks/*.json edge-agent/target/benchmarks/*.json operator/target/benchmarks/*.json test/system/target/benchmarks/*.json 2>/dev/null
