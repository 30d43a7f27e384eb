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

step "Starting the operator"
HTTP_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
java -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.http.host=127.0.0.1 \
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

step "Waiting for the operator to report status"
"$KUBECTL" wait -n "$NAMESPACE" --for=jsonpath='{.status.observedGeneration}'=1 --timeout=60s devicegroup --all
"$KUBECTL" wait -n "$NAMESPACE" --for=condition=Validated --timeout=60s modelrollout --all

step "kubectl get fieldproof -n $NAMESPACE"
"$KUBECTL" get fieldproof -n "$NAMESPACE"

step "Conditions"
"$KUBECTL" get devicegroups,modelrollouts -n "$NAMESPACE" -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}{"|"}observedGeneration {.status.observedGeneration}{"\n"}{range .status.conditions[*]}{"    "}{.type}{"|"}{.status}{"|"}{.reason}{"|"}{.message}{"\n"}{end}{end}' | column -t -s '|'

step "Summary"
cat <<SUMMARY
Both sample DeviceGroups and ModelRollouts were accepted by the API server and reconciled by
the operator. The groups report NoMembers until gateways connect devices; the rollouts have
validated their model files (sha256, TFLite identifier, self-test vectors).

  kubeconfig     $DEMO/kubeconfig   (KUBECONFIG=$DEMO/kubeconfig $KUBECTL get fieldproof -A)
  operator log   $DEMO/operator.log
  control plane  $DEMO/controlplane.log
SUMMARY

if $KEEP; then
  echo
  echo "Running until Ctrl-C (--keep)."
  wait
fi
