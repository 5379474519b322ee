#!/bin/sh
# LsaLogonUser with the package (LsaApLogonUserEx2), driven by `lsahost logon`: the right
# password gives a logon session, a token (mapped account, or ANONYMOUS LOGON), a profile
# and the password as the session's credential; a wrong password and an unknown user
# fail with the same output; malformed submit buffers and an unreadable store are
# refused with their own statuses; nothing leaks.
. "$(dirname "$0")/tap.sh"

store="$B/test/logon-store.txt"
rm -f "$store" "$store".*
S="--store=$store"
lsahost "$S" user add alice --password=pencil --account=Administrators
lsahost "$S" user add bob --password=pw

lsahost "$S" logon --user=alice --password=pencil
check "alice, right password: exit 0" status_is 0
check "... LsaApLogonUserEx2 succeeds" has "^LsaApLogonUserEx2      STATUS_SUCCESS"
check "... a token for Administrators with Everyone, Authenticated Users, INTERACTIVE and the logon SID" \
    has "user S-1-5-32-544, 4 group(s), 0 privilege(s), primary group S-1-5-32-544"
check "... the account name and the authority come back" sh -c "grep -q '^account  *alice\$' '$out' && ! grep -q '^authority  *(none)' '$out'"
check "... a 74-byte profile: SSPKG_PROFILE_TYPE, mapped" has "^profile buffer         74 byte(s): 01 00 00 00 01 00 00 00 "
check "... the password kept as the session's credential (alice, a NUL, pencil: 16 bytes protected)" \
    has 'key "SCRAM-SHA-256 password", 16 byte(s)'
check "... LsaApLogonTerminated, and no leaks" sh -c "grep -q '^LsaApLogonTerminated   called' '$out' && grep -q 'lsahost: no leaks' '$out'"

lsahost "$S" logon --type=network --user=alice --password=pencil
check "a network logon: NETWORK instead of INTERACTIVE, still 4 groups" \
    sh -c "[ $rc -eq 0 ] && grep -q 'user S-1-5-32-544, 4 group(s)' '$out'"

lsahost "$S" logon --user=bob --password=pw
check "bob (unmapped): ANONYMOUS LOGON with INTERACTIVE and the logon SID only" \
    has "user S-1-5-7, 2 group(s)"
check "... its profile says unmapped" has "^profile buffer         [0-9]* byte(s): 01 00 00 00 00 00 00 00 "

lsahost "$S" logon --user=alice --password=wrong
check "a wrong password: exit 6" status_is 6
check "... STATUS_LOGON_FAILURE, sub-status STATUS_LOGON_FAILURE" \
    sh -c "grep -q '^LsaApLogonUserEx2      STATUS_LOGON_FAILURE' '$out' && grep -q '^sub-status             STATUS_LOGON_FAILURE' '$out'"
cp "$out" "$B/test/logon-wrong.out"
lsahost "$S" logon --user=nobody --password=wrong
check "an unknown user: exit 6" status_is 6
check "... the very same output as a wrong password" cmp -s "$out" "$B/test/logon-wrong.out"

SSPKG_UNMAPPED_USERS=refuse lsahost "$S" logon --user=bob --password=pw
check "UnmappedUsers=refuse: bob's right password is refused (STATUS_ACCOUNT_RESTRICTION)" \
    sh -c "[ $rc -eq 6 ] && grep -q 'sub-status             STATUS_ACCOUNT_RESTRICTION' '$out'"

printf '\003\000\000\000' >"$B/test/logon-submit.bin"
lsahost "$S" logon --submit-file="$(winpath "$B/test/logon-submit.bin")"
check "a 4-byte submit buffer: STATUS_INVALID_PARAMETER" has "^LsaApLogonUserEx2      STATUS_INVALID_PARAMETER"
# An SSPKG_INTERACTIVE_LOGON whose strings point at address 0x10, outside the buffer.
printf '\002\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\012\000\012\000\000\000\000\000\020\000\000\000\000\000\000\000\012\000\012\000\000\000\000\000\020\000\000\000\000\000\000\000' \
    >"$B/test/logon-submit.bin"
lsahost "$S" logon --submit-file="$(winpath "$B/test/logon-submit.bin")"
check "strings outside the submit buffer: STATUS_INVALID_PARAMETER, no crash" \
    sh -c "[ $rc -eq 6 ] && grep -q '^LsaApLogonUserEx2      STATUS_INVALID_PARAMETER' '$out' && grep -q 'lsahost: no leaks' '$out'"

printf 'eve\tnot-a-verifier\n' >>"$store"
lsahost "$S" logon --user=alice --password=pencil
check "an unreadable store: refused with the store's status, not as a wrong password" \
    sh -c "[ $rc -eq 6 ] && grep -q '^LsaApLogonUserEx2      STATUS_FILE_CORRUPT_ERROR' '$out'"
done_testing
