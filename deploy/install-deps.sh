#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: libzmq (Debian's
# libzmq3-dev) and, for the schema test, Python's jsonschema. Idempotent.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pkg-config --exists libzmq 2>/dev/null; then
    echo "installing libzmq3-dev (ZeroMQ) with apt-get" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzmq3-dev pkg-config >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
    if ! python3 -c "import jsonschema" 2>/dev/null; then
        echo "installing Python jsonschema for the schema test" >&2
        python3 -m pip install -q jsonschema || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null
    fi
fi
