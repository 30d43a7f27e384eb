#!/bin/sh
# mmdebstrap customize hook: $1 is the root of the new file system.
# Lays out the folders of the eclipse-mosquitto image (/mosquitto/config, /mosquitto/data,
# /mosquitto/log) for user mosquitto (1883, made by build.sh's essential hook) and trims what a
# broker container never reads.
set -eu
root="$1"

grep -q '^mosquitto:x:1883:1883:' "$root/etc/passwd" || { echo "customize.sh: no user mosquitto 1883" >&2; exit 1; }
# config: read-only to the broker (the chart mounts a ConfigMap there); data and log: its own.
install -d -m 0755 -o 0 -g 0 "$root/mosquitto" "$root/mosquitto/config"
install -d -m 0755 -o 1883 -g 1883 "$root/mosquitto/data" "$root/mosquitto/log"

# Container time zone and locale: UTC, C.UTF-8 (built into glibc, no locales package).
ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo 'Etc/UTC' >"$root/etc/timezone"

# The Debian service's files: no init system here, and its configuration is not the one used.
rm -rf "$root/etc/init.d/mosquitto" "$root/etc/logrotate.d/mosquitto" "$root/etc/mosquitto/conf.d" \
  "$root/usr/lib/systemd" "$root/etc/systemd"

# Caches and logs of the installation; the package database stays for image scanners.
rm -rf "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/apt/lists/* \
  "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*
rm -rf "$root/usr/share/man"
