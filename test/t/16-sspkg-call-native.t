#!/bin/sh
# The package's CallPackage messages as sspkg-user builds and reads them, natively
# (ASan/UBSan).
exec "$(dirname "$0")/../../build/native/test_sspkg_call"
