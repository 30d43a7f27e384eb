#!/usr/bin/env bash
# Proves that the images of scripts/images.sh run, under podman, with nothing pulled:
#   - operator and agent: non-root user 185, entrypoint `java ... -jar`, OCI labels;
#   - the Mosquitto image: user 1883, OCI labels with the Debian mosquitto version; run as the
#     chart runs it (uid 1883, read-only root, config mounted read-only at /mosquitto/config, a
#     data volume, the chart's command), it answers an MQTT CONNECT with a CONNACK, keeps a
#     retained message, and still has it after a restart (written to its data volume);
#   - the agent image prints its usage without a configuration, then connects to a local
#     Mosquitto with one and announces its gateway;
#   - the operator image, with a read-only root file system, all capabilities dropped and the
#     local kube-apiserver (test/controlplane), starts and answers /q/health/live and /ready.
# Usage: test/images/smoke.sh [--no-build]   (arguments go to scripts/images.sh)
# Exits non-zero on the first failure. Everything listens on 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/lib/prerequisites.sh

export CONTAINERS_CONF="$ROOT/test/images/containers.conf"
WORK="$(mktemp -d /tmp/fieldproof-image-smoke.XXXXXX)"
chmod 755 "$WORK"
CONTAINERS=()
PIDS=()
say() { printf '[smoke] %s\n' "$*"; }
fail() {
  echo "[smoke] FAILED: $*" >&2
  exit 1
}
cleanup() {
  for c in "${CONTAINERS[@]}"; do podman rm -f -t 2 "$c" >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if ! command -v podman >/dev/null 2>&1; then
  say "installing podman (apt-get)"
  apt-get install -y -qq --no-install-recommends podman >/dev/null
fi
MOSQUITTO="$(command -v mosquitto || ls /usr/sbin/mosquitto 2>/dev/null || true)"
[[ -n "$MOSQUITTO" ]] || die "mosquitto is missing: apt-get install -y mosquitto"

say "building the images and loading them into podman"
mapfile -t NAMES < <(scripts/images.sh --podman "$@")
OPERATOR="${NAMES[0]:-}"
AGENT="${NAMES[1]:-}"
BROKER="${NAMES[2]:-}"
[[ -n "$OPERATOR" && -n "$AGENT" && -n "$BROKER" ]] || fail "scripts/images.sh did not print three image names"

# --- what both images declare ----------------------------------------------------------------
for image in "$OPERATOR" "$AGENT"; do
  user="$(podman image inspect "$image" --format '{{.Config.User}}')"
  [[ "$user" == "185:185" ]] || fail "$image runs as '$user', not 185:185"
  entrypoint="$(podman image inspect "$image" --format '{{json .Config.Entrypoint}}')"
  [[ "$entrypoint" == *'"-jar"'* && "$entrypoint" == *MaxRAMPercentage* ]] ||
    fail "$image: entrypoint $entrypoint is not java ... -jar with MaxRAMPercentage"
  for label in version revision source; do
    value="$(podman image inspect "$image" --format "{{index .Config.Labels \"org.opencontainers.image.$label\"}}")"
    [[ -n "$value" ]] || fail "$image has no org.opencontainers.image.$label label"
  done
  say "$image: user 185:185, java -jar entrypoint, OCI labels"
done

# --- the broker image, run as the chart runs it -------------------------------------------------
user="$(podman image inspect "$BROKER" --format '{{.Config.User}}')"
[[ "$user" == "1883:1883" ]] || fail "$BROKER runs as '$user', not 1883:1883"
for label in version revision source; do
  value="$(podman image inspect "$BROKER" --format "{{index .Config.Labels \"org.opencontainers.image.$label\"}}")"
  [[ -n "$value" ]] || fail "$BROKER has no org.opencontainers.image.$label label"
done
mosquitto_version="$(podman image inspect "$BROKER" --format '{{index .Config.Labels "io.fieldproof.mosquitto.debian-version"}}')"
[[ "$mosquitto_version" == 2.* ]] || fail "$BROKER: io.fieldproof.mosquitto.debian-version is '$mosquitto_version'"
BROKER_PORT="$(free_port)"
mkdir -p "$WORK/broker/config" "$WORK/broker/data"
# The chart's ConfigMap, on a free port of the loopback (host network: no port mapping needed).
cat >"$WORK/broker/config/mosquitto.conf" <<CONF
listener $BROKER_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location /mosquitto/data/
autosave_interval 60
log_dest stdout
log_type error
log_type warning
log_type notice
CONF
chmod 755 "$WORK/broker/config"
chmod 644 "$WORK/broker/config/mosquitto.conf"
chown 1883:1883 "$WORK/broker/data" # the chart's fsGroup does this for its emptyDir
CONTAINERS+=(fieldproof-smoke-broker)
podman run -d --name fieldproof-smoke-broker --network=host --user 1883:1883 \
  --read-only --read-only-tmpfs=false --cap-drop=ALL --security-opt=no-new-privileges \
  -v "$WORK/broker/config:/mosquitto/config:ro" -v "$WORK/broker/data:/mosquitto/data" \
  --entrypoint '["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]' \
  "$BROKER" >/dev/null
probe() { python3 test/images/mqtt-probe.py "$BROKER_PORT" "$@"; }
said="$(probe --retain "smoke $$" --expect "smoke $$")" ||
  { podman logs fieldproof-smoke-broker >&2; fail "the broker image did not answer MQTT on $BROKER_PORT"; }
say "broker: $said"
podman stop -t 10 fieldproof-smoke-broker >/dev/null
[[ "$(stat -c %u "$WORK/broker/data/mosquitto.db" 2>/dev/null)" == 1883 ]] ||
  { podman logs fieldproof-smoke-broker >&2; fail "the broker wrote no mosquitto.db of uid 1883 to its data volume"; }
podman start fieldproof-smoke-broker >/dev/null
said="$(probe --expect "smoke $$")" ||
  { podman logs fieldproof-smoke-broker >&2; fail "the broker lost its retained message over a restart"; }
podman rm -f -t 2 fieldproof-smoke-broker >/dev/null
# The label names the broker that runs: `mosquitto -h` prints the upstream part of the version.
upstream="${mosquitto_version%%-*}"
help="$(podman run --rm --network=none --read-only --cap-drop=ALL "$BROKER" -h 2>&1 || true)"
grep -q "^mosquitto version $upstream\$" <<<"$help" ||
  fail "$BROKER: mosquitto -h does not print version $upstream (label $mosquitto_version)"
say "broker: $BROKER (Debian mosquitto $mosquitto_version) as 1883:1883, read-only root, caps dropped; after a restart: $said"

# --- a broker on the loopback ------------------------------------------------------------------
MQTT_PORT="$(free_port)"
mkdir -p "$WORK/mosquitto"
cat >"$WORK/mosquitto/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
log_dest file $WORK/mosquitto/mosquitto.log
connection_messages true
CONF
chmod -R 777 "$WORK/mosquitto"
"$MOSQUITTO" -c "$WORK/mosquitto/mosquitto.conf" >/dev/null 2>&1 &
PIDS+=($!)

# --- the agent ---------------------------------------------------------------------------------
set +e
usage="$(podman run --rm --network=none "$AGENT" --help 2>&1)"
rc=$?
set -e
[[ "$rc" == 2 && "$usage" == *"usage: fieldproof-agent --config"* ]] ||
  fail "the agent image without a configuration: exit $rc, '$usage'"
say "agent: prints its usage ($usage)"

mkdir -p "$WORK/agent/config" "$WORK/agent/state"
# the test signing key pair (test/support): agents trust its public key, the operator signs with it
SIGNING="$ROOT/test/support/src/main/resources/io/fieldproof/testsupport/signing"
cp "$SIGNING/test-signing-key.pub.pem" "$WORK/agent/config/operator.pub.pem"
cat >"$WORK/agent/config/agent.yaml" <<YAML
gateway: smoke-gw
namespace: smoke
broker: {uri: "tcp://127.0.0.1:$MQTT_PORT"}
stateDir: /var/lib/fieldproof/state
trust: {publicKeys: [operator.pub.pem]}
devices: []
YAML
chmod 644 "$WORK/agent/config/agent.yaml" "$WORK/agent/config/operator.pub.pem"
chown 185:185 "$WORK/agent/state"
CONTAINERS+=(fieldproof-smoke-agent)
podman run -d --name fieldproof-smoke-agent --network=host --read-only --cap-drop=ALL \
  --security-opt=no-new-privileges \
  -v "$WORK/agent/config:/etc/fieldproof:ro" -v "$WORK/agent/state:/var/lib/fieldproof/state" \
  "$AGENT" >/dev/null
for _ in $(seq 1 60); do
  grep -q -- "-smoke-gw (p5" "$WORK/mosquitto/mosquitto.log" 2>/dev/null && break
  [[ "$(podman inspect -f '{{.State.Running}}' fieldproof-smoke-agent)" == true ]] ||
    { podman logs fieldproof-smoke-agent >&2; fail "the agent container stopped"; }
  sleep 1
done
grep -q -- "-smoke-gw (p5" "$WORK/mosquitto/mosquitto.log" ||
  { podman logs fieldproof-smoke-agent >&2; cat "$WORK/mosquitto/mosquitto.log" >&2; fail "the agent did not connect to the broker within 60 s"; }
ls "$WORK/agent/state" | grep -q . || fail "the agent wrote nothing to its stateDir"
say "agent: connected to the broker as gateway smoke-gw, state in its volume ($(ls "$WORK/agent/state" | paste -sd' '))"

# --- the operator, against the local control plane ----------------------------------------------
say "starting the local kube-apiserver + etcd"
K8S_BIN="$(bash test/controlplane/build.sh)"
[[ -x "$K8S_BIN/kube-apiserver" ]] || fail "no kube-apiserver from test/controlplane/build.sh"
nice -n 10 ./mvnw -B -ntp -q -DskipTests -pl test/support -am package >"$WORK/mvn.log" 2>&1 ||
  { tail -20 "$WORK/mvn.log" >&2; fail "test/support did not build"; }
./mvnw -B -ntp -q -pl test/support dependency:build-classpath -Dmdep.outputFile="$WORK/classpath" >>"$WORK/mvn.log" 2>&1 ||
  { tail -20 "$WORK/mvn.log" >&2; fail "the classpath of test/support could not be resolved"; }
java -cp "test/support/target/classes:$(cat "$WORK/classpath")" \
  io.fieldproof.testsupport.ControlPlaneMain "$WORK/kubeconfig.host" >"$WORK/controlplane.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  grep -q "ready, CRDs installed" "$WORK/controlplane.log" && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/controlplane.log" >&2; fail "the control plane did not start"; }
  sleep 1
done
grep -q "ready, CRDs installed" "$WORK/controlplane.log" || fail "the control plane did not start within 120 s"

# The kubeconfig names certificate files on this machine: inline them for the container.
mkdir -p "$WORK/kube"
python3 - "$WORK/kubeconfig.host" "$WORK/kube/config" <<'PY'
import base64, re, sys
text = open(sys.argv[1]).read()
def inline(match):
    key, path = match.group(1), match.group(2).strip()
    return f"{key}-data: {base64.b64encode(open(path, 'rb').read()).decode()}"
text = re.sub(r"(certificate-authority|client-certificate|client-key): (/\S+)", inline, text)
open(sys.argv[2], "w").write(text)
PY
chmod 644 "$WORK/kube/config"

HTTP_PORT="$(free_port)"
mkdir -p "$WORK/signing" && cp "$SIGNING/test-signing-key.pem" "$WORK/signing/key.pem"
chmod 644 "$WORK/signing/key.pem"
CONTAINERS+=(fieldproof-smoke-operator)
podman run -d --name fieldproof-smoke-operator --network=host --user 185:185 \
  --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,size=64m --cap-drop=ALL \
  --security-opt=no-new-privileges \
  -v "$WORK/kube:/etc/fieldproof/kube:ro" -e KUBECONFIG=/etc/fieldproof/kube/config \
  -v "$WORK/signing:/etc/fieldproof/signing:ro" -e FIELDPROOF_SIGNING_KEY_FILE=/etc/fieldproof/signing/key.pem \
  -e QUARKUS_HTTP_PORT="$HTTP_PORT" \
  -e FIELDPROOF_MQTT_URI="tcp://127.0.0.1:$MQTT_PORT" -e FIELDPROOF_MQTT_CLIENT_ID=smoke-operator \
  -e FIELDPROOF_LEADER_ELECTION_ENABLED=false \
  "$OPERATOR" >/dev/null
health() { curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$HTTP_PORT/q/health/$1" || true; }
for _ in $(seq 1 90); do
  [[ "$(health live)" == 200 && "$(health ready)" == 200 ]] && break
  [[ "$(podman inspect -f '{{.State.Running}}' fieldproof-smoke-operator)" == true ]] ||
    { podman logs fieldproof-smoke-operator >&2; fail "the operator container stopped"; }
  sleep 1
done
[[ "$(health live)" == 200 ]] || { podman logs fieldproof-smoke-operator >&2; fail "/q/health/live did not answer 200 within 90 s"; }
[[ "$(health ready)" == 200 ]] || { podman logs fieldproof-smoke-operator >&2; fail "/q/health/ready did not answer 200 within 90 s"; }
# Ready can come a moment before the controllers log that they started: wait for the line.
started=false
for _ in $(seq 1 60); do
  podman logs fieldproof-smoke-operator 2>&1 | grep -q "Starting 'devicegroup' controller" && { started=true; break; }
  sleep 1
done
$started || { podman logs fieldproof-smoke-operator >&2; fail "the operator's log does not show its controllers starting within 60 s"; }
say "operator: read-only root, caps dropped, controllers started, /q/health/live and /ready answer 200"
say "passed"
