#!/bin/sh
# lsahost serve stops cleanly on Ctrl+C (SIGINT, which Wine delivers as CTRL_C_EVENT):
# the package is shut down and nothing is left.
. "$(dirname "$0")/tap.sh"
# The clients run from build/test; the lsahost they must find serving is build/lsahost.exe
# (by default a client expects lsahost.exe beside itself).
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE

store="$B/test/stop-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice --password=pencil
pipe='\\.\pipe\sspkg-stop-'$$
log="$B/test/stop.log"
cd "$B/test"
"$top/scripts/wine.sh" "$B/lsahost.exe" --store="$store" serve "--pipe=$pipe" >"$log" 2>&1 &
"$top/scripts/wine.sh" "$B/test/pipe_client.exe" pair "$pipe" alice pencil >"$out" 2>&1
check "a client authenticates" grep -q "all well" "$out"
pid=""
for i in $(seq 1 50); do
    pid=$(pgrep -f "lsahost.exe --store=$store serve" | head -1)
    [ -n "$pid" ] && break
    sleep 0.1
done
kill -INT "$pid"
for i in $(seq 1 100); do
    grep -q "no leaks\|leak:" "$log" 2>/dev/null && break
    sleep 0.1
done
tr -d '\r' <"$log" >"$out"
check "Ctrl+C: lsahost stops after serving its client" has "stopped after 1 client(s)"
check "... shuts the package down with no leaks" has "lsahost: no leaks"

done_testing
