#!/bin/sh
# test/wine/test_lsa_table.c under Wine.
exec "$(dirname "$0")/wine-test.sh" test_lsa_table
