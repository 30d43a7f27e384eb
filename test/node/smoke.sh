#!/usr/bin/env bash
# Proof that the single node works: brings it up if it is not (test/node/up.sh), then, in a
# namespace of its own, with locally built images only (imagePullPolicy: Never):
#   1. a server pod becomes Ready and gets an IP from the pod range;
#   2. a client pod reaches it through a ClusterIP Service (kube-proxy's iptables rules);
#   3. a client pod reaches a TCP server that a host process serves on the node's address;
#   4. a client pod reaches the kube-apiserver through the `kubernetes` Service;
#   5. the ServiceAccount admission plugin and token controller gave pods a token volume;
#   6. a pod that would pull (imagePullPolicy Always) is rejected.
# Exits non-zero on the first failure, printing what the pods and their logs said.
# Leaves the node running (scripts/node-down.sh stops it), unless given --down.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START=$SECONDS
DOWN=false
[[ "${1:-}" != "--down" ]] || DOWN=true
bash "$NODE_HERE/up.sh"
source "$NODE_DIR/env"
KUBECTL="$K8S_BIN/kubectl"
NS="fp-smoke-$RANDOM"
TOKEN="fieldproof-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
HOST_PID=""
cleanup() {
  [[ -z "$HOST_PID" ]] || kill "$HOST_PID" 2>/dev/null || true
  "$KUBECTL" delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  rm -rf "$WORK"
  if $DOWN; then bash "$NODE_HERE/down.sh"; fi
}
trap cleanup EXIT
fail() {
  echo "[smoke] FAILED: $*" >&2
  "$KUBECTL" -n "$NS" get pods,services,endpointslices -o wide >&2 || true
  for pod in $("$KUBECTL" -n "$NS" get pods -o name 2>/dev/null); do
    echo "--- $pod" >&2
    "$KUBECTL" -n "$NS" describe "$pod" | sed -n '/^Events:/,$p' >&2 || true
    "$KUBECTL" -n "$NS" logs "$pod" --all-containers >&2 || true
  done
  exit 1
}
ok() { echo "[smoke] ok: $*" >&2; }

# A host-side server on the node's address, as Mosquitto or the model HTTP server will be.
HOST_PORT="$(python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$NODE_IP")"
echo "host-$TOKEN" >"$WORK/index.html"
python3 -m http.server --bind "$NODE_IP" --directory "$WORK" "$HOST_PORT" >"$WORK/http.log" 2>&1 &
HOST_PID=$!

"$KUBECTL" create namespace "$NS" >/dev/null
"$KUBECTL" -n "$NS" wait --for=jsonpath='{.metadata.name}'=default serviceaccount/default --timeout=60s >/dev/null ||
  fail "no default ServiceAccount in $NS (is the controller-manager's token controller running?)"

client_pod() { # name host port expect
  cat <<YAML
---
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: smoke-client}}
spec:
  restartPolicy: Never
  containers:
  - name: probe
    image: $PROBE_IMAGE
    imagePullPolicy: Never
    args: [get, "$2", "$3", "$4"]
YAML
}
{
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: $PROBE_IMAGE
    imagePullPolicy: Never
    args: [serve, "8080", "web-$TOKEN"]
    ports: [{containerPort: 8080}]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: token, labels: {app: smoke-client}}
spec:
  restartPolicy: Never
  containers:
  - name: probe
    image: $PROBE_IMAGE
    imagePullPolicy: Never
    args: [cat, /var/run/secrets/kubernetes.io/serviceaccount/namespace, /var/run/secrets/kubernetes.io/serviceaccount/token]
YAML
  client_pod to-host "$NODE_IP" "$HOST_PORT" "host-$TOKEN"
  # Go's TLS server answers a plain-text request with this line: proof it is the apiserver.
  client_pod to-apiserver '$(KUBERNETES_SERVICE_HOST)' '$(KUBERNETES_SERVICE_PORT)' "Client sent an HTTP request to an HTTPS server"
} | "$KUBECTL" -n "$NS" apply -f - >/dev/null

"$KUBECTL" -n "$NS" wait --for=condition=Ready pod/web --timeout=120s >/dev/null || fail "pod web not Ready"
WEB_IP="$("$KUBECTL" -n "$NS" get pod web -o jsonpath='{.status.podIP}')"
python3 - "$WEB_IP" "$POD_CIDR" <<'PY' || fail "pod web has IP '$WEB_IP', not one from $POD_CIDR"
import ipaddress, sys
sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]) else 1)
PY
ok "pod web Ready with IP $WEB_IP"
SVC_IP="$("$KUBECTL" -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')"
client_pod to-service "$SVC_IP" 80 "web-$TOKEN" | "$KUBECTL" -n "$NS" apply -f - >/dev/null

for pod in to-service to-host to-apiserver token; do
  "$KUBECTL" -n "$NS" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$pod" --timeout=120s >/dev/null ||
    fail "pod $pod did not complete"
done
ok "pod to-service reached Service web ($SVC_IP:80 -> $WEB_IP:8080): $("$KUBECTL" -n "$NS" logs to-service | grep -o "web-$TOKEN" | head -1)"
ok "pod to-host reached the host's server on $NODE_IP:$HOST_PORT: $("$KUBECTL" -n "$NS" logs to-host | grep -o "host-$TOKEN" | head -1)"
ok "pod to-apiserver reached the kube-apiserver via the kubernetes Service ($KUBERNETES_SERVICE_IP:443)"
token_log="$("$KUBECTL" -n "$NS" logs token)"
[[ "$(head -1 <<<"$token_log")" == "$NS" ]] || fail "pod token did not see its namespace in the service-account volume"
jwt="$(sed -n 2p <<<"$token_log")"
[[ "$jwt" == *.*.* ]] || fail "pod token found no JWT in its service-account volume"
sub="$(cut -d. -f2 <<<"$jwt" | tr '_-' '/+' | python3 -c 'import base64,json,sys; s=sys.stdin.read().strip(); print(json.loads(base64.b64decode(s + "=" * (-len(s) % 4)))["sub"])')"
[[ "$sub" == "system:serviceaccount:$NS:default" ]] || fail "the pod's token is for '$sub'"
ok "pod token holds a service-account token for $sub"
if "$KUBECTL" -n "$NS" run pulls --image "$PROBE_IMAGE" --image-pull-policy Always --restart Never \
  >"$WORK/pulls.out" 2>&1; then
  fail "a pod with imagePullPolicy Always was admitted"
fi
grep -q "never pulls images" "$WORK/pulls.out" || fail "unexpected answer to a pulling pod: $(cat "$WORK/pulls.out")"
ok "a pod with imagePullPolicy Always is rejected: $(grep -o 'this node never pulls images[^(]*' "$WORK/pulls.out")"
echo "[smoke] PASSED in $((SECONDS - START))s (node $NODE_NAME, namespace $NS)" >&2
