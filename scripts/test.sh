#!/bin/sh
# test.sh - the whole test suite on a fresh Debian machine: installs what is missing,
# builds, and runs every test (TAP, under prove). Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j2 all
scripts/run-tests.sh "$@"
