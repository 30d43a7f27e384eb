#!/usr/bin/env bash
# The local demo: builds Fieldproof, starts a local control plane (kube-apiserver + etcd built
# from Go modules), installs the CRDs, runs the operator against it, applies the samples, starts
# emulated ESP32 and STM32 devices behind two edge agents (uploading captured windows to a local
# SeaweedFS), then runs the samples' rollouts with
# demo-length steps: a canary of vibration-anomaly 1.4.0 over the emulated pumps, shown step by
# step until it succeeds (the demo fails if it has not within 4 minutes). Then the field-data loop
# (scripts/lib/demo-field-loop.sh): a third gateway's pumps capture windows of what the lab model
# gets wrong, they are labeled, exported, a model is retrained on them and rolled out. Everything
# runs on loopback; nothing is left running unless --keep.
#
#   scripts/demo.sh             run the demo and stop everything at the end
#   scripts/demo.sh --keep      leave the control plane and the operator running (Ctrl-C stops)
#   scripts/demo.sh --cluster   the same story on a real single-node Kubernetes (test/node, needs
#                               root): the project's images, helm install with the chart's
#                               embedded Mosquitto, the gateways outside the cluster
#                               (combine with --keep to leave the node and the release up)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
source scripts/lib/prerequisites.sh

KEEP=false
CLUSTER=false
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=true ;;
    --cluster) CLUSTER=true ;;
    *) echo "usage: scripts/demo.sh [--keep] [--cluster]" >&2; exit 2 ;;
  esac
done
RELEASE=fieldproof
RELEASE_NAMESPACE=fieldproof-system
DEMO="$ROOT/.demo"
NAMESPACE=fieldproof-demo
PIDS=()
ROLLOUT=vib-anomaly-1-4-0
ROLLOUT_SECONDS=240
# The samples' strategies soak for minutes and wait for a person; the demo's are shorter.
# Merge patches: steps replace the sample's, the rest of strategy and gates stays.
VIBRATION_DEMO_STRATEGY='{"spec": {"strategy": {"steps": [{"setPercent": 25}, {"pause": {"duration": "20s"}}, {"setPercent": 100}], "maxConcurrent": 2, "trial": "3s"}, "gates": {"minDevices": 1}}}'
TEMPERATURE_DEMO_STRATEGY='{"spec": {"strategy": {"steps": [{"setPercent": 20}, {"pause": {"duration": "20s"}}, {"setPercent": 100}], "trial": "3s"}}}'

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if $CLUSTER && ! $KEEP; then
    "${HELM:-true}" uninstall "$RELEASE" -n "$RELEASE_NAMESPACE" --wait >/dev/null 2>&1 || true
    bash scripts/node-down.sh >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# what the demo needs on a fresh machine; seconds once cached
if $CLUSTER; then bash scripts/lib/install.sh cluster; else bash scripts/lib/install.sh demo; fi
require_java
require_go
MOSQUITTO="$(command -v mosquitto || ls /usr/sbin/mosquitto 2>/dev/null || true)"
[[ -n "$MOSQUITTO" ]] || die "mosquitto (the MQTT broker) is missing: apt-get install -y mosquitto"
command -v openssl >/dev/null || die "openssl (makes the demo's signing key) is missing: apt-get install -y openssl"
rm -rf "$DEMO" && mkdir -p "$DEMO"

# The operator signs every desired state with an Ed25519 key; the agents trust its public key.
# The demo makes its own pair: never reuse it.
mkdir -p "$DEMO/signing"
openssl genpkey -algorithm ed25519 -out "$DEMO/signing/key.pem" 2>/dev/null
openssl pkey -in "$DEMO/signing/key.pem" -pubout -out "$DEMO/signing/public.pem"
chmod 600 "$DEMO/signing/key.pem"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if $CLUSTER; then
step "Building Fieldproof and its container images (first time: the JRE base from Debian packages)"
./mvnw -B -ntp -q package -DskipTests
bash scripts/images.sh --no-build

step "Starting a real single-node Kubernetes (first time: its binaries build for tens of minutes)"
bash scripts/node-up.sh
source "${FIELDPROOF_NODE_DIR:-/tmp/fieldproof-node}/env"
KUBECTL="$FIELDPROOF_K8S_BIN/kubectl"
bash scripts/images.sh --no-build --load
"$KUBECTL" get nodes -o wide

step "helm install: the operator with the chart's embedded Mosquitto"
HELM="$(bash test/helm/setup-helm.sh | tail -1)"
"$KUBECTL" create namespace "$RELEASE_NAMESPACE" --dry-run=client -o yaml | "$KUBECTL" apply -f -
"$KUBECTL" create secret generic "$RELEASE-signing" -n "$RELEASE_NAMESPACE" \
  --from-file=key.pem="$DEMO/signing/key.pem" --dry-run=client -o yaml | "$KUBECTL" apply -f -
# the broker on the NodePort requires a login per client and the generated ACL (docs/operations.md#broker-access)
BROKER_SECRETS="$DEMO/broker/secrets.txt"
python3 scripts/broker-config.py --gateway "$NAMESPACE/gw-pumps" --gateway "$NAMESPACE/gw-coldroom" --gateway "$NAMESPACE/gw-field" \
  --passwords "$BROKER_SECRETS" --generate-missing --out "$DEMO/broker" >/dev/null
"$KUBECTL" create secret generic "$RELEASE-broker-passwords" -n "$RELEASE_NAMESPACE" \
  --from-file=passwords="$BROKER_SECRETS" --dry-run=client -o yaml | "$KUBECTL" apply -f -
"$HELM" upgrade --install "$RELEASE" helm/fieldproof -n "$RELEASE_NAMESPACE" --create-namespace \
  --set signing.existingSecret="$RELEASE-signing" \
  --set mqtt.auth.enabled=true --set mqtt.auth.username=fieldproof-operator \
  --set mqtt.auth.password="$(sed -n 's/^fieldproof-operator://p' "$BROKER_SECRETS")" \
  --set "embeddedBroker.acl.gateways.$NAMESPACE={gw-pumps,gw-coldroom,gw-field}" \
  --set embeddedBroker.enabled=true --set embeddedBroker.service.type=NodePort --wait --timeout 5m
"$KUBECTL" get pods,services -n "$RELEASE_NAMESPACE" -o wide
NODE_PORT="$("$KUBECTL" get service -n "$RELEASE_NAMESPACE" "$RELEASE-mosquitto" -o jsonpath='{.spec.ports[0].nodePort}')"
BROKER_URI="tcp://$FIELDPROOF_NODE_IP:$NODE_PORT"
OPERATOR_POD="$("$KUBECTL" get pods -n "$RELEASE_NAMESPACE" -l app.kubernetes.io/component=operator -o jsonpath='{.items[0].metadata.name}')"
HTTP_BASE="http://$("$KUBECTL" get pod -n "$RELEASE_NAMESPACE" "$OPERATOR_POD" -o jsonpath='{.status.podIP}'):8080"
operator_log_tail() { "$KUBECTL" logs -n "$RELEASE_NAMESPACE" "$OPERATOR_POD" --tail=40; }
OPERATOR_LOG="kubectl logs -n $RELEASE_NAMESPACE $OPERATOR_POD"
KUBECONFIG_SHOWN="$KUBECONFIG"
echo "broker for the gateways (outside the cluster): $BROKER_URI; operator: $HTTP_BASE"

else
step "Building the local control plane (first time: several minutes)"
K8S_BIN="$(bash test/controlplane/build.sh)"
KUBECTL="$K8S_BIN/kubectl"

step "Building Fieldproof"
./mvnw -B -ntp -q package -DskipTests
./mvnw -B -ntp -q -pl test/support dependency:build-classpath -Dmdep.outputFile="$DEMO/controlplane.classpath"

step "Starting kube-apiserver + etcd and installing the CRDs"
java -cp "test/support/target/classes:$(cat "$DEMO/controlplane.classpath")" \
  io.fieldproof.testsupport.ControlPlaneMain "$DEMO/kubeconfig" --data-dir "$DEMO/controlplane" >"$DEMO/controlplane.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  grep -q "ready, CRDs installed" "$DEMO/controlplane.log" 2>/dev/null && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { cat "$DEMO/controlplane.log"; die "the control plane did not start (log above)"; }
  sleep 1
done
grep -q "ready, CRDs installed" "$DEMO/controlplane.log" || die "the control plane did not start within 120 s: $DEMO/controlplane.log"
export KUBECONFIG="$DEMO/kubeconfig"
"$KUBECTL" get crd -l '!none' -o custom-columns=CRD:.metadata.name,SHORT:.spec.names.shortNames --no-headers | grep fieldproof


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
HTTP_BASE="http://127.0.0.1:$HTTP_PORT"
java -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dfieldproof.mqtt.uri="tcp://127.0.0.1:$MQTT_PORT" \
  -Dfieldproof.signing.key-file="$DEMO/signing/key.pem" \
  -jar operator/target/quarkus-app/quarkus-run.jar >"$DEMO/operator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "$HTTP_BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${PIDS[1]}" 2>/dev/null || { tail -50 "$DEMO/operator.log"; die "the operator exited (log above)"; }
  sleep 1
done
curl -fs "$HTTP_BASE/q/health/ready" >/dev/null || die "the operator is not ready after 60 s: $DEMO/operator.log"
HTTP_BASE="$HTTP_BASE"
BROKER_URI="tcp://127.0.0.1:$MQTT_PORT"
operator_log_tail() { tail -40 "$DEMO/operator.log"; }
OPERATOR_LOG="$DEMO/operator.log"
KUBECONFIG_SHOWN="$DEMO/kubeconfig"
echo "operator ready: fleet page $HTTP_BASE/fleet, health $HTTP_BASE/q/health, metrics $HTTP_BASE/q/metrics"

fi

step "Starting the capture store (SeaweedFS's S3 gateway, loopback only)"
# Captured windows go from the agents to this bucket (docs/field-data.md#upload-and-storage). The
# store knows two keys: the demo's admin key (creates the bucket, reads it) and the gateways' key,
# which may only write the bucket.
WEED="$(bash test/objectstore/build-seaweedfs.sh | tail -1)"
CAPTURE_BUCKET=fieldproof-captures
mkdir -p "$DEMO/seaweedfs/data" "$DEMO/capture-store"
STORE_ADMIN_KEY="admin$(openssl rand -hex 4)" STORE_ADMIN_SECRET="$(openssl rand -hex 20)"
printf '%s' "agent$(openssl rand -hex 4)" >"$DEMO/capture-store/accessKeyId"
printf '%s' "$(openssl rand -hex 20)" >"$DEMO/capture-store/secretAccessKey"
chmod 600 "$DEMO/capture-store/accessKeyId" "$DEMO/capture-store/secretAccessKey"
cat >"$DEMO/seaweedfs/s3.json" <<JSON
{"identities": [
  {"name": "demo-admin", "credentials": [{"accessKey": "$STORE_ADMIN_KEY", "secretKey": "$STORE_ADMIN_SECRET"}],
   "actions": ["Admin", "Read", "List", "Write"]},
  {"name": "gateways", "credentials": [{"accessKey": "$(cat "$DEMO/capture-store/accessKeyId")", "secretKey": "$(cat "$DEMO/capture-store/secretAccessKey")"}],
   "actions": ["Write:$CAPTURE_BUCKET"]}
]}
JSON
chmod 600 "$DEMO/seaweedfs/s3.json"
WEED_PORTS=()
for _ in 1 2 3 4 5 6 7 8; do WEED_PORTS+=("$(free_port)"); done
"$WEED" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$DEMO/seaweedfs/data" \
  -master.port="${WEED_PORTS[0]}" -master.port.grpc="${WEED_PORTS[1]}" -master.telemetry=false \
  -master.volumeSizeLimitMB=64 -volume.port="${WEED_PORTS[2]}" -volume.port.grpc="${WEED_PORTS[3]}" \
  -filer -filer.port="${WEED_PORTS[4]}" -filer.port.grpc="${WEED_PORTS[5]}" \
  -filer.localSocket="$DEMO/seaweedfs/filer.sock" \
  -s3 -s3.port="${WEED_PORTS[6]}" -s3.port.grpc="${WEED_PORTS[7]}" -s3.port.iceberg=0 -s3.port.lance=0 \
  -s3.localSocket="$DEMO/seaweedfs/s3.sock" -s3.config="$DEMO/seaweedfs/s3.json" \
  >"$DEMO/seaweedfs.log" 2>&1 &
PIDS+=($!)
STORE_URI="http://127.0.0.1:${WEED_PORTS[6]}"
weed_shell() { echo "$1" | "$WEED" shell -master="127.0.0.1:${WEED_PORTS[0]}.${WEED_PORTS[1]}" -filer="127.0.0.1:${WEED_PORTS[4]}.${WEED_PORTS[5]}" 2>&1; }
capture_bucket_listed() { [[ "$(weed_shell "s3.bucket.list")" == *"$CAPTURE_BUCKET"* ]]; }
for _ in $(seq 1 60); do
  weed_shell "s3.bucket.create -name $CAPTURE_BUCKET" >/dev/null
  capture_bucket_listed && break
  sleep 1
done
capture_bucket_listed || die "SeaweedFS did not create the capture bucket: $DEMO/seaweedfs.log"
echo "capture store: $STORE_URI, bucket $CAPTURE_BUCKET (the gateways' key may only write it)"

step "Applying the samples' DeviceGroups and model ConfigMaps to namespace $NAMESPACE"
"$KUBECTL" create namespace "$NAMESPACE" --dry-run=client -o yaml | "$KUBECTL" apply -f -
# The samples report health every 30 s and 60 s; the demo's groups report every 2 s so that its
# short steps judge fresh counts (the agents look at their devices every 2 s).
DEMO_TELEMETRY='{"spec": {"telemetry": {"reportIntervalSeconds": 2}}}'
for sample in samples/esp32-vibration samples/stm32-temperature; do
  "$KUBECTL" patch --local -f "$sample/devicegroup.yaml" --type merge -p "$DEMO_TELEMETRY" -o yaml |
    "$KUBECTL" apply --server-side -n "$NAMESPACE" -f -
  "$KUBECTL" apply --server-side -n "$NAMESPACE" -f "$sample/model-configmap.yaml"
done

AGENT_JAR="$(ls edge-agent/target/fieldproof-edge-agent-*-all.jar)"
DEVICES_JAR="$(ls devices/target/fieldproof-devices-*-all.jar)"
declare -A AGENT_PID
start_agent() {
  java -jar "$AGENT_JAR" --config "$DEMO/$1/agent.yaml" >>"$DEMO/agent-$1.log" 2>&1 &
  PIDS+=($!)
  AGENT_PID[$1]=$!
}
# Starts COUNT emulated devices in one process and adds them to GATEWAY's device list; the options
# after VERSION go to the emulators (a regime of the field: --hold, --hold-cycle).
declare -A GATEWAY_DEVICES
start_emulators() {
  local gateway="$1" chip="$2" count="$3" seed="$4" model="$5" version="$6"
  shift 6
  local base log="$DEMO/emulators-$gateway-$seed.log"
  base="$(free_port)"
  java -jar "$DEVICES_JAR" --chip "$chip" --count "$count" \
    --base-port "$base" --seed "$seed" --telemetry-ms 1000 --model "$model" --model-version "$version" \
    "$@" >"$log" 2>&1 &
  PIDS+=($!)
  # The emulators print one line per device once it listens; an agent started earlier would find
  # closed ports and only try them again after its backoff.
  local listening=0
  for _ in $(seq 1 120); do
    listening="$(grep -sc ' tcp://' "$log" || true)"
    ((${listening:-0} >= count)) && break
    sleep 0.5
  done
  ((${listening:-0} >= count)) || die "the $gateway emulators did not start: $log"
  for i in $(seq 0 $((count - 1))); do
    GATEWAY_DEVICES[$gateway]+="  - {link: tcp://127.0.0.1:$((base + i)), chip: $chip, labels: @LABELS@}"$'\n'
  done
  echo "gateway $gateway: $count emulated $chip devices on ports $base..$((base + count - 1))${*:+ ($*)}"
}
# The device ids an emulator process of GATEWAY, started with SEED, serves (its log's first words).
device_ids() { awk '/ tcp:\/\// {print $1}' "$DEMO/emulators-$1-$2.log"; }
# Writes GATEWAY's agent.yaml for the devices started for it, every one with LABELS, and starts it.
start_gateway_agent() {
  local gateway="$1" labels="$2"
  mkdir -p "$DEMO/$gateway"
  {
    echo "gateway: $gateway"
    echo "namespace: $NAMESPACE"
    if [[ -n "${BROKER_SECRETS:-}" ]]; then
      # the agent reads its password from a file (or the environment), never from the YAML
      (umask 077 && sed -n "s/^$NAMESPACE\.$gateway://p" "$BROKER_SECRETS" >"$DEMO/$gateway/broker-password")
      echo "broker: {uri: $BROKER_URI, username: $NAMESPACE.$gateway, passwordFile: broker-password}"
    else
      echo "broker: {uri: $BROKER_URI}"
    fi
    echo "stateDir: state"
    echo "reportInterval: 2s"
    echo "trust: {publicKeys: [$DEMO/signing/public.pem]}"
    echo "captureStore: {endpoint: $STORE_URI, bucket: $CAPTURE_BUCKET, accessKeyIdFile: ../capture-store/accessKeyId, secretAccessKeyFile: ../capture-store/secretAccessKey}"
    echo "devices:"
    printf '%s' "${GATEWAY_DEVICES[$gateway]//@LABELS@/$labels}"
  } >"$DEMO/$gateway/agent.yaml"
  start_agent "$gateway"
}
start_gateway() { # gateway, chip, count, seed, labels, model, version
  start_emulators "$1" "$2" "$3" "$4" "$6" "$7"
  start_gateway_agent "$1" "$5"
}

step "Starting two gateways with emulated devices"
# The pumps run vibration-anomaly 1.3.0 (dense_anomaly.tflite); their sample rollout brings 1.4.0
# (dense_anomaly_v2.tflite). The cold-room nodes left the factory with the model of their sample
# rollout, temperature-guard 2.1.0 (logistic_temperature.tflite): that rollout has nothing to flash.
start_gateway gw-pumps esp32 4 100 '{line: "3", sensor: vibration}' \
  model/fixtures/models/dense_anomaly.tflite 1.3.0
start_gateway gw-coldroom stm32l4 3 200 '{site: warehouse-north}' \
  model/fixtures/models/logistic_temperature.tflite 2.1.0

step "Waiting for the devices to join their groups"
members() { "$KUBECTL" get dg "$1" -n "$NAMESPACE" -o jsonpath='{.status.devices.summary}'; }
await_members() { # group, devices, seconds
  for _ in $(seq 1 "$3"); do
    [[ "$(members "$1")" == "$2/$2" ]] && return 0
    sleep 1
  done
  return 1
}
for joining in "pump-vibration 4 gw-pumps" "coldroom-temperature 3 gw-coldroom"; do
  read -r group count gateway <<<"$joining"
  await_members "$group" "$count" 45 && continue
  # A device that did not join within 45 s (a slow start on a loaded machine): start its agent
  # again, which announces every device it knows from disk.
  echo "warning: $group has $(members "$group") of $count devices (online/total) after 45 s;" \
    "restarting the agent of $gateway"
  kill "${AGENT_PID[$gateway]}" && wait "${AGENT_PID[$gateway]}" 2>/dev/null || true
  start_agent "$gateway"
  await_members "$group" "$count" 60 ||
    die "$group has $(members "$group") of $count devices (online/total): $DEMO/agent-$gateway.log"
done
echo "pump-vibration $(members pump-vibration), coldroom-temperature $(members coldroom-temperature) (online/total)"

step "Waiting for the operator to report status"
"$KUBECTL" wait -n "$NAMESPACE" --for=jsonpath='{.status.observedGeneration}'=1 --timeout=60s devicegroup --all

models_and_health() {
  "$KUBECTL" get devicegroups -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.metadata.name}{": "}{range .status.models[*]}{.version}{" on "}{.devices}{" devices; "}{end}{"healthy "}{.status.devices.healthy}{"/"}{.status.devices.total}{"\n"}{end}'
}

step "Models the devices run, and their health, before the rollouts"
models_and_health

step "Starting the samples' ModelRollouts, with demo-length steps"
# kubectl patch --local edits the sample file, not the server: each rollout is created once,
# already with its demo strategy.
start_rollout() {
  "$KUBECTL" patch --local -f "$1" --type merge -p "$2" -o yaml |
    "$KUBECTL" apply --server-side -n "$NAMESPACE" -f -
}
start_rollout samples/esp32-vibration/modelrollout.yaml "$VIBRATION_DEMO_STRATEGY"
start_rollout samples/stm32-temperature/modelrollout.yaml "$TEMPERATURE_DEMO_STRATEGY"
"$KUBECTL" wait -n "$NAMESPACE" --for=condition=Validated --timeout=60s modelrollout --all

# Shows why a rollout did not succeed (its YAML, the operator log's tail) and ends the demo.
rollout_failed() {
  echo "The rollout $1 did not succeed: $2" >&2
  "$KUBECTL" get modelrollout "$1" -n "$NAMESPACE" -o yaml >&2 || true
  echo "--- last lines of the operator log ($OPERATOR_LOG)" >&2
  operator_log_tail >&2
  exit 1
}

# One line per change of the rollout: time, phase, step, devices updated, gates, message.
watch_rollout() { # rollout, seconds
  local rollout="$1" deadline=$((SECONDS + $2)) last="" phase="" line step updated gates message
  local steps # one x per step: its length is the number of steps
  steps="$("$KUBECTL" get modelrollout "$rollout" -n "$NAMESPACE" -o jsonpath='{range .spec.strategy.steps[*]}x{end}')"
  while ((SECONDS < deadline)); do
    line="$("$KUBECTL" get modelrollout "$rollout" -n "$NAMESPACE" -o jsonpath='{.status.phase}|{.status.currentStep}|{.status.devices.updated}/{.status.devices.targeted}|{range .status.gates[*]}{.metric}={.result} {end}|{.status.message}')"
    if [[ "$line" != "$last" ]]; then
      IFS='|' read -r phase step updated gates message <<<"$line"
      printf '%s  %-11s step %s/%s  updated %-5s  gates: %s\n           %s\n' \
        "$(date +%H:%M:%S)" "$phase" "${step:--}" "${#steps}" "$updated" "${gates:-none yet}" "$message"
      last="$line"
    fi
    case "$phase" in
      Succeeded) return 0 ;;
      Failed | RolledBack | Superseded) rollout_failed "$rollout" "it ended in phase $phase" ;;
    esac
    sleep 1
  done
  rollout_failed "$rollout" "still $phase after $2 s"
}

step "Canary of vibration-anomaly 1.4.0 over the pumps: 25 %, a 20 s soak, then all (at most $ROLLOUT_SECONDS s)"
watch_rollout "$ROLLOUT" "$ROLLOUT_SECONDS"
"$KUBECTL" wait -n "$NAMESPACE" --for=condition=Complete --timeout=60s "modelrollout/$ROLLOUT" ||
  rollout_failed "$ROLLOUT" "its Complete condition is not True"
"$KUBECTL" wait -n "$NAMESPACE" --for=condition=Complete --timeout=120s modelrollout/temp-guard-2-1-0 ||
  rollout_failed temp-guard-2-1-0 "its Complete condition is not True after 120 s"

step "kubectl get mr,dg -n $NAMESPACE"
"$KUBECTL" get mr,dg -n "$NAMESPACE"

step "The rollout's events"
"$KUBECTL" get events -n "$NAMESPACE" --field-selector "involvedObject.name=$ROLLOUT" \
  --sort-by=.metadata.resourceVersion -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message

step "The pump group's current model"
"$KUBECTL" get devicegroup pump-vibration -n "$NAMESPACE" -o jsonpath='{.status.currentModel.name} {.status.currentModel.version}, sha256 {.status.currentModel.sha256}{"\n"}'

step "kubectl get fieldproof -n $NAMESPACE"
"$KUBECTL" get fieldproof -n "$NAMESPACE"

step "Models the devices run, and their health, after the rollouts"
models_and_health

step "kubectl fieldproof status -n $NAMESPACE (the kubectl plugin)"
PATH="$ROOT/kubectl-plugin:$PATH" KUBECTL="$KUBECTL" "$ROOT/kubectl-plugin/kubectl-fieldproof" status -n "$NAMESPACE" || true

step "The fleet page the operator serves, to a viewer of $NAMESPACE"
# The page's data needs a Kubernetes token and shows only the namespaces its holder may read:
# a ServiceAccount that may list the DeviceGroups of this namespace, and nothing else.
"$KUBECTL" apply --server-side -n "$NAMESPACE" -f - >/dev/null <<VIEWER
apiVersion: v1
kind: ServiceAccount
metadata: {name: fleet-viewer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: fleet-viewer}
rules:
  - {apiGroups: [fieldproof.io], resources: [devicegroups], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: fleet-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: fleet-viewer}
subjects:
  - {kind: ServiceAccount, name: fleet-viewer, namespace: $NAMESPACE}
VIEWER
VIEWER_TOKEN="$("$KUBECTL" create token fleet-viewer -n "$NAMESPACE" --duration=24h)"
echo "without a token: HTTP $(curl -s -o /dev/null -w '%{http_code}' "$HTTP_BASE/fleet/api/summary")"
curl -fs -H "Authorization: Bearer $VIEWER_TOKEN" "$HTTP_BASE/fleet/api/summary?namespace=$NAMESPACE" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("fleet page summary:", {k: v for k, v in d.items() if not isinstance(v, (list, dict))})' || true
echo "open $HTTP_BASE/fleet#token=$VIEWER_TOKEN (the demo stops its processes at the end: run scripts/demo.sh --keep to browse)"

step "Conditions"
"$KUBECTL" get devicegroups,modelrollouts -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}{"|"}observedGeneration {.status.observedGeneration}{"\n"}{range .status.conditions[*]}{"    "}{.type}{"|"}{.status}{"|"}{.reason}{"|"}{.message}{"\n"}{end}{end}' | column -t -s '|'

source scripts/lib/demo-field-loop.sh
field_data_loop

step "Summary"
cat <<SUMMARY
Both sample DeviceGroups were accepted by the API server and reconciled by the operator. Two
edge agents announced their emulated ESP32 and STM32 devices over MQTT; each group found its
members by label and published their runtime config (retained, stamped with the group's
generation). The devices validate and normalize their sensor readings and run their int8 model
(the project's interpreter, bit-exact with tflite-micro); the groups report their health and
which model they run.

Then the samples' ModelRollouts ran, with demo-length steps. Each validated its model file
(sha256, an int8 model of supported operators, an input as wide as the group's inputs, the
tensor arena, the self-test vectors) and published it to the agents as retained,
content-addressed chunks over MQTT. The pump rollout named vibration-anomaly 1.4.0 in the
desired state of a 25 % canary first: its agent fetched the model, checked it, wrote it to the
device's inactive slot, self-tested it, ran it on trial and confirmed it. The gates compared the
canary's alarm, fallback and sensor-fault rates, latency and self-tests with the pumps still on
1.3.0; after the soak the other pumps followed, two at a time, and the group's current model is
now 1.4.0. The cold-room nodes already ran temperature-guard 2.1.0, so their rollout succeeded
without flashing anything. See docs/rollouts.md.

Last, the field-data loop (docs/field-data.md): six pumps on line 7 ran the lab's model in the
field, three at low load (normal, but an anomaly to that model), two with a bearing fault and one
with a drifting current sensor. Their devices captured windows around each alarm and the drift,
the gateway uploaded them to the capture store, the demo labeled them as a person who watched the
pumps would (kubectl fieldproof label), the group's status counted the labeled false alarms,
fieldproof-dataset exported them, retrain.py retrained the model on them and judged it against
the old one on the same windows, and the retrained model went out to the pumps as a canary.

  fleet page     $HTTP_BASE/fleet#token=$VIEWER_TOKEN   (groups, rollouts, devices, attention, for the token's namespaces; --keep to browse it)
  metrics        $HTTP_BASE/q/metrics   (the Grafana dashboard: helm/fieldproof/dashboards/fieldproof.json)
  plugin         PATH=\$PWD/kubectl-plugin:\$PATH KUBECONFIG=$KUBECONFIG_SHOWN $KUBECTL fieldproof status -n $NAMESPACE
  kubeconfig     $KUBECONFIG_SHOWN   (KUBECONFIG=$KUBECONFIG_SHOWN $KUBECTL get fieldproof -A)
  operator log   $OPERATOR_LOG
  agents         $DEMO/agent-*.log, their YAML in $DEMO/gw-*/agent.yaml
  broker         $BROKER_URI
  capture store  $STORE_URI   (bucket $CAPTURE_BUCKET; SeaweedFS, log $DEMO/seaweedfs.log)
  field data     $DEMO/field-dataset (the exported windows), $DEMO/retrained (the model and report.json)
SUMMARY

if $KEEP; then
  echo
  echo "Running until Ctrl-C (--keep)."
  wait
fi
