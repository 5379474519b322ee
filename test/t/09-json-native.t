#!/bin/sh
# The JSON writer of lsahost check's report, natively (ASan/UBSan): exact output,
# escapes, text that is not UTF-8, misuse.
exec "$(dirname "$0")/../../build/native/test_json_writer"
