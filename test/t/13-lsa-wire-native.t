#!/bin/sh
# The pipe protocol's messages natively (ASan/UBSan): round trips, malformed messages,
# truncation and random damage.
exec "$(dirname "$0")/../../build/native/test_lsa_wire"
