#!/bin/sh
# SEC_CHANNEL_BINDINGS read as hostile input, natively (ASan/UBSan).
exec "$(dirname "$0")/../../build/native/test_scram_binding"
