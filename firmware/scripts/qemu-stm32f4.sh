#!/bin/sh
# Runs the STM32F405 firmware image under QEMU's netduinoplus2 machine with its USART1 on a
# loopback TCP socket, which the edge agent opens as a device link (tcp://127.0.0.1:PORT).
#
#   scripts/qemu-stm32f4.sh [--port 7101] [--seed 1] [--flash-file PATH] [--telemetry-ms 1000]
#                           [--device-id ID] [--power-cut-after BYTES] [--elf PATH]
#                           [--cycles estimate|systick|instructions] [--log PATH] [--icount]
#                           [--foreground]
#
# The flash is a host file (default: build/stm32f4/flash-seed<S>.img, created blank), reached by
# the firmware through semihosting, in the format of the host build's and the Java emulator's
# --flash-file. The device id derives from the seed as `EmulatorMain --seed` derives it.
#
# QEMU starts in the background and the device runs its loop at once (the socket waits for no
# client: wait=off; frames sent while no client is connected are lost, as on an unplugged
# line). The script waits until the firmware has booted, then prints one line:
#
#   <qemu pid> <device id> stm32f4 tcp://127.0.0.1:<port>
#
# and exits 0. Stop the device with `kill <pid>` (a power cut: what reached the flash file
# stays). QEMU's own output (the firmware's boot line, "power cut", faults) goes to --log
# (default: build/stm32f4/qemu-<port>.log). QEMU exits by itself with status 3 after a
# --power-cut-after cut, 2 on a fault, 1 when the firmware cannot boot. --foreground runs QEMU in
# the foreground instead (exec, output on the terminal). --icount runs QEMU with
# `-icount shift=0` (one instruction per nanosecond of virtual time: deterministic instruction
# counts; idle time still follows the wall clock). --cycles picks what SELFTEST reports as an
# inference's cycles: the runner's estimate (default), SysTick core cycles, or, with --icount,
# the instructions executed (port/stm32f4/stm32f4_runner_cycles.h).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
port=7101 seed=1 flash="" telemetry=1000 device_id="" cut="" log="" icount="" foreground=""
cycles=estimate
elf="$here/build/stm32f4/fieldproof-fw-stm32f4.elf"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --flash-file) flash=$2; shift 2 ;;
    --telemetry-ms) telemetry=$2; shift 2 ;;
    --device-id) device_id=$2; shift 2 ;;
    --power-cut-after) cut=$2; shift 2 ;;
    --cycles) cycles=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --icount) icount="-icount shift=0"; shift ;;
    --foreground) foreground=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "qemu-stm32f4.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
command -v qemu-system-arm >/dev/null 2>&1 || {
  echo "qemu-stm32f4.sh: qemu-system-arm is missing: apt-get install qemu-system-arm" >&2; exit 1; }
[ -f "$elf" ] || { echo "qemu-stm32f4.sh: no image $elf: run make -C firmware stm32f4" >&2; exit 1; }
[ -n "$flash" ] || flash="$here/build/stm32f4/flash-seed$seed.img"
[ -n "$log" ] || log="$here/build/stm32f4/qemu-$port.log"
case "$flash" in *" "*) echo "qemu-stm32f4.sh: the flash file path may not hold a space" >&2; exit 2 ;; esac
mkdir -p "$(dirname "$flash")" "$(dirname "$log")"

args="--seed $seed --flash-file $flash --telemetry-ms $telemetry --cycles $cycles"
[ -z "$device_id" ] || args="$args --device-id $device_id"
[ -z "$cut" ] || args="$args --power-cut-after $cut"
set -- qemu-system-arm -M netduinoplus2 -display none -monitor none -nodefaults $icount \
  -semihosting-config enable=on,target=native -kernel "$elf" -append "$args" \
  -serial "tcp:127.0.0.1:$port,server=on,wait=off,nodelay=on"
if [ -n "$foreground" ]; then
  exec "$@"
fi

: >"$log"
"$@" >"$log" 2>&1 </dev/null &
pid=$!
# the firmware prints "<device id> stm32f4 <flash file>" once it has booted
i=0
while :; do
  line=$(grep -m1 ' stm32f4 ' "$log" 2>/dev/null || true)
  [ -z "$line" ] || break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "qemu-stm32f4.sh: QEMU ended before the firmware booted:" >&2
    cat "$log" >&2
    exit 1
  fi
  i=$((i + 1))
  if [ "$i" -gt 200 ]; then
    echo "qemu-stm32f4.sh: the firmware did not boot within 20 s (log: $log)" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "$pid ${line%% *} stm32f4 tcp://127.0.0.1:$port"
