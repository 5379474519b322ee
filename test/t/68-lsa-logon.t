#!/bin/sh
# LsaLogonUser over lsahost serve's pipe: a program linked with sspkg_client.dll
# (test/wine/logon_client.c) logs on with the test authentication package
# (test/packages/authpkg.c) as it would with secur32 on Windows. lsahost reads the submit
# buffer from the client's memory, hands the client the profile and a token (a copy of
# its own: lsahost's token is never given out), and ends the client's logon sessions
# when its connection ends.
. "$(dirname "$0")/tap.sh"
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE
export SSPKG_PIPE='\\.\pipe\sspkg-lsa-logon-'$$
log="$B/test/lsa-logon-lsahost.log"

cd "$B"
AUTHPKG_MODE=ok "$top/scripts/wine.sh" ./lsahost.exe --trace --package=test/authpkg.dll serve \
    "--pipe=$SSPKG_PIPE" --exit-after=1 >"$log" 2>&1 &
server=$!

tap_program "$B/test/lsa-logon.tap" "the logon program" "$top/scripts/wine.sh" ./test/logon_client.exe

wait $server
tr -d '\r' <"$log" >"$out"
check "lsahost traced the logon: type, submit buffer, status" \
    has "LsaLogonUser(Interactive, [0-9]*-byte submit buffer) = STATUS_SUCCESS, sub-status STATUS_SUCCESS; the client's token is a copy of its own, standing for S-1-5-21-1-2-3-1001"
check "... the origin the program named" has 'LsaLogonUser from origin "logon_client"'
check "... the package read the submit buffer from the client's memory (CopyFromClientBuffer)" \
    has "CopyFromClientBuffer(.*) = STATUS_SUCCESS"
check "... a wrong password traced with its sub-status" \
    has "= STATUS_LOGON_FAILURE, sub-status STATUS_WRONG_PASSWORD"
check "ImpersonateClient for a pipe client: the thread takes the pipe client's token" \
    has "ImpersonateClient() = STATUS_SUCCESS, the pipe client's token"
# The client opens the pipe asking for SECURITY_IDENTIFICATION, so on Windows the
# package's thread gets an identification-level token (1); Wine ignores the requested
# level and gives an impersonation-level one (2). Either way, never more.
check "... at identification level (Windows) or impersonation level (Wine), not delegation" \
    has "authpkg: ImpersonateClient: 0x00000000, level [12]\$"
check "the connection's 16 logon sessions ended with it" has "ended 16 logon session(s)"
check "... the package heard of each (LsaApLogonTerminated), 16 times" \
    [ "$(grep -c 'authpkg: LsaApLogonTerminated(' "$out")" -eq 16 ]
check "lsahost: nothing left behind, no leaks" has "lsahost: no leaks"

# With a second package served (authpkg2), a client's logon hands it the credentials the
# logon returned (SpAcceptCredentials, with the supplemental entry named for it), and it
# hears of the session's end, as under lsass.
AUTHPKG_MODE=ok "$top/scripts/wine.sh" ./lsahost.exe --package=test/authpkg.dll \
    --package=test/authpkg2.dll serve "--pipe=$SSPKG_PIPE" --exit-after=1 >"$log" 2>&1 &
server=$!
rc=0
"$top/scripts/wine.sh" ./test/logon_client.exe once >"$out.raw" 2>&1 || rc=$?
wait $server
tr -d '\r' <"$log" >"$out"
check "a client's logon with two packages served: exit 0" status_is 0
check "... the other package is handed the logon's credentials and its supplemental entry" \
    has 'authpkg2: SpAcceptCredentials(type 2, account alice, .*, user alice, password 12 bytes, flags 0x1, supplemental authpkg2 "sup!")'
check "... and hears of the session's end, with the connection" has "authpkg2: LsaApLogonTerminated("
check "... nothing left behind" has "lsahost: no leaks"
done_testing
