#!/bin/sh
# mmdebstrap customize hook: $1 is the root of the new file system.
# Adds the unprivileged user the images run as and trims what a JRE container never reads.
set -eu
root="$1"

# uid/gid 185: the user the Helm chart's podSecurityContext runs the operator as.
echo 'fieldproof:x:185:185:Fieldproof:/home/fieldproof:/usr/sbin/nologin' >>"$root/etc/passwd"
echo 'fieldproof:x:185:' >>"$root/etc/group"
echo 'fieldproof:*:19000:0:99999:7:::' >>"$root/etc/shadow"
mkdir -p "$root/home/fieldproof"
chown 185:185 "$root/home/fieldproof"
chmod 0755 "$root/home/fieldproof"

# Container time zone and locale: UTC, C.UTF-8 (built into glibc, no locales package).
ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo 'Etc/UTC' >"$root/etc/timezone"

# Caches and logs of the installation; the package database stays for image scanners.
rm -rf "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/apt/lists/* \
  "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*
rm -rf "$root/usr/share/man"
find "$root/usr/lib/jvm" -name '*.debuginfo' -delete 2>/dev/null || true
