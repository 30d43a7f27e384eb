#!/usr/bin/env bash
# Builds celcheck (celcheck/main.go: Flux-style health check expressions evaluated with cel-go,
# pinned in celcheck/go.mod and go.sum) into ~/.cache/fieldproof/celcheck/<hash of its sources>/.
# Idempotent: returns at once when that build exists. Needs Go 1.24+ (as the control plane does);
# the first build fetches cel-go and its dependencies through the Go module proxy.
# Prints the binary's path as its last line.
#
#   test/gitops/build-celcheck.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/celcheck"

log() { echo "[celcheck] $*" >&2; }

command -v go >/dev/null 2>&1 || { log "Go is missing (1.24+): it builds celcheck"; exit 1; }
hash="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16)"
OUT="${FIELDPROOF_CACHE:-$HOME/.cache/fieldproof}/celcheck/$hash"
if [[ -x "$OUT/celcheck" ]]; then
  log "up to date: $OUT/celcheck"
  echo "$OUT/celcheck"
  exit 0
fi
mkdir -p "$OUT"
exec 9>"$OUT.lock"
flock 9
if [[ ! -x "$OUT/celcheck" ]]; then
  log "building with $(go version | cut -d' ' -f3) (first time: fetches cel-go)"
  (cd "$SRC" && GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -o "$OUT/celcheck.tmp" .)
  mv "$OUT/celcheck.tmp" "$OUT/celcheck"
fi
log "built: $OUT/celcheck"
echo "$OUT/celcheck"
