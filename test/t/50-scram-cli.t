#!/bin/sh
# SCRAM-SHA-256 through lsahost's commands: the verifier store, full handshakes, wrong
# passwords and unknown users, names that need escaping and SASLprep, the client and
# server ends talking through pipes, and malformed tokens fed to each end.
. "$(dirname "$0")/tap.sh"

store="$B/test/cli-store.txt"
rm -f "$store" "$store".*
S="--store=$store"
b64() { printf '%s' "$1" | base64 -w0; echo; }

# ---- the store -----------------------------------------------------------------------
lsahost "$S" user add alice --password=pencil
check "user add: exit 0" status_is 0
check "user add: said so" has "user alice set"
check "the store holds alice's verifier, never the password" \
    sh -c "grep -q '^alice	SCRAM-SHA-256\\\$4096:' '$store' && ! grep -q pencil '$store'"
lsahost "$S" user add bob --password secret --iterations 8192
lsahost "$S" user list
check "user list: both users with their counts" \
    sh -c "grep -q '^alice	4096 iterations' '$out' && grep -q '^bob	8192 iterations' '$out'"
lsahost "$S" user add carol --password=x --iterations=100
check "iteration count below 4096 refused: exit 6" status_is 6
check "... with the reason" has "between 4096 and 10000000"
lsahost "$S" user add bob --password=changed
check "user add of an existing user changes the password" status_is 0
lsahost "$S" handshake --user=bob --password=changed
check "... the new password works" status_is 0
lsahost "$S" user del bob
check "user del: exit 0" status_is 0
lsahost "$S" user del bob
check "user del of a missing user: exit 6" status_is 6
check "... named" has "no such user"
lsahost "$S" user list
check "user list after del" sh -c "grep -q '^alice' '$out' && ! grep -q '^bob' '$out'"

# The RFC 7677 user as PostgreSQL stores it: imported verifiers work, and BCrypt's
# PBKDF2 in the package agrees with the tool that made it.
lsahost "$S" user add user \
    '--verifier=SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU='
check "user add --verifier (PostgreSQL form): exit 0" status_is 0
lsahost "$S" handshake --user=user --password=pencil
check "the RFC 7677 user authenticates with 'pencil'" status_is 0
lsahost "$S" user add x '--verifier=SCRAM-SHA-256$4096:W22Z$AAAA:AAAA'
check "a malformed verifier is refused: exit 6" status_is 6

# ---- handshakes ------------------------------------------------------------------------
lsahost "$S" handshake --user=alice --password=pencil
check "handshake: exit 0" status_is 0
check "client-first is n,,n=alice,r=<32 chars>" has "^client -> n,,n=alice,r=[A-Za-z0-9+/]\{32\}$"
check "server-first extends the nonce, 16-byte salt, 4096 iterations" \
    has "^server -> r=[A-Za-z0-9+/]\{64\},s=[A-Za-z0-9+/]\{22\}==,i=4096$"
check "client-final carries c=biws and a proof" has "^client -> c=biws,r=.*,p="
check "server-final carries v=" has "^server -> v="
check "both sides: SEC_E_OK with mutual authentication" \
    sh -c "grep -q 'server: authenticated (SEC_E_OK, attributes 0x0002091e)' '$out' && grep -q 'client: authenticated (SEC_E_OK, attributes 0x0001081e)' '$out'"
check "status block counts the two handshakes" has "handshakes succeeded 2, failed 0"
# alice maps to no account: the package's token stands for ANONYMOUS LOGON (S-1-5-7).
check "the server impersonates the client through the context's token, then reverts" \
    has "^server impersonates the client: the thread's token user is S-1-5-.* (emulated: lsahost's own token, standing for S-1-5-7); reverted$"
check "no leaks" has "lsahost: no leaks"

lsahost "$S" handshake --user=alice --password=wrong
check "wrong password: exit 6" status_is 6
check "wrong password: server answers e=invalid-proof" has "^server -> e=invalid-proof$"
check "wrong password: SEC_E_LOGON_DENIED on both sides" \
    sh -c "[ \$(grep -c 'authentication failed: SEC_E_LOGON_DENIED' '$out') -eq 2 ]"
check "wrong password: counted as failed" has "handshakes succeeded 0, failed 2"
shape_wrong=$(sed -n 's/^\(server -> \)r=[^,]*,s=[^,]*,\(i=.*\)$/\1\2/p' "$out")

lsahost "$S" handshake --user=nobody --password=wrong
check "unknown user: exit 6" status_is 6
check "unknown user: e=invalid-proof, exactly like a wrong password" has "^server -> e=invalid-proof$"
check "unknown user: salt of the same length and the same count" \
    has "^server -> r=[A-Za-z0-9+/]\{64\},s=[A-Za-z0-9+/]\{22\}==,i=4096$"
shape_unknown=$(sed -n 's/^\(server -> \)r=[^,]*,s=[^,]*,\(i=.*\)$/\1\2/p' "$out")
check "unknown user: server-first has the same shape as for a real user" [ "$shape_wrong" = "$shape_unknown" ]
salt1=$(sed -n 's/^server -> r=[^,]*,s=\([^,]*\),.*/\1/p' "$out")
lsahost "$S" handshake --user=nobody --password=other
salt2=$(sed -n 's/^server -> r=[^,]*,s=\([^,]*\),.*/\1/p' "$out")
check "unknown user: the same decoy salt every time (a real user's salt does not change)" \
    [ -n "$salt1" -a "$salt1" = "$salt2" ]

# Names and passwords that need escaping and SASLprep.
lsahost "$S" user add 'a,b=c' --password=p
lsahost "$S" handshake '--user=a,b=c' --password=p
check "a name with ',' and '=' authenticates" status_is 0
check "... and travels escaped as =2C and =3D" has "^client -> n,,n=a=2Cb=3Dc,r="
lsahost "$S" user add 'ｊｏｓé' --password='pass word'
lsahost "$S" handshake '--user=josé' --password='pass word'
check "a fullwidth name is stored as its NFKC form and matches it" status_is 0
check "... sent as UTF-8 on the wire" has "^client -> n,,n=josé,r="
nbsp=$(printf '\302\240')
lsahost "$S" handshake '--user=josé' "--password=pass${nbsp}word"
check "NO-BREAK SPACE in a password is SASLprepped to SPACE" status_is 0
lsahost "$S" handshake '--user=josé' '--password=password'
check "... and a different password still fails" status_is 6
bell=$(printf '\007')
lsahost "$S" user add 'bad' "--password=a${bell}b"
check "a password with a control character is refused by SASLprep: exit 6" status_is 6
check "... with the reason" has "SASLprep prohibits"

# ---- client and server in two processes, through pipes ---------------------------------
fifo_dir=$(mktemp -d)
mkfifo "$fifo_dir/c2s" "$fifo_dir/s2c"
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server <"$fifo_dir/c2s" >"$fifo_dir/s2c" 2>"$fifo_dir/server.err" &
server_pid=$!
# Both ends open the client-to-server pipe first, so neither waits on the other.
client_rc=0
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil \
    >"$fifo_dir/c2s" <"$fifo_dir/s2c" 2>"$fifo_dir/client.err" || client_rc=$?
wait $server_pid
server_rc=$?
check "client process: exit 0" [ "$client_rc" -eq 0 ]
check "server process: exit 0" [ "$server_rc" -eq 0 ]
check "server process: authenticated" grep -q "server: authenticated (SEC_E_OK" "$fifo_dir/server.err"
rm -rf "$fifo_dir"

# ---- malformed tokens at the server ---------------------------------------------------
serve() {   # serve LINE...: feeds base64 lines to the server end
    printf '%s\n' "$@" >"$B/test/server-in.txt"
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server <"$B/test/server-in.txt" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}
serve "not base64!"
check "a line that is not base64: refused before the package sees it" has "not a line of base64"
serve "$(b64 'n,,n=alice')"
check "client-first without a nonce: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
serve "$(b64 'n,,m=ext,n=alice,r=abc')"
check "client-first with m=: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
serve "$(b64 'p=tls-unique,,n=alice,r=abc')" "$(b64 'c=cD10bHMtdW5pcXVlLCwA,r=abc')"
check "client requires channel binding, the server has none: e=channel-binding-not-supported" \
    sh -c "grep -qx '$(b64 'e=channel-binding-not-supported')' '$out'"
check "... SEC_E_BAD_BINDINGS" has "failed: SEC_E_BAD_BINDINGS"
serve "$(b64 'p=tls_unique,,n=alice,r=abc')"
check "a channel-binding name outside the grammar: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
serve "$(b64 'n,,n=alice,n=alice,r=abc')"
check "client-first with a repeated attribute: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
serve "$(b64 'n,,n=alice,r=abc')" "$(b64 'c=biws,r=abcWRONG,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')"
check "client-final with the wrong nonce: e=other-error" \
    sh -c "grep -qx '$(b64 'e=other-error')' '$out'"
check "... SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
serve "$(b64 'y,,n=alice,r=abc')" "$(b64 'c=biws,r=abc,p=AAAA')"
check "flag y but c= of n,,: e=channel-bindings-dont-match" \
    sh -c "grep -qx '$(b64 'e=channel-bindings-dont-match')' '$out'"

# ---- channel binding (SCRAM-SHA-256-PLUS) ---------------------------------------------
exporter=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
lsahost "$S" handshake --user=alice --password=pencil --channel-binding=tls-exporter:$exporter
check "handshake over one channel: exit 0" status_is 0
check "client-first says p=tls-exporter" has "^client -> p=tls-exporter,,n=alice,r="
check "c= is the header and the binding data" \
    has "^client -> c=$(perl -e 'print "p=tls-exporter,,", pack("H*", $ARGV[0])' $exporter | base64 -w0),r="
lsahost "$S" handshake --user=alice --password=pencil --channel-binding=tls-server-end-point:$exporter$exporter
check "tls-server-end-point with 64 bytes (SHA-512): exit 0" status_is 0
lsahost "$S" handshake --user=alice --password=pencil --channel-binding=tls-unique:${exporter}${exporter}00
check "65 bytes of binding data: refused before any context" status_is 1
check "... saying why" has "longer than any TLS binding"
lsahost "$S" handshake --user=alice --password=pencil --channel-binding=tls-foo:00
check "an unknown binding type: refused" has "does not start with tls-server-end-point:"

# The server with a channel, fed by hand. "y": the client could bind but thinks the
# server cannot; this server can, so someone removed -PLUS from its list (a downgrade).
cb="--channel-binding=tls-exporter:$exporter"
serve_bound() {   # serve_bound LINE...: serve, with the server on the channel above
    printf '%s\n' "$@" >"$B/test/server-in.txt"
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server "$cb" <"$B/test/server-in.txt" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}
serve_bound "$(b64 'y,,n=alice,r=abc')" "$(b64 'c=eSws,r=abc')"
check "y to a server with a channel: e=server-does-support-channel-binding" \
    sh -c "grep -qx '$(b64 'e=server-does-support-channel-binding')' '$out'"
check "... SEC_E_BAD_BINDINGS" has "failed: SEC_E_BAD_BINDINGS"
serve "$(b64 'y,,n=alice,r=abc')" "$(b64 'c=eSws,r=abcWRONG,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')"
check "y to a server without one: the binding is fine (the nonce is what fails)" \
    sh -c "grep -qx '$(b64 'e=other-error')' '$out'"
serve_bound "$(b64 'p=tls-unique,,n=alice,r=abc')" "$(b64 'c=cD10bHMtdW5pcXVlLCwA,r=abc')"
check "p=tls-unique to a tls-exporter server: e=unsupported-channel-binding-type" \
    sh -c "grep -qx '$(b64 'e=unsupported-channel-binding-type')' '$out'"
serve_bound "$(b64 'p=tls-exporter,,n=alice,r=abc')" "$(b64 'c=cD10bHMtZXhwb3J0ZXIsLA==,r=abc')"
check "p=tls-exporter whose c= has the header but no data: e=channel-bindings-dont-match" \
    sh -c "grep -qx '$(b64 'e=channel-bindings-dont-match')' '$out'"
serve_bound "$(b64 'n,,n=alice,r=abc')" "$(b64 'c=biws,r=abcWRONG,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')"
check "n (a client without binding) to a server with a channel: accepted as far as the nonce" \
    sh -c "grep -qx '$(b64 'e=other-error')' '$out'"

# Client and server on different channels (a relay in the middle).
fifo_dir=$(mktemp -d)
mkfifo "$fifo_dir/c2s" "$fifo_dir/s2c"
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server "$cb" <"$fifo_dir/c2s" >"$fifo_dir/s2c" 2>"$fifo_dir/server.err" &
server_pid=$!
client_rc=0
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil \
    --channel-binding=tls-exporter:ff${exporter#00} \
    >"$fifo_dir/c2s" <"$fifo_dir/s2c" 2>"$fifo_dir/client.err" || client_rc=$?
server_rc=0
wait $server_pid || server_rc=$?
check "a relay between two channels: the server refuses (exit 6)" [ "$server_rc" -eq 6 ]
check "... SEC_E_BAD_BINDINGS to the server application" \
    grep -q "server: authentication failed: SEC_E_BAD_BINDINGS" "$fifo_dir/server.err"
check "... and the client, told e=channel-bindings-dont-match, SEC_E_BAD_BINDINGS" \
    grep -q "client: authentication failed: SEC_E_BAD_BINDINGS (server reported an error: e=channel-bindings-dont-match)" "$fifo_dir/client.err"
rm -rf "$fifo_dir"

# SEC_CHANNEL_BINDINGS from the application is hostile: every offset and length is
# checked (--sec-channel-bindings passes a file's bytes as the buffer, as they are).
scb="$B/test/sec-channel-bindings.bin"
# sec_cb IALEN IAOFF AALEN AAOFF DLEN DOFF TAIL: the eight fields (address types 0),
# little-endian, then TAIL (\xHH for a byte).
sec_cb() {
    perl -e '($il, $io, $al, $ao, $dl, $do, $t) = @ARGV; $t =~ s/\\x(..)/chr hex $1/ge;
             print pack("V8", 0, $il, $io, 0, $al, $ao, $dl, $do), $t' "$@" >"$scb"
}
bound_handshake() {
    lsahost --trace "$S" handshake --user=alice --password=pencil "--sec-channel-bindings=@$(winpath "$scb")"
}
sec_cb 0 0 0 0 17 32 'tls-unique:\x01\x02\x03\x04\x05\x06'
bound_handshake
check "a well-formed SEC_CHANNEL_BINDINGS (tls-unique): exit 0" status_is 0
check "... the package says what it binds to" has "binds to the channel: tls-unique, 6 bytes"
# refused WHY FIELD...: the buffer sec_cb makes of FIELD... fails the handshake with
# SEC_E_BAD_BINDINGS, and the trace says WHY.
refused() {
    why=$1
    shift
    sec_cb "$@"
    bound_handshake
    check "SEC_CHANNEL_BINDINGS $*: SEC_E_BAD_BINDINGS ($why)" \
        sh -c "grep -q 'client: authentication failed: SEC_E_BAD_BINDINGS' '$out' && grep -q '$why' '$out'"
}
tail='tls-unique:\x01\x02\x03\x04\x05\x06'
refused "reach past the buffer" 0 0 0 0 17 4294967290 "$tail"   # the offset wraps around
refused "reach past the buffer" 0 0 0 0 18 32 "$tail"           # one byte too long
refused "reach past the buffer" 4 4000 0 0 17 32 "$tail"        # an address outside
refused "no application data" 0 0 0 0 0 0 ''
refused "has a type but no data" 0 0 0 0 11 32 'tls-unique:'
sec_cb 4 32 0 0 17 36 "\\x7f\\x00\\x00\\x01$tail"
bound_handshake
check "addresses in range: used as far as SCRAM can (exit 0)" status_is 0
check "... and said to be ignored" has "ignores the initiator and acceptor addresses"
printf 'short' >"$scb"
bound_handshake
check "a buffer shorter than the structure: SEC_E_BAD_BINDINGS" has "smaller than SEC_CHANNEL_BINDINGS"
check "... and nothing leaks on any of these paths" has "lsahost: no leaks"

serve "$(b64 'n,,n=alice,r=abc')"
check "input ends mid-handshake: the server says so and fails" has "did not come"
check "... and leaks nothing" has "lsahost: no leaks"

# ---- malformed tokens at the client ----------------------------------------------------
client_with() {  # client_with LINE: the server's first token, whatever the client sent
    printf '%s\n' "$1" >"$B/test/client-in.txt"
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil \
        <"$B/test/client-in.txt" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}
client_with "$(b64 'r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')"
check "server nonce that does not extend ours: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"
client_with "$(b64 'e=unknown-user')"
check "an early e= from the server: SEC_E_LOGON_DENIED" has "failed: SEC_E_LOGON_DENIED"
client_with "$(b64 '')"
check "an empty token: SEC_E_INVALID_TOKEN" has "failed: SEC_E_INVALID_TOKEN"

# ---- the iteration count a client accepts ----------------------------------------------
# offer ITER [OPTION...]: plays a server that answers the client's first message with a
# server-first extending its nonce and asking for ITER iterations; then ends the input.
# The client's output (both streams) is in $out, its exit status in $rc.
offer() {
    iter=$1
    shift
    fifo_dir=$(mktemp -d)
    mkfifo "$fifo_dir/in" "$fifo_dir/out"
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil "$@" \
        <"$fifo_dir/in" >"$fifo_dir/out" 2>"$fifo_dir/err" &
    client_pid=$!
    exec 3>"$fifo_dir/in" 4<"$fifo_dir/out"
    read -r first <&4
    first=$(printf '%s' "$first" | tr -d '\r' | base64 -d)
    b64 "r=${first#*,r=}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=$iter" >&3
    exec 3>&-
    cat <&4 >"$fifo_dir/rest"
    exec 4<&-
    rc=0
    wait $client_pid || rc=$?
    cat "$fifo_dir/rest" "$fifo_dir/err" | tr -d '\r' >"$out"
    rm -rf "$fifo_dir"
}
lsa_key='HKLM\System\CurrentControlSet\Control\Lsa\SCRAM-SHA-256'
reg() { "$top/scripts/wine.sh" reg "$@" >/dev/null 2>&1; }
trap 'reg delete "$lsa_key" /v MaxIterations /f; rm -f "$out" "$out.raw"' EXIT

offer 10000000
check "server-first asking for 10000000 iterations: refused (exit 6)" status_is 6
check "... with SEC_E_ALGORITHM_MISMATCH and the reason" \
    has "client: authentication failed: SEC_E_ALGORITHM_MISMATCH (iteration count above the client's ceiling (100000))"
check "... before any client-final was sent" lacks "^Yz1iaXdz"
offer 100000
check "100000 iterations (the built-in ceiling): accepted, the client answers with client-final" \
    has "^Yz1iaXdz"
check "... and waits for server-final" has "did not come"
offer 4095
check "4095 iterations: refused as below the floor" \
    has "SEC_E_ALGORITHM_MISMATCH (iteration count below the minimum of 4096)"
offer 8193 --max-iterations=8192
check "--max-iterations=8192: 8193 refused" has "iteration count above the client's ceiling (8192)"
offer 8192 --max-iterations=8192
check "--max-iterations=8192: 8192 accepted" has "^Yz1iaXdz"
lsahost "$S" client --user alice --password pencil --max-iterations=200000
check "--max-iterations above the built-in ceiling: a usage error (exit 1)" status_is 1
check "... saying it can only lower" has "can only lower the ceiling: 4096 to 100000"

# An administrator's MaxIterations (DWORD) lowers the ceiling for every client context;
# it never raises it, and the command's option cannot raise it back.
reg add "$lsa_key" /v MaxIterations /t REG_DWORD /d 4096 /f
offer 8192
check "MaxIterations 4096 in the registry: 8192 refused" \
    has "SEC_E_ALGORITHM_MISMATCH (iteration count above the client's ceiling (4096))"
offer 8192 --max-iterations=100000
check "... and --max-iterations does not raise it back" has "client's ceiling (4096)"
offer 4096
check "... 4096 still accepted" has "^Yz1iaXdz"
reg add "$lsa_key" /v MaxIterations /t REG_DWORD /d 200000 /f
offer 100001
check "MaxIterations 200000: the built-in ceiling stays (100001 refused)" \
    has "client's ceiling (100000)"
reg delete "$lsa_key" /v MaxIterations /f

# ---- the store: bad lines and atomic updates --------------------------------------------
bad="$B/test/bad-store.txt"
printf '# users\nalice\tSCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=\nbob SCRAM-SHA-256$4096\n' >"$bad"
lsahost --store="$bad" user list
check "a malformed store line: exit 6" status_is 6
check "... named with its file and line" has "bad-store.txt line 3: expected <name><TAB><verifier>"
lsahost --store="$bad" handshake --user=alice --password=pencil
check "a malformed store fails handshakes rather than guessing" status_is 6
printf 'alice\tSCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=\nalice\tSCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=\n' >"$bad"
lsahost --store="$bad" user list
check "a user twice: named with its line" has "bad-store.txt line 2: this user already has a line above"

# A writer killed mid-update leaves a temporary file at most; the store stays whole.
cp "$store" "$store.before"
printf 'half a line' >"$store.tmp-999"
killed=0
for delay in 0.05 0.1 0.2 0.3 0.5; do
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" user add "k$delay" --password=p >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    lsahost "$S" user list
    check "after killing a writer at ${delay}s the store parses" status_is 0
done
lsahost "$S" handshake --user=alice --password=pencil
check "... and alice still authenticates" status_is 0
check "a stale temporary file is not read as the store" sh -c "! grep -q 'half a line' '$store'"

done_testing
