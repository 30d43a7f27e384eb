#!/bin/sh
# Prints flash (text + data) and RAM (data + bss) per module of the core for one target.
# usage: size-report.sh SIZE-TOOL TARGET OBJECT...
set -eu
tool=$1; target=$2; shift 2
printf '%s: flash and RAM per module (bytes; -Os, before linking and section GC)\n' "$target"
printf '  %-22s %8s %8s\n' module flash ram
"$tool" "$@" | awk 'NR > 1 {
  n = split($6, p, "/"); m = p[n]; sub(/\.o$/, "", m)
  flash = $1 + $2; ram = $2 + $3
  if (m == "size_probe") { probe = ram; next }
  tf += flash; tr += ram
  printf "  %-22s %8d %8d\n", m, flash, ram
}
END {
  printf "  %-22s %8d %8d\n", "total (code)", tf, tr
  printf "  %-22s %8s %8d   (sizeof(fp_device): the one static device a board keeps)\n", "fp_device", "-", probe
}'
