#!/bin/sh
# SASLprep (RFC 4013) mapping, prohibited characters and bidi rules, natively.
exec "$(dirname "$0")/../../build/native/test_saslprep"
