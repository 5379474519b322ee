#!/bin/sh
# SCRAM users mapped to Windows accounts: `lsahost user add NAME --account=ACCOUNT`
# takes a SID string or an account name (resolved with LookupAccountNameW when the user
# is set; the store keeps the SID), `user list` shows it, a password change keeps it,
# an empty one unmaps; stores written before accounts existed, and PostgreSQL
# verifiers, read as before.
. "$(dirname "$0")/tap.sh"

store="$B/test/accounts-store.txt"
rm -f "$store" "$store".*
S="--store=$store"
PG='SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='

# A store as the earlier package wrote it: no account field.
printf '# sspkg verifier store: <name><TAB>SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>\nuser\t%s\n' \
    "$PG" >"$store"
lsahost "$S" user list
check "an old store (no account field) lists its user, unmapped" grep -qxF "user	4096 iterations" "$out"
lsahost "$S" handshake --user=user --password=pencil
check "... and its user authenticates" status_is 0

lsahost "$S" user add alice --password=pencil --account=S-1-5-21-1004336348-1177238915-682003330-1001
check "user add --account=SID: exit 0" status_is 0
check "... the store line ends in the SID" \
    grep -q "^alice	SCRAM-SHA-256\$4096:[^	]*	S-1-5-21-1004336348-1177238915-682003330-1001\$" "$store"
lsahost "$S" user add admins --password=x --account=Administrators
check "user add --account=Administrators (a name): exit 0" status_is 0
check "... kept as the SID LookupAccountNameW gives: S-1-5-32-544" \
    grep -q "^admins	.*	S-1-5-32-544\$" "$store"
lsahost "$S" user add pg "--verifier=$PG" --account=s-1-5-7
check "user add --verifier (PostgreSQL) --account=s-1-5-7: exit 0" status_is 0
check "... the SID written as ConvertSidToStringSid writes it (S-1-5-7)" grep -q "^pg	.*	S-1-5-7\$" "$store"

lsahost "$S" user list
check "user list shows each account after the iterations" sh -c "
    grep -qxF 'alice	4096 iterations	S-1-5-21-1004336348-1177238915-682003330-1001' '$out' &&
    grep -qxF 'admins	4096 iterations	S-1-5-32-544' '$out' &&
    grep -qxF 'pg	4096 iterations	S-1-5-7' '$out' &&
    grep -qxF 'user	4096 iterations' '$out'"

lsahost "$S" user add alice --password=changed
check "a password change without --account: exit 0" status_is 0
check "... keeps alice's account" grep -q "^alice	.*	S-1-5-21-1004336348-1177238915-682003330-1001\$" "$store"
lsahost "$S" handshake --user=alice --password=changed
check "... and the new password authenticates" status_is 0
lsahost "$S" user add alice --password=changed --account=none
check "--account=none unmaps: exit 0" status_is 0
check "... the line has no account" grep -q "^alice	SCRAM-SHA-256[^	]*\$" "$store"

lsahost "$S" user add bob --password=p --account=nobody-such-account
check "an account LookupAccountNameW does not know: exit 6" status_is 6
check "... said with the name" has "does not know the account 'nobody-such-account'"
lsahost "$S" user add bob --password=p --account=S-1-5-x
check "a malformed SID string: exit 6" status_is 6
check "... said" has "is not a SID string"
check "... and bob was not added" sh -c "! grep -q '^bob	' '$store'"

# A hand-edited line whose account is not a SID: the store is refused with its line.
printf 'eve\t%s\tAdministrators\n' "$PG" >>"$store"
lsahost "$S" user list
check "a store line whose account is not a SID: refused (exit 6)" status_is 6
check "... named with its line and reason" has "accounts-store.txt line [0-9]*: the account is not a SID string"
done_testing
