#!/bin/sh
# The fault-injecting provider fails each shared-memory request of the package in turn;
# the package must survive every one: initialize, run, shut down, leak nothing.
. "$(dirname "$0")/tap.sh"

nth=1
while :; do
    lsahost --shm-fail-nth=$nth "$B/sspkg.dll"
    check "request $nth failed: exit 0" status_is 0
    check "request $nth failed: no leaks" has "lsahost: no leaks"
    check "request $nth failed: SpGetInfo still answers" has "Name          SCRAM-SHA-256"
    # Stop once a run had no request number $nth left to fail.
    has "requests*(s), 0 failed on purpose" && break
    check "request $nth failed: the provider did fail it" has "1 failed on purpose"
    nth=$((nth + 1))
    [ $nth -le 20 ] || break
done
check "the package makes a bounded number of requests (went to $nth)" [ $nth -le 20 ]
check "every request was failed once (the package makes 2: section, status block)" [ $nth -eq 3 ]

lsahost --shm-fail-after=1 "$B/sspkg.dll"
check "every request after the first failing: exit 0, no leaks" has "lsahost: no leaks"
lsahost --shm-fail-after=1 --shm-provider=heap "$B/sspkg.dll"
check "fault injection wraps the heap provider too" has "lsahost: no leaks"

done_testing
