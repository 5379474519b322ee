#!/bin/sh
# test/wine/test_shm_share.c under Wine.
exec "$(dirname "$0")/wine-test.sh" test_shm_share
