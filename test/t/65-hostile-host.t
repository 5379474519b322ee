#!/bin/sh
# lsahost serve against hostile local processes (test/wine/attacker.c): a squatter on
# its pipe name, connections that never speak, a process that opens more connections
# or takes more handles than its share, a full lsahost. Each time the offender is the
# one refused, told why, and an honest client (pipe_client pair) still authenticates.
. "$(dirname "$0")/tap.sh"
# The test's clients run from build/test; lsahost is build/lsahost.exe.
SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
export SSPKG_LSAHOST_IMAGE

store="$B/test/hostile-store.txt"
rm -f "$store"
lsahost --store="$store" user add alice --password=pencil
cd "$B/test"
W="$top/scripts/wine.sh"
pipe='\\.\pipe\sspkg-hostile-'$$
log="$B/test/hostile.log"
attack() { "$W" "$B/test/attacker.exe" "$@" 2>&1 | tr -d '\r'; }
# attack_in_background FILE ARGS...: the attacker's lines go to FILE as they come (tr
# would hold them back until it exits); wait_for reads them.
attack_in_background() { f=$1; shift; "$W" "$B/test/attacker.exe" "$@" >"$f" 2>&1 & }
honest() { rc=0; "$W" "$B/test/pipe_client.exe" pair "$pipe" alice pencil >"$out.raw" 2>&1 || rc=$?; tr -d '\r' <"$out.raw" >"$out"; }
# wait_for FILE TEXT: until TEXT is in FILE (at most 10 s).
wait_for() { for i in $(seq 1 100); do tr -d '\r' <"$1" | grep -q -- "$2" && return 0; sleep 0.1; done; return 1; }

# A squatter holds the name first: lsahost refuses to serve it.
attack_in_background "$B/test/squat.out" squat "$pipe" 8
squatter=$!
wait_for "$B/test/squat.out" "holding the name"
# (bounded: an lsahost that did serve would otherwise wait for clients for ever)
rc=0
timeout 30 "$W" "$B/lsahost.exe" --store="$store" serve "--pipe=$pipe" >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "a squatter holds the pipe name: lsahost refuses to serve it (exit 6)" status_is 6
check "... and says why" has "cannot serve: the pipe .* already exists"
kill $squatter 2>/dev/null; wait $squatter 2>/dev/null

# Small limits, so the attacks are quick to mount.
pipe='\\.\pipe\sspkg-hostile2-'$$
"$W" "$B/lsahost.exe" --trace --store="$store" serve "--pipe=$pipe" --max-connections=8 \
    --max-connections-per-process=4 --max-credentials-per-process=16 \
    --max-contexts-per-process=16 --hello-timeout=1500 --cpu-per-process=50 >"$log" 2>&1 &
wait_for "$log" "serving"

attack idle "$pipe" 2 4 >"$out"
check "connections that never say HELLO: hung up by lsahost" [ "$(grep -c 'hung up by lsahost' "$out")" -eq 2 ]
check "... with the reason in lsahost's log" wait_for "$log" "dropped: no HELLO within 1500 ms"

attack_in_background "$B/test/hog1.out" hello-idle "$pipe" 6 6
hog1=$!
wait_for "$B/test/hog1.out" "of 6 accepted"
tr -d '\r' <"$B/test/hog1.out" >"$out"
check "one process opening 6 connections: 4 accepted (its quota)" has "^4 of 6 accepted"
check "... the other 2 refused with SEC_E_INSUFFICIENT_MEMORY in a GOODBYE" [ "$(grep -c 'refused 0x80090300 (GOODBYE)' "$out")" -eq 2 ]
check "... and lsahost's log names the offender's quota" wait_for "$log" "refused: process [0-9]* already has 4 connection(s), its quota"
honest
check "meanwhile an honest client authenticates" status_is 0

# A second hog fills lsahost (8 connections); a newcomer makes the biggest holder pay.
attack_in_background "$B/test/hog2.out" hello-idle "$pipe" 4 6
hog2=$!
wait_for "$B/test/hog2.out" "of 4 accepted"
honest
check "lsahost full of two hogs' idle connections: an honest client still authenticates" status_is 0
check "... because a hog's longest-idle connection was evicted, with the reason" wait_for "$log" "dropped: evicted: lsahost is full (8 connections) and process [0-9]* holds 4"
wait $hog1 $hog2

attack_in_background "$B/test/creds.out" handles "$pipe" cred 3
hog=$!
wait_for "$B/test/creds.out" "handles: made"
tr -d '\r' <"$B/test/creds.out" >"$out"
check "one process taking credentials: 16 made (its quota), then SEC_E_INSUFFICIENT_MEMORY" has "made 16 cred(s), then 0x80090300"
honest
check "... while it holds them, an honest client authenticates" status_is 0
wait $hog
attack handles "$pipe" context 0 >"$out"
check "one process taking contexts: 16 made (its quota), then SEC_E_INSUFFICIENT_MEMORY" has "made 16 context(s), then 0x80090300"
check "... refused with the reason in lsahost's log" wait_for "$log" "refused: process [0-9]* holds 16 contexts, its quota"

attack_in_background "$B/test/logons.out" handles "$pipe" logon 3
hog=$!
wait_for "$B/test/logons.out" "handles: made"
tr -d '\r' <"$B/test/logons.out" >"$out"
check "one connection taking logon sessions (LsaLogonUser): 16, then STATUS_QUOTA_EXCEEDED" has "made 16 logon(s), then 0xc0000044"
honest
check "... while it holds them, an honest client authenticates" status_is 0
wait $hog
check "... and its 16 sessions end with its connection" wait_for "$log" "ended 16 logon session(s)"

# The logon-session quota is the process's, not the connection's: a process opening its 4
# connections gets 16 sessions in all, and another process still gets its own 16.
attack_in_background "$B/test/logons4.out" logons "$pipe" 4 3
hog=$!
wait_for "$B/test/logons4.out" "logons: made"
tr -d '\r' <"$B/test/logons4.out" >"$out"
check "one process taking logon sessions on 4 connections: 16 in all (its process's quota)" has "logons: made 16 over 4 connection(s)"
check "... its later connections refused at once with STATUS_QUOTA_EXCEEDED" has "connection 4 made 0, then 0xc0000044"
check "... with the reason in lsahost's log" wait_for "$log" "refused: process [0-9]* holds 16 logon sessions, its quota"
attack handles "$pipe" logon 0 >"$out"
check "... meanwhile another process takes its own 16 sessions" has "made 16 logon(s), then 0xc0000044"
wait $hog

# Work amplification: a client playing the SCRAM server to its own contexts.
attack grind "$pipe" 10000000 3 1 >"$out"
check "server-first with i=10000000: the client context refuses it (SEC_E_ALGORITHM_MISMATCH), no PBKDF2" has "grind: 3 round(s) at i=10000000, the last answered 0x80090331"
attack_in_background "$B/test/grind.out" grind "$pipe" 100000 8 2
grinder=$!
honest
check "a process grinding PBKDF2 at the ceiling (i=100000): an honest client authenticates meanwhile" status_is 0
wait $grinder
tr -d '\r' <"$B/test/grind.out" >"$out"
check "... the grinder's rounds did run PBKDF2 (its client answered each)" has "grind: 16 round(s) at i=100000, the last answered 0x00090312"
check "... and, over its CPU budget, it waited in its own lane" wait_for "$log" "over its CPU budget, waits"

# Trust is decided by lsahost, once, when a connection says HELLO: a process that claims
# to be a logon process (what LsaRegisterLogonProcess asks for) without SeTcbPrivilege
# is refused with LsaRegisterLogonProcess's status, and never reaches the package. (No
# Wine token holds SeTcbPrivilege, so the admitted case cannot run here.)
attack logon-process "$pipe" 1 >"$out"
check "HELLO as a logon process without SeTcbPrivilege: refused, STATUS_PORT_CONNECTION_REFUSED" has "connection 1: refused 0xc0000041$"
check "... a call made anyway is not answered: the connection is dropped" has "call after HELLO: dropped"
check "... lsahost's log says why it refused" wait_for "$log" "refused as a logon process: its token does not hold SeTcbPrivilege"
check "... and why it dropped the connection" wait_for "$log" "dropped: request 9 before HELLO"
attack logon-process "$pipe" 2 >"$out"
check "a logon-process flag other than 0 or 1: dropped at HELLO" has "connection 1: refused 0xffffffff"
check "... lsahost's log says why" wait_for "$log" "dropped: HELLO's logon-process flag is not 0 or 1"
honest
check "... and an honest client still authenticates" status_is 0

# While lsahost serves, a squatter can add an instance of the pipe only where the DACL
# does not stop it: under Wine (which does not check pipe DACLs) and, on Windows, from
# lsahost's own account. The client's check of the server is what stops it then
# (test/t/64-fake-server.t).
attack add-instance "$pipe" 1 >"$out"
check "an instance added beside lsahost's (Wine ignores the pipe's DACL): reported, not hidden" has "add-instance: \(added an instance\|refused\)"

pid=$(pgrep -f "lsahost.exe --trace --store=$store serve" | head -1)
kill -INT "$pid"
wait_for "$log" "no leaks\|leak:"
tr -d '\r' <"$log" >"$out"
check "after all of it, lsahost stops with no leaks" has "lsahost: no leaks"

# An lsahost of one connection, held by a hog: the honest newcomer's process would hold
# as many as the hog, so the newcomer is the one refused, and its client code returns
# the GOODBYE's status rather than a broken pipe's.
pipe='\\.\pipe\sspkg-hostile3-'$$
log3="$B/test/hostile3.log"
"$W" "$B/lsahost.exe" --store="$store" serve "--pipe=$pipe" --max-connections=1 >"$log3" 2>&1 &
wait_for "$log3" "serving"
attack_in_background "$B/test/hog3.out" hello-idle "$pipe" 1 4
hog3=$!
wait_for "$B/test/hog3.out" "of 1 accepted"
honest
check "lsahost full, nobody holding more than the newcomer would: the honest newcomer is refused" status_is 1
check "... and its client code returns the GOODBYE's SEC_E_INSUFFICIENT_MEMORY" has "connect failed: 0x80090300"
check "... lsahost's log says why" wait_for "$log3" "refused: lsahost is full (1 connections) and no process holds more than its share"
wait $hog3
pid=$(pgrep -f "lsahost.exe --store=$store serve" | head -1)
kill -INT "$pid"
wait_for "$log3" "no leaks\|leak:"

done_testing
