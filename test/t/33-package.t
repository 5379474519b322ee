#!/bin/sh
# test/wine/test_package.c under Wine.
exec "$(dirname "$0")/wine-test.sh" test_package
