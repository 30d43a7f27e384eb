#!/bin/sh
# Checks the int8 runner against tflite-micro on fresh random inputs (crosscheck.py): builds the
# runner's host CLI (build/host/fp-runner-cli), gets the fixtures venv from
# model/fixtures/setup-venv.sh (cached in ~/.cache/fieldproof/venv-fixtures, created from PyPI when
# missing) and runs N random vectors per fixture model through both.
#
#   firmware/runner/crosscheck.sh [N]      N vectors per model (default 200)
#   FP_SKIP_TFLM=1 firmware/runner/crosscheck.sh   skips it, saying so
# Fails when the venv cannot be made, unless FP_SKIP_TFLM=1.
set -eu
cd "$(dirname "$0")/.."
if [ "${FP_SKIP_TFLM:-0}" = 1 ]; then
  echo "crosscheck: skipped (FP_SKIP_TFLM=1): the runner was not compared with tflite-micro"
  exit 0
fi
make -s host build/host/runner/cli/fp_runner_cli.o
gcc build/host/runner/cli/fp_runner_cli.o $(ls build/host/runner/*.o) -o build/host/fp-runner-cli \
  -fsanitize=address,undefined -lm
if ! venv_out=$(../model/fixtures/setup-venv.sh 2>&1); then
  echo "$venv_out" | tail -5 >&2
  echo "crosscheck: cannot create the tflite-micro venv (model/fixtures/setup-venv.sh failed);" \
       "set FP_SKIP_TFLM=1 to skip the comparison with tflite-micro explicitly" >&2
  exit 1
fi
python=$(echo "$venv_out" | tail -1)
"$python" runner/crosscheck.py --cli build/host/fp-runner-cli --models ../model/fixtures/models \
  --count "${1:-200}"
