#!/bin/sh
# bench-fair.sh - runs bench/bench_fair.c against two lsahost serves of its own, one
# with its default CPU budget per process and one without (a budget out of reach), in
# build/test (where the package, the benchmark's store and the attacker are).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/build/test"
W="$top/scripts/wine.sh"
rm -f bench-fair-store.txt
"$W" ../lsahost.exe --store=bench-fair-store.txt user add bench --password=pencil >/dev/null
pipe='\\.\pipe\sspkg-fair-'$$
# The benchmark runs from build/bench; the lsahost it must find serving is build/lsahost.exe
# (by default a client expects lsahost.exe beside itself), as Wine names it.
SSPKG_LSAHOST_IMAGE="Z:$(printf '%s' "$top/build/lsahost.exe" | tr / '\\')"
export SSPKG_LSAHOST_IMAGE
"$W" ../lsahost.exe --store=bench-fair-store.txt serve "--pipe=$pipe" \
    >bench-fair-lsahost.log 2>&1 &
budgeted=$!
"$W" ../lsahost.exe --store=bench-fair-store.txt serve "--pipe=$pipe-unbudgeted" \
    --cpu-per-process=1000000 >bench-fair-lsahost-unbudgeted.log 2>&1 &
unbudgeted=$!
rc=0
"$W" ../bench/bench_fair.exe "$pipe" "$pipe-unbudgeted" || rc=$?
# Ctrl+C for both (their clients come and go, so --exit-after cannot say when to stop),
# by the ids started here: wine.sh execs wine, whose process becomes lsahost's. A match on
# the command line could stop another checkout's lsahost.
kill -INT "$budgeted" "$unbudgeted"
wait
exit $rc
