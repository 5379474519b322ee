#!/bin/sh
# The SCRAM-SHA-256 protocol core natively (ASan/UBSan), against OpenSSL's SHA-256:
# the RFC 7677 known answer and every malformed-message class.
exec "$(dirname "$0")/../../build/native/test_scram"
