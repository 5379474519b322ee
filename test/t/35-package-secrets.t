#!/bin/sh
# test/wine/test_package_secrets.c under Wine: what sspkg still holds after a handshake.
exec "$(dirname "$0")/wine-test.sh" test_package_secrets
