/* bench_shm.c - the shared-memory allocator against HeapAlloc/HeapFree, in one run.
 *
 * Both sides replay the same random sequence: a working set of live blocks with sizes
 * drawn uniformly from 16 B to 4 KiB; each step frees a random live block and allocates
 * a new one in its place, so the live count stays fixed. The shared-memory side goes
 * through the LSA callbacks the package calls (handle check, section lock, TLSF, commit,
 * wipe on free). Reported: ns per alloc+free pair, best of several rounds, and ratios.
 *
 * Targets (issue 2): shm/heap <= 1.0 at 1,000 live blocks; shm at 1,000,000 live blocks
 * <= 1.5 x shm at 1,000. A benchmark, never a test: nothing here fails a build. */
#include "../src/host/shm/host_shm.h"

#include <stdio.h>
#include <stdlib.h>

#define PAIRS 1000000
#define ROUNDS 5

typedef struct allocator {
    const char *name;
    void *(*alloc)(void *self, ULONG size);
    void (*free)(void *self, void *p);
    void *self;
} allocator;

static void *heap_alloc(void *self, ULONG size)
{
    return HeapAlloc(self, 0, size);
}

static void heap_free(void *self, void *p)
{
    HeapFree(self, 0, p);
}

static void *shm_alloc(void *self, ULONG size)
{
    return host_AllocateSharedMemory(self, size);
}

static void shm_free(void *self, void *p)
{
    host_FreeSharedMemory(self, p);
}

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 4;
}

/* Block sizes are uniform in [16, max_size]. */
static ULONG max_size = 4096;

static ULONG size_of(unsigned r)
{
    return 16 + r % (max_size - 16 + 1);
}

static double now_ns(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1e9 / (double)freq.QuadPart;
}

/* Fills `live` blocks, then times `pairs` free+alloc pairs; returns ns per pair (best
 * of `rounds`), or -1 when the allocator ran out. Frees everything afterwards. */
static double measure(const allocator *a, void **slots, ULONG live, ULONG pairs, int rounds)
{
    double best = -1;
    unsigned seed = 42;

    for (ULONG i = 0; i < live; i++)
        if (!(slots[i] = a->alloc(a->self, size_of(next(&seed)))))
            return -1;
    for (int round = 0; round < rounds; round++) {
        double start = now_ns(), ns;
        for (ULONG n = 0; n < pairs; n++) {
            ULONG i = next(&seed) % live;
            a->free(a->self, slots[i]);
            slots[i] = a->alloc(a->self, size_of(next(&seed)));
            if (!slots[i])
                return -1;
        }
        ns = (now_ns() - start) / pairs;
        if (best < 0 || ns < best)
            best = ns;
    }
    for (ULONG i = 0; i < live; i++)
        a->free(a->self, slots[i]);
    return best;
}

int main(void)
{
    enum { SMALL = 1000, LARGE = 1000000 };
    /* 1,000,000 blocks of 2 KiB on average need about 2 GiB of section. */
    const ULONG section_size = 0xf0000000u;
    void **slots = malloc(LARGE * sizeof(void *));
    HANDLE heap = HeapCreate(0, 0, 0);
    PVOID section;
    allocator heap_a = { "HeapAlloc/HeapFree (private heap)", heap_alloc, heap_free, heap };
    allocator shm_a = { "AllocateSharedMemory/FreeSharedMemory (filemap)", shm_alloc, shm_free, NULL };
    double heap_small, shm_small, heap_large, shm_large;

    setvbuf(stdout, NULL, _IONBF, 0);
    host_shm_init(shm_provider_filemap());
    section = host_CreateSharedMemory(section_size, 0);
    if (!slots || !heap || !section) {
        printf("bench_shm: cannot set up (section of %lu bytes: %p)\n", section_size, section);
        return 1;
    }
    shm_a.self = section;

    printf("alloc+free pairs, sizes uniform in [16, 4096] bytes, best of %d rounds of %d\n",
           ROUNDS, PAIRS);
    heap_small = measure(&heap_a, slots, SMALL, PAIRS, ROUNDS);
    printf("  %-50s %8.1f ns/pair at %7d live\n", heap_a.name, heap_small, SMALL);
    shm_small = measure(&shm_a, slots, SMALL, PAIRS, ROUNDS);
    printf("  %-50s %8.1f ns/pair at %7d live\n", shm_a.name, shm_small, SMALL);
    shm_large = measure(&shm_a, slots, LARGE, PAIRS, ROUNDS);
    printf("  %-50s %8.1f ns/pair at %7d live\n", shm_a.name, shm_large, LARGE);
    /* Wine's heap slows down badly with a million live blocks: a short sample of it,
     * for information only. */
    heap_large = measure(&heap_a, slots, LARGE, PAIRS / 100, 1);
    printf("  %-50s %8.1f ns/pair at %7d live (%d pairs)\n", heap_a.name, heap_large, LARGE,
           PAIRS / 100);

    printf("ratio shm/heap at %d live:          %.2f (target <= 1.00)\n", SMALL, shm_small / heap_small);
    printf("ratio shm %d live / %d live:  %.2f (target <= 1.50)\n", LARGE, SMALL, shm_large / shm_small);
    printf("ratio shm/heap at %d live:       %.2f (information)\n", LARGE, shm_large / heap_large);

    /* The same count with a footprint that stays near the caches: what the number of
     * live blocks costs, apart from where their memory lives. */
    max_size = 64;
    shm_small = measure(&shm_a, slots, SMALL, PAIRS, ROUNDS);
    shm_large = measure(&shm_a, slots, LARGE, PAIRS, ROUNDS);
    printf("sizes uniform in [16, 64] bytes:\n");
    printf("  %-50s %8.1f ns/pair at %7d live\n", shm_a.name, shm_small, SMALL);
    printf("  %-50s %8.1f ns/pair at %7d live\n", shm_a.name, shm_large, LARGE);
    printf("ratio shm %d live / %d live:  %.2f\n", LARGE, SMALL, shm_large / shm_small);
    host_DeleteSharedMemory(section);
    HeapDestroy(heap);
    free(slots);
    return 0;
}
