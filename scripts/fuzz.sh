#!/bin/sh
# fuzz.sh - runs libFuzzer targets (build/fuzz/<target>, built by `make all` or
# `make fuzz`; sources in test/fuzz/) and prints how many inputs each one ran.
#
#   scripts/fuzz.sh --seconds=N TARGET...   a long run: N seconds each, new inputs kept
#                                           in build/fuzz/corpus/<target>/ for next time
#   scripts/fuzz.sh --runs=N TARGET...      a short run (the test suite's): N inputs each,
#                                           a fixed seed, a fresh corpus, nothing kept
#
# Each target starts from its seeds, test/fuzz/corpus/<target>/ (read only), with its
# dictionary when it has one. A crash, a sanitizer report or a broken invariant fails
# the target: its report is printed and the input that caused it is kept as
# build/fuzz/crashes/<target>-crash-<sha1> (replay: build/fuzz/<target> FILE). Exits 1
# when any target failed or could not run. docs/fuzzing.md has the rest.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

usage() {
    echo "usage: scripts/fuzz.sh --seconds=N|--runs=N TARGET..." >&2
    exit 2
}

case "${1:-}" in
--seconds=[0-9]*) mode=long; limit="-max_total_time=${1#--seconds=}" ;;
--runs=[0-9]*) mode=short; limit="-runs=${1#--runs=} -seed=1" ;;
*) usage ;;
esac
shift
[ $# -gt 0 ] || usage

# Messages past SCRAM's 4096-byte limit must be reachable, with room for the parts
# around them (control byte, separators, a second message).
max_len=9000
failed=0
mkdir -p build/fuzz/crashes

# final_stat NAME: one of libFuzzer's -print_final_stats figures from $log.
final_stat() { sed -n "s/^stat::$1: *//p" "$log"; }

# One line for the run of target $t, which started at $start.
summary() {
    awk -v t="$t" -v s0="$start" -v s1="$(date +%s.%N)" \
        -v runs="$(final_stat number_of_executed_units)" \
        -v new="$(final_stat new_units_added)" -v rss="$(final_stat peak_rss_mb)" 'BEGIN {
        s = s1 - s0
        printf "%s: %d runs in %.1f s (%d per second), %d new inputs, peak RSS %d MB\n",
               t, runs, s, (s > 0 ? runs / s : 0), new, rss }'
}

for t in "$@"; do
    bin=build/fuzz/$t
    seeds=test/fuzz/corpus/$t
    if [ ! -x "$bin" ]; then
        echo "$t: FAILED: $bin is not built (make all builds it with clang)"
        failed=1
        continue
    fi
    if [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
        echo "$t: FAILED: no seeds in $seeds"
        failed=1
        continue
    fi
    case $t in
    lsa_wire) dict=test/fuzz/lsa_wire.dict ;;
    scram_client | scram_server | scram_msg | scram_store | base64) dict=test/fuzz/scram.dict ;;
    *) dict= ;;
    esac
    if [ "$mode" = long ]; then
        work=
        corpus=build/fuzz/corpus/$t
        log=build/fuzz/$t.log
        mkdir -p "$corpus"
    else
        work=$(mktemp -d)
        corpus=$work/corpus
        log=$work/log
        mkdir "$corpus"
    fi
    rc=0
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # $limit holds one or two options
    "$bin" $limit -max_len=$max_len -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$t-" ${dict:+-dict=$dict} \
        "$corpus" "$seeds" >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        summary
    else
        echo "$t: FAILED (libFuzzer exit $rc); the report:"
        grep -E 'invariant broken|ERROR|SUMMARY|^ *#[0-9]+ .* in |Test unit written' "$log" |
            head -30 | sed 's/^/    /'
        failed=1
    fi
    [ -z "$work" ] || rm -rf "$work"
done
exit $failed
