#!/bin/sh
# The fault-injecting provider fails each shared-memory request of the package in turn,
# during start-up and during a handshake; the package must survive every one: initialize,
# authenticate, shut down, leak nothing.
. "$(dirname "$0")/tap.sh"

store="$B/test/fault-store.txt"
rm -f "$store"
lsahost --store="$store" user add fault --password=pencil
check "a user for the handshakes" status_is 0

nth=1
while :; do
    lsahost --store="$store" --shm-fail-nth=$nth handshake --user=fault --password=pencil
    check "request $nth failed: handshake still succeeds (exit 0)" status_is 0
    check "request $nth failed: no leaks" has "lsahost: no leaks"
    # Stop once a run had no request number $nth left to fail.
    has "requests*(s), 0 failed on purpose" && break
    check "request $nth failed: the provider did fail it" has "1 failed on purpose"
    nth=$((nth + 1))
    [ $nth -le 20 ] || break
done
check "the package makes a bounded number of requests (went to $nth)" [ $nth -le 20 ]
# Section, status block, event ring, context table, and a record for each of the two
# contexts: six requests, each failed once.
check "every request was failed once (six: section, status, ring, table, 2 records)" [ $nth -eq 7 ]

lsahost --store="$store" --shm-fail-after=1 handshake --user=fault --password=pencil
check "every request after the first failing: handshake succeeds (exit 0)" status_is 0
check "... no leaks" has "lsahost: no leaks"
lsahost --store="$store" --shm-fail-after=2 handshake --user=fault --password=pencil
check "only the status block: the handshakes are still counted" has "handshakes succeeded 2, failed 0"
lsahost --shm-fail-after=1 --shm-provider=heap "$B/sspkg.dll"
check "fault injection wraps the heap provider too" has "lsahost: no leaks"

done_testing
