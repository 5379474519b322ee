#!/bin/sh
# test/wine/test_context_token.c under Wine: a server context's logon session and token
# (mapped account, ANONYMOUS LOGON fallback, UnmappedUsers=refuse), impersonation,
# NATIVE_NAMES, AUTHORITY, KEY_INFO, SESSION_KEY, more handshakes than lsahost has token
# records (each token forgotten once its context has gone), and nothing left at unload.
exec "$(dirname "$0")/wine-test.sh" test_context_token
