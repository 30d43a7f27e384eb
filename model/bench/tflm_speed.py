#!/usr/bin/env python3
"""tflite-micro's side of the interpreter speed benchmark (InterpreterSpeedBenchmark).

Run with the fixtures venv (model/fixtures/setup-venv.sh):

    ~/.cache/fieldproof/venv-fixtures/bin/python model/bench/tflm_speed.py < request.json

Request: {"model": "/abs/path.tflite", "inputs": [vector, ...], "seconds": 0.5, "rounds": 3}
where each vector is a list with one flat list per model input (int8 or float values).

The interpreter is made and the inputs converted to numpy arrays once; then each round times, with
time.perf_counter_ns, a loop of N iterations of set_input (cycling over the vectors) and invoke.
N is chosen so that a round lasts about "seconds". Process start, imports, model loading and JSON
are outside the timed loops.

Response: {"iterations": N, "nanosPerInference": [one per round], "callOverheadNanos": X}
where callOverheadNanos is the same loop's cost with a Python method call in place of
set_input + invoke (the interpreter's Python binding adds about that much per call pair).
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))

import numpy as np  # noqa: E402
import tflm_common  # noqa: E402


def main():
    request = json.load(sys.stdin)
    with open(request["model"], "rb") as f:
        model_bytes = f.read()
    interp = tflm_common.make_interpreter(model_bytes)
    ins, _ = tflm_common.io_details(interp, model_bytes)
    vectors = []
    for vec in request["inputs"]:
        arrays = []
        for i, (flat, d) in enumerate(zip(vec, ins)):
            arrays.append(np.asarray(flat).astype(np.dtype(d["dtype"])).reshape(d["shape"]))
        vectors.append(arrays)
    count = len(vectors)
    seconds = float(request.get("seconds", 0.5))
    rounds = int(request.get("rounds", 3))

    def loop(n):
        set_input = interp.set_input
        invoke = interp.invoke
        start = time.perf_counter_ns()
        for k in range(n):
            for i, arr in enumerate(vectors[k % count]):
                set_input(arr, i)
            invoke()
        return time.perf_counter_ns() - start

    loop(5)  # warm-up
    n = 5
    while True:
        elapsed = loop(n)
        if elapsed >= seconds * 1e9 / 4 or n >= 10_000_000:
            break
        n *= 4
    n = max(5, int(n * seconds * 1e9 / max(elapsed, 1)))
    per = [loop(n) / n for _ in range(rounds)]

    class Dummy:
        def call(self, *args):
            return None

    dummy = Dummy().call
    start = time.perf_counter_ns()
    for k in range(n):
        for i, arr in enumerate(vectors[k % count]):
            dummy(arr, i)
        dummy()
    overhead = (time.perf_counter_ns() - start) / n
    json.dump({"iterations": n, "nanosPerInference": per, "callOverheadNanos": overhead}, sys.stdout)


if __name__ == "__main__":
    main()
