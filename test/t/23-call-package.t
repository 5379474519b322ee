#!/bin/sh
# One package calling another through the LSA: CallPackage, CallPackageEx and
# CallPackagePassthrough reach the named package's LsaApCallPackage or
# LsaApCallPackagePassthrough, the answer comes back to the caller, FreeReturnBuffer
# takes it back; an unknown name and hostile arguments get statuses, never a crash; a
# return buffer never freed is a leak charged to the caller (test/packages/authpkg.c,
# built twice as authpkg.dll and authpkg2.dll).
. "$(dirname "$0")/tap.sh"

cd "$B/test" || exit 1

AUTHPKG_CALLER=authpkg2 AUTHPKG_CALL=authpkg lsahost --trace authpkg.dll authpkg2.dll
check "two authentication packages, one calling the other: exit 0" status_is 0
check "CallPackage reaches the target's LsaApCallPackage and the answer comes back" has \
    'authpkg2: CallPackage: 0x00000000, protocol 0x00000000, answer "authpkg trusted got 19 bytes "hello from authpkg2"'
check "... the target sees a recursive call (GetCallInfo)" has 'answer "authpkg trusted got 19 bytes "hello from authpkg2", recursive"'
check "CallPackageEx reaches LsaApCallPackage too" has \
    'authpkg2: CallPackageEx: 0x00000000, protocol 0x00000000, answer "authpkg trusted got 19 bytes'
check "CallPackagePassthrough reaches LsaApCallPackagePassthrough" has \
    'authpkg2: CallPackagePassthrough: 0x00000000, protocol 0x00000000, answer "authpkg passthrough got 19 bytes'
check "each call is traced with the target, its id and the caller" has \
    'trace: CallPackage(AuthenticationPackage="authpkg" = package 0 (authpkg), 19-byte request) = STATUS_SUCCESS, protocol status STATUS_SUCCESS, [0-9]*-byte return buffer .* \[from package 1\]'
check "FreeReturnBuffer is traced" has "trace: FreeReturnBuffer(Buffer="
check "a name no package has: STATUS_NO_SUCH_PACKAGE" has "authpkg2: CallPackage to no-such-package: 0xc00000fe"
check "a name at an unreadable address: STATUS_ACCESS_VIOLATION" has \
    "authpkg2: CallPackage with the name at an unreadable address: 0xc0000005"
check "... said why" has "CallPackage refused: AuthenticationPackage at 0000000000000010 is not readable: STATUS_ACCESS_VIOLATION"
check "a name whose Length runs past its buffer: STATUS_ACCESS_VIOLATION" has \
    "authpkg2: CallPackage with a name running past its buffer: 0xc0000005"
check "... said why" has "CallPackage refused: AuthenticationPackage's 64 bytes at .* are not readable"
check "an odd name length: STATUS_INVALID_PARAMETER" has "authpkg2: CallPackage with an odd name length: 0xc000000d"
check "an unreadable request: STATUS_ACCESS_VIOLATION" has "authpkg2: CallPackage with an unreadable request: 0xc0000005"
check "FreeReturnBuffer of something no call returned: refused, said" has \
    "refused: FreeReturnBuffer of .*, which is no CallPackage return buffer not yet freed"
check "everything given back: no leaks" has "lsahost: no leaks"

AUTHPKG_CALLER=authpkg AUTHPKG_CALL=authpkg2 lsahost authpkg.dll authpkg2.dll
check "a package not yet started cannot be called (the caller starts first)" has \
    "authpkg: CallPackage: 0xc00000fe"

TESTPKG_MODE=unterminated-name AUTHPKG_CALLER=authpkg2 AUTHPKG_CALL=authpkg \
    lsahost testpkg.dll authpkg.dll authpkg2.dll
check "a package whose Name runs into an unreadable page is passed over, not read" has \
    'authpkg2: CallPackage: 0x00000000, protocol 0x00000000, answer "authpkg trusted got 19 bytes'

AUTHPKG_CALLER=authpkg2 AUTHPKG_CALL=verpkg-0 lsahost authpkg.dll verpkg-v3.dll authpkg2.dll
check "a target without LsaApCallPackage: STATUS_NOT_SUPPORTED" has "authpkg2: CallPackage: 0xc00000bb"
check "... said" has "CallPackage refused: package 1 (verpkg-0) has no LsaApCallPackage: STATUS_NOT_SUPPORTED"

AUTHPKG_MODE=leak-return AUTHPKG_CALLER=authpkg2 AUTHPKG_CALL=AUTHPKG lsahost authpkg.dll authpkg2.dll
check "the name is compared without regard to case" has "authpkg2: CallPackage: 0x00000000"
check "a return buffer never freed: exit 4" status_is 4
check "... counted" has "leak: 1 CallPackage return buffers not freed with FreeReturnBuffer (61 bytes)"
check "... charged to the caller" has \
    "leak: package 1 (authpkg2) holds 1 CallPackage return buffers not freed with FreeReturnBuffer"
check "... and named with both packages" has \
    "leak: CallPackage return buffer .*, 61 bytes, from package 0 (authpkg), never freed by package 1 (authpkg2) with FreeReturnBuffer"

done_testing
