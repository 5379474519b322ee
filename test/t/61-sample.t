#!/bin/sh
# The sample SSPI program (samples/sspi_ping.c) as two processes through the client DLL
# and lsahost serve: a handshake, then sealed and signed messages both ways.
. "$(dirname "$0")/tap.sh"

store="$B/test/sample-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice --password=pencil
export SSPKG_PIPE='\\.\pipe\sspkg-sample-'$$
link="sspi-ping-$$"
log="$B/test/sample-lsahost.log"
cd "$B"
"$top/scripts/wine.sh" ./lsahost.exe --store="$store" serve "--pipe=$SSPKG_PIPE" --exit-after=10 \
    >"$log" 2>&1 &
lsahost_pid=$!

ping sspkg_client.dll "$link" pencil
check "sample client: exit 0" status_is 0
check "client: the package's info through QuerySecurityPackageInfoW" has "package SCRAM-SHA-256, max token 4096"
check "client: the handshake ends with SEC_E_OK" has "client: authenticated, attributes 0x0001081e"
check "client: the server's sealed reply decrypts" has "client got: 'pong from the server'"
check "client: the server's signature verifies" has "VerifySignature: 0x00000000"
check "sample server: exit 0" [ "$server_rc" -eq 0 ]
check "server: QueryContextAttributes(NAMES) names the user (written by the package into the server process)" server_has "server: authenticated alice"
check "server: the client's sealed message decrypts" server_has "server got: 'ping from the client'"
check "server: impersonates the client with the context's token and reverts (alice is unmapped: ANONYMOUS LOGON, emulated as a copy of the client's own token)" \
    sh -c "grep -q 'ImpersonateSecurityContext: 0x00000000' '$server_out' && grep -q 'server: impersonating the client, the thread.s token user is S-1-' '$server_out' && grep -q 'RevertSecurityContext: 0x00000000' '$server_out'"

# A client with the wrong password: both ends fail, nothing is left behind.
ping sspkg_client.dll "$link-2" wrong
check "wrong password: the client fails" status_is 1
check "... with SEC_E_LOGON_DENIED from InitializeSecurityContextW" has "InitializeSecurityContextW: 0x8009030c"
check "... and the server with SEC_E_LOGON_DENIED from AcceptSecurityContext" server_has "AcceptSecurityContext: 0x8009030c"

# Channel binding through the client DLL: the SECBUFFER_CHANNEL_BINDINGS buffer travels
# to lsahost with the token, and the package checks it there.
ping_bound sspkg_client.dll "tls-unique:0123456789ab" "tls-unique:0123456789ab" "$link-cb"
check "one channel, through the client DLL: both ends authenticate" \
    [ "$rc" -eq 0 -a "$server_rc" -eq 0 ]
ping_bound sspkg_client.dll "tls-unique:0123456789ab" "tls-unique:0123456789AB" "$link-cb2"
check "two channels (a relay): SEC_E_BAD_BINDINGS in the client" \
    has "InitializeSecurityContextW: 0x80090346"
check "... and in the server" server_has "AcceptSecurityContext: 0x80090346"
big="tls-unique:$(head -c 1100 /dev/zero | tr '\0' x)"
ping_bound sspkg_client.dll "$big" "tls-unique:0123456789ab" "$link-cb3"
check "bindings larger than lsahost takes (1024 bytes): SEC_E_BAD_BINDINGS from the client DLL" \
    has "InitializeSecurityContextW: 0x80090346"

wait $lsahost_pid
tr -d '\r' <"$log" >"$out"
check "lsahost served the processes and stopped" has "stopped after 10 client(s)"
check "lsahost: no leaks" has "lsahost: no leaks"

done_testing
