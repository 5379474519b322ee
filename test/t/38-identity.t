#!/bin/sh
# test/wine/test_identity.c under Wine: tokens, impersonation, credentials, audit (to a
# file, as --audit=FILE), notifications and call flags.
exec "$(dirname "$0")/wine-test.sh" test_identity
