#!/usr/bin/env bash
# Imports an image tar (OCI layout or docker-archive, e.g. from test/node/image/pack.py,
# `podman save`, `docker save`, Jib's jibBuildTar) into the node's containerd, namespace k8s.io,
# where the kubelet finds it. Pods must use imagePullPolicy: Never or IfNotPresent: nothing
# is ever pulled on this node.
#   test/node/load-image.sh image.tar [more.tar...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($#)) || node_die "usage: $0 <image.tar>..."
[[ -S "$CONTAINERD_SOCK" ]] || node_die "no containerd socket at $CONTAINERD_SOCK: start the node first (scripts/node-up.sh)"
for tar in "$@"; do
  [[ -f "$tar" ]] || node_die "$tar: no such file"
  ctr --address "$CONTAINERD_SOCK" -n k8s.io images import "$tar"
done
