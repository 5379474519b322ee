#!/bin/sh
# test/wine/test_pkg_handles.c under Wine: the package's handle table.
exec "$(dirname "$0")/wine-test.sh" test_pkg_handles
