#!/bin/sh
# lsahost and the interface versions 1 to 11: the table of each size, arrays of tables laid
# out as the declared version, the SDK's full structure or MinGW-w64's, what is only a
# finding and what is refused; Wine's own packages (build/wineprefix).
. "$(dirname "$0")/tap.sh"

for v in 1 2 3 4 5 6 7 8 9 10 11; do
    lsahost --trace "$B/test/verpkg-v$v.dll"
    check "version $v loads and runs: exit 0" status_is 0
    check "version $v: its table size" has "version .* ($v), 1 table(s) of $(echo 0 27 28 29 30 34 35 36 38 39 42 43 | cut -d' ' -f$((v + 1))) entries"
    check "version $v: no finding" lacks "finding:"
done

lsahost --trace "$B/test/verpkg-v8-own2.dll"
check "version 8, two tables 38 entries apart: exit 0" status_is 0
check "... both tables start" sh -c "grep -q 'Name          verpkg-0' '$out' && grep -q 'Name          verpkg-1' '$out'"
check "... no finding" lacks "finding:"

# A package built with the current SDK declares version 8 but its structure has 43
# entries: lsass, stepping 38 entries, would read table 1 from inside table 0.
lsahost --trace "$B/test/verpkg-v8-sdk2.dll"
check "version 8 in the SDK's 43-entry layout: exit 0" status_is 0
check "... read 43 entries apart" has "2 table(s) of 43 entries"
check "... a finding names both layouts" has "finding: the package declares SECPKG_INTERFACE_VERSION_8, whose table has 38 entries, but its 2 tables read as valid only 43 entries apart, the layout of the current Windows SDK's full SECPKG_FUNCTION_TABLE"
check "... and says how to be unambiguous" has "declare the version whose table your structure holds"
check "... both tables start" sh -c "grep -q 'Name          verpkg-0' '$out' && grep -q 'Name          verpkg-1' '$out'"

# MinGW-w64's structure stops at version 3: 29 entries, whatever the package declares.
lsahost --trace "$B/test/verpkg-v8-mingw2.dll"
check "version 8 in MinGW-w64's 29-entry layout: exit 0" status_is 0
check "... read 29 entries apart" has "2 table(s) of 29 entries"
check "... a finding names MinGW-w64's layout" has "finding: .*only 29 entries apart, the layout of MinGW-w64's SECPKG_FUNCTION_TABLE"
check "... both tables start" sh -c "grep -q 'Name          verpkg-0' '$out' && grep -q 'Name          verpkg-1' '$out'"

lsahost "$B/test/verpkg-v11-sdk2.dll"
check "version 11 in the SDK layout is the version's own: no finding" sh -c "[ $rc -eq 0 ] && ! grep -q finding: '$out'"
lsahost "$B/test/verpkg-v3-mingw2.dll"
check "version 3 in MinGW-w64's layout is the version's own: no finding" sh -c "[ $rc -eq 0 ] && ! grep -q finding: '$out'"

lsahost --trace "$B/test/verpkg-v8-noshutdown.dll"
check "NULL SpShutdown: the package still runs, exit 0" status_is 0
check "... a finding citing SpShutdown" has "finding: table 0 has no SpShutdown.*(documented in SpShutdown"
check "... and SpShutdown is not called" lacks "SpShutdown()"

# Refused: what lsahost cannot run, with a sentence and no crash.
while IFS='|' read -r mode message; do
    TESTPKG_MODE=$mode lsahost "$B/test/testpkg.dll"
    check "testpkg $mode: refused with exit 2" status_is 2
    check "testpkg $mode: '$message'" has "$message"
done <<'MODES'
wild-tables|which is not readable memory
two-versions|interface version 0x60000, which is no SECPKG_INTERFACE_VERSION
no-tables|returned 0 tables (1 to 16 accepted)
million-tables|returned 1000000 tables (1 to 16 accepted)
MODES

# Wine's own packages, from the prefix.
sys='C:\windows\system32'

# schannel.dll declares version 8 and returns two tables 38 entries apart; neither has
# SpInitialize or SpShutdown (Wine's schannel does all its work in user mode).
lsahost --trace "$sys\\schannel.dll"
check "Wine's schannel.dll loads: exit 0" status_is 0
check "... version 8, two tables of 38 entries" has "version 0x800000 (8), 2 table(s) of 38 entries"
check "... both tables start" sh -c "grep -q 'Name          Microsoft Unified Security Protocol Provider' '$out' && grep -q 'Name          Schannel' '$out'"
check "... findings: no SpInitialize" has "finding: table 1 has no SpInitialize"
check "... findings: no SpShutdown" has "finding: table 1 has no SpShutdown"
# It claims CONNECTION, INTEGRITY and PRIVACY, yet its LSA-mode tables make no contexts
# and lsahost gets no user-mode table with the message entries.
check "... finding: contexts claimed, no context entries" has "finding: table 1 claims connection, datagram or stream contexts but has neither InitLsaModeContext nor AcceptLsaModeContext"
check "... finding: INTEGRITY claimed, no MakeSignature" has "finding: table 0 claims SECPKG_FLAG_INTEGRITY"
check "... ten findings in all" sh -c "[ \$(grep -c 'lsahost: finding:' '$out') -eq 10 ]"

# msv1_0.dll (version 1, one table) has no SpShutdown, and its LsaApInitializePackage
# fails here: it needs Samba's ntlm_auth, which this machine does not have.
lsahost --trace "$sys\\msv1_0.dll"
check "Wine's msv1_0.dll loads, then fails to start: exit 3" status_is 3
check "... finding: no SpShutdown" has "finding: table 0 has no SpShutdown"
check "... LsaApInitializePackage's status reported" has "package failed: table 0: LsaApInitializePackage failed with STATUS_UNSUCCESSFUL"

# kerberos.dll (version 1) starts; it claims SECPKG_FLAG_LOGON but its table has
# InitializePackage and CallPackageUntrusted and none of the LogonUser entries.
lsahost "$sys\\kerberos.dll"
check "Wine's kerberos.dll loads and runs: exit 0" status_is 0
check "... named" has "Name          Kerberos"
check "... finding: LOGON claimed, no LogonUser entry" has "finding: table 0 claims SECPKG_FLAG_LOGON but has none of LogonUser"
check "... and only that one" sh -c "[ \$(grep -c 'lsahost: finding:' '$out') -eq 1 ]"

# sspkg itself: no finding.
lsahost "$B/sspkg.dll"
check "sspkg: no finding" sh -c "[ $rc -eq 0 ] && ! grep -q finding: '$out'"

done_testing
