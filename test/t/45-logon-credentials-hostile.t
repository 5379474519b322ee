#!/bin/sh
# What a logon returns for the other packages, and what they do with it, attacked by the
# packages themselves (test/packages/authpkg.c modes): the LSA frees the credentials it
# handed around, so it must neither write to memory the logon package merely pointed at
# nor follow pointers a receiving package changed.
. "$(dirname "$0")/tap.sh"

cd "$B/test" || exit 1
# authpkg logs alice on; authpkg2 is handed her credentials.
logon_two() { AUTHPKG_MODE=$1 lsahost --package=authpkg.dll --package=authpkg2.dll logon \
    --user=alice --password=pencil; }

# The logon package's Password points at a string constant: no LSA heap block, in
# read-only memory. lsahost wiped it before freeing it, and crashed.
logon_two static-password
check "a Password in read-only memory: no crash, the logon stands (exit 0)" status_is 0
check "... the string is handed on as it is" has "authpkg2: SpAcceptCredentials(.*password 12 bytes"
check "... its free is refused, said" has "refused: free of .*, which is not a block of the LSA heap"
check "... and nothing the package did allocate leaks" has "lsahost: no leaks"

# A receiving package repoints the Password and the account name it was handed at its
# own constants. The LSA freed (and wiped) what the structures then named: a crash, and
# the logon package's blocks lost.
logon_two repoint-credentials
check "a receiving package that repoints what it is handed: no crash (exit 0)" status_is 0
check "... the LSA frees its own blocks, not the package's pointers" lacks "refused: free of"
check "... the account name is still the logon's" has "^account *alice$"
check "... and nothing leaks" has "lsahost: no leaks"

done_testing
