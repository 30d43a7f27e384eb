#!/usr/bin/env python3
"""The C int8 runner against tflite-micro itself on fresh random inputs.

For every fixture model (model/fixtures/models/*.tflite but the float one), N random vectors of
input 0 go through tflite-micro (model/fixtures/tflm_run.py, run with this same interpreter: the
fixtures venv) and through the runner's host CLI (build/host/fp-runner-cli); every output value
must be identical (int8 byte for byte, float32 bit for bit). Run by runner/crosscheck.sh.

  crosscheck.py --cli PATH --models DIR [--count N] [--seed S]
Exits 1 on any difference or failure.
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TFLM_RUN = os.path.join(HERE, "..", "..", "model", "fixtures", "tflm_run.py")


def describe(cli, model):
    out = subprocess.run([cli, "--describe", model], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    info = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts[0] in ("input", "output"):
            info[parts[0]] = (parts[1], int(parts[2]))
    return info, None


def vectors(rng, kind, count, n):
    result = []
    for k in range(n):
        if kind == "int8":
            if k == 0:
                v = [-128] * count
            elif k == 1:
                v = [127] * count
            else:
                v = [rng.randint(-128, 127) for _ in range(count)]
        else:
            scale = rng.choice([0.01, 0.5, 2.0, 50.0, 5000.0])
            v = [float(np.float32(rng.gauss(0.0, scale))) for _ in range(count)]
        result.append(v)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    models = sorted(glob.glob(os.path.join(args.models, "*.tflite")))
    if not models:
        print("crosscheck: no models in %s" % args.models, file=sys.stderr)
        return 1
    total, failed, checked, beyond = 0, 0, 0, 0
    for model in models:
        name = os.path.basename(model)
        info, refusal = describe(args.cli, model)
        if info is None:
            if name == "float_model.tflite":
                print("%-30s refused as expected: %s" % (name, refusal))
                continue
            if "which this runner does not run" in refusal:
                # a fixture of an operator the Java interpreter runs and this runner does not yet
                # (test_runner checks the refusal names an operator outside the runner's list)
                print("%-30s beyond this runner: %s" % (name, refusal))
                beyond += 1
                continue
            print("crosscheck: FAIL %s refused: %s" % (name, refusal), file=sys.stderr)
            failed += 1
            continue
        kind, count = info["input"]
        vecs = vectors(rng, kind, count, args.count)
        request = json.dumps({"model": os.path.abspath(model), "inputs": vecs,
                              "arenaSize": 16 * 1024 * 1024})
        tflm = subprocess.run([sys.executable, TFLM_RUN], input=request, capture_output=True,
                              text=True)
        if tflm.returncode != 0:
            print("crosscheck: FAIL tflite-micro on %s: %s" % (name, tflm.stderr.strip()),
                  file=sys.stderr)
            failed += 1
            continue
        expected = json.loads(tflm.stdout)["outputs"]
        lines = "".join(" ".join(repr(x) for x in v) + "\n" for v in vecs)
        ours = subprocess.run([args.cli, model], input=lines, capture_output=True, text=True)
        if ours.returncode != 0:
            print("crosscheck: FAIL fp-runner-cli on %s: %s" % (name, ours.stderr.strip()),
                  file=sys.stderr)
            failed += 1
            continue
        got = [[float(x) for x in line.split()] for line in ours.stdout.splitlines()]
        differing = 0
        for k, (want, have) in enumerate(zip(expected, got)):
            if [float(x) for x in want] != have:
                differing += 1
                if differing <= 3:
                    shown = vecs[k][:16] + (["..."] if len(vecs[k]) > 16 else [])
                    print("  %s vector %d: tflite-micro %s, runner %s\n    input %s"
                          % (name, k, want[:16], have[:16], shown), file=sys.stderr)
        if len(got) != len(expected):
            differing += 1
        total += len(vecs)
        checked += 1
        status = "ok" if differing == 0 else "FAIL"
        print("%-30s %s: %d random vectors, %d differing" % (name, status, len(vecs), differing))
        failed += differing > 0
    print("crosscheck: %d random vectors over %d models, %s; %d models use operators beyond this runner" %
          (total, checked, "all identical to tflite-micro" if failed == 0 else "%d models FAILED" % failed,
           beyond))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
