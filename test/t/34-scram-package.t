#!/bin/sh
# test/wine/test_scram_package.c under Wine: sspkg's SSPI entries through lsahost.
exec "$(dirname "$0")/wine-test.sh" test_scram_package
