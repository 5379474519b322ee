#!/bin/sh
# demo.sh - the demo on a fresh Debian machine: installs what is missing, builds, and
# has lsahost load sspkg.dll with every callback traced.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j2 run
