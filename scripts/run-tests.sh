#!/bin/sh
# run-tests.sh - runs every test under prove, with one persistent wineserver for the
# whole run (Wine's start-up is paid once). Expects `make all` to have been run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# The tests install and remove things in their prefix: always the project's own.
WINEPREFIX="$top/build/wineprefix"
. scripts/wine-env.sh
wine_prefix_ready
# A wineserver already running for this prefix (a benchmark, another run) is shared,
# and left running; one started here is stopped at the end.
if wineserver -p 2>/dev/null; then
    trap 'wineserver -k 2>/dev/null || true' EXIT
fi
prove "$@" test/t/
