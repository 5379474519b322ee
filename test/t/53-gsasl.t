#!/bin/sh
# lsahost client and server against GNU SASL's command line (Debian's gsasl), an
# independent SCRAM-SHA-256 implementation, both directions, through pipes; and the
# empty response a SASL client gives after the server's final message (v=).
#
# gsasl's line protocol without --connect (read from its src/gsasl.c): it prints the
# mechanism's name on stdout first, then each of its tokens as a base64 line, and reads
# the peer's tokens as lines on stdin. As a server it also prints its first token, which
# for SCRAM is empty (an empty challenge, as IMAP's "+ "): lines the SSPI client has no
# use for, so the adapters below drop them. A gsasl client answers v= with an empty
# line and then waits for one more line, the protocol's outcome (IMAP's "OK"), which the
# adapter gives it when lsahost's server has finished.
. "$(dirname "$0")/tap.sh"

store="$B/test/gsasl-store.txt"
rm -f "$store"
S="--store=$store"
lsahost "$S" user add alice --password=pencil
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$out"' EXIT
mkfifo "$dir/c2s" "$dir/s2c"
check "gsasl is installed (scripts/install-deps.sh)" command -v gsasl

# with_gsasl_server GSASL_OPTION... -- LSAHOST_CLIENT_OPTION...: gsasl --server and
# lsahost client. Statuses in $gsasl_rc and $rc, lsahost's stderr in $out, gsasl's in
# $dir/gsasl.err.
with_gsasl_server() {
    gopts=""
    while [ "$1" != "--" ]; do gopts="$gopts $1"; shift; done
    shift
    # shellcheck disable=SC2086 # the options are words
    ( gsasl --quiet --server $gopts <"$dir/c2s" 2>"$dir/gsasl.err"; echo $? >"$dir/gsasl.rc" ) |
        sed -u 1,2d >"$dir/s2c" &
    { "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client "$@" <"$dir/s2c" 2>"$out.raw"
      echo $? >"$dir/lsahost.rc"; } | sed -u 's/\r$//' >"$dir/c2s"
    wait
    rc=$(cat "$dir/lsahost.rc")
    gsasl_rc=$(cat "$dir/gsasl.rc")
    tr -d '\r' <"$out.raw" >"$out"
}

# with_gsasl_client GSASL_OPTION... -- LSAHOST_SERVER_OPTION...: gsasl --client and
# lsahost server, the same way round.
with_gsasl_client() {
    gopts=""
    while [ "$1" != "--" ]; do gopts="$gopts $1"; shift; done
    shift
    # shellcheck disable=SC2086
    ( { cat "$dir/s2c"; echo; } | gsasl --quiet --client $gopts 2>"$dir/gsasl.err"
      echo $? >"$dir/gsasl.rc" ) | sed -u 1d >"$dir/c2s" &
    { "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server "$@" <"$dir/c2s" 2>"$out.raw"
      echo $? >"$dir/lsahost.rc"; } | sed -u 's/\r$//' >"$dir/s2c"
    wait
    rc=$(cat "$dir/lsahost.rc")
    gsasl_rc=$(cat "$dir/gsasl.rc")
    tr -d '\r' <"$out.raw" >"$out"
}

# ---- gsasl --server, lsahost client -------------------------------------------------
with_gsasl_server --no-cb -m SCRAM-SHA-256 -p pencil -- --user alice --password pencil
check "gsasl server: lsahost client authenticates it (exit 0)" status_is 0
check "... mutual authentication" has "client: authenticated (SEC_E_OK"
check "... and gsasl's server, given the empty response, succeeds (exit 0)" [ "$gsasl_rc" -eq 0 ]

with_gsasl_server --no-cb -m SCRAM-SHA-256 -p pencil -- --user alice --password pencil \
    --no-empty-final
check "--no-empty-final: lsahost client still exits 0" status_is 0
check "... and gsasl's server, which waits for the empty response, fails" [ "$gsasl_rc" -ne 0 ]

with_gsasl_server --no-cb -m SCRAM-SHA-256 -p wrong -- --user alice --password pencil
check "gsasl server with another password: it fails (gsasl's command line sends no e=)" \
    [ "$gsasl_rc" -ne 0 ]
check "... and lsahost client, left without server-final, fails (exit 6)" status_is 6
check "... saying so" has "the peer's token did not come"

# ---- gsasl --client, lsahost server -------------------------------------------------
with_gsasl_client --no-cb -m SCRAM-SHA-256 -a alice -p pencil --
check "gsasl client: lsahost server authenticates it (exit 0)" status_is 0
check "... as alice" has "server: authenticated (SEC_E_OK"
check "... taking gsasl's empty response after v=" lacks "more after the server's final message"
check "... and gsasl's client verified the server (exit 0)" [ "$gsasl_rc" -eq 0 ]

with_gsasl_client --no-cb -m SCRAM-SHA-256 -a alice -p wrong --
check "gsasl client, wrong password: lsahost server refuses (exit 6)" status_is 6
check "... SEC_E_LOGON_DENIED" has "server: authentication failed: SEC_E_LOGON_DENIED"
check "... and gsasl's client fails on e=invalid-proof" [ "$gsasl_rc" -ne 0 ]

# ---- lsahost on both ends: the empty response optional ------------------------------
# both_ends [CLIENT_OPTION...]: lsahost client and lsahost server through the pipes.
both_ends() {
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server <"$dir/c2s" >"$dir/s2c" 2>"$out.raw" &
    server_pid=$!
    client_rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil "$@" \
        >"$dir/c2s" <"$dir/s2c" 2>/dev/null || client_rc=$?
    rc=0
    wait $server_pid || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
}
both_ends
check "lsahost client and server: both exit 0 with the empty response" \
    [ "$client_rc" -eq 0 -a "$rc" -eq 0 ]
both_ends --no-empty-final
check "... and without it (the server takes the end of input instead)" \
    [ "$client_rc" -eq 0 -a "$rc" -eq 0 ]

# A line that is not empty after v= is no SASL client's answer: after a client that sent
# no empty response has finished, the server's input goes on with a token.
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" server <"$dir/c2s" >"$dir/s2c" 2>"$out.raw" &
server_pid=$!
"$top/scripts/wine.sh" "$B/lsahost.exe" "$S" client --user alice --password pencil \
    --no-empty-final <"$dir/s2c" 2>/dev/null | { sed -u 's/\r$//'; echo Zm9v; } >"$dir/c2s"
rc=0
wait $server_pid || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "a token after the server's final message: the server fails (exit 6)" status_is 6
check "... and says why" has "only an empty response may follow it"

done_testing
