#!/bin/sh
# bench-instructions.sh - instructions per alloc+free pair of the allocator core at
# 1,000 and at 1,000,000 live blocks, counted by callgrind (repeatable, unlike time,
# and blind to cache misses): the O(1) claim, measured.
set -eu
prog=${1:-build/native/tlsf_pairs}
pairs=200000

count() { # LIVE PAIRS -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$prog" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

per_pair() { # LIVE -> instructions per pair
    base=$(count "$1" 0)
    full=$(count "$1" $pairs)
    echo $(( (full - base) / pairs ))
}

small=$(per_pair 1000)
large=$(per_pair 1000000)
echo "allocator core (native, callgrind), sizes uniform in [16, 4096] bytes:"
echo "  instructions per alloc+free pair at    1000 live: $small"
echo "  instructions per alloc+free pair at 1000000 live: $large"
awk -v s="$small" -v l="$large" 'BEGIN { printf "ratio 1000000 live / 1000 live: %.2f (instructions)\n", l / s }'
