#!/bin/sh
# test/wine/test_shm.c under Wine.
exec "$(dirname "$0")/wine-test.sh" test_shm
