#!/bin/sh
# The verifier store's text natively (ASan/UBSan): names round-trip whatever their
# characters, old files read the same, malformed lines are named.
exec "$(dirname "$0")/../../build/native/test_scram_store"
