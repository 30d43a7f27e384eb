#!/usr/bin/env bash
# Builds the JRE base image: a minimal Debian bookworm (mmdebstrap's "essential" variant) plus the
# packages listed in ./packages, as one layer, written as an image tar (OCI layout and
# docker-archive at once, see ../ocitar.py).
# Usage: build.sh OUT.tar IMAGE_NAME   (as root: mmdebstrap runs maintainer scripts in a chroot)
# Called by scripts/images.sh, which caches the result by the hash of this folder and ocitar.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(realpath -m "$1")"
name="$2"
java_home=/usr/lib/jvm/java-17-openjdk-amd64
work="$(mktemp -d "$(dirname "$out")/base-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
suite=bookworm
mirror="${FIELDPROOF_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${FIELDPROOF_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
packages="$(grep -v '^\s*#' "$here/packages" | grep -v '^\s*$' | paste -sd, -)"

# The merged-usr hooks lay out /bin -> usr/bin etc. themselves, so the usrmerge package (and the
# 45 MB of Perl it needs) stays out.
# update-alternatives of the JRE links its man pages: their folder must exist even though dpkg
# leaves man pages out (customize.sh removes it again).

# Every file time in the root, and the image's created time, is the epoch (mmdebstrap honours
# SOURCE_DATE_EPOCH): the same packages give the same layer whatever the day of the build.
export SOURCE_DATE_EPOCH=0

mmdebstrap \
  --variant=essential \
  --include="$packages" \
  --format=tar \
  --skip=output/dev \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --hook-directory=/usr/share/mmdebstrap/hooks/merged-usr \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="$here/customize.sh" \
  "$suite" "$work/rootfs.tar" \
  "deb $mirror $suite main" \
  "deb $mirror $suite-updates main" \
  "deb $security $suite-security main"

# The JRE and its trust store (written by ca-certificates-java's trigger, which needs the JRE).
tar -tf "$work/rootfs.tar" >"$work/contents"
for must in "$java_home/bin/java" /etc/ssl/certs/java/cacerts; do
  grep -qx "\.$must" "$work/contents" || { echo "build.sh: $must missing from the root" >&2; exit 1; }
done

python3 "$here/../ocitar.py" rootfs "$work/rootfs.tar" "$out" --name "$name" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env JAVA_HOME="$java_home" \
  --env LANG=C.UTF-8 \
  --label org.opencontainers.image.title=fieldproof-jre-base \
  --label org.opencontainers.image.description="Debian $suite with $(echo "$packages" | sed 's/,/, /g'); user fieldproof (185)" \
  --label org.opencontainers.image.base.name="debian:$suite (mmdebstrap, essential variant)"
