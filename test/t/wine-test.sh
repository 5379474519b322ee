#!/bin/sh
# wine-test.sh NAME: runs build/test/NAME.exe under Wine from build/test (where the
# package DLLs are). TAP goes to stdout; the host's messages go to build/test/NAME.log.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top/build/test"
exec "$top/scripts/wine.sh" "$1.exe" 2>"$1.log"
