#!/bin/sh
# Names the verifier store must read back: every name `user add` accepts round-trips
# through the file, whatever its first character (a comment's '#', the '@secret ' line,
# spaces, '=', ':', '$'), and files written before the escapes read the same.
. "$(dirname "$0")/tap.sh"

store="$B/test/names-store.txt"
rm -f "$store" "$store".*
S="--store=$store"

# Each awkward name, with a password of its own.
names() {
    for name in '#alice' '@secret x' '@secret' '@' ' lead' 'trail ' '=eq' ':colon$dollar'; do
        "$1" "$name"
    done
}
add() {
    lsahost "$S" user add "$1" "--password=pw-$1"
    check "user add '$1': exit 0" status_is 0
}
listed() { check "... lists '$1'" grep -qxF -- "$1	4096 iterations" "$out"; }
authenticates() {
    lsahost "$S" handshake "--user=$1" "--password=pw-$1"
    check "handshake as '$1' succeeds" status_is 0
}

lsahost "$S" user add alice --password=pencil
names add
# (lsahost prints names in the console's code page: this one is checked by handshake.)
add 'ñame'

lsahost "$S" user list
check "user list: exit 0 (the store reads back)" status_is 0
names listed
check "... with alice and 'ñame', ten users in all" \
    sh -c "grep -qx 'alice	4096 iterations' '$out' && [ \$(grep -c '	4096 iterations\$' '$out') -eq 10 ]"
check "the file holds one @secret line" sh -c "[ \$(grep -c '^@secret ' '$store') -eq 1 ]"
check "'#alice' is written escaped, not as a comment" grep -q '^=23alice	SCRAM-SHA-256' "$store"
check "'@secret x' is written escaped" grep -q '^=40secret x	SCRAM-SHA-256' "$store"

names authenticates
authenticates 'ñame'
lsahost "$S" handshake '--user=#alice' --password=wrong
check "... and a wrong password fails" status_is 6

lsahost "$S" user add '#alice' --password=x2
check "'#alice' can be updated" status_is 0
lsahost "$S" handshake '--user=#alice' --password=x2
check "... and the new password works" status_is 0
lsahost "$S" user del '#alice'
check "user del '#alice': exit 0" status_is 0
lsahost "$S" user del '@secret x'
check "user del '@secret x': exit 0" status_is 0
lsahost "$S" user list
check "after del: both gone" sh -c "! grep -q '^#alice' '$out' && ! grep -q '^@secret x' '$out'"
check "... the others stay" sh -c "[ \$(grep -c '	4096 iterations\$' '$out') -eq 8 ]"
lsahost "$S" handshake --user=alice --password=pencil
check "alice is unaffected" status_is 0
lsahost "$S" handshake '--user=#alice' --password=x2
check "a deleted '#alice' no longer authenticates" status_is 6

tab=$(printf '\t')
lsahost "$S" user add "a${tab}b" --password=t
check "a name with a TAB is refused by SASLprep, before the store: exit 6" status_is 6

# A store written before the escapes: '#' lines are comments, '@secret<TAB>' is a user,
# =2C/=3D decode as before, and the '@secret x' line earlier versions wrote but could
# not read is that user.
old="$B/test/old-store.txt"
v='SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='
printf '# an old store\n#user\t%s\n@secret 56rT+mCBYXBdLoVOhSFrZB1SG/9a3TwAkMg71Ne4VBU=\n@secret\t%s\nu=2Cv\t%s\nuser\t%s\n@secret x\t%s\n' \
    "$v" "$v" "$v" "$v" "$v" >"$old"
lsahost --store="$old" user list
check "an old store reads: exit 0" status_is 0
check "... four users, the commented one not among them" \
    sh -c "[ \$(grep -c '	4096 iterations\$' '$out') -eq 4 ] && ! grep -q '^#user' '$out'"
check "... '@secret<TAB>' is the user '@secret', =2C is ','" \
    sh -c "grep -q '^@secret	4096' '$out' && grep -q '^u,v	4096' '$out'"
lsahost --store="$old" handshake --user=user --password=pencil
check "... and its users authenticate" status_is 0
lsahost --store="$old" handshake '--user=@secret x' --password=pencil
check "... '@secret x' too" status_is 0
lsahost --store="$old" user add '@secret' --password=pencil
lsahost --store="$old" handshake --user=@secret --password=pencil
check "an old store updated in place keeps working" status_is 0
check "... '@secret' is now written escaped" grep -q '^=40secret	SCRAM' "$old"
check "... the other users stay as they were written" \
    sh -c "grep -q '^user	SCRAM' '$old' && grep -q '^u=2Cv	SCRAM' '$old'"

printf 'ok\t%s\n=4\t%s\n' "$v" "$v" >"$old"
lsahost --store="$old" user list
check "a malformed escape: exit 6" status_is 6
check "... named with its file and line" has "old-store.txt line 2: "

done_testing
