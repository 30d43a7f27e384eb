#!/usr/bin/env bash
# Thin wrapper: the logic lives in test/node/down.sh (see docs/node.md).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../test/node/down.sh" "$@"
