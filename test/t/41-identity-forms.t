#!/bin/sh
# test/wine/test_identity_forms.c under Wine: every identity form AcquireCredentialsHandle
# takes (_A in the ANSI code page, _EXW/_EXA with PackageList, the marshalled _EX2) and
# malformed EX2 blobs, through lsahost's client memory.
exec "$(dirname "$0")/wine-test.sh" test_identity_forms
