#!/usr/bin/env python3
"""Cortex-M4 figures of the firmware, standard library only (docs/benchmarks.md).

  scripts/bench-cortex-m4.py [--out DIR] [--port P] [--skip-build]

1. Flash and RAM per part of the linked QEMU image (build/stm32f4/fieldproof-fw-stm32f4.elf):
   the linker map says which object each kept input section came from (after --gc-sections), so
   the parts add up to what arm-none-eabi-size gives for the whole image. Parts: the core's
   protocol and slots, the device runtime, the int8 runner, the board port, the C library, and
   the rest (heap and stack reserved by the linker script, alignment fill). The runtime's and the
   protocol's RAM live inside the one fp_device the board keeps; their shares are the sizes of
   fp_runtime + fp_runtime_config and the rest of fp_device, read from a probe object.
2. Instructions per inference of every fixture model the device can run (model/fixtures/models
   with expect "ok", an int8 input and output, no larger than the runner's model buffer): the
   image runs under QEMU netduinoplus2 with `-icount shift=0` and `--cycles instructions`, each
   model is written into slot B and SELFTEST runs every golden vector of it (outputs must equal
   tflite-micro's); SELFTEST then reports the instructions its invoke executed. MACs and
   operators per model come from the runner itself (its host CLI, --describe).
3. With --per-operator, instructions per operator: a second QEMU run with its gdb stub on a
   loopback port; a small client of the GDB remote protocol stops the image at the entry of
   fp_int8_eval and single-steps it until it returns into fp_int8_invoke, for the first golden
   vector of each model. QEMU steps with interrupts masked, so the counts are the operator's own
   instructions (the icount clock cannot be read across a debugger stop: QEMU moves virtual time
   on while stopped). About 1 500 to 2 600 steps a second: 8 to 12 minutes for all fixtures.

Writes DIR/cortex-m4.json and DIR/cortex-m4.md (default DIR: build/bench). Takes about 15 s
without --per-operator.
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARE = os.path.dirname(HERE)
FIXTURES = os.path.join(os.path.dirname(FIRMWARE), "model", "fixtures", "models")
ELF = os.path.join(FIRMWARE, "build", "stm32f4", "fieldproof-fw-stm32f4.elf")
MAP = ELF[:-len(".elf")] + ".map"

_spec = importlib.util.spec_from_file_location("qemu_smoke", os.path.join(HERE, "qemu-smoke.py"))
smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smoke)

RUNTIME = {"fp_runtime", "fp_guard", "fp_drift", "fp_runtime_config"}
PARTS = ["protocol and slots (core/)", "device runtime (core/)", "int8 runner (runner/)",
         "board port (port/stm32f4)", "C library (newlib, libgcc)", "heap, stack, fill"]
MODEL_BUFFER = 16384  # FP_RUNNER_MODEL_MAX


def part_of(path):
    name = os.path.basename(path)
    if path.startswith("build/cortex-m4/"):
        stem = name[:-2]
        if os.path.exists(os.path.join(FIRMWARE, "runner", stem + ".c")):
            return PARTS[2]
        return PARTS[1] if stem in RUNTIME else PARTS[0]
    if path.startswith("build/stm32f4/"):
        return PARTS[3]
    if "/lib" in path or path.endswith(".a)") or ".a(" in path:
        return PARTS[4]
    return None


def map_sections(map_path):
    """(section name, address, size, object) of every input section the image kept. Merged string
    sections (.str1.N) are listed once per object that contributed to them, all at the address of
    the merged block: each block is counted once, for the first object."""
    with open(map_path) as f:
        text = f.read()
    text = text[text.index("Linker script and memory map"):]
    pattern = re.compile(r"^ (\.[\w.$]+|COMMON)\s*\n?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$",
                         re.MULTILINE)
    merged = set()
    for m in pattern.finditer(text):
        name, address = m.group(1), int(m.group(2), 16)
        if ".str1." in name:
            if address in merged:
                continue
            merged.add(address)
        yield name, address, int(m.group(3), 16), m.group(4).strip()


def berkeley_size(path):
    out = subprocess.run(["arm-none-eabi-size", path], check=True, capture_output=True,
                         text=True).stdout.splitlines()[1].split()
    return {"text": int(out[0]), "data": int(out[1]), "bss": int(out[2])}


def struct_sizes(work):
    """sizeof fp_device, fp_runtime and fp_runtime_config on Cortex-M4 (from a probe's symbols)."""
    probe = os.path.join(work, "probe.c")
    with open(probe, "w") as f:
        f.write('#include "fp_device.h"\nfp_device probe_device;\nfp_runtime probe_runtime;\n'
                "fp_runtime_config probe_runtime_config;\n")
    obj = os.path.join(work, "probe.o")
    subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard",
                    "-mfpu=fpv4-sp-d16", "-std=c11", "-Os", "-fno-common",
                    "-I" + os.path.join(FIRMWARE, "core"), "-I" + os.path.join(FIRMWARE, "runner"),
                    "-c", probe, "-o", obj], check=True)
    sizes = {}
    for line in subprocess.run(["arm-none-eabi-nm", "-S", obj], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith("probe_"):
            sizes[parts[3][len("probe_"):]] = int(parts[1], 16)
    return sizes


def sizes(work):
    totals = {p: {"text": 0, "data": 0, "bss": 0} for p in PARTS}
    for name, address, size, obj in map_sections(MAP):
        part = part_of(obj)
        if part is None or size == 0:
            continue
        if address >= 0x20000000:
            kind = "data" if name.startswith(".data") else "bss"
        elif address >= 0x08000000:
            kind = "text"
        else:
            continue
        totals[part][kind] += size
    image = berkeley_size(ELF)
    for kind in ("text", "data", "bss"):
        totals[PARTS[5]][kind] = image[kind] - sum(totals[p][kind] for p in PARTS[:5])
    structs = struct_sizes(work)
    runtime_ram = structs["runtime"] + structs["runtime_config"]
    rows = []
    for part in PARTS:
        t = totals[part]
        rows.append({"part": part, "text": t["text"], "data": t["data"], "bss": t["bss"],
                     "flash": t["text"] + t["data"], "ram": t["data"] + t["bss"]})
    return {"image": "build/stm32f4/fieldproof-fw-stm32f4.elf", "parts": rows,
            "whole": dict(image, flash=image["text"] + image["data"],
                          ram=image["data"] + image["bss"]),
            "fpDevice": {"bytes": structs["device"], "runtime": runtime_ram,
                         "protocolAndSlots": structs["device"] - runtime_ram}}


def runner_cli(work):
    cli = os.path.join(work, "fp-runner-cli")
    runner = sorted(os.path.join(FIRMWARE, "runner", n)
                    for n in os.listdir(os.path.join(FIRMWARE, "runner")) if n.endswith(".c"))
    subprocess.run(["gcc", "-O1", "-std=c11", "-I" + os.path.join(FIRMWARE, "core"),
                    "-I" + os.path.join(FIRMWARE, "runner"),
                    os.path.join(FIRMWARE, "runner", "cli", "fp_runner_cli.c")] + runner
                   + ["-lm", "-o", cli], check=True)
    return cli


def runnable_models(cli):
    """(name, MACs, operators) of every fixture the device runs through SELFTEST."""
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        manifest = json.load(f)
    models = []
    for entry in manifest["models"]:
        path = os.path.join(FIXTURES, entry["file"])
        if entry["expect"] != "ok" or os.path.getsize(path) > MODEL_BUFFER:
            continue
        out = subprocess.run([cli, "--describe", path], capture_output=True, text=True)
        if out.returncode != 0:
            continue
        info = {line.split()[0]: line.split() for line in out.stdout.splitlines()}
        if info["input"][1] != "int8" or info["output"][1] != "int8":
            continue
        arena = info["arena"]
        models.append((entry["file"][:-len(".tflite")], int(arena[arena.index("macs") + 1]),
                       int(arena[arena.index("operators") + 1])))
    return models


def measure(name, link):
    with open(os.path.join(FIXTURES, name + ".tflite"), "rb") as f:
        model = f.read()
    with open(os.path.join(FIXTURES, name + ".golden.json")) as f:
        golden = json.load(f)
    for offset in range(0, len(model), 4088):
        header = struct.pack("<BBHI", 1, 1 if offset == 0 else 0, 0, offset)
        link.ok(smoke.SLOT_WRITE, header + model[offset:offset + 4088])
    counts = []
    for vector in golden["vectors"]:
        request = {"slot": "B", "length": len(model), "input": smoke.flatten(vector["input"])}
        answer = link.ok(smoke.SELFTEST, json.dumps(request).encode())
        smoke.check(answer["output"] == smoke.flatten(vector["output"]),
                    "%s: SELFTEST output %s, tflite-micro %s" % (name, answer["output"],
                                                                 vector["output"]))
        counts.append(answer["cycles"])
    return counts


def inferences(port, work, models):
    smoke.QEMU_EXTRA[:] = ["--icount", "--cycles", "instructions", "--elf", ELF]
    flash = os.path.join(work, "stm32f4.flash")
    pid = smoke.start(port, flash)
    rows = []
    try:
        link = smoke.Link(port)
        for name, macs, operators in models:
            counts = measure(name, link)
            rows.append({"model": name, "macs": macs, "operators": operators,
                         "vectors": len(counts), "instructions": int(statistics.median(counts)),
                         "min": min(counts), "max": max(counts)})
        link.close()
    finally:
        smoke.stop(pid)
    return rows


OP_KINDS = ["FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
            "RESHAPE", "SOFTMAX", "LOGISTIC", "QUANTIZE", "DEQUANTIZE", "ADD", "SHAPE",
            "STRIDED_SLICE", "PACK"]  # fp_op_kind in runner/fp_int8.h


class Gdb:
    """The few GDB remote protocol packets the per-operator count needs (QEMU's -gdb stub)."""

    def __init__(self, port):
        deadline = time.time() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.buffer = b""

    def send(self, payload):
        """The answer to a command; stop replies that arrive meanwhile are dropped."""
        data = payload.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xFF))
        while True:
            answer = self.packet()
            if answer[:1] not in ("T", "S"):
                return answer

    def resume(self):
        self.sock.sendall(b"$c#63")

    def steps_until(self, address, breakpoint):
        """Instructions executed from here until the pc is address, by single steps (QEMU steps
        with interrupts masked, so none is counted); breakpoint is lifted meanwhile."""
        self.send("z0,%x,2" % breakpoint)
        steps = 0
        while True:
            self.sock.sendall(b"$s#73")
            self.stop()
            steps += 1
            if self.registers()[15] == address:
                break
        self.send("Z0,%x,2" % breakpoint)
        return steps

    def stop(self):
        """Waits for the image to stop (a breakpoint hit): its stop reply."""
        while True:
            answer = self.packet()
            if answer[:1] in ("T", "S"):
                return answer

    def interrupt(self):
        self.sock.sendall(b"\x03")
        self.stop()

    def packet(self):
        while True:
            start = self.buffer.find(b"$")
            end = self.buffer.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buffer) >= end + 3:
                payload = self.buffer[start + 1:end].decode()
                self.buffer = self.buffer[end + 3:]
                self.sock.sendall(b"+")
                return payload
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("the gdb stub closed the connection")
            self.buffer += chunk

    def memory(self, address, length):
        return bytes.fromhex(self.send("m%x,%x" % (address, length)))

    def registers(self):
        raw = bytes.fromhex(self.send("g")[:16 * 8])
        return struct.unpack("<16I", raw)


def symbols():
    out = subprocess.run(["arm-none-eabi-nm", ELF], check=True, capture_output=True,
                         text=True).stdout
    return {parts[2]: int(parts[0], 16) for parts in (line.split() for line in out.splitlines())
            if len(parts) == 3}


def per_operator(port, work, models):
    """{model: [(operator, instructions), ...]} for the first golden vector of each model."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        gdb_port = probe.getsockname()[1]
    flash = os.path.join(work, "per-operator.flash")
    log = open(os.path.join(work, "per-operator.log"), "w")
    qemu = subprocess.Popen(
        ["qemu-system-arm", "-M", "netduinoplus2", "-display", "none", "-monitor", "none",
         "-nodefaults", "-semihosting-config", "enable=on,target=native",
         "-kernel", ELF, "-append", "--seed 1 --flash-file %s --telemetry-ms 600000" % flash,
         "-serial", "tcp:127.0.0.1:%d,server=on,wait=off,nodelay=on" % port,
         "-gdb", "tcp:127.0.0.1:%d" % gdb_port], stdout=log, stderr=subprocess.STDOUT)
    result = {}
    try:
        deadline = time.time() + 20
        while " stm32f4 " not in open(log.name).read():
            smoke.check(qemu.poll() is None and time.time() < deadline, "QEMU did not boot")
            time.sleep(0.1)
        link = smoke.Link(port)
        smoke.check(link.ok(smoke.HELLO, b"{}")["chip"] == "stm32f4", "HELLO")
        syms = symbols()
        entry = syms["fp_int8_eval"] & ~1
        gdb = Gdb(gdb_port)
        gdb.sock.sendall(b"$?#3f")  # attaching stopped the image: let it run
        gdb.stop()
        gdb.resume()
        for name, _, operators in models:
            with open(os.path.join(FIXTURES, name + ".tflite"), "rb") as f:
                model = f.read()
            with open(os.path.join(FIXTURES, name + ".golden.json")) as f:
                vector = json.load(f)["vectors"][0]
            for offset in range(0, len(model), 4088):
                header = struct.pack("<BBHI", 1, 1 if offset == 0 else 0, 0, offset)
                link.ok(smoke.SLOT_WRITE, header + model[offset:offset + 4088])
            request = {"slot": "B", "length": len(model), "input": smoke.flatten(vector["input"])}
            gdb.interrupt()
            gdb.send("Z0,%x,2" % entry)
            link.sock.sendall(smoke.encode_frame(smoke.SELFTEST, 900, json.dumps(request).encode()))
            ops = []
            for _ in range(operators):
                gdb.resume()
                gdb.stop()
                regs = gdb.registers()
                smoke.check(regs[15] == entry, "%s: stopped outside fp_int8_eval" % name)
                kind = gdb.memory(regs[1], 1)[0]
                ops.append((OP_KINDS[kind], gdb.steps_until(regs[14] & ~1, entry)))
            gdb.send("z0,%x,2" % entry)
            gdb.resume()
            while True:
                msg_type, flags, request_id, body = link.frame(20)
                if request_id == 900:
                    break
            smoke.check(json.loads(body)["output"] == smoke.flatten(vector["output"]),
                        "%s: SELFTEST output under the debugger" % name)
            result[name] = ops
        link.close()
    finally:
        qemu.kill()
        qemu.wait()
        log.close()
    return result


def markdown(figures):
    lines = ["Flash and RAM per part of `%s` (arm-none-eabi-size and the linker map, bytes):"
             % figures["sizes"]["image"], "",
             "| part | text | data | bss | flash | RAM |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in figures["sizes"]["parts"]:
        lines.append("| %s | %d | %d | %d | %d | %d |" % (r["part"], r["text"], r["data"],
                                                          r["bss"], r["flash"], r["ram"]))
    w = figures["sizes"]["whole"]
    lines.append("| **whole image** | **%d** | **%d** | **%d** | **%d** | **%d** |"
                 % (w["text"], w["data"], w["bss"], w["flash"], w["ram"]))
    d = figures["sizes"]["fpDevice"]
    lines += ["", "The board port's RAM holds the one `fp_device` (%d bytes): the device runtime's "
              "share is %d (fp_runtime + fp_runtime_config), the protocol's and slots' %d."
              % (d["bytes"], d["runtime"], d["protocolAndSlots"]), "",
              "Instructions per inference under QEMU `-icount shift=0` (median over the golden "
              "vectors; min-max):", "",
              "| model | MACs | operators | vectors | instructions | min-max | per MAC |",
              "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for r in figures["inference"]:
        lines.append("| %s | %d | %d | %d | %d | %d-%d | %.1f |"
                     % (r["model"], r["macs"], r["operators"], r["vectors"], r["instructions"],
                        r["min"], r["max"], r["instructions"] / r["macs"]))
    if any("perOperator" in r for r in figures["inference"]):
        lines += ["", "Instructions per operator (first golden vector, single-stepped; the rest of "
                  "an inference is the runner port's checks and copies):", "",
                  "| model | operators (instructions) | sum |", "| --- | --- | ---: |"]
        for r in figures["inference"]:
            ops = r.get("perOperator", [])
            lines.append("| %s | %s | %d |" % (r["model"], ", ".join(
                "%s %d" % (o["operator"], o["instructions"]) for o in ops),
                sum(o["instructions"] for o in ops)))
    return "\n".join(lines) + "\n"


def main():
    global ELF, MAP
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(FIRMWARE, "build", "bench"))
    parser.add_argument("--port", type=int, default=0, help="0: a free one")
    parser.add_argument("--skip-build", action="store_true", help="use the image as it is")
    parser.add_argument("--per-operator", action="store_true",
                        help="also count instructions per operator (single steps: minutes)")
    args = parser.parse_args()
    if not args.skip_build:
        subprocess.run(["make", "-s", "-C", FIRMWARE, "stm32f4-qemu"], check=True)
    if args.port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldproof-bench-") as work:
        started = time.time()
        # a copy of the image: a build running meanwhile cannot change it under the benchmark
        shutil.copy(ELF, os.path.join(work, "image.elf"))
        shutil.copy(MAP, os.path.join(work, "image.map"))
        ELF, MAP = os.path.join(work, "image.elf"), os.path.join(work, "image.map")
        models = runnable_models(runner_cli(work))
        figures = {"benchmark": "firmware/scripts/bench-cortex-m4.py",
                   "date": time.strftime("%Y-%m-%d", time.gmtime()),
                   "qemu": subprocess.run(["qemu-system-arm", "--version"], capture_output=True,
                                          text=True).stdout.splitlines()[0],
                   "machine": "netduinoplus2 (STM32F405, Cortex-M4F), -icount shift=0",
                   "compiler": subprocess.run(["arm-none-eabi-gcc", "--version"],
                                              capture_output=True,
                                              text=True).stdout.splitlines()[0],
                   "sizes": sizes(work),
                   "inference": inferences(args.port, work, models)}
        if args.per_operator:
            counts = per_operator(args.port, work, models)
            for row in figures["inference"]:
                row["perOperator"] = [{"operator": op, "instructions": n}
                                      for op, n in counts[row["model"]]]
        figures["seconds"] = round(time.time() - started, 1)
    with open(os.path.join(args.out, "cortex-m4.json"), "w") as f:
        json.dump(figures, f, indent=2)
        f.write("\n")
    table = markdown(figures)
    with open(os.path.join(args.out, "cortex-m4.md"), "w") as f:
        f.write(table)
    sys.stdout.write(table)
    print("bench-cortex-m4: %s/cortex-m4.json (%.0f s)" % (args.out, figures["seconds"]))


if __name__ == "__main__":
    main()
