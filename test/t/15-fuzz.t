#!/bin/sh
# Every libFuzzer target in test/fuzz/ for a short run from its seeds (a fixed number
# of inputs and a fixed seed, through scripts/fuzz.sh): a crash, a sanitizer report or
# a broken invariant fails the test, and so does a target that was not built (make all
# builds them with clang; scripts/install-deps.sh installs clang and libFuzzer's
# runtime). The long runs are `make fuzz` (docs/fuzzing.md).
. "$(dirname "$0")/tap.sh"

# fuzz TARGET RUNS: the short run, its summary or report in $out.
fuzz() { "$top/scripts/fuzz.sh" --runs="$2" "$1" >"$out" 2>&1; }

cd "$top" || exit 1
for src in test/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    t=${t#fuzz_}
    # The allocator's target checks every structure after every step: fewer inputs.
    runs=10000
    [ "$t" = shm_tlsf ] && runs=2000
    check "$t: built, and $runs inputs run with every invariant holding" fuzz "$t" "$runs"
    check "$t: the summary counts $runs runs" has "^$t: $runs runs in "
done
done_testing
