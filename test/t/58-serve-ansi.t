#!/bin/sh
# sspkg_client.dll's ANSI table from a client process built without UNICODE
# (test/wine/ansi_client.c): InitSecurityInterfaceA, a handshake as "josé" from a
# SEC_WINNT_AUTH_IDENTITY_A with sspkg at both ends, each string attribute in code page
# 1252 (and refused, never best-fit, for a name 1252 lacks), EnumerateSecurityPackagesA
# and QuerySecurityPackageInfoA, ChangeAccountPasswordA, SetCredentialsAttributesA(NAMES)
# handing attrpkg the Unicode form, and strings no program should pass refused before
# anything is sent.
. "$(dirname "$0")/tap.sh"
serve_setup ansi
lsahost --store="$store" user add 'josé' --password=pencil
check "user add josé" status_is 0
lsahost --store="$store" user add 'łukasz' --password=pencil
check "user add łukasz" status_is 0

cd "$B"
"$top/scripts/wine.sh" ./lsahost.exe --trace --store="$store" --package=sspkg.dll \
    --package=test/authpkg.dll --package=test/attrpkg.dll serve "--pipe=$SSPKG_PIPE" \
    --exit-after=1 >"$log" 2>&1 &
server=$!

tap_program "$B/test/ansi-client.tap" "the client program" "$top/scripts/wine.sh" ./test/ansi_client.exe

wait $server
tr -d '\r' <"$log" >"$out"
check "attrpkg was handed SecPkgCredentials_NamesW: the name in UTF-16, é as U+00E9" has \
    "attrpkg: SpSetCredentialsAttributes: sUserName U+006A U+006F U+0073 U+00E9$"
check "... and the other attribute as the caller's 3 bytes" has \
    "attrpkg: SpSetCredentialsAttributes(credential 0x1001, attribute 77, 3 bytes, fnv1a 0x[0-9a-f]*, at an address): 010203$"
# ansi_client's credentials: two per handshake (four handshakes), one inbound, one of
# attrpkg; the package names and the principal it refuses never reach lsahost.
check "the refused strings reached no package: 10 credentials acquired, no more" sh -c \
    "[ \$(grep -c 'lsahost: trace: client 1: SpAcquireCredentialsHandle' '$out') -eq 10 ]"
check "no password in lsahost's log" sh -c "! grep -qw 'pencil\\|ink' '$out'"
check "lsahost served the process and stopped" has "stopped after 1 client(s)"
check "lsahost: no leaks" has "lsahost: no leaks"

done_testing
