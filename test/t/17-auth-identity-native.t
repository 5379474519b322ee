#!/bin/sh
# SEC_WINNT_AUTH_IDENTITY_EX2 and PackageList as the package reads them
# (src/common/auth_identity.c), natively (ASan/UBSan).
exec "$(dirname "$0")/../../build/native/test_auth_identity"
