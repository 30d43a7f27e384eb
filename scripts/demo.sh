#!/usr/bin/env bash
# The local demo: builds Fieldproof, starts a local control plane (kube-apiserver + etcd built
# from Go modules), installs the CRDs, runs the operator against it, applies the samples and
# shows their status. Everything runs on loopback; nothing is left running unless --keep.
#
#   scripts/demo.sh           run the demo and stop everything at the end
#   scripts/demo.sh --keep    leave the control plane and the operator running (Ctrl-C stops)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
source scripts/lib/prerequisites.sh

KEEP=false
[[ "${1:-}" == "--keep" ]] && KEEP=true
DEMO="$ROOT/.demo"
NAMESPACE=fieldproof-demo
PIDS=()

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

require_java
require_go
MOSQUITTO="$(command -v mosquitto || ls /usr/sbin/mosquitto 2>/dev/null || true)"
[[ -n "$MOSQUITTO" ]] || die "mosquitto (the MQTT broker) is missing: apt-get install -y mosquitto"
rm -rf "$DEMO" && mkdir -p "$DEMO"

step "Building the local control plane (first time: several minutes)"
K8S_BIN="$(bash test/controlplane/build.sh)"
KUBECTL="$K8S_BIN/kubectl"

step "Building Fieldproof"
./mvnw -B -ntp -q install -DskipTests
./mvnw -B -ntp -q -pl test/support dependency:build-classpath -Dmdep.outputFile="$DEMO/controlplane.classpath"

step "Starting kube-apiserver + etcd and installing the CRDs"
java -cp "test/support/target/classes:$(cat "$DEMO/controlplane.classpath")" \
  io.fieldproof.testsupport.ControlPlaneMain "$DEMO/kubeconfig" >"$DEMO/controlplane.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  grep -q "ready, CRDs installed" "$DEMO/controlplane.log" 2>/dev/null && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { cat "$DEMO/controlplane.log"; die "the control plane did not start (log above)"; }
  sleep 1
done
grep -q "ready, CRDs installed" "$DEMO/controlplane.log" || die "the control plane did not start within 120 s: $DEMO/controlplane.log"
export KUBECONFIG="$DEMO/kubeconfig"
"$KUBECTL" get crd -l '!none' -o custom-columns=CRD:.metadata.name,SHORT:.spec.names.shortNames --no-headers | grep fieldproof

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "Starting the MQTT broker (Mosquitto, loopback only)"
MQTT_PORT="$(free_port)"
mkdir -p "$DEMO/mosquitto" && chmod 777 "$DEMO/mosquitto"
cat >"$DEMO/mosquitto/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $DEMO/mosquitto/
max_queued_messages 200000
max_inflight_messages 200
CONF
"$MOSQUITTO" -c "$DEMO/mosquitto/mosquitto.conf" >"$DEMO/mosquitto.log" 2>&1 &
PIDS+=($!)
echo "broker: tcp://127.0.0.1:$MQTT_PORT"

step "Starting the operator"
HTTP_PORT="$(free_port)"
java -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dfieldproof.mqtt.uri="tcp://127.0.0.1:$MQTT_PORT" \
  -jar operator/target/quarkus-app/quarkus-run.jar >"$DEMO/operator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${PIDS[1]}" 2>/dev/null || { tail -50 "$DEMO/operator.log"; die "the operator exited (log above)"; }
  sleep 1
done
curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null || die "the operator is not ready after 60 s: $DEMO/operator.log"
echo "operator ready: health http://127.0.0.1:$HTTP_PORT/q/health, metrics http://127.0.0.1:$HTTP_PORT/q/metrics"

step "Applying the samples to namespace $NAMESPACE"
"$KUBECTL" create namespace "$NAMESPACE"
for sample in samples/esp32-vibration samples/stm32-temperature; do
  "$KUBECTL" apply --server-side -n "$NAMESPACE" -f "$sample"
done

AGENT_JAR="$(ls edge-agent/target/fieldproof-edge-agent-*-all.jar)"
start_gateway() {
  local gateway="$1" chip="$2" count="$3" seed="$4" labels="$5" model="$6" version="$7"
  local base; base="$(free_port)"
  java -cp "$AGENT_JAR" io.fieldproof.agent.emulator.EmulatorMain --chip "$chip" --count "$count" \
    --base-port "$base" --seed "$seed" --telemetry-ms 1000 --model "$model" --model-version "$version" \
    >"$DEMO/emulators-$gateway.log" 2>&1 &
  PIDS+=($!)
  mkdir -p "$DEMO/$gateway"
  {
    echo "gateway: $gateway"
    echo "namespace: $NAMESPACE"
    echo "broker: {uri: tcp://127.0.0.1:$MQTT_PORT}"
    echo "stateDir: state"
    echo "reportInterval: 2s"
    echo "devices:"
    for i in $(seq 0 $((count - 1))); do
      echo "  - {link: tcp://127.0.0.1:$((base + i)), chip: $chip, labels: $labels}"
    done
  } >"$DEMO/$gateway/agent.yaml"
  java -jar "$AGENT_JAR" --config "$DEMO/$gateway/agent.yaml" >"$DEMO/agent-$gateway.log" 2>&1 &
  PIDS+=($!)
  echo "gateway $gateway: $count emulated $chip devices on ports $base..$((base + count - 1))"
}

step "Starting two gateways with emulated devices"
start_gateway gw-pumps esp32 4 100 '{line: "3", sensor: vibration}' \
  model/fixtures/models/dense_anomaly.tflite 1.3.0
start_gateway gw-coldroom stm32l4 3 200 '{site: warehouse-north}' \
  model/fixtures/models/logistic_temperature.tflite 2.0.0

step "Waiting for the devices to join their groups"
for _ in $(seq 1 60); do
  ready="$("$KUBECTL" get dg -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.status.devices.summary} {end}')"
  [[ "$ready" == *"4/4"* && "$ready" == *"3/3"* ]] && break
  sleep 1
done

step "Waiting for the operator to report status"
"$KUBECTL" wait -n "$NAMESPACE" --for=jsonpath='{.status.observedGeneration}'=1 --timeout=60s devicegroup --all
"$KUBECTL" wait -n "$NAMESPACE" --for=condition=Validated --timeout=60s modelrollout --all

step "kubectl get fieldproof -n $NAMESPACE"
"$KUBECTL" get fieldproof -n "$NAMESPACE"

step "Models the devices run, and their health"
"$KUBECTL" get devicegroups -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.metadata.name}{": "}{range .status.models[*]}{.version}{" on "}{.devices}{" devices; "}{end}{"healthy "}{.status.devices.healthy}{"/"}{.status.devices.total}{"\n"}{end}'

step "Conditions"
"$KUBECTL" get devicegroups,modelrollouts -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}{"|"}observedGeneration {.status.observedGeneration}{"\n"}{range .status.conditions[*]}{"    "}{.type}{"|"}{.status}{"|"}{.reason}{"|"}{.message}{"\n"}{end}{end}' | column -t -s '|'

step "Summary"
cat <<SUMMARY
Both sample DeviceGroups and ModelRollouts were accepted by the API server and reconciled by
the operator. Two edge agents announced their emulated ESP32 and STM32 devices over MQTT; each
group found its members by label and published their runtime config (retained, stamped with the
group's generation). The devices validate and normalize their sensor readings and run their
int8 model (the project's interpreter, bit-exact with tflite-micro); the groups report their
health and which model they run. The rollouts have validated their model files: sha256, an int8
model of supported operators, an input as wide as the group's inputs, the tensor arena, and
the self-test vectors, and published each model to the agents as retained, content-addressed
chunks over MQTT (the agents fetch, check, flash, self-test and confirm a model once a desired
state names it). Progressive steps, which name it for each step's devices, come with the
rollout work.

  kubeconfig     $DEMO/kubeconfig   (KUBECONFIG=$DEMO/kubeconfig $KUBECTL get fieldproof -A)
  operator log   $DEMO/operator.log
  control plane  $DEMO/controlplane.log
  agents         $DEMO/agent-*.log, their YAML in $DEMO/gw-*/agent.yaml
  broker         tcp://127.0.0.1:$MQTT_PORT (mosquitto_sub -p $MQTT_PORT -t 'fieldproof/v1/#' -v)
SUMMARY

if $KEEP; then
  echo
  echo "Running until Ctrl-C (--keep)."
  wait
fi
