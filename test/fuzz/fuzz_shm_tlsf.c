/* fuzz_shm_tlsf.c - the allocator core (shm_tlsf.c) driven by operation sequences.
 *
 * Input: three bytes that choose the arena's capacity, then operations, one byte each plus their
 * arguments: allocate a size (small, 16-bit, 24-bit, or one at the edges), free the
 * k-th live block, free an offset that is no live block's start (inside one, freed
 * already, unaligned, past the end, any), make the metadata allocator fail, ask a block
 * size, free everything. After every step shm_tlsf_check() must pass and a shadow model
 * must agree: blocks 16-byte aligned, inside the arena, never overlapping, the counters
 * right; refused calls change nothing. */
#include "fuzz.h"
#include "../../src/common/shm_tlsf.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPS 128
#define MAX_OPS_HUGE 16
#define MAX_LIVE 128

typedef struct reader {
    const uint8_t *p;
    size_t left;
} reader;

/* The next n bytes little-endian; what is past the end reads as zero. */
static uint32_t take(reader *r, int n)
{
    uint32_t v = 0;

    for (int i = 0; i < n; i++) {
        if (r->left) {
            v |= (uint32_t)*r->p++ << (8 * i);
            r->left--;
        }
    }
    return v;
}

static long meta_allowed; /* metadata allocations left before one fails; -1: never */

static void *meta_alloc(void *context, size_t size)
{
    (void)context;
    if (meta_allowed == 0)
        return NULL;
    if (meta_allowed > 0)
        meta_allowed--;
    return malloc(size);
}

static void meta_free(void *context, void *memory)
{
    (void)context;
    free(memory);
}

static const shm_tlsf_meta_allocator meta = { meta_alloc, meta_free, NULL };

typedef struct shadow {
    uint32_t capacity;
    size_t count;
    uint32_t offset[MAX_LIVE], size[MAX_LIVE];
    uint64_t bytes;
    uint32_t last_freed; /* a block start that was freed, for double frees */
} shadow;

static long find(const shadow *s, uint32_t offset)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->offset[i] == offset)
            return (long)i;
    return -1;
}

/* The allocator's own checker, and the counters against the model. */
static void agree(const shm_tlsf *t, const shadow *s)
{
    shm_tlsf_stats st;

    FUZZ_CHECK(shm_tlsf_check(t) == NULL);
    shm_tlsf_get_stats(t, &st);
    FUZZ_CHECK(st.capacity == s->capacity && st.live_blocks == s->count &&
               st.live_bytes == s->bytes && st.high_water <= s->capacity);
}

static void do_alloc(shm_tlsf *t, shadow *s, uint32_t size)
{
    shm_tlsf_stats before, after;
    uint32_t offset = 1, got = 1;
    uint64_t rounded = ((uint64_t)size + 15) & ~(uint64_t)15;
    shm_tlsf_result r;

    if (s->count == MAX_LIVE)
        return;
    shm_tlsf_get_stats(t, &before);
    r = shm_tlsf_alloc(t, size, &offset, &got);
    if (r != SHM_TLSF_OK) {
        FUZZ_CHECK(offset == 0 && got == 0);
        FUZZ_CHECK(size == 0 ? r == SHM_TLSF_INVALID_PARAMETER
                             : r == SHM_TLSF_EXHAUSTED || r == SHM_TLSF_NO_METADATA);
        FUZZ_CHECK(r != SHM_TLSF_EXHAUSTED || rounded > s->capacity - s->bytes ||
                   s->count > 0 || rounded > s->capacity / 2);
        FUZZ_CHECK(r != SHM_TLSF_NO_METADATA || meta_allowed == 0);
        shm_tlsf_get_stats(t, &after);
        FUZZ_CHECK(!memcmp(&before, &after, sizeof(before)) || r == SHM_TLSF_NO_METADATA);
        FUZZ_CHECK(before.live_blocks == after.live_blocks &&
                   before.live_bytes == after.live_bytes);
        return;
    }
    FUZZ_CHECK(offset % SHM_TLSF_ALIGN == 0 && got == rounded);
    FUZZ_CHECK((uint64_t)offset + got <= s->capacity);
    for (size_t i = 0; i < s->count; i++)
        FUZZ_CHECK(offset + got <= s->offset[i] || s->offset[i] + s->size[i] <= offset);
    FUZZ_CHECK(shm_tlsf_block_size(t, offset) == got);
    s->offset[s->count] = offset;
    s->size[s->count] = got;
    s->count++;
    s->bytes += got;
}

static void do_free_live(shm_tlsf *t, shadow *s, size_t k)
{
    uint32_t size = 0;

    FUZZ_CHECK(shm_tlsf_free(t, s->offset[k], &size) == SHM_TLSF_OK && size == s->size[k]);
    FUZZ_CHECK(shm_tlsf_block_size(t, s->offset[k]) == 0);
    s->last_freed = s->offset[k];
    s->bytes -= s->size[k];
    s->count--;
    s->offset[k] = s->offset[s->count];
    s->size[k] = s->size[s->count];
}

/* A free of an offset the model says is no live block's start changes nothing. */
static void do_free_bogus(shm_tlsf *t, shadow *s, uint32_t offset)
{
    shm_tlsf_stats before, after;
    uint32_t size = 1;
    long k = find(s, offset);

    if (k >= 0) {
        do_free_live(t, s, (size_t)k);
        return;
    }
    shm_tlsf_get_stats(t, &before);
    FUZZ_CHECK(shm_tlsf_free(t, offset, &size) == SHM_TLSF_NOT_LIVE && size == 0);
    FUZZ_CHECK(shm_tlsf_block_size(t, offset) == 0);
    shm_tlsf_get_stats(t, &after);
    FUZZ_CHECK(!memcmp(&before, &after, sizeof(before)));
}

/* Offsets that are not live block starts, or might be: chosen by kind. */
static uint32_t bogus_offset(const shadow *s, uint32_t kind, uint32_t arg)
{
    const uint32_t k = s->count ? arg % (uint32_t)s->count : 0;

    switch (kind % 6) {
    case 0: /* inside a live block */
        return s->count && s->size[k] > 16 ? s->offset[k] + 16 * (1 + arg % (s->size[k] / 16 - 1))
                                           : s->capacity;
    case 1: return s->last_freed;                                  /* double free */
    case 2: return s->count ? s->offset[k] + 1 + arg % 15 : arg | 1;  /* unaligned */
    case 3: return s->capacity + 16 * (arg % 4);                   /* past the end */
    case 4: return UINT32_MAX - 15;
    default: return arg;                                           /* anything */
    }
}

/* Edges: exactly the arena, one past it, the largest sizes a caller can ask for. */
static uint32_t edge_size(const shadow *s, uint32_t which)
{
    const uint32_t sizes[] = { s->capacity, s->capacity + 1, s->capacity - 15, UINT32_MAX,
                               UINT32_MAX - 15, 1u << 31, s->capacity / 2, 0 };
    return sizes[which % (sizeof(sizes) / sizeof(sizes[0]))];
}

/* Frees every block (and stops failing metadata); the arena is then one free block
 * again, so half of it can be allocated whatever came before. */
static void free_all(shm_tlsf *t, shadow *s)
{
    uint32_t offset, size;

    while (s->count)
        do_free_live(t, s, s->count - 1);
    agree(t, s);
    meta_allowed = -1;
    if (s->capacity < 32)
        return;
    FUZZ_CHECK(shm_tlsf_alloc(t, s->capacity / 2, &offset, &size) == SHM_TLSF_OK &&
               offset == 0);
    FUZZ_CHECK(shm_tlsf_free(t, offset, NULL) == SHM_TLSF_OK);
}

static void visit(void *context, uint32_t offset, uint32_t size)
{
    shadow *s = context;
    long k = find(s, offset);

    FUZZ_CHECK(k >= 0 && s->size[k] == size);
    s->size[k] = 0; /* seen: a second visit would not match */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static shadow s;
    reader in = { data, size };
    uint32_t code = take(&in, 3);
    /* Up to 1 MiB, or just under 4 GiB for the size classes at the top. The checker's
     * cost grows with the arena's span, so a huge arena gets only a few steps. */
    int huge = (code & 0x800000u) != 0;
    uint32_t capacity = huge ? UINT32_MAX - (code & 0xffffu) : code & 0xfffffu;
    int max_ops = huge ? MAX_OPS_HUGE : MAX_OPS;
    shm_tlsf *t = (shm_tlsf *)&s; /* anything but NULL: a refused create must clear it */
    shm_tlsf_result r;

    meta_allowed = -1;
    memset(&s, 0, sizeof(s));
    r = shm_tlsf_create(capacity, &meta, &t);
    if (capacity < SHM_TLSF_ALIGN) {
        FUZZ_CHECK(r == SHM_TLSF_INVALID_PARAMETER && t == NULL);
        return 0;
    }
    FUZZ_CHECK(r == SHM_TLSF_OK && t != NULL);
    s.capacity = capacity & ~(SHM_TLSF_ALIGN - 1);
    s.last_freed = s.capacity;
    agree(t, &s);

    for (int op = 0; op < max_ops && in.left; op++) {
        uint32_t code = take(&in, 1), arg;
        switch (code % 8) {
        case 0:
        case 1:
            arg = take(&in, 1);
            switch (arg >> 6) {
            case 0: do_alloc(t, &s, arg & 63); break;
            case 1: do_alloc(t, &s, take(&in, 2)); break;
            case 2: do_alloc(t, &s, take(&in, 3)); break;
            default: do_alloc(t, &s, edge_size(&s, arg)); break;
            }
            break;
        case 2:
        case 3:
            arg = take(&in, 1);
            if (s.count)
                do_free_live(t, &s, arg % s.count);
            break;
        case 4:
            arg = take(&in, 1);
            do_free_bogus(t, &s, bogus_offset(&s, arg, take(&in, 4)));
            break;
        case 5:
            meta_allowed = (long)take(&in, 1) % 4;
            break;
        case 6:
            arg = take(&in, 4);
            FUZZ_CHECK(shm_tlsf_block_size(t, arg) == (find(&s, arg) >= 0 ? s.size[find(&s, arg)] : 0));
            break;
        default:
            free_all(t, &s);
            break;
        }
        agree(t, &s);
    }
    shm_tlsf_for_each_live(t, visit, &s);
    for (size_t i = 0; i < s.count; i++)
        FUZZ_CHECK(s.size[i] == 0);
    shm_tlsf_destroy(t);
    return 0;
}
