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

# lsahost logon: LsaApLogonUserEx2 driven as lsass drives it.
cd "$B/test" || exit 1
lsahost --package=authpkg.dll logon --user=alice --password=pencil
check "logon: exit 0" status_is 0
check "logon: the status" has "LsaApLogonUserEx2 *STATUS_SUCCESS"
check "logon: the account name the package returned" has "account *alice"
check "logon: the profile, read from client memory" has "profile buffer *16 byte(s): 61 75 74 68"
check "logon: the token information" has "user S-1-5-21-1-2-3-1001, 0 group(s)"
check "logon: the token lsass would make, said to be emulated" has \
    "token .*(emulated: lsahost's own token, standing for S-1-5-21-1-2-3-1001)"
check "logon: the credential the package added, key only" has 'key "alice", 14 byte(s)'
check "logon: LsaApLogonTerminated when the session ends" has "authpkg: LsaApLogonTerminated("
check "logon: everything freed as lsass frees it" has "lsahost: no leaks"
check "logon: ImpersonateClient in-process gives the caller's own token to impersonate" \
    has "authpkg: ImpersonateClient: 0x00000000, level 2"
check "... the package reverted, so lsahost had nothing to revert" lacks "still impersonating"

check "logon: alone, its credentials are handed to no other package" \
    has "credentials handed *none (no other package has SpAcceptCredentials)"

# A logon's credentials go to the other packages (SpAcceptCredentials), each with the
# supplemental entry named for it; every package hears of the session's end.
lsahost --package=authpkg.dll --package=authpkg2.dll logon --user=alice --password=pencil
logon_id=$(sed -n 's/^logon id *//p' "$out")
check "two packages: the other one gets the primary credentials and its own supplemental entry" \
    has "authpkg2: SpAcceptCredentials(type 2, account alice, logon $logon_id, user alice, password 12 bytes, flags 0x1, supplemental authpkg2 \"sup!\")"
check "... the package that logged on is not handed its own" lacks "^authpkg: SpAcceptCredentials"
check "... the report says whom they reached" \
    has "credentials handed *authpkg2 (id 1, with its supplemental entry) STATUS_SUCCESS"
check "... both hear of the session's end" sh -c "grep -q '^authpkg: LsaApLogonTerminated($logon_id)' '$out' &&
    grep -q '^authpkg2: LsaApLogonTerminated($logon_id)' '$out' &&
    grep -q '^LsaApLogonTerminated *called in 2 package(s)' '$out'"
check "... and the LSA freed the credentials and the array" has "lsahost: no leaks"

# Single sign-on as lsass makes it: sspkg learns the password of a logon another package
# made, keeps it as its credential of the session, and drops it when the session ends.
lsahost --trace --package=authpkg.dll --package=sspkg.dll logon --user=alice --password=pencil
check "sspkg gets another package's logon: its SpAcceptCredentials succeeds" \
    has "credentials handed *SCRAM-SHA-256 (id 1) STATUS_SUCCESS"
check "... and it keeps the password as its credential of the session" \
    has 'SCRAM-SHA-256 (id 1): key "SCRAM-SHA-256 password", 16 byte(s)'
check "... which goes with the session" sh -c "grep -q 'sspkg: trace: LsaApLogonTerminated' '$out' &&
    grep -q 'lsahost: no leaks' '$out'"

# What the logon returns is hostile: credentials for another session, or a supplemental
# array counting past its block, reach no package, and the logon stands.
AUTHPKG_MODE=bad-credentials lsahost --package=authpkg.dll --package=authpkg2.dll logon --user=alice --password=pencil
check "primary credentials naming another session: the logon stands (exit 0)" status_is 0
check "... handed to no package, saying why" \
    has "credentials handed *none: PrimaryCredentials.LogonId .* is not the new session's"
check "... authpkg2 never sees them" lacks "authpkg2: SpAcceptCredentials"
check "... nothing leaks" has "lsahost: no leaks"
AUTHPKG_MODE=bad-supplemental lsahost --package=authpkg.dll --package=authpkg2.dll logon --user=alice --password=pencil
check "a supplemental array counting 1000 entries in a block of one: handed to no package" \
    has "credentials handed *none: SupplementalCredentials counts 1000 entries; its 64-byte block holds 1"
check "... authpkg2 never sees it, nothing leaks" sh -c "! grep -q 'authpkg2: SpAcceptCredentials' '$out' &&
    grep -q 'lsahost: no leaks' '$out'"

AUTHPKG_MODE=stay-impersonating lsahost --package=authpkg.dll logon --user=alice --password=pencil
check "a package that never reverts after ImpersonateClient: the logon still completes" status_is 0
check "... lsahost reverts its thread for it, and says which call left it impersonating" \
    has "LsaApLogonUserEx2 returned with the thread still impersonating its client (no RevertToSelf after ImpersonateClient): lsahost reverted it"

lsahost --package=authpkg.dll logon --user=alice --password=wrong
check "a wrong password: exit 6" status_is 6
check "... STATUS_LOGON_FAILURE, sub-status STATUS_WRONG_PASSWORD" sh -c \
    "grep -q 'LsaApLogonUserEx2 *STATUS_LOGON_FAILURE' '$out' && grep -q 'sub-status *STATUS_WRONG_PASSWORD' '$out'"

printf 'abc' >short-submit.bin
lsahost --package=authpkg.dll logon --submit-file=short-submit.bin
check "a submit buffer shorter than its structure: refused, exit 6" status_is 6
check "... with the package's status, no crash" has "LsaApLogonUserEx2 *STATUS_INVALID_PARAMETER"

# Version 10: SpLogonUserEx3, between SpPreLogonUserSurrogate and SpPostLogonUserSurrogate.
lsahost --package=verpkg-v10-ex3.dll logon --user=alice --password=pencil
check "a version-10 package: SpLogonUserEx3 is the entry called, exit 0" sh -c \
    "[ $rc -eq 0 ] && grep -q '^SpLogonUserEx3 *STATUS_SUCCESS' '$out'"
check "... given a surrogate logon of version 1 with no entries" \
    has "verpkg: SpLogonUserEx3: surrogate version 1, 0 entries"
check "... SpPreLogonUserSurrogate before it, SpPostLogonUserSurrogate after, with its status" sh -c \
    "grep -n 'verpkg: Sp' '$out' | tr '\n' ' ' | grep -q 'SpPreLogonUserSurrogate.*SpLogonUserEx3.*SpPostLogonUserSurrogate: the logon.s status 0x00000000'"
check "... no token information: none made, and said so" has "token information *none"
VERPKG_REFUSE_SURROGATE=1 lsahost --package=verpkg-v10-ex3.dll logon --user=alice --password=pencil
check "SpPreLogonUserSurrogate refusing: the logon is refused with its status, exit 6" sh -c \
    "[ $rc -eq 6 ] && grep -q '^SpLogonUserEx3 *STATUS_ACCESS_DENIED' '$out'"
check "... and SpLogonUserEx3 is never called" lacks "verpkg: SpLogonUserEx3"

lsahost --package=testpkg.dll logon --user=alice --password=pencil
check "a package with no LsaApLogonUser: exit 6, said so" sh -c \
    "[ $rc -eq 6 ] && grep -q 'has no LsaApLogonUser' '$out'"

done_testing
