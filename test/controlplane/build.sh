#!/usr/bin/env bash
# Builds the local control plane used by the tests and the demo: kube-apiserver, etcd and
# kubectl, compiled from Go modules into a cache folder outside the repository, in the
# layout io.fabric8:kube-api-test expects:
#   ${FIELDPROOF_K8S_DIR:-~/.cache/fieldproof/k8s}/<version>-<os>-<arch>/{kube-apiserver,etcd,kubectl}
# Idempotent: a binary that is already there is not built again. Prints the folder last.
# Opt-in: `build.sh --node` also builds what a real node needs (kubelet, kube-controller-manager,
# kube-scheduler, kube-proxy, CNI plugins, the pause image) through test/node/build.sh.
set -euo pipefail

K8S_VERSION=1.34.4
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${FIELDPROOF_K8S_DIR:-$HOME/.cache/fieldproof/k8s}"

log() { echo "[controlplane] $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "ERROR: the Go toolchain (go 1.24 or newer) is missing: it is needed to build"
  log "kube-apiserver and etcd from their Go modules. Install Go and run again."
  exit 2
fi

os="$(go env GOOS)"
arch="$(go env GOARCH)"
OUT="$ROOT/$K8S_VERSION-$os-$arch"
mkdir -p "$OUT"

# kube-apiserver and kubectl say which Kubernetes they are (helm and kubectl check it: a chart's
# kubeVersion is matched against the server's version); etcd's module carries its own.
k8s_ldflags() {
  local major="${K8S_VERSION%%.*}" minor="${K8S_VERSION#*.}"
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=v%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
      "$pkg" "$K8S_VERSION" "$pkg" "$major" "$pkg" "$minor" "$pkg"
  done
}

# Builds unless the binary is there from the same recipe (a stamp beside it names the recipe).
build() {
  local name="$1" module_dir="$2" package="$3" ldflags="${4:-}"
  local stamp="$OUT/.$name.recipe" recipe="$package $ldflags"
  if [[ -x "$OUT/$name" && "$(cat "$stamp" 2>/dev/null)" == "$recipe" ]]; then
    log "$name: present in $OUT, skipped"
    return
  fi
  log "$name: building $package (the first build takes several minutes on two cores)"
  local start=$SECONDS
  (cd "$HERE/$module_dir" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w $ldflags" -o "$OUT/$name.tmp" "$package")
  mv "$OUT/$name.tmp" "$OUT/$name"
  echo "$recipe" >"$stamp"
  log "$name: built in $((SECONDS - start))s"
}

build etcd etcd go.etcd.io/etcd/server/v3
build kube-apiserver apiserver k8s.io/kubernetes/cmd/kube-apiserver "$(k8s_ldflags)"
build kubectl apiserver k8s.io/kubernetes/cmd/kubectl "$(k8s_ldflags)"

if [[ "${1:-}" == "--node" ]]; then
  bash "$HERE/../node/build.sh" >/dev/null
fi

echo "$OUT"
