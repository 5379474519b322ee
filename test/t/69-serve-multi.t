#!/bin/sh
# lsahost serve with two packages, authpkg (package 0) and SCRAM-SHA-256 (package 1), as
# lsass serves its list: a client process sees both through EnumerateSecurityPackagesW
# and reaches each by name (SSPI) and by id (LsaCallAuthenticationPackage); a hostile
# client naming ids lsahost has no package for, or one package's handle as another's,
# is refused; the sample SSPI program authenticates through package 1, its contexts
# mapped into the user-mode half of the DLL lsahost names for it.
. "$(dirname "$0")/tap.sh"
serve_setup multi-serve

cd "$B"
# multi_client: two connections (SSPI, LSA); pipe_client: one; sspi_ping: two.
"$top/scripts/wine.sh" ./lsahost.exe --trace --store="$store" --package=test/authpkg.dll \
    --package=sspkg.dll serve "--pipe=$SSPKG_PIPE" --exit-after=5 >"$log" 2>&1 &
server=$!

tap_program "$B/test/multi-client.tap" "the client program" "$top/scripts/wine.sh" ./test/multi_client.exe

rc=0
"$top/scripts/wine.sh" ./test/pipe_client.exe packages "$SSPKG_PIPE" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "a hostile client's package ids: each refused with its status" status_is 0
check "... HELLO and PACKAGE_INFO gave both packages and their DLLs" has \
    "pipe_client: 2 packages: authpkg, SCRAM-SHA-256 (sspkg.dll)"
check "... an id past the packages: SEC_E_SECPKG_NOT_FOUND" has "ACQUIRE for package 99: 0x80090305$"
check "... CALL_PACKAGE to an id past them: STATUS_NO_SUCH_PACKAGE" has "CALL_PACKAGE to package 7: 0xc00000fe$"
check "... package 1's credential named as package 0's: SEC_E_INVALID_HANDLE" has \
    "INIT on package 1's credential named as package 0's: 0x80090301$"

ping sspkg_client.dll "multi-ping-$$" pencil
check "the sample program authenticates through package 1: exit 0" status_is 0
check "... finding it by name" has "package SCRAM-SHA-256, max token 4096"
check "... with sealed messages in the user-mode half lsahost named (sspkg.dll)" has \
    "client got: 'pong from the server'"
check "... both ends" [ "$server_rc" -eq 0 ]

wait $server
tr -d '\r' <"$log" >"$out"
check "lsahost said what it serves" has "serving authpkg, SCRAM-SHA-256 on"
check "LsaCallAuthenticationPackage(0) reached authpkg's untrusted entry" has \
    "LsaApCallPackageUntrusted(5-byte request) = STATUS_SUCCESS, protocol STATUS_SUCCESS \[package 0\]"
check "credentials were made by package 1" has "SpAcquireCredentialsHandle(use 2) = SEC_E_OK, .* \[package 1\]"
check "lsahost served the processes and stopped" has "stopped after 5 client(s)"
check "lsahost: no leaks" has "lsahost: no leaks"

done_testing
