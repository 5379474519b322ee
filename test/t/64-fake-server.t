#!/bin/sh
# The client end of lsahost's pipe against servers it must not trust (issue 9):
# (i) a squatter that holds the pipe's name before lsahost starts and would read the
# caller's identity (user and password) out of the client; the client must not send it
# anything. (ii) "the real lsahost, misbehaving": build/test/fake_lsa.exe, which the
# client is told to trust (SSPKG_LSAHOST_IMAGE names its image, as the configuration
# names the real lsahost's), answers one call with a value that breaks a rule; the
# client must refuse that answer with the stated status, say why, and not crash.
. "$(dirname "$0")/tap.sh"

export SSPKG_CLIENT_DEBUG=1
fake_log="$B/test/fake-lsa.log"
pipe_base='\\.\pipe\sspkg-fake-'$$
# fake ARGS...: fake_lsa.exe in the background, its output in $fake_log; returns once
# it holds the pipe.
fake() {
    rm -f "$fake_log"
    "$top/scripts/wine.sh" "$B/test/fake_lsa.exe" "$@" >"$fake_log" 2>&1 &
    fake_pid=$!
    for i in $(seq 1 100); do
        grep -q "holding the pipe" "$fake_log" 2>/dev/null && return 0
        sleep 0.1
    done
}
# finish_fake: the fake ends once its clients have hung up; one still waiting for a
# client that never came (a client that could not start) is stopped, so that the test
# ends either way.
finish_fake() {
    for i in $(seq 1 300); do
        grep -q "fake_lsa: done" "$fake_log" 2>/dev/null && break
        sleep 0.1
    done
    kill $fake_pid 2>/dev/null
    wait $fake_pid 2>/dev/null
}
fake_has() { tr -d '\r' <"$fake_log" | grep -q -- "$1"; }
fake_lacks() { ! fake_has "$1"; }

# ---- (i) a squatter --------------------------------------------------------------------

export SSPKG_PIPE="${pipe_base}squat"
fake squat "$SSPKG_PIPE" 4
cd "$B"
# The sample program, both ends (each loads sspkg_client.dll and connects).
ping sspkg_client.dll "sspi-fake-$$" pencil
check "sample client against a squatter: it fails" status_is 1
check "... QuerySecurityPackageInfoW: SEC_E_NO_AUTHENTICATING_AUTHORITY" has "QuerySecurityPackageInfoW: 0x80090311"
check "... and the client says whom it found and whom it expected" has "is not lsahost: process [0-9]* runs as .*, image .*fake_lsa.exe; expected .*lsahost.exe"
check "sample server against a squatter: it fails with SEC_E_NO_AUTHENTICATING_AUTHORITY" server_has "AcquireCredentialsHandleW: 0x80090311"
cd "$B/test"
rc=0
"$top/scripts/wine.sh" "$B/test/pipe_client.exe" probe "$SSPKG_PIPE" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "pipe client against a squatter: connect refused" has "connect failed: 0x80090311"
lsahost monitor "--pipe=$SSPKG_PIPE"
check "lsahost monitor against a squatter: cannot reach lsahost (exit 2)" status_is 2
finish_fake
check "the squatter saw four clients connect" [ "$(tr -d '\r' <"$fake_log" | grep -c "connected, process")" -eq 4 ]
check "... and each hang up without sending a byte" [ "$(tr -d '\r' <"$fake_log" | grep -c "hung up after sending 0 message(s)")" -eq 4 ]
check "... so it got no HELLO" fake_lacks "received message"
check "... and no identity, no password" fake_lacks "identity"

# ---- (ii) lsahost, misbehaving ----------------------------------------------------------

# The fake's image, for the client's image check.
SSPKG_LSAHOST_IMAGE=$(winpath "$B/test/fake_lsa.exe")
export SSPKG_LSAHOST_IMAGE
# A server that never answers must not hold the client for the default minute.
export SSPKG_REPLY_TIMEOUT_MS=2000
# probe CASE: the probe client against `fake_lsa bad CASE`; its output in $out, its exit
# status in $rc.
probe() {
    pipe="$pipe_base$1"
    fake bad "$1" "$pipe"
    rc=0
    "$top/scripts/wine.sh" "$B/test/pipe_client.exe" probe "$pipe" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    finish_fake
}
# misbehave CASE EXPECTED WHAT REASON: the probe must end with EXPECTED, exit 1 (not
# crash), and say REASON.
misbehave() {
    probe "$1"
    check "$1: $3: $2, no crash (exit 1)" sh -c "grep -q -- '$2' '$out' && [ $rc -eq 1 ]"
    check "... and the client says: $4" has "sspkg client: $4"
}
internal=0x80090304
probe none
check "control: a server that keeps every rule passes every check (exit 0)" status_is 0
check "... down to the CallPackage return buffer" has "call package: 0x00000000, 72 bytes"
check "... and two logons, each with a token of its own" has "logon 2: 0x00000000\$"
broke="lsahost broke the protocol:"
misbehave odd-name "connect failed: $internal" "a package name of an odd length" \
    "$broke the package's name or comment is not a UTF-16 string"
misbehave nul-name "connect failed: $internal" "a package name with a NUL in it" \
    "$broke the package's name or comment is not a UTF-16 string"
misbehave max-token "connect failed: $internal" "cbMaxToken of 2 GiB" \
    "$broke cbMaxToken 2147483648, not 1 to 65536"
misbehave section-size "connect failed: $internal" "a section larger than its mapping" \
    "$broke a section of 1048576 bytes, whose mapping has 65536"
misbehave section-handle "connect failed: $internal" "a section handle that is none" \
    "$broke the section handle fffffc does not map in this process"
misbehave bad-status "acquire: $internal" "an unknown success code" \
    "$broke status 0x00090399, a success ACQUIRE does not return"
misbehave cred-zero "acquire: $internal" "SEC_E_OK with credential 0" \
    "$broke ACQUIRE succeeded without a credential handle"
misbehave wrong-call "acquire: $internal" "an answer to another call" \
    "$broke the answer to call 1 came for call 8"
misbehave wrong-type "acquire: $internal" "an answer of another type" \
    "$broke a message of type 0x8004 in answer to ACQUIRE"
misbehave oversized "acquire: $internal" "an answer larger than any message" \
    "$broke an answer to ACQUIRE larger than"
misbehave silent "acquire: 0x80090311" "no answer: SEC_E_NO_AUTHENTICATING_AUTHORITY" \
    "lsahost did not answer ACQUIRE within 2000 ms"
misbehave context-zero "init: $internal" "SEC_I_CONTINUE_NEEDED with context 0" \
    "$broke status 0x00090312 with context handle 0"
misbehave token-long "init: $internal" "a token longer than cbMaxToken" \
    "$broke a token of 5000 bytes, more than the package's cbMaxToken (4096)"
# Not a violation: the caller's buffer is the caller's business.
probe token-room
check "token-room: a token longer than the caller's buffer: SEC_E_BUFFER_TOO_SMALL, nothing copied" \
    has "init: 0x80090321, 0-byte token, the bytes after the buffer untouched"
misbehave packed-size "init: $internal" "a packed context larger than its SHAllocShared block" \
    "$broke a packed context of 100000 bytes in a mapped view of"
misbehave packed-handle "init: $internal" "a packed-context handle that is none" \
    "$broke the packed context's handle fffffc does not map in this process"
misbehave packed-section "init: $internal" "the packed-context handle is the package's section" \
    "$broke the packed context's handle [0-9a-f]* is the package's section"
misbehave query-pointer "query: $internal" "QUERY(NAMES) with a name at unmapped memory" \
    "$broke the answer to QUERY(1) points at memory of this process that is not a client buffer"
misbehave callpkg-unmapped "call package: $internal, 0 bytes" "a CallPackage buffer at unmapped memory" \
    "$broke a 72-byte return buffer at fedcba00000, which is not a client buffer"
misbehave callpkg-length "call package: $internal, 0 bytes" "a CallPackage buffer shorter than its length" \
    "$broke a 1048576-byte return buffer at [0-9a-f]*, which is not a client buffer"
# LsaLogonUser (the DLL's LSA API, where answers are remembered for LsaFreeReturnBuffer):
# a profile the program still holds, handed out again as a new logon's.
pipe="${pipe_base}logon-old-profile"
fake bad logon-old-profile "$pipe"
rc=0
(cd "$B" && SSPKG_PIPE="$pipe" "$top/scripts/wine.sh" ./test/logon_client.exe twice) >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
finish_fake
check "logon-old-profile: the second logon's profile is the first's (still held): refused, no crash (exit 1)" \
    sh -c "grep -q 'logon 1: 0x00000000' '$out' && grep -q 'logon 2: 0xc00000e5' '$out' && [ $rc -eq 1 ]"
check "... and the client says: a profile this process holds already" \
    has "sspkg client: $broke the answer to LOGON names profile buffer [0-9a-f]*, which this process holds already"
misbehave logon-old-token "logon 2: $internal" "a LOGON token the program already held (its first logon's)" \
    "$broke the answer to LOGON names token [0-9a-f]*, which this process held before it asked"

# The client DLL (through the sample program, both ends) checks what only it knows: a
# context handle from lsahost must not be of the kind it gives imported contexts.
export SSPKG_PIPE="${pipe_base}imported"
fake bad imported-context "$SSPKG_PIPE" 2
cd "$B"
ping sspkg_client.dll "sspi-fake-$$-2" pencil
finish_fake
check "imported-context: InitializeSecurityContextW fails with SEC_E_INTERNAL_ERROR" \
    has "InitializeSecurityContextW: $internal"
check "... and the client says: $broke context handle 300000000000001 is of the kind this provider gives imported contexts" \
    has "$broke context handle 300000000000001 is of the kind this provider gives imported contexts"

# ---- Where the client learns whom to trust ---------------------------------------------

# with VARIABLE=VALUE CASE: probe CASE with one more setting (or, with VALUE "-", one
# fewer) in the environment; the output is in $out.
with() {
    (
        if [ "${1#*=}" = "-" ]; then unset "${1%%=*}"; else export "$1"; fi
        probe "$2"
    )
}
# The account: under Wine every process is the same user, so only a setting naming
# another account can make this check refuse.
with SSPKG_LSAHOST_ACCOUNT=S-1-5-18 none
check "SSPKG_LSAHOST_ACCOUNT=S-1-5-18: the fake runs as the user, refused" has "connect failed: 0x80090311"
check "... and the client names the account it expected" has "is not lsahost: .*expected S-1-5-18, image"
with SSPKG_LSAHOST_ACCOUNT=nobody none
check "SSPKG_LSAHOST_ACCOUNT that is not a SID: refused, and said" has "expected nobody (not a SID)"
# The registry, when the environment says nothing.
key='HKLM\SYSTEM\CurrentControlSet\Control\Lsa\SCRAM-SHA-256'
reg() { "$top/scripts/wine.sh" reg "$@" >/dev/null 2>&1; }
reg add "$key" /v LsahostImage /t REG_SZ /d "$SSPKG_LSAHOST_IMAGE" /f
with SSPKG_LSAHOST_IMAGE=- none
check "LsahostImage in the registry names the fake: trusted" has "call package: 0x00000000, 72 bytes"
reg add "$key" /v LsahostAccount /t REG_SZ /d S-1-5-18 /f
probe none
check "LsahostAccount S-1-5-18 in the registry: refused" has "expected S-1-5-18, image"
reg delete "$key" /v LsahostAccount /f
reg delete "$key" /v LsahostImage /f

done_testing
