#!/bin/sh
# The LSA table's newer entries, called by a package (test/packages/entrypkg.c) with good
# and malformed arguments: AuditAccountLogon, CheckProtectedUserByToken,
# QueryClientRequest, Set/GetAppModeInfo, the failure-reason ledger, and one entry that stays unimplemented and says
# why; then lsahost logon's network shape (MSV1_0_LM20_LOGON) as the package receives it.
. "$(dirname "$0")/tap.sh"

audit="$B/test/entrypkg-audit.txt"
rm -f "$audit"
lsahost --trace "--audit=$(winpath "$audit")" "$B/test/entrypkg.dll"
check "entrypkg runs: exit 0" status_is 0
check "AuditAccountLogon: an audit line with the package's audit id and the mapping" has \
    'lsahost: audit: account logon succeeded: audit id 42, status STATUS_SUCCESS, source "entrypkg", client "alice@EXAMPLE", mapped to "alice"'
check "... STATUS_SUCCESS, as documented" has "entrypkg: AuditAccountLogon: 0x00000000"
check "... --audit=FILE has the same line" grep -q '^account logon succeeded: audit id 42,' "$audit"
check "AuditAccountLogon with an unreadable Source: no crash, said, NULLs as none" has \
    'account logon failed: audit id 7, status STATUS_LOGON_FAILURE, source "(unreadable)", client "(none)", mapped to "(none)"'
check "CheckProtectedUserByToken, lsahost's own token: not protected" has \
    "entrypkg: CheckProtectedUserByToken, lsahost's own token (answer 0): 0x00000000"
check "... a NULL handle: STATUS_INVALID_HANDLE, answer untouched" has \
    "entrypkg: CheckProtectedUserByToken, NULL handle (answer 2): 0xc0000008"
check "... an event handle: STATUS_INVALID_HANDLE" has \
    "entrypkg: CheckProtectedUserByToken, an event handle (answer 2): 0xc0000008"
check "... ProtectedUser in unmapped memory: STATUS_INVALID_PARAMETER" has \
    "entrypkg: CheckProtectedUserByToken, unwritable ProtectedUser (answer 2): 0xc000000d"
check "... ProtectedUser in read-only memory: STATUS_INVALID_PARAMETER" has \
    "entrypkg: CheckProtectedUserByToken, read-only ProtectedUser (answer 2): 0xc000000d"
check "... an emulated token made with group S-1-5-21-1-2-3-525: protected" has \
    "entrypkg: CheckProtectedUserByToken, token with Protected Users (answer 1): 0x00000000"
check "... one made with Domain Users (513): not protected" has \
    "entrypkg: CheckProtectedUserByToken, token with Domain Users (answer 0): 0x00000000"
check "... the trace says what lsahost decided from" has \
    "CheckProtectedUserByToken(.*) = STATUS_SUCCESS, protected, from the groups the package gave CreateToken (emulated token)"
check "QueryClientRequest PRELOGON_SESSION_ID: the client's session, in LSA heap" has \
    "entrypkg: QueryClientRequest PRELOGON_SESSION_ID in SpInitialize (this process's session): 0x00000000"
check "... another query type: STATUS_INVALID_PARAMETER" has \
    "entrypkg: QueryClientRequest, query type 2: 0xc000000d"
check "... an unwritable ReplyBuffer: STATUS_INVALID_PARAMETER" has \
    "entrypkg: QueryClientRequest, unwritable ReplyBuffer: 0xc000000d"
check "... a ClientRequest lsahost never gave: STATUS_INVALID_PARAMETER" has \
    "entrypkg: QueryClientRequest, a ClientRequest lsahost never gave: 0xc000000d"
check "SetAppModeInfo then GetAppModeInfo in one call: what was set" has \
    "entrypkg: GetAppModeInfo: 0x00000000, function 7, arguments 0x11 0x22, user data 4 byte(s) at the package's buffer, ReturnToLsa 1"
check "... SetAppModeInfo with unreadable UserData: STATUS_INVALID_PARAMETER" has \
    "entrypkg: SetAppModeInfo, unreadable UserData: 0xc000000d"
check "... GetAppModeInfo with an unwritable output: STATUS_INVALID_PARAMETER" has \
    "entrypkg: GetAppModeInfo, unwritable Argument1: 0xc000000d"
check "... both outside a call: STATUS_NOT_FOUND" sh -c \
    'grep -q "entrypkg: SetAppModeInfo outside a call: 0xc0000225" "$1" &&
     grep -q "entrypkg: GetAppModeInfo outside a call: 0xc0000225" "$1"' - "$out"
check "... dropped when the call ends, said in the trace" has \
    "app-mode info (UserFunction 7) set during SpInitialize dropped at its end"
check "OpenSamUser: not implemented, and why" has \
    "package called OpenSamUser, which lsahost does not implement (lsahost has no SAM): STATUS_NOT_IMPLEMENTED (during SpInitialize)"
check "SetSecpkgFailureReason, past MinGW's table: its own reason recorded" has \
    "entrypkg: SetSecpkgFailureReason: 0x00000000"
check "... GetSecpkgFailureReason by its id reads it back" has \
    "entrypkg: GetSecpkgFailureReason of itself: 0x00000000, status 0xc000006d, reason 9"
check "... a reason past SECPKG_FAILURE_SPECIAL_REASON: STATUS_INVALID_PARAMETER, said" sh -c \
    'grep -q "entrypkg: SetSecpkgFailureReason, reason 11: 0xc000000d" "$1" &&
     grep -q "SetSecpkgFailureReason refused: Reason 11 is no SECPKG_FAILURE_SPECIAL_REASON" "$1"' - "$out"
check "... an unwritable output: STATUS_INVALID_PARAMETER, no crash" has \
    "entrypkg: GetSecpkgFailureReason, unwritable output: 0xc000000d"
check "the prelogon reply was freed, the tokens closed: no leaks" has "lsahost: no leaks"

# The network shape: the package reports each member of the MSV1_0_LM20_LOGON it got.
cd "$B/test" || exit 1
lsahost --package=entrypkg.dll logon --shape=msv1_0-network --user=alice --domain=EXAMPLE \
    --workstation=WS1 --challenge=0123456789ABCDEF --nt-response=aabbccdd --lm-response=00ff \
    --parameter-control=820
check "network logon: the package refused it (it only reports): exit 6" status_is 6
check "... the challenge given is printed" has "^challenge  *0123456789abcdef"
check "... a network logon, MessageType MsV1_0NetworkLogon (4): 104 + names 30 + responses 6 bytes" has \
    "entrypkg: logon type 3, MessageType 4, 140 byte(s)"
check "... the names, each pointer inside the client's buffer" sh -c \
    'grep -q "entrypkg: domain \"EXAMPLE\"" "$1" && grep -q "entrypkg: user \"alice\"" "$1" &&
     grep -q "entrypkg: workstation \"WS1\"" "$1"' - "$out"
check "... the challenge" has "entrypkg: challenge 0123456789abcdef"
check "... the NT response (CaseSensitiveChallengeResponse)" has "entrypkg: nt response 4 byte(s): aabbccdd"
check "... the LM response (CaseInsensitiveChallengeResponse)" has "entrypkg: lm response 2 byte(s): 00ff"
check "... ParameterControl" has "entrypkg: parameter control 0x820"
check "... QueryClientRequest with the logon's client request" has \
    "entrypkg: QueryClientRequest PRELOGON_SESSION_ID in LsaApLogonUserEx2 (this process's session): 0x00000000"
check "... app-mode info set in SpInitialize is not the logon's" has \
    "entrypkg: app-mode function in the logon: 0"
check "... nothing left behind" has "lsahost: no leaks"

lsahost --package=entrypkg.dll logon --shape=msv1_0-network
check "no options: a random challenge, printed; empty names and responses" sh -c \
    'grep -q "^challenge  *[0-9a-f]\{16\}$" "$1" &&
     grep -q "entrypkg: logon type 3, MessageType 4, 104 byte(s)" "$1" &&
     grep -q "entrypkg: nt response 0 byte(s)$" "$1"' - "$out"
check "... the package got the challenge lsahost printed" sh -c \
    'c=$(sed -n "s/^challenge  *//p" "$1"); grep -q "entrypkg: challenge $c" "$1"' - "$out"

usage_case() {
    lsahost --package=entrypkg.dll logon --shape=msv1_0-network "$@"
}
usage_case --challenge=0123
check "a 2-byte challenge: usage error" sh -c '[ "$1" -eq 1 ] &&
    grep -q "logon: --challenge=0123: 2 byte(s), where the field holds exactly 8" "$2"' - "$rc" "$out"
usage_case --challenge=0123456789abcdeg
check "a challenge with a non-hex digit: usage error, where" sh -c '[ "$1" -eq 1 ] &&
    grep -q "a character that is not a hex digit (at character 16)" "$2"' - "$rc" "$out"
usage_case --nt-response=abc
check "an odd-length response: usage error" sh -c '[ "$1" -eq 1 ] &&
    grep -q "logon: --nt-response=abc: an odd number of hex digits" "$2"' - "$rc" "$out"
usage_case --password=pencil
check "a password with the network shape: usage error" sh -c '[ "$1" -eq 1 ] &&
    grep -q "takes --nt-response/--lm-response, not --password" "$2"' - "$rc" "$out"
usage_case --parameter-control=zz
check "a ParameterControl that is not hex: usage error" sh -c '[ "$1" -eq 1 ] &&
    grep -q "parameter-control=zz: not a 32-bit hex number" "$2"' - "$rc" "$out"
lsahost --package=entrypkg.dll logon --user=a --password=b --challenge=0011223344556677
check "a network option with the interactive shape: usage error" sh -c '[ "$1" -eq 1 ] &&
    grep -q "belong to --shape=msv1_0-network" "$2"' - "$rc" "$out"
check "... and no logon happened" lacks "entrypkg: logon type"

done_testing
