#!/usr/bin/env bash
# Installs the tools the tests need, skipping each one already present (the same installer the
# README's test command runs first).
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/install.sh" test
