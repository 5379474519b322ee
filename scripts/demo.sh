#!/bin/sh
# demo.sh - the demo on a fresh Debian machine: installs what is missing, builds, then
# lsahost makes a user, runs a SCRAM-SHA-256 handshake with every callback traced (the
# server impersonating the client at the end), shows a wrong password being refused,
# and logs the user on through the package's LsaApLogonUserEx2 (make run).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j2 run
