#!/bin/sh
# ChangeAccountPassword with the package (SpChangeAccountPassword, interface version 4),
# driven by `lsahost change-password` as the LSA drives it: the old password authorizes
# the change; a wrong one and an unknown user fail alike and change nothing; the new
# verifier keeps the user's iteration count and account; a new password SASLprep
# refuses is ill-formed; a package without the entry is named; passwords never reach a
# trace.
. "$(dirname "$0")/tap.sh"

store="$B/test/password-store.txt"
rm -f "$store" "$store".*
S="--store=$store"
lsahost "$S" user add alice --password=pencil --iterations=8192 --account=S-1-5-32-544
cp "$store" "$store.before"

lsahost "$S" --trace change-password --user=alice --old-password=wrong --new-password=ink
check "a wrong old password: exit 6" status_is 6
check "... STATUS_WRONG_PASSWORD" has "^SpChangeAccountPassword *STATUS_WRONG_PASSWORD$"
check "... the store is untouched" cmp -s "$store" "$store.before"
check "... and the trace shows lengths, never a password" \
    sh -c "grep -q 'old 10 bytes, new 6 bytes' '$out' && ! grep -q 'wrong\"\\|ink\"' '$out'"
grep -v trace "$out" >"$out.wrong"
lsahost "$S" change-password --user=nobody --old-password=wrong --new-password=ink
grep -v trace "$out" >"$out.unknown"
check "an unknown user: exactly what a wrong password gives" cmp -s "$out.wrong" "$out.unknown"
rm -f "$out.wrong" "$out.unknown"

bell=$(printf '\007')
lsahost "$S" change-password --user=alice --old-password=pencil "--new-password=a${bell}b"
check "a new password SASLprep prohibits: STATUS_ILL_FORMED_PASSWORD" \
    has "^SpChangeAccountPassword *STATUS_ILL_FORMED_PASSWORD$"
check "... nothing changed" cmp -s "$store" "$store.before"
lsahost "$S" change-password --user=alice --old-password=pencil --new-password=
check "an empty new password: STATUS_ILL_FORMED_PASSWORD" \
    has "^SpChangeAccountPassword *STATUS_ILL_FORMED_PASSWORD$"
lsahost "$S" change-password --user= --old-password=pencil --new-password=ink
check "an empty user name: STATUS_INVALID_PARAMETER" \
    has "^SpChangeAccountPassword *STATUS_INVALID_PARAMETER$"

lsahost "$S" change-password --user=alice --old-password=pencil --new-password=ink
check "the right old password: exit 0, SEC_E_OK" sh -c "[ $rc -eq 0 ] && grep -q '^SpChangeAccountPassword *SEC_E_OK$' '$out'"
check "... the package writes no password policy (the store has none)" lacks "password policy"
check "... and leaks nothing" has "lsahost: no leaks"
check "the store holds a new verifier with the same count and account, never the password" \
    sh -c "grep -q '^alice	SCRAM-SHA-256\\\$8192:.*	S-1-5-32-544\$' '$store' &&
           ! cmp -s '$store' '$store.before' && ! grep -q ink '$store'"
salt_before=$(sed -n 's/^alice	SCRAM-SHA-256\$8192:\([^$]*\)\$.*/\1/p' "$store.before")
salt_after=$(sed -n 's/^alice	SCRAM-SHA-256\$8192:\([^$]*\)\$.*/\1/p' "$store")
check "... with a fresh salt" [ -n "$salt_after" -a "$salt_before" != "$salt_after" ]
lsahost "$S" handshake --user=alice --password=ink
check "the new password authenticates" status_is 0
lsahost "$S" handshake --user=alice --password=pencil
check "the old one no longer does" status_is 6
lsahost "$S" change-password --user=alice --old-password=pencil --new-password=again
check "... nor changes it again" has "^SpChangeAccountPassword *STATUS_WRONG_PASSWORD$"

cd "$B/test" || exit 1
lsahost --package=authpkg.dll change-password --user=a --old-password=b --new-password=c
check "a package without SpChangeAccountPassword: exit 6, named" sh -c "[ $rc -eq 6 ] &&
    grep -q 'authpkg) has no SpChangeAccountPassword (interface version 4 and later)' '$out'"
# A hostile package repoints the NewPassword it is handed at a string constant and frees
# Output's response buffer, both the LSA's: lsahost wiped through the repointed string
# (read-only memory: a crash) and read the freed response.
lsahost --package=attrpkg.dll change-password --user=a --old-password=b --new-password=c
check "a package that repoints NewPassword and frees the response: no crash" \
    sh -c "[ $rc -eq 0 ] && grep -q '^SpChangeAccountPassword *SEC_E_OK$' '$out'"
check "... lsahost frees its own copies, never the package's pointer" lacks "refused: free of"
check "... and reads no freed response: said, nothing reported from it" sh -c \
    "grep -q 'freed the SECBUFFER_CHANGE_PASS_RESPONSE buffer lsahost handed it' '$out' &&
     ! grep -q 'password policy' '$out'"
lsahost "$S" change-password --user=alice
check "a missing option: usage error (exit 1)" status_is 1
rm -f "$store.before"

done_testing
