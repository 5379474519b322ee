#!/bin/sh
# Base-16 decoding (lsahost logon's --challenge and responses), natively (ASan/UBSan).
exec "$(dirname "$0")/../../build/native/test_hex"
