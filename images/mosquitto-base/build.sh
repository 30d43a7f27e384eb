#!/usr/bin/env bash
# Builds the Mosquitto base image: a minimal Debian bookworm (mmdebstrap's "essential" variant)
# plus the packages listed in ./packages (the mosquitto broker, no JRE), as one layer, written as
# an image tar (OCI layout and docker-archive at once, see ../ocitar.py). The same way as the JRE
# base (../base/build.sh), with the broker's user mosquitto at uid/gid 1883.
# Usage: build.sh OUT.tar IMAGE_NAME   (as root: mmdebstrap runs maintainer scripts in a chroot)
# Called by scripts/images.sh, which caches the result by the hash of this folder and ocitar.py.
# Prints the Debian version of mosquitto on its last line (also the image's label
# io.fieldproof.mosquitto.debian-version).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(realpath -m "$1")"
name="$2"
work="$(mktemp -d "$(dirname "$out")/mosquitto-base-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
suite=bookworm
mirror="${FIELDPROOF_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${FIELDPROOF_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
packages="$(grep -v '^\s*#' "$here/packages" | grep -v '^\s*$' | paste -sd, -)"

# Same file times as the JRE base: the same packages give the same layer whatever the day.
export SOURCE_DATE_EPOCH=0

# The essential hook runs once the Essential:yes packages are in and before mosquitto is: it
# creates user and group mosquitto as 1883 (the uid the chart and eclipse-mosquitto run as), so
# mosquitto's postinst finds them and does not make a system user of its own.
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
  --essential-hook='echo "mosquitto:x:1883:" >>"$1/etc/group"' \
  --essential-hook='echo "mosquitto:x:1883:1883:Mosquitto:/mosquitto:/usr/sbin/nologin" >>"$1/etc/passwd"' \
  --essential-hook='echo "mosquitto:*:19000:0:99999:7:::" >>"$1/etc/shadow"' \
  --customize-hook="$here/customize.sh" \
  "$suite" "$work/rootfs.tar" \
  "deb $mirror $suite main" \
  "deb $mirror $suite-updates main" \
  "deb $security $suite-security main"

tar -tf "$work/rootfs.tar" >"$work/contents"
for must in /usr/sbin/mosquitto /mosquitto/config /mosquitto/data; do
  grep -qx "\.$must/\{0,1\}" "$work/contents" || { echo "build.sh: $must missing from the root" >&2; exit 1; }
done
# The broker's version, from the package database of the root.
version="$(tar -xOf "$work/rootfs.tar" ./var/lib/dpkg/status |
  awk '/^Package: /{p=$2} /^Version: /{if (p=="mosquitto") print $2}')"
[[ -n "$version" ]] || { echo "build.sh: no mosquitto in the package database of the root" >&2; exit 1; }
uid="$(tar -xOf "$work/rootfs.tar" ./etc/passwd | awk -F: '$1=="mosquitto"{print $3":"$4}')"
[[ "$uid" == 1883:1883 ]] || { echo "build.sh: user mosquitto is $uid, not 1883:1883" >&2; exit 1; }

python3 "$here/../ocitar.py" rootfs "$work/rootfs.tar" "$out" --name "$name" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 \
  --label org.opencontainers.image.title=fieldproof-mosquitto-base \
  --label org.opencontainers.image.description="Debian $suite with $(echo "$packages" | sed 's/,/, /g') (mosquitto $version); user mosquitto (1883)" \
  --label org.opencontainers.image.base.name="debian:$suite (mmdebstrap, essential variant)" \
  --label io.fieldproof.mosquitto.debian-version="$version"
echo "$version"
