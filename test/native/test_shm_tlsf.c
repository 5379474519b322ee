/* test_shm_tlsf.c - the portable allocator core, natively (ASan/UBSan, valgrind).
 * Checks the contract in shm_tlsf.h and runs shm_tlsf_check() after every operation. */
#include "../../src/common/shm_tlsf.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

/* Metadata allocator that can be told to fail its Nth call from now. */
static long meta_calls_until_failure = -1;

static void *meta_alloc(void *context, size_t size)
{
    (void)context;
    if (meta_calls_until_failure == 0)
        return NULL;
    if (meta_calls_until_failure > 0)
        meta_calls_until_failure--;
    return malloc(size);
}

static void meta_free(void *context, void *memory)
{
    (void)context;
    free(memory);
}

static const shm_tlsf_meta_allocator meta = { meta_alloc, meta_free, NULL };

static int checked(const shm_tlsf *t, const char *when)
{
    const char *broken = shm_tlsf_check(t);
    if (broken)
        diag("check failed after %s: %s", when, broken);
    return broken == NULL;
}

static void test_create(void)
{
    shm_tlsf *t = (shm_tlsf *)1;
    shm_tlsf_stats st;

    ok(shm_tlsf_create(15, &meta, &t) == SHM_TLSF_INVALID_PARAMETER && t == NULL,
       "capacity below one granule is refused and *out cleared");
    ok(shm_tlsf_create(4096, NULL, &t) == SHM_TLSF_INVALID_PARAMETER,
       "NULL metadata allocator is refused");
    ok(shm_tlsf_create(1000, &meta, &t) == SHM_TLSF_OK, "capacity 1000 accepted");
    shm_tlsf_get_stats(t, &st);
    ok(st.capacity == 992, "capacity rounded down to 16: got %u, wanted 992", st.capacity);
    ok(checked(t, "create"), "fresh allocator passes check");
    shm_tlsf_destroy(t);

    meta_calls_until_failure = 0;
    ok(shm_tlsf_create(4096, &meta, &t) == SHM_TLSF_NO_METADATA && t == NULL,
       "metadata failure at create reported as SHM_TLSF_NO_METADATA");
    meta_calls_until_failure = 2;
    ok(shm_tlsf_create(4096, &meta, &t) == SHM_TLSF_NO_METADATA && t == NULL,
       "metadata failure midway through create cleans up (ASan/valgrind see no leak)");
    meta_calls_until_failure = -1;
}

static void test_alignment_and_boundaries(void)
{
    shm_tlsf *t;
    uint32_t off, size, offsets[64];
    int all_aligned = 1, i;
    shm_tlsf_result r;

    shm_tlsf_create(64 * 1024, &meta, &t);
    for (i = 0; i < 64; i++) {
        shm_tlsf_alloc(t, (uint32_t)(1 + i * 7), &offsets[i], &size);
        all_aligned &= offsets[i] % 16 == 0 && size % 16 == 0 && size >= (uint32_t)(1 + i * 7);
    }
    ok(all_aligned, "64 odd-sized blocks are 16-aligned and rounded up to 16");
    ok(checked(t, "64 allocations"), "check passes with 64 live blocks");
    for (i = 0; i < 64; i++)
        shm_tlsf_free(t, offsets[i], NULL);
    ok(checked(t, "64 frees"), "check passes after freeing all");

    ok(shm_tlsf_alloc(t, 0, &off, &size) == SHM_TLSF_INVALID_PARAMETER && off == 0 && size == 0,
       "size 0 refused, outputs cleared");
    r = shm_tlsf_alloc(t, 64 * 1024, &off, &size);
    ok(r == SHM_TLSF_OK && off == 0 && size == 65536,
       "a block of exactly the capacity fits: result %d offset %u size %u", r, off, size);
    ok(shm_tlsf_alloc(t, 1, &off, &size) == SHM_TLSF_EXHAUSTED, "nothing fits in a full arena");
    shm_tlsf_free(t, 0, NULL);
    ok(shm_tlsf_alloc(t, 64 * 1024 + 1, &off, &size) == SHM_TLSF_EXHAUSTED,
       "one byte over capacity is exhausted, not truncated");
    ok(shm_tlsf_alloc(t, UINT32_MAX, &off, &size) == SHM_TLSF_EXHAUSTED,
       "UINT32_MAX does not overflow the rounding");
    ok(checked(t, "boundaries"), "check passes after boundary cases");
    shm_tlsf_destroy(t);
}

static void test_exhaustion(void)
{
    shm_tlsf *t;
    uint32_t off, n = 0;
    shm_tlsf_stats st;

    shm_tlsf_create(4096, &meta, &t);
    while (shm_tlsf_alloc(t, 16, &off, NULL) == SHM_TLSF_OK)
        n++;
    shm_tlsf_get_stats(t, &st);
    ok(n == 256 && st.live_bytes == 4096, "exactly 256 blocks of 16 fill 4096: got %u", n);
    ok(checked(t, "exhaustion"), "check passes when full");
    shm_tlsf_free(t, 2048, NULL);
    off = 0;
    shm_tlsf_alloc(t, 16, &off, NULL);
    ok(off == 2048, "the freed hole is reused: got offset %u, wanted 2048", off);
    shm_tlsf_destroy(t);
}

static void test_bad_frees(void)
{
    shm_tlsf *t;
    uint32_t a, b, size;
    shm_tlsf_stats before, after;

    shm_tlsf_create(1 << 20, &meta, &t);
    shm_tlsf_alloc(t, 100, &a, NULL);
    shm_tlsf_alloc(t, 100, &b, NULL);
    shm_tlsf_get_stats(t, &before);

    ok(shm_tlsf_free(t, a + 16, &size) == SHM_TLSF_NOT_LIVE && size == 0, "interior offset refused");
    ok(shm_tlsf_free(t, a + 1, NULL) == SHM_TLSF_NOT_LIVE, "misaligned offset refused");
    ok(shm_tlsf_free(t, 1u << 20, NULL) == SHM_TLSF_NOT_LIVE, "offset at capacity refused");
    ok(shm_tlsf_free(t, UINT32_MAX - 15, NULL) == SHM_TLSF_NOT_LIVE, "far offset refused");
    ok(shm_tlsf_free(t, 512 * 1024, NULL) == SHM_TLSF_NOT_LIVE,
       "offset in a region never allocated (no map leaf) refused");
    ok(shm_tlsf_free(t, b + 112, NULL) == SHM_TLSF_NOT_LIVE, "free-space offset refused");
    shm_tlsf_get_stats(t, &after);
    ok(before.live_blocks == after.live_blocks && before.live_bytes == after.live_bytes,
       "refused frees changed nothing");
    ok(shm_tlsf_free(t, a, &size) == SHM_TLSF_OK, "a live block is freed");
    ok(size == 112, "free reports the block size: got %u, wanted 112", size);
    ok(shm_tlsf_free(t, a, NULL) == SHM_TLSF_NOT_LIVE, "double free refused");
    ok(shm_tlsf_block_size(t, a) == 0 && shm_tlsf_block_size(t, b) == 112,
       "block_size: 0 for freed, 112 for live");
    ok(checked(t, "bad frees"), "check passes after refused frees");
    shm_tlsf_destroy(t);
}

static void test_metadata_failure_changes_nothing(void)
{
    shm_tlsf *t;
    uint32_t off;
    int failures = 0, intact = 1, i;

    shm_tlsf_create(16 << 20, &meta, &t);
    /* Blocks spread across many map leaves force new leaves and descriptor chunks. */
    for (i = 0; i < 3000; i++) {
        meta_calls_until_failure = i % 2 ? 0 : -1;
        shm_tlsf_result r = shm_tlsf_alloc(t, 4000, &off, NULL);
        if (r == SHM_TLSF_NO_METADATA)
            failures++;
        else if (r != SHM_TLSF_OK)
            break;
        intact &= shm_tlsf_check(t) == NULL;
    }
    meta_calls_until_failure = -1;
    ok(failures > 0, "metadata allocation failures were hit (%d)", failures);
    ok(intact, "every failed allocation left the allocator consistent");
    shm_tlsf_destroy(t);
}

/* A model of the arena: which granules are live, and each block's start and size. */
static void test_random_against_model(void)
{
    enum { CAPACITY = 1 << 20, SLOTS = 2000, STEPS = 200000 };
    static uint8_t owner_map[CAPACITY / 16]; /* 1 + slot, or 0 */
    static uint32_t slot_off[SLOTS], slot_size[SLOTS];
    static int slot_live[SLOTS];
    shm_tlsf *t;
    unsigned seed = 12345;
    int step, overlaps = 0, mismatches = 0, check_failures = 0, allocs = 0, frees = 0;
    uint64_t model_bytes = 0;
    shm_tlsf_stats st;

    memset(owner_map, 0, sizeof(owner_map));
    shm_tlsf_create(CAPACITY, &meta, &t);
    for (step = 0; step < STEPS; step++) {
        int slot;
        seed = seed * 1103515245u + 12345u;
        slot = (int)((seed >> 8) % SLOTS);
        if (!slot_live[slot]) {
            uint32_t want = 1 + (seed >> 4) % 4096, off, size, g;
            if (shm_tlsf_alloc(t, want, &off, &size) != SHM_TLSF_OK)
                continue;
            for (g = off / 16; g < (off + size) / 16; g++) {
                overlaps += owner_map[g] != 0;
                owner_map[g] = 1;
            }
            slot_off[slot] = off;
            slot_size[slot] = size;
            slot_live[slot] = 1;
            model_bytes += size;
            allocs++;
        } else {
            uint32_t size, g;
            if (shm_tlsf_free(t, slot_off[slot], &size) != SHM_TLSF_OK || size != slot_size[slot])
                mismatches++;
            for (g = slot_off[slot] / 16; g < (slot_off[slot] + slot_size[slot]) / 16; g++)
                owner_map[g] = 0;
            slot_live[slot] = 0;
            model_bytes -= slot_size[slot];
            frees++;
        }
        if (step % 97 == 0 && shm_tlsf_check(t))
            check_failures++;
    }
    shm_tlsf_get_stats(t, &st);
    ok(allocs > 50000 && frees > 50000, "random run did %d allocations and %d frees", allocs, frees);
    ok(overlaps == 0, "no two live blocks overlapped (%d overlaps)", overlaps);
    ok(mismatches == 0, "every free returned the allocated size (%d mismatches)", mismatches);
    ok(check_failures == 0, "check held throughout (%d failures)", check_failures);
    ok(st.live_bytes == model_bytes, "live bytes agree with the model: %llu vs %llu",
       (unsigned long long)st.live_bytes, (unsigned long long)model_bytes);
    for (step = 0; step < SLOTS; step++)
        if (slot_live[step])
            shm_tlsf_free(t, slot_off[step], NULL);
    shm_tlsf_get_stats(t, &st);
    ok(st.live_blocks == 0 && checked(t, "drain"), "draining the model leaves an empty, valid arena");
    ok(shm_tlsf_alloc(t, CAPACITY, &slot_off[0], NULL) == SHM_TLSF_OK,
       "after draining, every neighbour merged back into one block of the full capacity");
    shm_tlsf_destroy(t);
}

int main(void)
{
    test_create();
    test_alignment_and_boundaries();
    test_exhaustion();
    test_bad_frees();
    test_metadata_failure_changes_nothing();
    test_random_against_model();
    return done_testing();
}
