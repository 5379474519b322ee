/* tlsf_pairs.c - the allocator core alone, natively, for counting instructions.
 *
 * usage: tlsf_pairs LIVE PAIRS
 * Allocates LIVE blocks (sizes uniform in [16, 4096]) in a 3.75 GiB arena, then does
 * PAIRS free+alloc pairs on random live blocks. scripts/bench-instructions.sh runs it
 * under callgrind with PAIRS = 0 and PAIRS = N, so the difference divided by N is the
 * instructions one pair costs, whatever the set-up cost. */
#include "../src/common/shm_tlsf.h"

#include <stdio.h>
#include <stdlib.h>

static void *meta_alloc(void *context, size_t size)
{
    (void)context;
    return malloc(size);
}

static void meta_free(void *context, void *memory)
{
    (void)context;
    free(memory);
}

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 4;
}

int main(int argc, char **argv)
{
    const shm_tlsf_meta_allocator meta = { meta_alloc, meta_free, NULL };
    unsigned seed = 42;
    uint32_t *offsets;
    unsigned long live, pairs;
    shm_tlsf *t;

    if (argc != 3 || !(live = strtoul(argv[1], NULL, 10)) || live > 1000000) {
        fprintf(stderr, "usage: tlsf_pairs LIVE(1..1000000) PAIRS\n");
        return 1;
    }
    pairs = strtoul(argv[2], NULL, 10);
    offsets = malloc(live * sizeof(*offsets));
    if (!offsets || shm_tlsf_create(0xf0000000u, &meta, &t) != SHM_TLSF_OK)
        return 1;
    for (unsigned long i = 0; i < live; i++)
        if (shm_tlsf_alloc(t, 16 + next(&seed) % 4081, &offsets[i], NULL) != SHM_TLSF_OK)
            return 1;
    for (unsigned long n = 0; n < pairs; n++) {
        unsigned long i = next(&seed) % live;
        shm_tlsf_free(t, offsets[i], NULL);
        if (shm_tlsf_alloc(t, 16 + next(&seed) % 4081, &offsets[i], NULL) != SHM_TLSF_OK)
            return 1;
    }
    shm_tlsf_destroy(t);
    free(offsets);
    return 0;
}
