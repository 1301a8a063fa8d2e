#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: libzmq (Debian's
# libzmq3-dev) and, for the tests, Python's jsonschema (the schema test), pyzmq
# (the PROTOCOL.md example client; its wheels bundle libzmq with CURVE) and
# schemathesis (the HTTP API against its OpenAPI document), openpyxl (reads
# the report's Excel workbook back), and Chromium with its driver and selenium
# (the web app in a real browser), and PostgreSQL's server programs (the tests of the PostgreSQL store start
# their own server from them). Idempotent.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pkg-config --exists libzmq 2>/dev/null || ! pkg-config --exists zlib 2>/dev/null; then
    echo "installing libzmq3-dev (ZeroMQ) and zlib1g-dev (the report workbook's ZIP) with apt-get" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzmq3-dev zlib1g-dev pkg-config >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
    if ! python3 -c "import jsonschema" 2>/dev/null; then
        echo "installing Python jsonschema for the schema test" >&2
        python3 -m pip install -q jsonschema || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null
    fi
    if ! python3 -c "import zmq" 2>/dev/null; then
        echo "installing Python pyzmq for the PROTOCOL.md example client test" >&2
        python3 -m pip install -q pyzmq || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-zmq >/dev/null
    fi
    if ! python3 -c "import schemathesis" 2>/dev/null; then
        echo "installing Python schemathesis for the OpenAPI conformance test" >&2
        python3 -m pip install -q schemathesis
    fi
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        echo "installing chromium and chromium-driver for the web app's browser tests" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/bin/psql ]; then
        echo "installing postgresql (the PostgreSQL store's tests start a server of their own, on a free port, in a temporary folder)" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "installing systemd (systemd-analyze) to verify the deploy/systemd units" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
    fi
    if ! python3 -c "import selenium" 2>/dev/null; then
        echo "installing Python selenium for the web app's browser tests" >&2
        python3 -m pip install -q selenium
    fi
    if ! python3 -c "import yaml" 2>/dev/null; then
        echo "installing Python PyYAML for the alert rules test" >&2
        python3 -m pip install -q pyyaml
    fi
    if ! python3 -c "import openpyxl" 2>/dev/null; then
        echo "installing Python openpyxl for the report workbook test" >&2
        python3 -m pip install -q openpyxl
    fi
    if ! python3 -c "import zmq, sys; sys.exit(0 if zmq.has('curve') else 1)" 2>/dev/null; then
        echo "warning: this pyzmq's libzmq has no CURVE support; the PROTOCOL.md example test needs it (python3 -m pip install pyzmq)" >&2
    fi
fi
