#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3-compatible object store that the capture uploads go to in the
# tests and the demo) from its Go module, pinned by seaweedfs/go.mod and go.sum, into
# ${FIELDPROOF_CACHE:-~/.cache/fieldproof}/seaweedfs/<hash of go.mod and go.sum>/weed.
# Idempotent: returns at once when that build exists. Needs Go 1.26.6+ (go.mod says so); the
# first build fetches SeaweedFS and its dependencies through the Go module proxy and takes several
# minutes on two cores. Prints the binary's path as its last line.
#
#   test/objectstore/build-seaweedfs.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/seaweedfs"

log() { echo "[seaweedfs] $*" >&2; }

command -v go >/dev/null 2>&1 || { log "Go is missing (1.26.6+): it builds weed from its Go module"; exit 2; }
hash="$(cat "$SRC/go.mod" "$SRC/go.sum" | sha256sum | cut -c1-16)"
OUT="${FIELDPROOF_CACHE:-$HOME/.cache/fieldproof}/seaweedfs/$hash"
if [[ -x "$OUT/weed" ]]; then
  log "up to date: $OUT/weed"
  echo "$OUT/weed"
  exit 0
fi
mkdir -p "$OUT"
exec 9>"$OUT.lock"
flock 9
if [[ ! -x "$OUT/weed" ]]; then
  log "building with $(go version | cut -d' ' -f3) (first time: fetches SeaweedFS, several minutes)"
  start=$SECONDS
  (cd "$SRC" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -trimpath -ldflags="-s -w" -o "$OUT/weed.tmp" github.com/seaweedfs/seaweedfs/weed)
  mv "$OUT/weed.tmp" "$OUT/weed"
  log "built in $((SECONDS - start))s"
fi
log "built: $OUT/weed"
echo "$OUT/weed"
