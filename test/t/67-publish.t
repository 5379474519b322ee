#!/bin/sh
# What sspkg publishes in its shared section, which every client process of lsahost
# serve has mapped: by default no user names (counts, times, sides, states, outcomes);
# with the administrator's opt-in (PublishUserNames in the registry, or
# SSPKG_PUBLISH_USER_NAMES) the names as well. Another client process looks for a
# user's name in every committed byte of the section while that user's handshake is
# recorded there and one of its contexts is still open.
. "$(dirname "$0")/tap.sh"
# The test's clients run from build/test; lsahost is build/lsahost.exe.
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE

store="$B/test/publish-store.txt"
rm -f "$store"
name=quetzalcoatl
lsahost --store="$store" user add $name --password=pencil
lsa_key='HKLM\System\CurrentControlSet\Control\Lsa\SCRAM-SHA-256'
reg() { "$top/scripts/wine.sh" reg "$@" >/dev/null 2>&1; }
trap 'reg delete "$lsa_key" /v PublishUserNames /f; rm -f "$out" "$out.raw"' EXIT
client() { "$top/scripts/wine.sh" "$B/test/pipe_client.exe" "$@" >"$out.raw" 2>&1; rc=$?; tr -d '\r' <"$out.raw" >"$out"; }

# round LABEL: lsahost serve; one client process authenticates as $name, a second
# holds a context for $name open, a third peeks at the section (output in $out) and
# the monitor shows it (output in $monitor).
monitor="$B/test/publish-monitor.out"
round() {
    pipe='\\.\pipe\sspkg-publish-'$$-$1
    log="$B/test/publish-$1.log"
    (cd "$B/test" && "$top/scripts/wine.sh" "$B/lsahost.exe" --store="$store" serve \
        "--pipe=$pipe" --exit-after=4 >"$log" 2>&1) &
    server=$!
    hold_dir=$(mktemp -d)
    mkfifo "$hold_dir/in"
    (cd "$B/test" && client pair "$pipe" $name pencil)
    "$top/scripts/wine.sh" "$B/test/pipe_client.exe" hold "$pipe" $name pencil \
        <"$hold_dir/in" >"$hold_dir/out" 2>&1 &
    holder=$!
    exec 5>"$hold_dir/in"
    for i in $(seq 1 300); do
        grep -q holding "$hold_dir/out" && break
        sleep 0.1
    done
    "$top/scripts/wine.sh" "$B/lsahost.exe" monitor "--pipe=$pipe" 2>&1 | tr -d '\r' >"$monitor"
    client peek "$pipe" $name
    exec 5>&-
    wait $holder
    wait $server
    grep -q holding "$hold_dir/out" && held=1 || held=0
    rm -rf "$hold_dir"
}

round default
check "a client process authenticated as $name, another held a context open" \
    sh -c "[ $held -eq 1 ] && grep -q 'handshakes succeeded 2,' '$monitor'"
check "by default another client finds no '$name' in the section, as UTF-8 or UTF-16" \
    has "as UTF-8 at -1; as UTF-16 at -1$"
check "... having read the whole committed section" has "peek: [1-9][0-9]* committed bytes"
check "the monitor says names are not published" grep -q "user names not published" "$monitor"
check "... and shows each event without one" grep -q "#1 [0-9TZ:-]* server: SEC_E_OK$" "$monitor"
check "... never the name" sh -c "! grep -q $name '$monitor'"

reg add "$lsa_key" /v PublishUserNames /t REG_DWORD /d 1 /f
round optin
check "with PublishUserNames = 1 another client finds '$name' in the section" \
    has "as UTF-8 at [0-9]"
check "... and the monitor shows it, saying names are published" \
    sh -c "grep -q 'user names published' '$monitor' && grep -q \"server user '$name': SEC_E_OK\" '$monitor'"

# The variable decides for tests, whatever the registry says; in-process here.
lsahost --store="$store" handshake --user=$name --password=pencil
check "PublishUserNames = 1 in-process too: the events name the user" \
    has "client user '$name': SEC_E_OK"
SSPKG_PUBLISH_USER_NAMES=0 lsahost --store="$store" handshake --user=$name --password=pencil
check "SSPKG_PUBLISH_USER_NAMES=0 over the registry's 1: not published" \
    sh -c "grep -q 'user names not published' '$out' && ! grep -q \"user '\" '$out'"
reg delete "$lsa_key" /v PublishUserNames /f
SSPKG_PUBLISH_USER_NAMES=1 lsahost --store="$store" handshake --user=$name --password=pencil
check "SSPKG_PUBLISH_USER_NAMES=1 alone: published" has "server user '$name': SEC_E_OK"

done_testing
