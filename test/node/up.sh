#!/usr/bin/env bash
# Starts a real single-node Kubernetes on this machine, nothing pulled, nothing leaving it:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler (from test/controlplane and
# test/node/build.sh), containerd + runc (Debian), the kubelet with a bridge CNI, kube-proxy in
# iptables mode. State, logs and certificates live in ${FIELDPROOF_NODE_DIR:-/tmp/fieldproof-node};
# test/node/down.sh removes all of it again. Waits until the node is Ready (there is no CoreDNS:
# pods get the host's resolv.conf and reach Services by IP or by the env vars the kubelet sets).
# Writes $FIELDPROOF_NODE_DIR/env to source: KUBECONFIG, CONTAINERD_ADDRESS and friends.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START=$SECONDS
[[ $EUID -eq 0 ]] || node_die "must run as root (it starts containerd and the kubelet, makes interfaces and iptables rules)"

missing=()
for tool in containerd containerd-shim-runc-v2 ctr runc iptables ip openssl python3 gcc; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  node_die "missing: ${missing[*]} (apt-get install -y containerd runc iptables iproute2 openssl python3 gcc libc6-dev)"
fi
for fs in overlay; do grep -qw "$fs" /proc/filesystems || node_die "the kernel lacks $fs (containerd's overlayfs snapshotter needs it)"; done
[[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || node_die "no memory cgroup mounted under /sys/fs/cgroup"

if [[ -f "$NODE_DIR/env" ]] && KUBECONFIG="$ADMIN_KUBECONFIG" "$K8S_BIN/kubectl" get node "$NODE_NAME" \
  -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
  node_log "already up: source $NODE_DIR/env"
  exit 0
fi
# One up.sh or down.sh at a time per state dir.
exec 8>"$NODE_DIR.lock"
flock -n 8 || node_die "another up.sh or down.sh holds $NODE_DIR.lock"
if [[ -e "$NODE_DIR" ]]; then
  node_log "stale state in $NODE_DIR: cleaning it first"
  bash "$NODE_HERE/down.sh"
fi
trap 'rc=$?; ((rc == 0)) || node_log "start failed: logs in $NODE_DIR/logs; scripts/node-down.sh removes what was started"' EXIT

node_log "binaries: building what is missing (first time: about 10 minutes on two cores; cached afterwards)"
bash "$NODE_HERE/build.sh" >/dev/null
for bin in etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet kube-proxy \
  cni-plugins-$CNI_PLUGINS_VERSION/bridge cni-plugins-$CNI_PLUGINS_VERSION/host-local \
  cni-plugins-$CNI_PLUGINS_VERSION/loopback cni-plugins-$CNI_PLUGINS_VERSION/portmap images/pause.tar images/probe.tar; do
  [[ -e "$K8S_BIN/$bin" ]] || node_die "$K8S_BIN/$bin is missing after test/node/build.sh"
done

mkdir -p "$NODE_DIR"/{pki,kubeconfig,logs,pids,etcd,containerd,cni/net.d,cni/ipam,kubelet,pod-logs,config}
chmod 700 "$NODE_DIR"
LOGS="$NODE_DIR/logs"
PKI="$NODE_DIR/pki"

# --- what down.sh must restore: sysctls and the iptables chains that existed before us ---
for key in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables; do
  echo "$key=$(sysctl -n "$key")" >>"$NODE_DIR/sysctl.before"
done
for table in filter nat mangle; do
  iptables -t "$table" -S | awk -v t="$table" '$1 == "-N" {print t, $2}'
done >"$NODE_DIR/iptables-chains.before"
# Fixed paths that no setting moves: containerd 1.6's shim sockets (/run/containerd/s), the
# CNI result cache (/var/lib/cni), the kubelet's device-plugins/kubelet.sock and its
# /var/log/containers links. down.sh removes those that did not exist before.
for path in /run/containerd /var/lib/kubelet /var/log/containers /var/lib/cni; do
  [[ -e "$path" ]] || echo "$path" >>"$NODE_DIR/paths.created"
done

# --- network: the node's own address on an interface of its own; Services routed to it ---
# (A bridge without ports stands in for a dummy interface: this kernel has no CONFIG_DUMMY.)
node_log "network: $NODE_IFACE $NODE_IP (node), $POD_BRIDGE $POD_CIDR (pods), $SERVICE_CIDR (Services)"
echo "$NODE_IFACE" >>"$NODE_DIR/links.created"
ip link add "$NODE_IFACE" type bridge
ip addr add "$NODE_IP/32" dev "$NODE_IFACE"
ip link set "$NODE_IFACE" up
ip route add "$SERVICE_CIDR" dev "$NODE_IFACE" src "$NODE_IP"
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
# Pods talk to each other, to Services and to the host, never to anything beyond it.
iptables -N "$ISOLATION_CHAIN"
iptables -A "$ISOLATION_CHAIN" -s "$POD_CIDR" ! -o "$POD_BRIDGE" -j DROP -m comment --comment "fieldproof node: pods stay on this machine"
iptables -A "$ISOLATION_CHAIN" -d "$POD_CIDR" ! -i "$POD_BRIDGE" -j DROP -m comment --comment "fieldproof node: pods stay on this machine"
iptables -I FORWARD 1 -j "$ISOLATION_CHAIN"

# --- certificates: a tiny CA, one client certificate per component ---
node_log "pki: CA, serving and client certificates, service-account signing key"
openssl_quiet() { openssl "$@" 2>>"$LOGS/openssl.log"; }
openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$PKI/ca.key"
openssl_quiet req -x509 -new -key "$PKI/ca.key" -subj "/CN=fieldproof-node-ca" -days 30 -out "$PKI/ca.crt"
cert() { # name subject [subjectAltName] [extendedKeyUsage]
  local name="$1" subject="$2" san="${3:-}" eku="${4:-clientAuth}"
  openssl_quiet ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key"
  openssl_quiet req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z "$san" ]] || echo "subjectAltName=$san"
  } >"$PKI/$name.ext"
  openssl_quiet x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 30 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt"
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}
cert apiserver "/CN=kube-apiserver" \
  "IP:$NODE_IP,IP:127.0.0.1,IP:$KUBERNETES_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost" serverAuth
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
cert admin "/O=system:masters/CN=fieldproof-node-admin"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
cert kube-proxy "/CN=system:kube-proxy"
cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
cert kubelet-serving "/O=system:nodes/CN=system:node:$NODE_NAME" "IP:$NODE_IP,DNS:$NODE_NAME" serverAuth
openssl_quiet genrsa -out "$PKI/sa.key" 2048
openssl_quiet rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
chmod 600 "$PKI"/*.key

kubeconfig() { # name cert
  cat >"$NODE_DIR/kubeconfig/$1.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: fieldproof-node
  cluster:
    certificate-authority: $PKI/ca.crt
    server: https://$NODE_IP:$APISERVER_PORT
users:
- name: $1
  user:
    client-certificate: $PKI/$2.crt
    client-key: $PKI/$2.key
contexts:
- name: $1@fieldproof-node
  context: {cluster: fieldproof-node, user: $1}
current-context: $1@fieldproof-node
KC
}
kubeconfig admin admin
kubeconfig controller-manager controller-manager
kubeconfig scheduler scheduler
kubeconfig kube-proxy kube-proxy
kubeconfig kubelet kubelet

# --- processes: each in its own session, pid in pids/, log in logs/ ---
start() { # name command...
  local name="$1"
  shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null 8>&- & # 8: our lock, which must not outlive up.sh
  echo $! >"$NODE_DIR/pids/$name.pid"
}
alive_or_die() {
  local name="$1" pid
  pid="$(cat "$NODE_DIR/pids/$name.pid")"
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LOGS/$name.log" >&2; node_die "$name exited (log: $LOGS/$name.log)"; }
}
wait_for() { # description seconds process command...
  local what="$1" seconds="$2" proc="$3"
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [[ -z "$proc" ]] || alive_or_die "$proc"
    ((SECONDS < deadline)) || node_die "timed out after ${seconds}s waiting for $what"
    sleep 0.5
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
KUBECTL=("$K8S_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG")

ETCD_PORT="$(free_port)"
ETCD_PEER_PORT="$(free_port)"
node_log "etcd on 127.0.0.1:$ETCD_PORT"
start etcd "$K8S_BIN/etcd" --name "$NODE_NAME" --data-dir "$NODE_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "$NODE_NAME=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
wait_for "etcd" 60 etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

node_log "kube-apiserver on https://$NODE_IP:$APISERVER_PORT"
start kube-apiserver "$K8S_BIN/kube-apiserver" \
  --advertise-address "$NODE_IP" --bind-address "$NODE_IP" --secure-port "$APISERVER_PORT" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --authorization-mode Node,RBAC \
  --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction,DefaultTolerationSeconds,ResourceQuota \
  --allow-privileged=true --profiling=false --v=1
wait_for "kube-apiserver /readyz" 120 kube-apiserver "${KUBECTL[@]}" get --raw /readyz

# Pods must run imported images: reject up front what would make the kubelet pull every time
# (imagePullPolicy Always, which is also the default for an untagged or :latest image).
"${KUBECTL[@]}" apply -f - >/dev/null <<'YAML'
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: fieldproof-node-no-pulls}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  validations:
  - expression: >-
      object.spec.containers.all(c, c.imagePullPolicy != 'Always') &&
      (!has(object.spec.initContainers) || object.spec.initContainers.all(c, c.imagePullPolicy != 'Always'))
    message: >-
      this node never pulls images: import the image (scripts/node-load-image.sh <image.tar>) and set
      imagePullPolicy IfNotPresent or Never (an untagged or :latest image defaults to Always)
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: fieldproof-node-no-pulls}
spec:
  policyName: fieldproof-node-no-pulls
  validationActions: [Deny]
YAML

node_log "kube-controller-manager and kube-scheduler"
start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$NODE_DIR/kubeconfig/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$NODE_DIR/kubeconfig/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$NODE_DIR/kubeconfig/controller-manager.kubeconfig" \
  --bind-address "$NODE_IP" --leader-elect=false \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --use-service-account-credentials=true \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" --allocate-node-cidrs=false \
  --flex-volume-plugin-dir "$NODE_DIR/controller-manager/volume-plugins" \
  --controllers '*,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller' --profiling=false --v=1
start kube-scheduler "$K8S_BIN/kube-scheduler" \
  --kubeconfig "$NODE_DIR/kubeconfig/scheduler.kubeconfig" \
  --authentication-kubeconfig "$NODE_DIR/kubeconfig/scheduler.kubeconfig" \
  --authorization-kubeconfig "$NODE_DIR/kubeconfig/scheduler.kubeconfig" \
  --bind-address "$NODE_IP" --leader-elect=false --profiling=false --v=1

# --- containerd: our own config, root, state and socket; the CRI never pulls ---
node_log "containerd (socket $CONTAINERD_SOCK)"
cat >"$NODE_DIR/config/containerd.toml" <<TOML
version = 2
root = "$NODE_DIR/containerd/root"
state = "$NODE_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE_DIR/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  # This machine withholds CAP_SYS_RESOURCE even from root, so no process may lower its
  # oom_score_adj; runc would fail every sandbox ("failed to update /proc/self/oom_score_adj:
  # Permission denied", seen by kubelet as "can't get final child's PID from pipe: EOF").
  # Clamp pods' scores to containerd's own instead.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_unprivileged_ports = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        Root = "$NODE_DIR/containerd/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$NODE_DIR/cni/net.d"
    max_conf_num = 1
TOML
cat >"$NODE_DIR/cni/net.d/10-fieldproof.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "fieldproof",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$POD_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
echo "$POD_BRIDGE" >>"$NODE_DIR/links.created"
# Nothing is ever pulled: every registry request containerd makes goes to a proxy address
# where nothing listens, so a missing image fails at once ("proxyconnect tcp: ... connection
# refused") instead of reaching for a registry. Import images with load-image.sh.
start containerd env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= \
  http_proxy= https_proxy= no_proxy= containerd --config "$NODE_DIR/config/containerd.toml" --log-level warn
wait_for "containerd" 60 containerd ctr --address "$CONTAINERD_SOCK" version

node_log "images: importing $PAUSE_IMAGE and $PROBE_IMAGE into containerd (namespace k8s.io)"
for image in pause probe; do
  ctr --address "$CONTAINERD_SOCK" -n k8s.io images import "$IMAGES_DIR/$image.tar" >>"$LOGS/images.log" 2>&1 ||
    { cat "$LOGS/images.log" >&2; node_die "ctr images import $IMAGES_DIR/$image.tar failed"; }
done

# --- kubelet ---
node_log "kubelet (node $NODE_NAME, $NODE_IP)"
cat >"$NODE_DIR/config/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: $NODE_IP
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
imageServiceEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
failSwapOn: false
failCgroupV1: false
podCIDR: $POD_CIDR
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
podLogsDir: $NODE_DIR/pod-logs
volumePluginDir: $NODE_DIR/kubelet/volume-plugins
maxPods: 60
serializeImagePulls: false
# Images are imported, never pulled: the kubelet must not garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# A shared build machine: do not let other people's disk use evict the pods.
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, nodefs.inodesFree: 1%, imagefs.available: 1%}
YAML
start kubelet "$K8S_BIN/kubelet" --config "$NODE_DIR/config/kubelet.yaml" \
  --kubeconfig "$NODE_DIR/kubeconfig/kubelet.kubeconfig" --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/kubelet/pki" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
wait_for "the kubelet to register node $NODE_NAME" 120 kubelet "${KUBECTL[@]}" get node "$NODE_NAME"

# --- kube-proxy ---
node_log "kube-proxy (iptables mode)"
cat >"$NODE_DIR/config/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $NODE_DIR/kubeconfig/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: $NODE_IP:10256
metricsBindAddress: $NODE_IP:10249
nodePortAddresses: [$NODE_IP/32]
iptables: {localhostNodePorts: false, masqueradeAll: false}
# Leave this machine's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
start kube-proxy "$K8S_BIN/kube-proxy" --config "$NODE_DIR/config/kube-proxy.yaml" --v=1

node_log "waiting for node $NODE_NAME to be Ready"
wait_for "node $NODE_NAME Ready" 180 kubelet "${KUBECTL[@]}" wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
wait_for "the default ServiceAccount" 60 kube-controller-manager "${KUBECTL[@]}" get serviceaccount default -n default
wait_for "kube-proxy's Service rules" 60 kube-proxy iptables -t nat -n -L KUBE-SERVICES

cat >"$NODE_DIR/env" <<ENV
export KUBECONFIG=$ADMIN_KUBECONFIG
export CONTAINERD_ADDRESS=$CONTAINERD_SOCK
export CONTAINERD_NAMESPACE=k8s.io
export FIELDPROOF_NODE_DIR=$NODE_DIR
export FIELDPROOF_NODE_NAME=$NODE_NAME
export FIELDPROOF_NODE_IP=$NODE_IP
export FIELDPROOF_K8S_BIN=$K8S_BIN
ENV
node_log "up in $((SECONDS - START))s: source $NODE_DIR/env (kubectl: $K8S_BIN/kubectl)"
