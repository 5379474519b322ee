#!/bin/sh
# bench-remote.sh - runs bench/bench_remote.c against an lsahost serve of its own, in
# build/test (where the package and the benchmark's store are).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/build/test"
pipe='\\.\pipe\sspkg-bench-'$$
# The benchmark runs from build/bench; the lsahost it must find serving is build/lsahost.exe
# (by default a client expects lsahost.exe beside itself), as Wine names it.
SSPKG_LSAHOST_IMAGE="Z:$(printf '%s' "$top/build/lsahost.exe" | tr / '\\')"
export SSPKG_LSAHOST_IMAGE
"$top/scripts/wine.sh" ../lsahost.exe --store=bench-store.txt serve "--pipe=$pipe" \
    --exit-after=1 >bench-remote-lsahost.log 2>&1 &
server=$!
"$top/scripts/wine.sh" ../bench/bench_remote.exe "$pipe"
wait $server
