#!/bin/sh
# An authentication package loaded by lsahost (test/packages/authpkg.c): a logon
# session, a token, a credential, a notification and an audit line, each answered as the
# LSA answers; a token never closed is a leak; malformed token information is refused.
. "$(dirname "$0")/tap.sh"

audit="$B/test/authpkg-audit.txt"
rm -f "$audit"
AUTHPKG_MODE=ok lsahost --trace "--audit=$(winpath "$audit")" "$B/test/authpkg.dll"
check "authpkg runs and cleans up: exit 0" status_is 0
check "CreateLogonSession succeeds" has "authpkg: CreateLogonSession: 0x00000000"
check "CreateTokenEx gives a token" has "authpkg: CreateTokenEx: 0x00000000"
check "the trace says the token is emulated, and for whom" has \
    "CreateTokenEx(.*LsaTokenInformationV2, user S-1-5-21-1-2-3-1001.* = STATUS_SUCCESS, token .*(emulated: lsahost's own token, standing for S-1-5-21-1-2-3-1001)"
check "AddCredential succeeds" has "authpkg: AddCredential: 0x00000000"
check "GetCredentials gives the credential back" has "authpkg: credential is \"alice's secret\""
check "the notification ran on another thread" has "authpkg: notification ran on another thread"
check "CancelNotification in SpShutdown succeeds" has "authpkg: CancelNotification: 0x00000000"
check "the audit line is printed" has "lsahost: audit: logon succeeded: .*account \"alice\".*user S-1-5-21-1-2-3-1001, type Interactive, source \"authpkg\""
check "--audit=FILE has the same line" grep -q '^logon succeeded: .*account "alice"' "$audit"
check "DeleteLogonSession succeeds" has "authpkg: DeleteLogonSession: 0x00000000"
check "no leaks" has "lsahost: no leaks"

AUTHPKG_MODE=leak-token lsahost "$B/test/authpkg.dll"
check "a token never closed: exit 4" status_is 4
check "... counted" has "leak: 1 token handles not closed of 1 acquired"
check "... and named with what it stands for" has \
    "leak: token .* never closed (emulated: lsahost's own token, standing for S-1-5-21-1-2-3-1001)"

AUTHPKG_MODE=malformed lsahost "$B/test/authpkg.dll"
check "malformed token information: no crash, exit 0" status_is 0
check "2^31-1 groups: STATUS_INVALID_PARAMETER, said why" has \
    "CreateTokenEx refused: Groups: GroupCount 2147483647 is more than a token holds (1024): STATUS_INVALID_PARAMETER"
check "... and the package got that status" has "authpkg: CreateTokenEx with 2^31-1 groups: 0xc000000d"
check "an unreadable user SID: STATUS_ACCESS_VIOLATION, said why" has \
    "CreateTokenEx refused: User: the SID at 0000000000000010 is not readable: STATUS_ACCESS_VIOLATION"

done_testing
