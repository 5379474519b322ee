#!/bin/sh
# The LSA client API of sspkg_client.dll against lsahost serve: a program linked with
# the DLL's import library (test/wine/lsa_api_client.c), then sspkg-user, the package's
# admin tool, which uses nothing but that API. Under Wine no token holds SeTcbPrivilege,
# so every caller is untrusted: the package answers GET_STATUS and refuses to manage
# users (STATUS_ACCESS_DENIED), and the tool prints that refusal.
. "$(dirname "$0")/tap.sh"
serve_setup lsa-api

cd "$B"
# lsa_api_client makes two connections; sspkg-user one per command (5 commands).
"$top/scripts/wine.sh" ./lsahost.exe --store="$store" serve "--pipe=$SSPKG_PIPE" \
    --exit-after=7 >"$log" 2>&1 &
server=$!

# user ARGS...: build/sspkg-user.exe, output in $out, status in $rc.
user() {
    rc=0
    "$top/scripts/wine.sh" ./sspkg-user.exe "$@" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}

tap_program "$B/test/lsa-api.tap" "the API program" "$top/scripts/wine.sh" ./test/lsa_api_client.exe

user list
check "sspkg-user list, untrusted: the package's refusal printed, exit 6" \
    sh -c "[ $rc -eq 6 ] && grep -q 'the package refused: STATUS_ACCESS_DENIED: managing users needs a trusted caller' '$out'"
check "... it says it connected untrusted (no SeTcbPrivilege)" has "not a logon process (no SeTcbPrivilege): connecting untrusted"
user add bob --password=secret --iterations=4096
check "sspkg-user add, untrusted: STATUS_ACCESS_DENIED from the package, exit 6" \
    sh -c "[ $rc -eq 6 ] && grep -q 'the package refused: STATUS_ACCESS_DENIED' '$out'"
user del alice
check "sspkg-user del, untrusted: STATUS_ACCESS_DENIED from the package, exit 6" \
    sh -c "[ $rc -eq 6 ] && grep -q 'the package refused: STATUS_ACCESS_DENIED' '$out'"
check "... and the store is as it was (alice still there, no bob)" \
    sh -c "grep -q '^alice' '$store' && ! grep -q '^bob' '$store'"
user add carol '--verifier=SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='
check "sspkg-user add --verifier, untrusted: STATUS_ACCESS_DENIED from the package, exit 6" \
    sh -c "[ $rc -eq 6 ] && grep -q 'the package refused: STATUS_ACCESS_DENIED' '$out'"
user add dave --password=x '--verifier=SCRAM-SHA-256$4096:a$b:c'
check "sspkg-user add with a password and a verifier: usage, exit 1" status_is 1
user add
check "sspkg-user add without a name: usage, exit 1, nothing sent" sh -c "[ $rc -eq 1 ] && grep -q 'usage: sspkg-user' '$out'"
user add carol --password=x --iterations=many
check "sspkg-user add --iterations=many: exit 1" status_is 1

# One more connection, so lsahost reaches --exit-after and reports what was left.
user list
wait $server
tr -d '\r' <"$log" >"$out"
check "lsahost: the clients left nothing behind, no leaks" has "lsahost: no leaks"

# With nobody serving the pipe (the client waits 5 s for it), the LSA is not there.
user list
check "no lsahost: cannot connect, STATUS_PORT_DISCONNECTED, exit 6" \
    sh -c "[ $rc -eq 6 ] && grep -q 'cannot connect to the LSA: STATUS_PORT_DISCONNECTED' '$out'"
done_testing
