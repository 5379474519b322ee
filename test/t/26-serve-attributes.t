#!/bin/sh
# SetContextAttributesW and SetCredentialsAttributesW from a client process, through
# sspkg_client.dll and lsahost serve, on test/packages/attrpkg.c's three shapes: the
# package gets lsahost's copy of exactly the bytes sent; the shapes without the entries
# answer SEC_E_UNSUPPORTED_FUNCTION; and the attacks: a value over the limit (refused by
# the client, dropped by lsahost when sent by hand), handles that are not the
# connection's, a request without its attribute.
. "$(dirname "$0")/tap.sh"
serve_setup attributes

cd "$B"
# attr_client: one connection; the attacker: four.
"$top/scripts/wine.sh" ./lsahost.exe --trace --package=test/attrpkg.dll \
    --package=test/attrpkg-v1.dll serve "--pipe=$SSPKG_PIPE" --exit-after=5 >"$log" 2>&1 &
server=$!

tap_program "$B/test/attr-client.tap" "the client program" "$top/scripts/wine.sh" ./test/attr_client.exe

rc=0
"$top/scripts/wine.sh" ./test/attacker.exe set-attributes "$SSPKG_PIPE" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "the attacker ran" status_is 0
check "... its own credential: SEC_E_OK" has "set on our own credential: 0x00000000$"
check "... another connection's credential: SEC_E_INVALID_HANDLE" has "set on another connection's credential: 0x80090301$"
check "... a credential never made: SEC_E_INVALID_HANDLE" has "set on a credential never made: 0x80090301$"
check "... no attribute: dropped" has "set without an attribute: dropped$"
check "... a value one byte over the limit: dropped" has "set with a value over the limit: dropped$"
check "... and its honest connection still served" has "the owner's credential after all that: 0x00000000$"

wait $server
tr -d '\r' <"$log" >"$out"
# FNV-1a of attr_client's 64 KiB (byte i is i * 31 + 7).
big=$(perl -e 'my $h = 2166136261; for my $i (0 .. 65535) { $h = (($h ^ (($i * 31 + 7) % 256)) * 16777619) % 4294967296 } printf "0x%08x", $h')
check "the package got the credential's 5 bytes exactly" has "attrpkg: SpSetCredentialsAttributes(credential 0x1001, attribute 77, 5 bytes, fnv1a 0xbfe534e8, at an address): 0102030405$"
check "... and the context's 64 KiB (length and FNV-1a)" has "attrpkg: SpSetContextAttributes(context 0x2001, attribute 2147483664, 65536 bytes, fnv1a $big, at an address)"
check "... and no value as NULL, 0 bytes" has "attrpkg: SpSetContextAttributes(context 0x2002, attribute 5, 0 bytes, fnv1a 0x00000000, at NULL)"
check "nothing over the limit reached the package" lacks "65537 bytes"
check "no call for a handle that was not the caller's" lacks "SpSetCredentialsAttributes(credential 0x1778"
# attr_client sends attribute 1 only to the shapes without the entries and on handles
# that are not its own: none of those calls may reach a package.
check "the shapes without the entries, and bad handles, never reached a package" lacks "attrpkg: SpSet.*attribute 1,"
check "... while the attacker's own credential did, twice" sh -c "[ \$(grep -c 'attrpkg: SpSetCredentialsAttributes(credential 0x1004, attribute 77' '$out') -eq 2 ]"
check "... lsahost says why it answered for them" has "(the package has no such entry)"
check "lsahost logged why it dropped each attacker" sh -c "grep -q 'dropped: SET_ATTRIBUTES without ATTRIBUTE' '$out' && grep -q 'dropped: an attribute value larger than 65536 bytes' '$out'"
check "lsahost served the processes and stopped" has "stopped after 5 client(s)"
check "lsahost: no leaks" has "lsahost: no leaks"

done_testing
