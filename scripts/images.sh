#!/usr/bin/env bash
# Builds the container images of the operator, the edge agent and the chart's embedded Mosquitto
# broker as tar archives, without a container daemon and without pulling anything
# (docs/operations.md#images).
#
#   scripts/images.sh [--base debian|docker://REF|FILE.tar] [--no-build] [--load] [--podman]
#
#   --base debian     (default) a JRE base built here from Debian packages with mmdebstrap,
#                     cached under ~/.cache/fieldproof/images/ and rebuilt only when images/base/
#                     or images/ocitar.py change
#   --base docker://eclipse-temurin:17-jre
#                     a standard JRE image from a registry, copied once with skopeo into the
#                     same cache (for machines that reach a registry)
#   --base FILE.tar   any JRE image already on disk (OCI layout or docker-archive tar)
#   --no-build        use the jars already in operator/target and edge-agent/target
#   --load            import the images into the node's containerd (scripts/node-load-image.sh)
#   --podman          load the images into podman
#
# The Mosquitto image always sits on its own Debian base (images/mosquitto-base/: mmdebstrap, the
# mosquitto package, no JRE), cached the same way; --base does not apply to it.
#
# Writes target/images/operator.tar, agent.tar and mosquitto.tar (each an OCI layout that is also
# a docker-archive) and target/images/images.txt ("name tar" per line), and prints the names in
# that order.
# Environment: FIELDPROOF_IMAGE_REGISTRY (default ghcr.io/fieldproof), FIELDPROOF_IMAGE_TAG
# (default the chart's appVersion), FIELDPROOF_IMAGE_BASE (default debian),
# FIELDPROOF_IMAGE_SOURCE (the org.opencontainers.image.source label).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/lib/prerequisites.sh

BASE="${FIELDPROOF_IMAGE_BASE:-debian}"
BUILD=1
LOAD=0
PODMAN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) BASE="${2:?--base needs a value}"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --load) LOAD=1; shift ;;
    --podman) PODMAN=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see scripts/images.sh --help)" ;;
  esac
done

say() { printf '[images] %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$1" "$(now)"; }

# --- names: <registry>/<image>:<tag>, the tag being the chart's appVersion --------------------
# pom.xml says 0.1.0-SNAPSHOT while the chart's appVersion says 0.1.0: the images take the
# appVersion as tag (the chart's default image then names exactly what was built) and carry the
# full project version in the org.opencontainers.image.version label. The two must not drift.
VERSION="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)"
APP_VERSION="$(sed -n 's|^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$|\1|p' helm/fieldproof/Chart.yaml)"
[[ -n "$VERSION" && -n "$APP_VERSION" ]] || die "cannot read the version of pom.xml or the appVersion of helm/fieldproof/Chart.yaml"
[[ "${VERSION%-SNAPSHOT}" == "$APP_VERSION" ]] ||
  die "pom.xml version $VERSION and helm/fieldproof/Chart.yaml appVersion $APP_VERSION disagree: bump them together"
REGISTRY="${FIELDPROOF_IMAGE_REGISTRY:-ghcr.io/fieldproof}"
TAG="${FIELDPROOF_IMAGE_TAG:-$APP_VERSION}"
OPERATOR_IMAGE="$REGISTRY/operator:$TAG"
AGENT_IMAGE="$REGISTRY/edge-agent:$TAG"
MOSQUITTO_IMAGE="$REGISTRY/mosquitto:$TAG"
REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
SOURCE="${FIELDPROOF_IMAGE_SOURCE:-https://github.com/fieldproof/fieldproof}"
# Image configs are dated by the commit they are built from, not by the clock.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"

OUT="$ROOT/target/images"
CACHE="$HOME/.cache/fieldproof/images"
mkdir -p "$OUT" "$CACHE"
started="$(now)"

# --- the bases built here from Debian packages -------------------------------------------------
# debian_base KIND FOLDER NAME: builds images/FOLDER/build.sh once per recipe (the folder and the
# tool that writes the archive) into $CACHE/KIND-<hash>.tar, named NAME-<hash>; sets BUILT_TAR
# and BUILT_NAME. One lock for both bases: mmdebstrap runs one at a time.
debian_base() {
  local kind="$1" folder="$2" prefix="$3" hash tar name t
  hash="$(cd images && find "$folder" ocitar.py -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  tar="$CACHE/$kind-$hash.tar"
  name="$prefix-$hash"
  exec 9>"$CACHE/.lock"
  flock 9
  if [[ -s "$tar" ]]; then
    say "$kind: cached $tar (recipe $hash)"
  else
    [[ "$(id -u)" == 0 ]] || die "building $kind needs root (mmdebstrap installs packages in a chroot)"
    if ! command -v mmdebstrap >/dev/null 2>&1; then
      say "installing mmdebstrap (apt-get)"
      apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
    fi
    say "$kind: building from Debian packages (recipe $hash, under a minute or two)"
    t="$(now)"
    "images/$folder/build.sh" "$tar.partial" "$name" >"$CACHE/$kind-$hash.log" 2>&1 ||
      { tail -30 "$CACHE/$kind-$hash.log" >&2; die "$kind did not build: $CACHE/$kind-$hash.log"; }
    mv "$tar.partial" "$tar"
    find "$CACHE" -maxdepth 1 -name "$kind-*" ! -name "$kind-$hash.*" -delete
    say "$kind: built in $(since "$t"), $(du -h "$tar" | cut -f1)"
  fi
  flock -u 9
  BUILT_TAR="$tar"
  BUILT_NAME="$name"
}

# The JRE base (of the operator and the agent), hash over images/base/ and ocitar.py.
base_debian() {
  debian_base jre-base base localhost/fieldproof/jre-base:17-bookworm
  BASE_TAR="$BUILT_TAR"
  BASE_NAME="$BUILT_NAME"
}

base_registry() {
  local ref="${BASE#docker://}" tar
  tar="$CACHE/$(echo "$ref" | tr '/:@' '___').tar"
  if [[ -s "$tar" ]]; then
    say "JRE base: cached $tar"
  else
    require_command skopeo "apt-get install -y skopeo"
    say "JRE base: copying $BASE (linux/amd64) with skopeo"
    skopeo copy --override-os linux --override-arch amd64 "$BASE" "oci-archive:$tar.partial:$ref" >&2
    mv "$tar.partial" "$tar"
  fi
  BASE_TAR="$tar"
  BASE_NAME="$ref"
}

case "$BASE" in
  debian) base_debian ;;
  docker://*) base_registry ;;
  *)
    [[ -s "$BASE" ]] || die "--base: $BASE is neither debian, docker://REF nor an image tar"
    BASE_TAR="$(realpath "$BASE")"
    BASE_NAME="$(basename "$BASE")"
    ;;
esac

# The Mosquitto base (of the chart's embedded broker), always from Debian: hash over
# images/mosquitto-base/ and ocitar.py. The package's version comes from the base's label.
debian_base mosquitto-base mosquitto-base localhost/fieldproof/mosquitto-base:bookworm
MOSQUITTO_BASE_TAR="$BUILT_TAR"
MOSQUITTO_BASE_NAME="$BUILT_NAME"
MOSQUITTO_VERSION="$(python3 -c '
import sys
sys.path.insert(0, "images")
from ocitar import BaseImage
print(BaseImage(sys.argv[1]).config["config"]["Labels"].get("io.fieldproof.mosquitto.debian-version", ""))
' "$MOSQUITTO_BASE_TAR")"
[[ -n "$MOSQUITTO_VERSION" ]] || die "$MOSQUITTO_BASE_TAR has no io.fieldproof.mosquitto.debian-version label"

# --- the jars ----------------------------------------------------------------------------------
if [[ "$BUILD" == 1 ]]; then
  require_java
  say "packaging operator and edge-agent (Maven, tests skipped)"
  t="$(now)"
  nice -n 10 ./mvnw -B -ntp -q -DskipTests -pl operator,edge-agent -am package >&2
  say "packaged in $(since "$t")"
fi
[[ -f operator/target/quarkus-app/quarkus-run.jar ]] ||
  die "operator/target/quarkus-app is missing: run without --no-build"
ls edge-agent/target/fieldproof-edge-agent-"$VERSION"-all.jar >/dev/null 2>&1 ||
  die "edge-agent/target/fieldproof-edge-agent-$VERSION-all.jar is missing: run without --no-build"

# --- the images --------------------------------------------------------------------------------
labels=(
  --label "org.opencontainers.image.version=$VERSION"
  --label "org.opencontainers.image.revision=$REVISION"
  --label "org.opencontainers.image.source=$SOURCE"
)
t="$(now)"
python3 images/ocitar.py app images/operator.json "$OUT/operator.tar" --base "$BASE_TAR" \
  --name "$OPERATOR_IMAGE" --source-dir operator/target/quarkus-app "${labels[@]}" \
  --label "org.opencontainers.image.base.name=$BASE_NAME" >&2
# Only the agent's shaded jar of this version goes in (the recipe ignores the rest of target/).
agent_src="$(mktemp -d)"
trap 'rm -rf "$agent_src"' EXIT
ln "edge-agent/target/fieldproof-edge-agent-$VERSION-all.jar" "$agent_src/" 2>/dev/null ||
  cp "edge-agent/target/fieldproof-edge-agent-$VERSION-all.jar" "$agent_src/"
python3 images/ocitar.py app images/edge-agent.json "$OUT/agent.tar" --base "$BASE_TAR" \
  --name "$AGENT_IMAGE" --source-dir "$agent_src" "${labels[@]}" \
  --label "org.opencontainers.image.base.name=$BASE_NAME" >&2
# The broker: Debian's mosquitto, the project's tag; its Debian version in the labels.
python3 images/ocitar.py app images/mosquitto.json "$OUT/mosquitto.tar" --base "$MOSQUITTO_BASE_TAR" \
  --name "$MOSQUITTO_IMAGE" --source-dir images/mosquitto "${labels[@]}" \
  --label "org.opencontainers.image.base.name=$MOSQUITTO_BASE_NAME" \
  --label "io.fieldproof.mosquitto.debian-version=$MOSQUITTO_VERSION" >&2
TARS=("$OUT/operator.tar" "$OUT/agent.tar" "$OUT/mosquitto.tar")
printf '%s %s\n' "$OPERATOR_IMAGE" "$OUT/operator.tar" "$AGENT_IMAGE" "$OUT/agent.tar" \
  "$MOSQUITTO_IMAGE" "$OUT/mosquitto.tar" >"$OUT/images.txt"
say "images written in $(since "$t"): operator $(du -h "$OUT/operator.tar" | cut -f1), agent $(du -h "$OUT/agent.tar" | cut -f1), mosquitto $(du -h "$OUT/mosquitto.tar" | cut -f1) (Debian mosquitto $MOSQUITTO_VERSION)"

if [[ "$LOAD" == 1 ]]; then
  [[ -x scripts/node-load-image.sh ]] || die "scripts/node-load-image.sh is missing: --load needs the node's loader"
  for tar in "${TARS[@]}"; do
    say "loading $tar into the node's containerd"
    scripts/node-load-image.sh "$tar" >&2
  done
fi
if [[ "$PODMAN" == 1 ]]; then
  require_command podman "apt-get install -y podman"
  for tar in "${TARS[@]}"; do
    podman load -q -i "$tar" >&2
  done
fi

say "done in $(since "$started")"
echo "$OPERATOR_IMAGE"
echo "$AGENT_IMAGE"
echo "$MOSQUITTO_IMAGE"
