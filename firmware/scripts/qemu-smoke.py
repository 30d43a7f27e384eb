#!/usr/bin/env python3
"""Smoke test of the STM32F405 image under QEMU (netduinoplus2), standard library only.

Boots the image with scripts/qemu-stm32f4.sh on a fresh flash file and speaks the device protocol
(docs/device-protocol.md: COBS + CRC-32 frames) over its TCP socket:

  1. HELLO names chip stm32f4 and the id the seed gives (the Java emulator's and host build's);
     CONFIG is applied and TELEMETRY arrives unsolicited; STATS answers.
  2. SLOT_WRITE puts 3000 bytes into slot A; SLOT_DIGEST gives their sha256.
  3. QEMU is killed (a power cut). A VALID record for slot A is written into the flash file as the
     agent's bootloader path writes it; after a restart the device boots slot A: the bytes the
     firmware programmed before the kill are in the file, and it reads records others wrote.
  4. Restarted with --power-cut-after 1000, a SLOT_WRITE to slot B makes QEMU exit (status 3)
     with exactly 1000 bytes of slot B programmed; after another restart slot A still runs.
  5. An in-app update on the int8 runner: a fixture model (model/fixtures/models) written into
     slot B, SELFTEST on its tflite-micro golden vectors (outputs must be equal), ACTIVATE (on
     trial), CONFIRM; after a restart slot B runs, VALID.

  scripts/qemu-smoke.py [--port P (default: a free one)] [--work DIR] [--icount]

--icount runs QEMU with -icount shift=0 and SELFTEST reporting the instructions an inference
executed (--cycles instructions) instead of the runner's estimate.
Exits non-zero on the first failure.
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARE = os.path.dirname(HERE)
SEED = 1
EXPECTED_ID = "stm32-344f699302344242504d4733"  # HardwareId for stm32f4, seed 1
RECORD_A, SLOT_A, SLOT_B = 0x8000, 0x20000, 0x80000
FLASH_SIZE = 1024 * 1024

HELLO, CONFIG, STATS, TELEMETRY = 0x01, 0x02, 0x03, 0x10
SLOT_WRITE, SLOT_DIGEST, SELFTEST, ACTIVATE, CONFIRM = 0x20, 0x21, 0x22, 0x23, 0x24
FIXTURES = os.path.join(os.path.dirname(FIRMWARE), "model", "fixtures", "models")
FIXTURE = "ds_cnn_keywords"  # the largest fixture the runner's 16 KiB model buffer takes


def fail(message):
    print("qemu-smoke: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def cobs_encode(data):
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out += b"\xff" + block
                block = bytearray()
    out += bytes([len(block) + 1]) + block
    return bytes(out)


def cobs_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data) + (0 if code == 1 else 0):
            raise ValueError("bad COBS")
        out += data[i + 1:i + code]
        i += code
        if code < 0xFF and i < len(data):
            out.append(0)
    return bytes(out)


def encode_frame(msg_type, request_id, body):
    raw = struct.pack("<BBHH", msg_type, 0, request_id, len(body)) + body
    raw += struct.pack("<I", zlib.crc32(raw) & 0xFFFFFFFF)
    return b"\x00" + cobs_encode(raw) + b"\x00"


class Link:
    def __init__(self, port):
        deadline = time.time() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.pending = b""
        self.next_id = 1

    def close(self):
        self.sock.close()

    def frame(self, timeout=10):
        """The next decoded frame: (type, flags, request id, body)."""
        deadline = time.time() + timeout
        while b"\x00" not in self.pending:
            self.sock.settimeout(max(0.05, deadline - time.time()))
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                fail("no frame within %d s" % timeout)
            if not chunk:
                fail("the device closed the line")
            self.pending += chunk
        encoded, self.pending = self.pending.split(b"\x00", 1)
        if not encoded:
            return self.frame(max(0.1, deadline - time.time()))
        raw = cobs_decode(encoded)
        msg_type, flags, request_id, length = struct.unpack("<BBHH", raw[:6])
        body, crc = raw[6:6 + length], struct.unpack("<I", raw[6 + length:])[0]
        check(crc == zlib.crc32(raw[:6 + length]) & 0xFFFFFFFF, "bad CRC from the device")
        return msg_type, flags, request_id, body

    def request(self, msg_type, body, timeout=20):
        request_id = self.next_id
        self.next_id += 1
        self.sock.sendall(encode_frame(msg_type, request_id, body))
        while True:
            got_type, flags, got_id, answer = self.frame(timeout)
            if got_id == request_id and flags & 1:
                check(got_type == msg_type, "answer of another type")
                try:
                    return flags, json.loads(answer)
                except ValueError:
                    fail("answer is not JSON: %r" % answer)

    def ok(self, msg_type, body):
        flags, answer = self.request(msg_type, body)
        check(flags == 0x01, "error answer to 0x%02x: %s" % (msg_type, answer))
        return answer


QEMU_EXTRA = []


def start(port, flash, *extra):
    out = subprocess.run([os.path.join(HERE, "qemu-stm32f4.sh"), "--port", str(port), "--seed",
                          str(SEED), "--flash-file", flash, "--telemetry-ms", "100",
                          "--log", flash + ".log"] + QEMU_EXTRA + list(extra),
                         check=True, capture_output=True, text=True).stdout.split()
    if out[1:3] != [EXPECTED_ID, "stm32f4"]:
        os.kill(int(out[0]), 9)
        fail("boot line %s" % out)
    return int(out[0])


def stop(pid):
    os.kill(pid, 9)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    fail("QEMU %d did not end" % pid)


def record(seq, state, data, name, version):
    body = struct.pack("<4sIII", b"FPSR", seq, state, len(data)) + hashlib.sha256(data).digest()
    body += name.encode().ljust(32, b"\0") + version.encode().ljust(32, b"\0")
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def slot_write(link, slot, data, begin=True):
    header = struct.pack("<BBHI", slot, 1 if begin else 0, 0, 0)
    return link.request(SLOT_WRITE, header + data)


def flatten(nested):
    return [x for item in nested for x in (flatten(item) if isinstance(item, list) else [item])]


def update_slot_b(link):
    """Writes the fixture model into slot B, self-tests it on its golden vectors, activates it on
    trial and confirms it. Returns the cycles SELFTEST reported and the vectors checked."""
    with open(os.path.join(FIXTURES, FIXTURE + ".tflite"), "rb") as f:
        model = f.read()
    with open(os.path.join(FIXTURES, FIXTURE + ".golden.json")) as f:
        golden = json.load(f)
    for offset in range(0, len(model), 4088):
        header = struct.pack("<BBHI", 1, 1 if offset == 0 else 0, 0, offset)
        answer = link.ok(SLOT_WRITE, header + model[offset:offset + 4088])
        check(answer["written"] == min(len(model), offset + 4088), "SLOT_WRITE %s" % answer)
    cycles = 0
    for vector in golden["vectors"]:
        request = {"slot": "B", "length": len(model), "input": flatten(vector["input"])}
        answer = link.ok(SELFTEST, json.dumps(request).encode())
        check(answer["output"] == flatten(vector["output"]),
              "SELFTEST output %s, tflite-micro %s" % (answer["output"], vector["output"]))
        cycles = answer["cycles"]
    sha = hashlib.sha256(model).hexdigest()
    activate = {"slot": "B", "length": len(model), "sha256": sha, "name": FIXTURE,
                "version": "1.0.0"}
    slots = link.ok(ACTIVATE, json.dumps(activate).encode())
    check(slots["active"] == "B" and slots["activeState"] == "PENDING_VERIFY", "ACTIVATE %s" % slots)
    slots = link.ok(CONFIRM, b"{}")
    check(slots["active"] == "B" and slots["activeState"] == "VALID", "CONFIRM %s" % slots)
    return cycles, len(golden["vectors"]), sha


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--work", default=None)
    parser.add_argument("--icount", action="store_true")
    args = parser.parse_args()
    if args.icount:
        QEMU_EXTRA.extend(["--icount", "--cycles", "instructions"])
    if args.port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    work = args.work or tempfile.mkdtemp(prefix="fieldproof-qemu-")
    try:
        run(args.port, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def run(port, work):
    flash = os.path.join(work, "stm32f4.flash")
    if os.path.exists(flash):
        os.remove(flash)
    data = bytes((i * 7 + 3) & 0xFF for i in range(3000))
    pid = None
    try:
        # 1. identity, CONFIG, TELEMETRY, STATS
        pid = start(port, flash)
        link = Link(port)
        hello = link.ok(HELLO, b"{}")
        check(hello["chip"] == "stm32f4", "chip %s" % hello["chip"])
        check(hello["deviceId"] == EXPECTED_ID, "device id %s" % hello["deviceId"])
        check(hello["runtime"] == "fieldproof-rt/3", "runtime %s" % hello["runtime"])
        check(hello["slots"]["active"] is None, "a fresh flash runs no model")
        check("FULLY_CONNECTED" in hello["capabilities"]["operators"], "no runner: %s" % hello)
        config = {"generation": 3, "config": {"inputs": [{"name": "vibration_rms", "min": 0.0,
                                                         "max": 20.0}]}}
        check(link.ok(CONFIG, json.dumps(config).encode()) == {"appliedGeneration": 3}, "CONFIG")
        while True:
            msg_type, flags, request_id, body = link.frame(5)
            if msg_type == TELEMETRY:
                break
        check(flags == 0 and request_id == 0, "TELEMETRY frame header")
        telemetry = json.loads(body)
        stats = link.ok(STATS, b"{}")
        check(stats["configGeneration"] == 3, "STATS generation %s" % stats)
        # 2. a slot write and its digest
        flags, answer = slot_write(link, 0, data)
        check(flags == 0x01 and answer == {"slot": "A", "written": 3000}, "SLOT_WRITE %s" % answer)
        digest = link.ok(SLOT_DIGEST, b'{"slot":"A","length":3000}')
        check(digest["sha256"] == hashlib.sha256(data).hexdigest(), "SLOT_DIGEST %s" % digest)
        link.close()
        # 3. power cut, a record from the bootloader path, restart
        stop(pid)
        pid = None
        with open(flash, "r+b") as f:
            check(os.path.getsize(flash) == FLASH_SIZE, "flash file size")
            f.seek(SLOT_A)
            check(f.read(3000) == data, "slot A bytes in the flash file after the kill")
            f.seek(RECORD_A)
            f.write(record(1, 2, data, "smoke", "1.0.0"))
        pid = start(port, flash)
        link = Link(port)
        hello = link.ok(HELLO, b"{}")
        slots = hello["slots"]
        check(slots["active"] == "A" and slots["activeState"] == "VALID", "slots %s" % slots)
        check(slots["a"]["sha256"] == hashlib.sha256(data).hexdigest(), "slot A ref %s" % slots)
        link.close()
        stop(pid)
        pid = None
        # 4. a power cut after 1000 programmed bytes of slot B
        pid = start(port, flash, "--power-cut-after", "1000")
        link = Link(port)
        link.sock.sendall(encode_frame(SLOT_WRITE, 99, struct.pack("<BBHI", 1, 1, 0, 0) + data))
        status = None
        for _ in range(200):
            try:
                finished, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not our child: the script's shell started it
                finished = 0 if os.path.exists("/proc/%d" % pid) else pid
            if finished:
                break
            time.sleep(0.05)
        check(not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().split()[2] == "Z",
              "QEMU still runs after the power cut")
        pid = None
        link.close()
        with open(flash + ".log") as log:
            check("power cut" in log.read(), "no power cut in the QEMU log")
        with open(flash, "rb") as f:
            f.seek(SLOT_B)
            slot_b = f.read(3000)
        check(slot_b[:1000] == data[:1000] and slot_b[1000:] == b"\xff" * 2000,
              "slot B after the cut holds the first 1000 bytes only")
        pid = start(port, flash)
        link = Link(port)
        slots = link.ok(HELLO, b"{}")["slots"]
        check(slots["active"] == "A" and slots["b"] is None, "after the cut: %s" % slots)
        # 5. an in-app update of slot B, confirmed, kept across a restart
        cycles, vectors, sha = update_slot_b(link)
        link.close()
        stop(pid)
        pid = start(port, flash)
        link = Link(port)
        slots = link.ok(HELLO, b"{}")["slots"]
        check(slots["active"] == "B" and slots["activeState"] == "VALID"
              and slots["b"]["sha256"] == sha, "after the update and a restart: %s" % slots)
        link.close()
        print("qemu-smoke: passed (%s; telemetry %s; %s: %d golden vectors equal, %d %s per "
              "inference)" % (EXPECTED_ID, json.dumps(telemetry)[:60], FIXTURE, vectors, cycles,
                              "instructions" if QEMU_EXTRA else "cycles (runner estimate)"))
    finally:
        if pid is not None:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass


if __name__ == "__main__":
    main()
