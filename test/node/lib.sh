# Shared settings of the single-node cluster scripts (sourced by build.sh, up.sh, down.sh,
# load-image.sh, smoke.sh). Every address lives on this machine: the node's own address sits
# on an interface of its own, pods on a bridge, Services in a range that only exists in iptables.

K8S_VERSION=1.34.4
CNI_PLUGINS_VERSION=v1.9.1
NODE_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_REPO="$(cd "$NODE_HERE/../.." && pwd)"

NODE_DIR="${FIELDPROOF_NODE_DIR:-/tmp/fieldproof-node}"
NODE_NAME="${FIELDPROOF_NODE_NAME:-fieldproof-node}"
# The node's own address, on an interface of its own (a bridge without ports), so nothing
# listens on the machine's network; host processes that pods must reach (Mosquitto, HTTP
# servers) bind to it.
NODE_IP="${FIELDPROOF_NODE_IP:-10.243.0.1}"
NODE_IFACE="${FIELDPROOF_NODE_IFACE:-fpnode0}"
POD_CIDR="${FIELDPROOF_NODE_POD_CIDR:-10.244.0.0/24}"
POD_GATEWAY="${FIELDPROOF_NODE_POD_GATEWAY:-10.244.0.1}"
POD_BRIDGE="${FIELDPROOF_NODE_BRIDGE:-fpbr0}"
SERVICE_CIDR="${FIELDPROOF_NODE_SERVICE_CIDR:-10.245.0.0/24}"
KUBERNETES_SERVICE_IP="${FIELDPROOF_NODE_KUBERNETES_SERVICE_IP:-10.245.0.1}"
APISERVER_PORT=6443
PAUSE_IMAGE="fieldproof.local/pause:1"
PROBE_IMAGE="fieldproof.local/probe:1"
# The chain of our own iptables rules (pod isolation); kube-proxy, the kubelet and the CNI
# plugins make theirs (KUBE-*, CNI-*), which down.sh removes as well.
ISOLATION_CHAIN="FIELDPROOF-NODE"

K8S_ROOT="${FIELDPROOF_K8S_DIR:-$HOME/.cache/fieldproof/k8s}"
K8S_BIN="$K8S_ROOT/$K8S_VERSION-linux-amd64"
CNI_BIN="$K8S_BIN/cni-plugins-$CNI_PLUGINS_VERSION"
IMAGES_DIR="$K8S_BIN/images"

CONTAINERD_SOCK="$NODE_DIR/containerd/containerd.sock"
ADMIN_KUBECONFIG="$NODE_DIR/kubeconfig/admin.kubeconfig"

node_log() { echo "[node] $*" >&2; }
node_die() { echo "[node] ERROR: $*" >&2; exit 1; }
