#!/bin/sh
# lsahost serve: client processes over the named pipe. A handshake between two contexts
# of a client process with the user-mode half in that process (packed context through
# SHAllocShared); a client that dies mid-handshake; rogue clients; and at the end, after
# every client has gone, no leaks.
. "$(dirname "$0")/tap.sh"
# The clients run from build/test; the lsahost they must find serving is build/lsahost.exe
# (by default a client expects lsahost.exe beside itself).
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE

store="$B/test/server-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice --password=pencil
pipe='\\.\pipe\sspkg-test-'$$
log="$B/test/server.log"
client() { "$top/scripts/wine.sh" "$B/test/pipe_client.exe" "$@" >"$out.raw" 2>&1; rc=$?; tr -d '\r' <"$out.raw" >"$out"; }
# pairs COUNT NAME: COUNT client processes at once, five handshakes each; sets
# $failed_clients.
pairs() {
    pids=""
    for i in $(seq 1 "$1"); do
        "$top/scripts/wine.sh" "$B/test/pipe_client.exe" pair "$pipe" alice pencil 5 \
            >"$B/test/$2-$i.log" 2>&1 &
        pids="$pids $!"
    done
    failed_clients=0
    for p in $pids; do wait $p || failed_clients=$((failed_clients + 1)); done
}

(cd "$B/test" && "$top/scripts/wine.sh" "$B/lsahost.exe" --store="$store" serve "--pipe=$pipe" \
    --exit-after=32 >"$log" 2>&1; echo "exit $?" >>"$log") &
server=$!

cd "$B/test"
client pair "$pipe" alice pencil
check "a client process authenticates through lsahost (exit 0)" status_is 0
check "... both contexts mapped into the client's user-mode half" has "2 context(s) mapped"
check "... and a message sealed by one context opens in the other" has "sealed through the user-mode half: 0x00000000 'through lsahost'"
client die "$pipe" alice pencil
check "a client dies with a credential and a context open (exit 3)" status_is 3
for kind in garbage huge early liar; do
    client rogue "$pipe" $kind
    check "rogue client ($kind): dropped" has "rogue $kind: dropped"
done
client rogue "$pipe" forged
check "handles the client never got: SEC_E_INVALID_HANDLE, and it stays connected" status_is 0
client rogue "$pipe" bigbinding
check "channel bindings larger than 1024 bytes: the client is dropped" has "rogue bigbinding: step 0x[0-9a-f]*, then dropped"

# Sixteen client processes at once, each doing five handshakes and sealed messages.
rm -f "$B"/test/many-*.log
pairs 16 many
check "16 concurrent client processes x 5 handshakes: all succeed ($failed_clients failed)" [ $failed_clients -eq 0 ]
check "... 80 handshakes and 80 sealed messages in all" \
    [ "$(cat "$B"/test/many-*.log | tr -d '\r' | grep -c "sealed through the user-mode half: 0x00000000")" -eq 80 ]
# CallPackage over the pipe: anyone may read the status; only a trusted caller (a token
# with SeTcbPrivilege, which Wine's is not) may manage users.
client callpkg "$pipe"
check "CallPackage(GET_STATUS) from an untrusted client: the package's counters (both sides of 81 handshakes)" has "GET_STATUS: 0x00000000/0x00000000, 72 bytes, magic ok, 162 handshakes succeeded"
check "CallPackage(SET_USER) from an untrusted client: STATUS_ACCESS_DENIED" has "SET_USER: 0x00000000/0xc0000022"

# The monitor, from another process, before any harm: the status block and events.
rc=0
"$top/scripts/wine.sh" "$B/lsahost.exe" monitor "--pipe=$pipe" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "monitor: exit 0 on a healthy section" status_is 0
check "monitor: sees the counts of the 81 successful handshakes (both sides)" has "handshakes succeeded 162,"
check "monitor: sees the event ring" has "events ("
check "monitor: the events name nobody (user names are not published by default)" \
    sh -c "grep -q 'user names not published' '$out' && grep -q ' server: SEC_E_OK$' '$out' && ! grep -q alice '$out'"

# A hostile client scribbles over the whole section while four others authenticate.
"$top/scripts/wine.sh" "$B/test/pipe_client.exe" scribble "$pipe" 3000 >"$B/test/scribble.log" 2>&1 &
scribbler=$!
sleep 1
pairs 4 hostile
check "while the section is scribbled over: 4 x 5 handshakes all succeed ($failed_clients failed)" [ $failed_clients -eq 0 ]
rc=0
"$top/scripts/wine.sh" "$B/lsahost.exe" monitor "--pipe=$pipe" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "monitor: reports the scribbled section as damaged (exit 6), without crashing" status_is 6
check "... and says so" has "status block: damaged"
wait $scribbler
check "the scribbler did write" grep -q "scribbled over [1-9][0-9]* committed bytes" "$B/test/scribble.log"

wait $server
tr -d '\r' <"$log" >"$out"
check "server: the well-behaved client left nothing behind" has "client 1 (process [0-9]*) gone: deleted 0 context(s), freed 0 credential(s)"
check "server: the dead client's context and credential were cleaned up" has "client 2 (process [0-9]*) gone: deleted 1 context(s), freed 1 credential(s)"
check "server: garbage dropped with its reason" has "dropped: malformed message (bad message header)"
check "server: an oversized message dropped with its reason" has "dropped: a message larger than"
check "server: a request before HELLO dropped" has "dropped: request 6 before HELLO"
check "server: a HELLO naming another process dropped" has "dropped: HELLO names process"
check "server: served all 32 clients and stopped" has "stopped after 32 client(s)"
check "server: no leaks after all of that" has "lsahost: no leaks"
check "server: exit 0" has "^exit 0$"

done_testing
