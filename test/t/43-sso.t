#!/bin/sh
# test/wine/test_sso.c under Wine: a logon's credential serves outbound contexts without
# a password (single sign-on), SEC_E_NO_CREDENTIALS without one, LsaApLogonTerminated,
# SpAcceptCredentials.
exec "$(dirname "$0")/wine-test.sh" test_sso
