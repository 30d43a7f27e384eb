#!/usr/bin/env bash
# Builds what a single real node needs beyond the control plane of test/controlplane/build.sh,
# into the same cache folder (${FIELDPROOF_K8S_DIR:-~/.cache/fieldproof/k8s}/1.34.4-linux-amd64/):
#   kubelet, kube-controller-manager, kube-scheduler, kube-proxy   from k8s.io/kubernetes/cmd/...
#                                (module test/node/kubernetes: k8s.io/kubernetes v1.34.4 with the
#                                same staging replacements as the apiserver module)
#   cni-plugins-v1.9.1/{bridge,host-local,loopback,portmap}        from github.com/containernetworking/plugins
#   images/{pause,probe}.tar     static C programs packed as OCI image tars (test/node/image/)
# Idempotent: what is already there is not built again. containerd and runc are Debian packages
# (apt-get install containerd runc iptables); this script only checks for them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

log() { echo "[node-build] $*" >&2; }

missing=()
command -v go >/dev/null 2>&1 || missing+=("go (Go 1.24 or newer: builds the Kubernetes binaries)")
command -v gcc >/dev/null 2>&1 || missing+=("gcc (apt-get install gcc libc6-dev: the pause and probe images are built with gcc -static)")
[[ -e /usr/lib/x86_64-linux-gnu/libc.a ]] || missing+=("libc6-dev (static libc for gcc -static)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (packs the image tars)")
if ((${#missing[@]})); then
  for m in "${missing[@]}"; do log "ERROR: missing $m"; done
  exit 2
fi

mkdir -p "$K8S_BIN" "$CNI_BIN" "$IMAGES_DIR"
# One node build at a time (two would compile the same packages twice on two cores).
exec 9>"$K8S_BIN/.node-build.lock"
flock -n 9 || { log "another node build is running: waiting for it"; flock 9; }

# The control plane binaries (etcd, kube-apiserver, kubectl) come from the project's builder.
bash "$NODE_REPO/test/controlplane/build.sh" >/dev/null

version_ldflags() {
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=v%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
      "$pkg" "$K8S_VERSION" "$pkg" "${K8S_VERSION%%.*}" "$pkg" "$(cut -d. -f2 <<<"$K8S_VERSION")" "$pkg"
  done
}

build_go() {
  local out="$1" module_dir="$2" package="$3" cgo="$4" ldflags="$5"
  local name
  name="$(basename "$out")"
  if [[ -x "$out" ]]; then
    log "$name: present, skipped"
    return
  fi
  log "$name: building $package (CGO_ENABLED=$cgo; minutes on two cores the first time)"
  local start=$SECONDS
  (cd "$NODE_HERE/$module_dir" &&
    CGO_ENABLED="$cgo" nice -n 10 go build -trimpath -ldflags="-s -w $ldflags" -o "$out.tmp" "$package")
  mv "$out.tmp" "$out"
  log "$name: built in $((SECONDS - start))s"
}

# Upstream builds every server binary static except the kubelet (hack/lib/golang.sh,
# KUBE_STATIC_BINARIES), which keeps cgo for libc's resolver and user lookups. The kubelet does
# not need it here (a static one passes test/node/smoke.sh just the same), and with cgo every
# package is compiled again instead of coming from the Go build cache the other binaries
# filled: about 400 s instead of 30 s on two cores. So static by default;
# FIELDPROOF_KUBELET_CGO=1 builds it the upstream way (needs gcc).
ldflags="$(version_ldflags)"
build_go "$K8S_BIN/kube-controller-manager" kubernetes k8s.io/kubernetes/cmd/kube-controller-manager 0 "$ldflags"
build_go "$K8S_BIN/kube-scheduler" kubernetes k8s.io/kubernetes/cmd/kube-scheduler 0 "$ldflags"
build_go "$K8S_BIN/kube-proxy" kubernetes k8s.io/kubernetes/cmd/kube-proxy 0 "$ldflags"
build_go "$K8S_BIN/kubelet" kubernetes k8s.io/kubernetes/cmd/kubelet "${FIELDPROOF_KUBELET_CGO:-0}" "$ldflags"

for plugin in main/bridge ipam/host-local main/loopback meta/portmap; do
  build_go "$CNI_BIN/$(basename "$plugin")" cni "github.com/containernetworking/plugins/plugins/$plugin" 0 \
    "-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$CNI_PLUGINS_VERSION"
done

# Images: rebuilt whenever their sources or the packer are newer than the tar (a second or so).
build_image() {
  local name="$1" ref="$2"
  local tar="$IMAGES_DIR/$name.tar" src="$NODE_HERE/image/$name.c" packer="$NODE_HERE/image/pack.py"
  if [[ -f "$tar" && "$tar" -nt "$src" && "$tar" -nt "$packer" ]]; then
    log "image $ref: present, skipped"
    return
  fi
  gcc -static -Os -Wall -Wextra -Werror -o "$IMAGES_DIR/$name" "$src"
  strip "$IMAGES_DIR/$name"
  python3 "$packer" --name "$ref" --out "$tar.tmp" --entrypoint "/$name" "$name=$IMAGES_DIR/$name"
  mv "$tar.tmp" "$tar"
  log "image $ref: packed into $tar"
}
build_image pause "$PAUSE_IMAGE"
build_image probe "$PROBE_IMAGE"

for tool in containerd containerd-shim-runc-v2 ctr runc iptables ip conntrack openssl; do
  command -v "$tool" >/dev/null 2>&1 ||
    log "WARNING: $tool is missing: apt-get install -y containerd runc iptables iproute2 conntrack openssl"
done

echo "$K8S_BIN"
