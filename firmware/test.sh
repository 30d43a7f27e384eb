#!/bin/sh
# Builds the firmware for the host, Cortex-M4 and RV32IMC and runs the host unit tests and the
# conformance cases. Idempotent; exits non-zero on any failure. Missing Debian packages are
# installed when run as root, otherwise named.
#
#   firmware/test.sh            everything
#   firmware/test.sh host       host build and tests only
#   FP_SKIP_TFLM=1 firmware/test.sh   without the comparison with tflite-micro (it needs the
#                               fixtures venv of model/fixtures/setup-venv.sh, made from PyPI)
set -eu
cd "$(dirname "$0")"

need=""
have() { command -v "$1" >/dev/null 2>&1; }
have gcc || need="$need gcc"
have make || need="$need make"
[ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
if [ "${1:-all}" != host ]; then
  have arm-none-eabi-gcc || need="$need gcc-arm-none-eabi"
  [ -d /usr/lib/arm-none-eabi/newlib ] || [ -d /usr/lib/arm-none-eabi/include ] || need="$need libnewlib-arm-none-eabi"
  have riscv64-unknown-elf-gcc || need="$need gcc-riscv64-unknown-elf"
  [ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || need="$need picolibc-riscv64-unknown-elf"
  have qemu-system-arm || need="$need qemu-system-arm"
  have python3 || need="$need python3"
fi
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "firmware/test.sh: installing$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  else
    echo "firmware/test.sh: missing Debian packages:$need" >&2
    echo "  sudo apt-get install -y$need" >&2
    exit 1
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2
echo "== host build and tests"
make -s -j"$jobs" host
make -s test
echo "== int8 runner against tflite-micro on random inputs (runner/crosscheck.sh; FP_SKIP_TFLM=1 skips)"
runner/crosscheck.sh "${FP_CROSSCHECK_VECTORS:-100}"
if [ "${1:-all}" != host ]; then
  echo "== cortex-m4 (arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb, -Werror)"
  make -s -j"$jobs" cortex-m4
  echo "== rv32imc (riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32, -Werror)"
  make -s -j"$jobs" rv32imc
  echo "== stm32f4 images, and the QEMU one booted on netduinoplus2 (scripts/qemu-smoke.py)"
  make -s -j"$jobs" stm32f4
  python3 scripts/qemu-smoke.py
  echo "== Cortex-M4 figures: flash and RAM per part, instructions per inference under QEMU -icount"
  python3 scripts/bench-cortex-m4.py --skip-build
fi
echo "firmware/test.sh: all passed"
