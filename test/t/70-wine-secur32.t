#!/bin/sh
# The package under Wine's own secur32: installed into the prefix (scripts/install-wine.sh),
# the sample program with --provider=secur32.dll as two processes (handshake, names,
# sealed and signed messages both ways), a wrong password, then uninstalled.
. "$(dirname "$0")/tap.sh"

store="$B/test/secur32-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice --password=pencil
lsahost --store="$store" user add user \
    '--verifier=SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='
"$top/scripts/install-wine.sh" >"$out" 2>&1
check "install-wine: installed" has "sspkg installed"
export SSPKG_VERIFIER_STORE="Z:$(echo "$store" | tr '/' '\\')"
link="secur32-ping-$$"
cd "$B"

ping secur32.dll "$link" pencil
check "secur32 lists the package with honest info (SECPKG_FLAG_LOGON too: LsaApLogonUserEx2)" has "package SCRAM-SHA-256, max token 4096, capabilities 0x00012093"
check "secur32: the client authenticates (exit 0)" status_is 0
check "secur32: mutual authentication and the protection asked for" has "client: authenticated, attributes 0x0001081e"
check "secur32: the server's sealed reply decrypts in the client" has "client got: 'pong from the server'"
check "secur32: the server's signature verifies" has "VerifySignature: 0x00000000"
check "secur32: the server process succeeds" [ "$server_rc" -eq 0 ]
check "secur32: the server knows the user" server_has "server: authenticated alice"
check "secur32: the client's sealed message decrypts in the server" server_has "server got: 'ping from the client'"
check "secur32: no LSA, so no logon and no token: ImpersonateSecurityContext is SEC_E_UNSUPPORTED_FUNCTION" \
    server_has "ImpersonateSecurityContext: 0x80090302"

ping secur32.dll "$link-2" wrong
check "secur32, wrong password: SEC_E_LOGON_DENIED in the client" has "InitializeSecurityContextW: 0x8009030c"
check "secur32, wrong password: SEC_E_LOGON_DENIED in the server" server_has "AcceptSecurityContext: 0x8009030c"

# The package's own trace, asked for through the environment: secur32 calls SpInitialize
# with no function table, and the lines reach the program's standard error.
SSPKG_TRACE=1 ping secur32.dll "$link-3" pencil
check "secur32, SSPKG_TRACE=1: the client authenticates" status_is 0
check "... the package says it runs without an LSA" \
    has "^sspkg: trace: SpInitialize(.*function table 0000000000000000: none, the package runs without an LSA) = STATUS_SUCCESS"
check "... and traces its entries with their results" \
    sh -c "grep -q '^sspkg: trace: SpInitLsaModeContext(.*) = SEC_E_OK' '$out' && grep -q '^sspkg: trace: SpSealMessage(.*) = SEC_E_OK' '$out'"
check "... and so does the server process" server_has "^sspkg: trace: SpAcceptLsaModeContext(.*) = SEC_E_OK"
check "... never the password" lacks "pencil"

# Channel binding through secur32: sspi_ping passes SECBUFFER_CHANNEL_BINDINGS beside the
# token in every call, as a program gives Schannel's bindings to any package.
ping_bound secur32.dll "tls-unique:0123456789ab" "tls-unique:0123456789ab" "$link-cb"
check "secur32, both ends on one channel (tls-unique): the client authenticates" status_is 0
check "... and so does the server" [ "$server_rc" -eq 0 ]
ping_bound secur32.dll "tls-unique:0123456789ab" "tls-unique:0123456789AB" "$link-cb2"
check "secur32, two channels (a relay): SEC_E_BAD_BINDINGS in the client" \
    has "InitializeSecurityContextW: 0x80090346"
check "... and in the server" server_has "AcceptSecurityContext: 0x80090346"
ping_bound secur32.dll "tls-exporter:0123456789abcdef0123456789abcdef" "tls-unique:0123456789ab" "$link-cb3"
check "secur32, tls-exporter to a tls-unique server: SEC_E_BAD_BINDINGS both ends" \
    sh -c "grep -q 'InitializeSecurityContextW: 0x80090346' '$out' && grep -q 'AcceptSecurityContext: 0x80090346' '$server_out'"

# The same calls made directly on secur32, both ends in one process (test/wine/test_secur32.c).
rc=0
"$top/scripts/wine.sh" ./test/test_secur32.exe 2>/dev/null | tr -d '\r' >"$out" || rc=$?
check "test_secur32: every check passes" sh -c "grep -q '^1\.\.' '$out' && ! grep -q '^not ok' '$out'"
grep '^\(not \)\?ok' "$out" | sed 's/^/# test_secur32: /'

"$top/scripts/install-wine.sh" --uninstall >"$out" 2>&1
check "uninstall-wine: removed" has "sspkg removed"
check "... the DLL is gone from system32" [ ! -e "$B/wineprefix/drive_c/windows/system32/sspkg.dll" ]
check "... and so is the Lsa subkey" sh -c "! '$top/scripts/wine.sh' reg query 'HKLM\\System\\CurrentControlSet\\Control\\Lsa\\sspkg' >/dev/null 2>&1"

done_testing
