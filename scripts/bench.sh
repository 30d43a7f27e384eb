#!/usr/bin/env bash
# Runs the benchmarks: fleet-scale figures written to */target/benchmarks/*.json (see
# docs/benchmarks.md). Timings are measured here, never asserted by the test command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -ntp -q install -DskipTests
# scripts/bench.sh          every benchmark
# scripts/bench.sh flash    only the flashing one: esptool against the agent on the same paced ESP32 emulator
# scripts/bench.sh model    only the int8 interpreter against tflite-micro (needs model/fixtures/setup-venv.sh)
tests='*Benchmark'
[[ "${1:-}" == "flash" ]] && tests='EspFlashBenchmark'
[[ "${1:-}" == "model" ]] && tests='InterpreterSpeedBenchmark'
./mvnw -B -ntp -pl model,edge-agent,operator test -Dgroups=benchmark -Dfieldproof.excludedGroups= -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false
cat model/target/benchmarks/*.json edge-agent/target/benchmarks/*.json operator/target/benchmarks/*.json 2>/dev/null
