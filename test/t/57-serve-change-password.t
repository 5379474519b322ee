#!/bin/sh
# ChangeAccountPasswordW from a client process, through sspkg_client.dll and lsahost
# serve (CHANGE_PASSWORD): pw_client.c checks what the application sees (the DLL's
# checks, sspkg's statuses as SSPI gives them, attrpkg's password policy in the caller's
# buffer, the new password authenticating); the attacker sends what no client DLL sends
# (strings over the limit, missing or odd, a flag out of range, package ids without a
# package or without the entry), then guesses passwords as fast as lsahost lets it: each
# guess is charged to its process's CPU budget. No password reaches lsahost's log.
. "$(dirname "$0")/tap.sh"
serve_setup change-password

lsahost --store="$store" user add bob --password=pencil

cd "$B"
# pw_client: one connection; the attacker: ten, then one that guesses; an honest
# client (pipe_client) one, while the attacker runs.
"$top/scripts/wine.sh" ./lsahost.exe --trace --store="$store" --package=sspkg.dll \
    --package=test/authpkg.dll --package=test/attrpkg.dll serve "--pipe=$SSPKG_PIPE" \
    --exit-after=13 --cpu-per-process=50 >"$log" 2>&1 &
server=$!

tap_program "$B/test/pw-client.tap" "the client program" "$top/scripts/wine.sh" ./test/pw_client.exe
check "the store holds alice's new verifier, never the password" \
    sh -c "grep -q '^alice	SCRAM-SHA-256\\\$4096:' '$store' && ! grep -q ink '$store'"

"$top/scripts/wine.sh" ./test/attacker.exe change-password "$SSPKG_PIPE" 25 >"$out.attack" 2>&1 &
attacker=$!
honest_rc=0
"$top/scripts/wine.sh" ./test/pipe_client.exe pair "$SSPKG_PIPE" bob pencil >"$out.raw" 2>&1 || honest_rc=$?
rc=0
wait $attacker || rc=$?
check "an honest client authenticates while the attacker guesses passwords" [ "$honest_rc" -eq 0 ]
tr -d '\r' <"$out.attack" >"$out"
rm -f "$out.attack"
check "the attacker ran" status_is 0
check "... a wrong old password: SEC_E_LOGON_DENIED" has "a wrong old password: 0x8009030c$"
check "... an unknown user: the same" has "an unknown user: 0x8009030c$"
check "... a package id lsahost lacks: SEC_E_SECPKG_NOT_FOUND" has "a package lsahost lacks: 0x80090305$"
check "... authpkg, without the entry: SEC_E_UNSUPPORTED_FUNCTION" has "a package without the entry: 0x80090302$"
check "... an old password over 1024 units: dropped" has "an old password over the limit: dropped$"
check "... an odd number of bytes: dropped" has "an old password of an odd number of bytes: dropped$"
check "... no user: dropped" has "no user: dropped$"
check "... no old password: dropped" has "no old password: dropped$"
check "... no new password: dropped" has "no new password: dropped$"
check "... an impersonating flag of 2: dropped" has "impersonating 2: dropped$"
check "... 25 guesses, each refused" has "guesses: 25 of 25 SEC_E_LOGON_DENIED in"
sed -n 's/^guesses: .* in \([0-9]*\) ms$/# the guesses took \1 ms/p' "$out"

wait $server
tr -d '\r' <"$log" >"$out"
check "lsahost logged why it dropped each attacker" sh -c "
    grep -q 'dropped: CHANGE_PASSWORD with PASSWORD over 1024 UTF-16 units' '$out' &&
    grep -q 'dropped: CHANGE_PASSWORD with PASSWORD of an odd number of bytes' '$out' &&
    grep -q 'dropped: CHANGE_PASSWORD with USER missing' '$out' &&
    grep -q 'dropped: CHANGE_PASSWORD with PASSWORD missing' '$out' &&
    grep -q 'dropped: CHANGE_PASSWORD with NEW_PASSWORD missing' '$out' &&
    grep -q \"dropped: CHANGE_PASSWORD's impersonating flag is not 0 or 1\" '$out'"
check "the guessing process waited in its own lane, over its CPU budget" has "over its CPU budget, waits"
check "lsahost's trace gives both statuses: SSPI's and the package's" has \
    "change password (account of 5 chars) = SEC_E_LOGON_DENIED, the package's STATUS_WRONG_PASSWORD$"
check "... and the success" has "change password (account of 5 chars) = SEC_E_OK, the package's STATUS_SUCCESS$"
check "attrpkg got the LSA's copies, the flag, and lsahost's one 24-byte buffer" has \
    "attrpkg: SpChangeAccountPassword(domain of 5 chars, account 'carol', old password of 3 chars, new of 3, Impersonating=1, Output of 1 buffer(s), type 15, 24 bytes)"
check "... and lsahost saw its policy" has "= STATUS_PASSWORD_RESTRICTION, the package's STATUS_PASSWORD_RESTRICTION, with a password policy$"
# What reached a package: pw_client's 9 calls past the DLL's checks, the attacker's 3
# well-formed ones to a package lsahost has, and its 25 guesses.
check "no malformed request, and none to a package id lsahost lacks, reached a package" sh -c \
    "[ \$(grep -c 'lsahost: trace: SpChangeAccountPassword(account of' '$out') -eq 37 ]"
check "no password in lsahost's log" sh -c "! grep -qw 'pencil\\|ink\\|again' '$out'"
check "lsahost served the processes and stopped" has "stopped after 13 client(s)"
check "lsahost: no leaks" has "lsahost: no leaks"

done_testing
