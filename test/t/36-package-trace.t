#!/bin/sh
# test/wine/test_package_trace.c under Wine: sspkg's trace of ignored inputs and of
# request bits it does not honour.
exec "$(dirname "$0")/wine-test.sh" test_package_trace
