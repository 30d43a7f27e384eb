#!/usr/bin/env python3
"""Judge an emulated STM32 bootloader with stm32loader used as a library.

stm32loader's command line toggles DTR/RTS to reset the chip into its bootloader, which a
socket:// URL or a pseudo-terminal cannot do, so this script drives its Stm32Bootloader class over
a bare pyserial connection instead (the class skips the reset when the connection cannot toggle).

It syncs, reads the bootloader version, the product id, the unique id and the flash size, erases
the pages (extended erase) that cover the file at the address, writes the file, reads it back and
compares it with the expected bytes (the file itself unless --expect names another). Exits 0 only
when every step succeeded; prints what it did.

    python stm32loader_flash.py --url socket://127.0.0.1:PORT --family F4 \
        --address 0x08020000 --file model.tflite [--pid 0x413] [--expect other.bin]
"""

import argparse
import sys
import time

import serial
from stm32loader.bootloader import Stm32Bootloader

FLASH_BASE = 0x08000000
KIB = 1024

# Erase units per reference manual: RM0090 (F405/407, 1 MiB), RM0394 (L47x, 1 MiB, 2 KiB pages).
SECTOR_SIZES = {
    "F4": [16 * KIB] * 4 + [64 * KIB] + [128 * KIB] * 7,
    "L4": [2 * KIB] * 512,
}


def covering_pages(family, address, length):
    """Indices of the erase units that hold any byte of [address, address + length)."""
    pages = []
    start = FLASH_BASE
    for index, size in enumerate(SECTOR_SIZES[family]):
        end = start + size
        if start < address + length and address < end:
            pages.append(index)
        start = end
    if not pages or address + length > start:
        raise ValueError("0x%08X+%d does not lie in the %s flash" % (address, length, family))
    return pages


def read_chip_info(loader, family):
    """Reads the unique id and flash size the way stm32loader's CLI does for the family."""
    if family == "F4":
        flash_kib, uid = loader.get_flash_size_and_uid()
    else:
        flash_kib = loader.get_flash_size()
        uid = loader.get_uid()
    return flash_kib, uid


def flash(args):
    data = open(args.file, "rb").read()
    expected = open(args.expect, "rb").read() if args.expect else data
    connection = serial.serial_for_url(args.url, baudrate=args.baud, parity="E", timeout=5)
    loader = Stm32Bootloader(connection, device_family=args.family, verbosity=0)
    started = time.monotonic()

    loader.reset_from_system_memory()
    version = loader.get()
    print("bootloader version 0x%02X, extended erase %s" % (version, loader.extended_erase))
    if not loader.extended_erase:
        raise RuntimeError("GET did not list EXTENDED_ERASE (0x44)")
    pid = loader.get_id()
    print("chip id 0x%03X" % pid)
    if args.pid is not None and pid != args.pid:
        raise RuntimeError("expected chip id 0x%03X, got 0x%03X" % (args.pid, pid))
    flash_kib, uid = read_chip_info(loader, args.family)
    print("flash size %d KiB, uid %s" % (flash_kib, Stm32Bootloader.format_uid(uid)))

    pages = covering_pages(args.family, args.address, len(data))
    loader.extended_erase_memory(pages)
    print("erased pages %d..%d" % (pages[0], pages[-1]))
    loader.write_memory_data(args.address, data)
    print("wrote %d bytes at 0x%08X" % (len(data), args.address))
    read_back = loader.read_memory_data(args.address, len(expected))
    Stm32Bootloader.verify_data(read_back, expected)
    print("verified %d bytes in %.2f s" % (len(expected), time.monotonic() - started))
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="pyserial URL, e.g. socket://127.0.0.1:4000")
    parser.add_argument("--family", required=True, choices=sorted(SECTOR_SIZES))
    parser.add_argument("--address", required=True, type=lambda text: int(text, 0))
    parser.add_argument("--file", required=True)
    parser.add_argument("--expect", help="compare the read-back with this file instead")
    parser.add_argument("--pid", type=lambda text: int(text, 0), help="expected chip id")
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args()
    try:
        flash(args)
    except Exception as error:  # any failure of the tool or the bootloader fails the judge
        print("FAILED: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
