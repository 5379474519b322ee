#!/bin/sh
# lsahost client and server against GNU SASL's command line (Debian's gsasl), an
# independent SCRAM-SHA-256 implementation, both directions, through pipes: the empty
# response a SASL client gives after the server's final message (v=), and
# SCRAM-SHA-256-PLUS, channel binding with tls-exporter and tls-unique.
#
# gsasl's line protocol without --connect (read from its src/gsasl.c): it prints the
# mechanism's name on stdout first, then each of its tokens as a base64 line, and reads
# the peer's tokens as lines on stdin. As a server it also prints its first token, which
# for SCRAM is empty (an empty challenge, as IMAP's "+ "): lines the SSPI client has no
# use for, so the adapters below drop them. A gsasl client answers v= with an empty
# line and then waits for one more line, the protocol's outcome (IMAP's "OK"), which the
# adapter gives it when lsahost's server has finished. Without --connect gsasl asks for
# channel-binding data (base64) on stdin when its mechanism needs it, through readline,
# which prints the question on stdout before the next token: a client asks before its
# first message (tls-exporter, then tls-unique if that line is empty), a server after
# the client's first message. The adapters feed those lines and drop the questions.
. "$(dirname "$0")/tap.sh"

store="$B/test/gsasl-store.txt"
rm -f "$store"
S="--store=$store"
lsahost "$S" user add alice --password=pencil
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$out"' EXIT
mkfifo "$dir/c2s" "$dir/s2c" "$dir/feed"
ask='s/^\(Enter base64 encoded [a-z-]* channel binding: \)*//'
server_cb=""
client_cb=""
check "gsasl is installed (scripts/install-deps.sh)" sh -c 'command -v gsasl >/dev/null'

# lsahost_end SIDE IN OUT TOKENS OPTION...: lsahost client or server between the pipes
# IN and OUT (its tokens also kept in TOKENS), once gsasl's end is running; then both
# statuses in $rc and $gsasl_rc and lsahost's stderr in $out.
lsahost_end() {
    side=$1 in=$2 to=$3 tokens=$4
    shift 4
    { "$top/scripts/wine.sh" "$B/lsahost.exe" "$S" "$side" "$@" <"$in" 2>"$out.raw"
      echo $? >"$dir/lsahost.rc"; } | sed -u 's/\r$//' | tee "$tokens" >"$to"
    wait
    rc=$(cat "$dir/lsahost.rc")
    gsasl_rc=$(cat "$dir/gsasl.rc")
    tr -d '\r' <"$out.raw" >"$out"
}

# with_gsasl_server GSASL_OPTION... -- LSAHOST_CLIENT_OPTION...: gsasl --server and
# lsahost client. Statuses in $gsasl_rc and $rc, lsahost's stderr in $out, gsasl's in
# $dir/gsasl.err.
with_gsasl_server() {
    gopts=""
    while [ "$1" != "--" ]; do gopts="$gopts $1"; shift; done
    shift
    # gsasl reads a feeder, not the pipe, so that when it stops early the feeder's
    # blocked read keeps nothing open that lsahost waits on.
    { IFS= read -r first; echo "$first"; [ -z "$server_cb" ] || echo "$server_cb"; exec cat; } \
        <"$dir/c2s" >"$dir/feed" 2>/dev/null &
    # shellcheck disable=SC2086 # the options are words
    ( gsasl --quiet --server $gopts <"$dir/feed" 2>"$dir/gsasl.err"; echo $? >"$dir/gsasl.rc" ) |
        sed -u "1,2d; $ask" >"$dir/s2c" &
    lsahost_end client "$dir/s2c" "$dir/c2s" "$dir/client-tokens" "$@"
}

# with_gsasl_client GSASL_OPTION... -- LSAHOST_SERVER_OPTION...: gsasl --client and
# lsahost server, the same way round.
with_gsasl_client() {
    gopts=""
    while [ "$1" != "--" ]; do gopts="$gopts $1"; shift; done
    shift
    { [ -z "$client_cb" ] || printf '%s\n' "$client_cb"; cat "$dir/s2c"; echo; } \
        >"$dir/feed" 2>/dev/null &
    # shellcheck disable=SC2086
    ( gsasl --quiet --client $gopts <"$dir/feed" 2>"$dir/gsasl.err"; echo $? >"$dir/gsasl.rc" ) |
        sed -u "1d; $ask" >"$dir/c2s" &
    lsahost_end server "$dir/c2s" "$dir/s2c" "$dir/server-tokens" "$@"
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

# ---- SCRAM-SHA-256-PLUS -------------------------------------------------------------
# Binding data as a TLS stack would give it: 32 bytes of tls-exporter output, a 12-byte
# TLS 1.2 Finished for tls-unique. gsasl takes base64, lsahost hex.
exporter=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
unique=a1b2c3d4e5f60718293a4b5c
other=ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
b64hex() { perl -e 'print pack("H*", $ARGV[0])' "$1" | base64 -w0; }
# The last token lsahost's server sent, decoded.
server_said() { tail -n 1 "$dir/server-tokens" | base64 -d; }

client_cb=$(b64hex $exporter)
with_gsasl_client -m SCRAM-SHA-256-PLUS -a alice -p pencil -- \
    --channel-binding=tls-exporter:$exporter
check "gsasl client, SCRAM-SHA-256-PLUS over tls-exporter: lsahost server authenticates it" \
    status_is 0
check "... and gsasl's client verified the server" [ "$gsasl_rc" -eq 0 ]

client_cb=$(printf '\n%s' "$(b64hex $unique)")
with_gsasl_client -m SCRAM-SHA-256-PLUS -a alice -p pencil -- \
    --channel-binding=tls-unique:$unique
check "gsasl client, SCRAM-SHA-256-PLUS over tls-unique: both succeed" \
    [ "$rc" -eq 0 -a "$gsasl_rc" -eq 0 ]

client_cb=$(b64hex $other)
with_gsasl_client -m SCRAM-SHA-256-PLUS -a alice -p pencil -- \
    --channel-binding=tls-exporter:$exporter
check "the client's channel differs (a relay): lsahost server refuses (exit 6)" status_is 6
check "... SEC_E_BAD_BINDINGS" has "server: authentication failed: SEC_E_BAD_BINDINGS"
check "... answering e=channel-bindings-dont-match" [ "$(server_said)" = "e=channel-bindings-dont-match" ]
check "... and gsasl's client fails" [ "$gsasl_rc" -ne 0 ]

client_cb=$(b64hex $exporter)
with_gsasl_client -m SCRAM-SHA-256-PLUS -a alice -p pencil -- \
    --channel-binding=tls-unique:$unique
check "the client binds tls-exporter, the server has tls-unique: refused" status_is 6
check "... e=unsupported-channel-binding-type" \
    [ "$(server_said)" = "e=unsupported-channel-binding-type" ]

with_gsasl_client -m SCRAM-SHA-256-PLUS -a alice -p pencil --
check "the client requires binding, the server has none: refused" status_is 6
check "... e=channel-binding-not-supported" [ "$(server_said)" = "e=channel-binding-not-supported" ]

# A SCRAM-SHA-256 client that has a channel should say "y" (it could bind, but believes
# the server cannot); gsasl 2.2.0's cannot: it names the binding's type with "y", and its
# own check of client-first refuses that. test/t/50-scram-cli.t feeds the server a "y".
client_cb=""

server_cb=$(b64hex $exporter)
with_gsasl_server -m SCRAM-SHA-256-PLUS -p pencil -- --user alice --password pencil \
    --channel-binding=tls-exporter:$exporter
check "gsasl server, SCRAM-SHA-256-PLUS: lsahost client authenticates it" status_is 0
check "... client-first says p=tls-exporter" [ -n "$(grep -x 'cD10bHMtZXhwb3J0ZXIsLG49YWxpY2Us.*' "$dir/client-tokens")" ]
check "... and gsasl's server, checking the binding, succeeds" [ "$gsasl_rc" -eq 0 ]
server_cb=$(b64hex $other)
with_gsasl_server -m SCRAM-SHA-256-PLUS -p pencil -- --user alice --password pencil \
    --channel-binding=tls-exporter:$exporter
check "gsasl server on another channel: it refuses lsahost client's binding" [ "$gsasl_rc" -ne 0 ]
check "... and lsahost client fails too" status_is 6
server_cb=""

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
