#!/bin/sh
# demo.sh - the demo on a fresh Debian machine: installs what is missing, builds, then
# lsahost makes a user, runs a SCRAM-SHA-256 handshake with every callback traced, and
# shows a wrong password being refused (make run).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j2 run
