#!/bin/sh
# sspkg_client.dll's SSPI conventions (test/wine/test_client_dll.c) against lsahost
# serve, then lsahost's own verdict on what the client left behind.
top=$(cd "$(dirname "$0")/../.." && pwd)
B="$top/build"
log="$B/test/dll-lsahost.log"
"$top/scripts/wine.sh" "$B/lsahost.exe" --store="$B/test/dll-store.txt" user add alice \
    --password=pencil >/dev/null 2>&1
export SSPKG_PIPE='\\.\pipe\sspkg-dll-'$$
cd "$B"
"$top/scripts/wine.sh" ./lsahost.exe --store="$B/test/dll-store.txt" serve "--pipe=$SSPKG_PIPE" \
    --exit-after=1 >"$log" 2>&1 &
server=$!
# The program's TAP without its plan; the plan comes after lsahost's check.
"$top/scripts/wine.sh" ./test/test_client_dll.exe 2>/dev/null | tr -d '\r' >"$B/test/dll.tap"
wait $server
grep -v '^1\.\.' "$B/test/dll.tap"
n=$(grep -c '^\(not \)\?ok ' "$B/test/dll.tap")
n=$((n + 1))
if grep -q "lsahost: no leaks" "$log"; then
    echo "ok $n - lsahost: the client process left nothing behind, no leaks"
else
    echo "not ok $n - lsahost reported leaks or did not stop"
    sed 's/^/# /' "$log"
fi
echo "1..$n"
