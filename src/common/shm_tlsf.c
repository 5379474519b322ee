/* shm_tlsf.c - two-level segregated-fit allocator with out-of-band metadata.
 * Contract in shm_tlsf.h; the design follows Masmano et al., "TLSF: a new dynamic
 * memory allocator for real-time systems" (ECRTS 2004), with every header moved out of
 * the arena into descriptor records.
 */
#include "shm_tlsf.h"

#include <assert.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * Size classes
 *
 * Sizes below SMALL_LIMIT live in first level 0, split linearly into SL_COUNT lists of
 * ALIGN bytes each. A larger size s with top bit b lives in first level b - FL_SHIFT + 1
 * and in second level (s >> (b - SL_LOG2)) & (SL_COUNT - 1): each power-of-two range is
 * cut into SL_COUNT equal slices.
 * ------------------------------------------------------------------------------------ */
#define ALIGN_LOG2 4u
#define SL_LOG2 5u
#define SL_COUNT (1u << SL_LOG2)
#define FL_SHIFT (SL_LOG2 + ALIGN_LOG2)
#define SMALL_LIMIT (1u << FL_SHIFT)
#define FL_COUNT (32u - FL_SHIFT + 1u)

static_assert(SHM_TLSF_ALIGN == (1u << ALIGN_LOG2), "alignment and its log must agree");
static_assert(FL_COUNT <= 32, "first-level bitmap is one uint32_t");
static_assert(SL_COUNT <= 32, "second-level bitmaps are uint32_t");

/* ------------------------------------------------------------------------------------
 * Descriptors and the offset map
 *
 * Descriptors live in chunks of DESC_PER_CHUNK, addressed by a 32-bit index (NIL is
 * "none"), so links stay small and chunks never move. A chunk is allocated the first
 * time an index in it is needed; retired descriptors go on a singly linked list.
 *
 * The map answers "which live block starts at this offset?" in O(1): one uint32_t per
 * ALIGN-byte granule, holding descriptor index + 1 (0: no live block starts here),
 * grouped in leaves of LEAF_SPAN arena bytes allocated when first needed.
 * ------------------------------------------------------------------------------------ */
#define NIL UINT32_MAX
#define DESC_PER_CHUNK 4096u
#define LEAF_SPAN (64u * 1024u)
#define LEAF_ENTRIES (LEAF_SPAN / SHM_TLSF_ALIGN)

typedef struct block {
    uint32_t offset;    /* start in the arena */
    uint32_t size;      /* bytes, a multiple of ALIGN, at least ALIGN */
    uint32_t prev_phys; /* block ending at `offset`, or NIL for the first block */
    uint32_t next_phys; /* block starting at offset + size, or NIL for the last */
    /* prev_free / next_free are only meaningful while is_free is set; a retired
     * descriptor reuses next_free as its link on the retired list. */
    uint32_t prev_free;
    uint32_t next_free;
    uint32_t is_free;
} block;

struct shm_tlsf {
    shm_tlsf_meta_allocator meta;
    uint32_t capacity;

    uint32_t fl_bitmap;            /* bit f set iff some sl_bitmap[f] is non-zero */
    uint32_t sl_bitmap[FL_COUNT];  /* bit s set iff free_heads[f][s] != NIL */
    uint32_t free_heads[FL_COUNT][SL_COUNT];

    block **chunks;         /* chunk_slots pointers, NULL until first used */
    uint32_t chunk_slots;
    uint32_t fresh_index;   /* first descriptor index never handed out */
    uint32_t retired_head;  /* retired descriptors, linked through next_free */

    uint32_t **leaves;      /* leaf_slots pointers, NULL until first used */
    uint32_t leaf_slots;

    uint32_t first_block;   /* the block at offset 0: never merged away */
    uint32_t live_blocks;
    uint64_t live_bytes;
    uint64_t high_water;
    size_t meta_bytes;
};

static inline uint32_t highest_bit(uint32_t x)
{
    assert(x != 0 && "highest_bit of zero is undefined");
    return 31u - (uint32_t)__builtin_clz(x);
}

static inline uint32_t lowest_bit(uint32_t x)
{
    assert(x != 0 && "lowest_bit of zero is undefined");
    return (uint32_t)__builtin_ctz(x);
}

static void *meta_alloc(shm_tlsf *t, size_t size)
{
    void *p = t->meta.alloc(t->meta.context, size);
    if (p)
        t->meta_bytes += size;
    return p;
}

static inline block *desc(const shm_tlsf *t, uint32_t index)
{
    assert(index != NIL && "descriptor index must not be NIL");
    assert(t->chunks[index / DESC_PER_CHUNK] && "descriptor chunk must exist");
    return &t->chunks[index / DESC_PER_CHUNK][index % DESC_PER_CHUNK];
}

/* Makes sure one descriptor can be taken without failing. */
static int desc_reserve(shm_tlsf *t)
{
    uint32_t chunk;

    if (t->retired_head != NIL)
        return 1;
    chunk = t->fresh_index / DESC_PER_CHUNK;
    if (chunk >= t->chunk_slots)
        return 0;
    if (!t->chunks[chunk]) {
        t->chunks[chunk] = meta_alloc(t, DESC_PER_CHUNK * sizeof(block));
        if (!t->chunks[chunk])
            return 0;
    }
    return 1;
}

/* Takes a descriptor; desc_reserve must have succeeded just before. */
static uint32_t desc_take(shm_tlsf *t)
{
    uint32_t index;

    if (t->retired_head != NIL) {
        index = t->retired_head;
        t->retired_head = desc(t, index)->next_free;
    } else {
        index = t->fresh_index++;
    }
    memset(desc(t, index), 0, sizeof(block));
    return index;
}

static void desc_retire(shm_tlsf *t, uint32_t index)
{
    block *b = desc(t, index);
    memset(b, 0, sizeof(*b));
    b->next_free = t->retired_head;
    t->retired_head = index;
}

static uint32_t *map_slot(const shm_tlsf *t, uint32_t offset)
{
    uint32_t *leaf = t->leaves[offset / LEAF_SPAN];
    return leaf ? &leaf[(offset % LEAF_SPAN) / SHM_TLSF_ALIGN] : NULL;
}

/* Makes sure the map can record a block starting at `offset`. */
static int map_reserve(shm_tlsf *t, uint32_t offset)
{
    uint32_t leaf = offset / LEAF_SPAN;

    if (t->leaves[leaf])
        return 1;
    t->leaves[leaf] = meta_alloc(t, LEAF_ENTRIES * sizeof(uint32_t));
    if (!t->leaves[leaf])
        return 0;
    memset(t->leaves[leaf], 0, LEAF_ENTRIES * sizeof(uint32_t));
    return 1;
}

/* ------------------------------------------------------------------------------------
 * Free lists
 * ------------------------------------------------------------------------------------ */
static void mapping_insert(uint32_t size, uint32_t *fl, uint32_t *sl)
{
    if (size < SMALL_LIMIT) {
        *fl = 0;
        *sl = size / SHM_TLSF_ALIGN;
    } else {
        uint32_t top = highest_bit(size);
        *fl = top - FL_SHIFT + 1;
        *sl = (size >> (top - SL_LOG2)) & (SL_COUNT - 1);
    }
}

/* The list to search for `size`: rounded up to the next list so that every block in
 * the list found is large enough (good fit without walking a list). */
static void mapping_search(uint32_t size, uint32_t *fl, uint32_t *sl)
{
    uint64_t rounded = size;

    if (size >= SMALL_LIMIT)
        rounded += (1u << (highest_bit(size) - SL_LOG2)) - 1;
    if (rounded > UINT32_MAX) {
        *fl = FL_COUNT; /* larger than any block can be */
        *sl = 0;
        return;
    }
    mapping_insert((uint32_t)rounded, fl, sl);
}

static void free_list_insert(shm_tlsf *t, uint32_t index)
{
    block *b = desc(t, index);
    uint32_t fl, sl, head;

    mapping_insert(b->size, &fl, &sl);
    head = t->free_heads[fl][sl];
    b->is_free = 1;
    b->prev_free = NIL;
    b->next_free = head;
    if (head != NIL)
        desc(t, head)->prev_free = index;
    t->free_heads[fl][sl] = index;
    t->fl_bitmap |= 1u << fl;
    t->sl_bitmap[fl] |= 1u << sl;
}

static void free_list_remove(shm_tlsf *t, uint32_t index)
{
    block *b = desc(t, index);
    uint32_t fl, sl;

    assert(b->is_free && "only free blocks are on free lists");
    mapping_insert(b->size, &fl, &sl);
    if (b->prev_free != NIL)
        desc(t, b->prev_free)->next_free = b->next_free;
    else
        t->free_heads[fl][sl] = b->next_free;
    if (b->next_free != NIL)
        desc(t, b->next_free)->prev_free = b->prev_free;
    if (t->free_heads[fl][sl] == NIL) {
        t->sl_bitmap[fl] &= ~(1u << sl);
        if (!t->sl_bitmap[fl])
            t->fl_bitmap &= ~(1u << fl);
    }
    b->is_free = 0;
    b->prev_free = b->next_free = NIL;
}

/* Head of the first non-empty list at or above (fl, sl), or NIL. */
static uint32_t find_suitable(const shm_tlsf *t, uint32_t fl, uint32_t sl)
{
    uint32_t sl_map, fl_map;

    if (fl >= FL_COUNT)
        return NIL;
    sl_map = t->sl_bitmap[fl] & (~0u << sl);
    if (!sl_map) {
        fl_map = fl + 1 < 32 ? t->fl_bitmap & (~0u << (fl + 1)) : 0;
        if (!fl_map)
            return NIL;
        fl = lowest_bit(fl_map);
        sl_map = t->sl_bitmap[fl];
    }
    return t->free_heads[fl][lowest_bit(sl_map)];
}

/* ------------------------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------------------------ */
shm_tlsf_result shm_tlsf_create(uint32_t capacity, const shm_tlsf_meta_allocator *meta,
                                shm_tlsf **out)
{
    shm_tlsf *t;
    uint64_t max_blocks;
    uint32_t index;

    if (!out)
        return SHM_TLSF_INVALID_PARAMETER;
    *out = NULL;
    capacity &= ~(SHM_TLSF_ALIGN - 1);
    if (!meta || !meta->alloc || !meta->free || capacity < SHM_TLSF_ALIGN)
        return SHM_TLSF_INVALID_PARAMETER;

    t = meta->alloc(meta->context, sizeof(*t));
    if (!t)
        return SHM_TLSF_NO_METADATA;
    memset(t, 0, sizeof(*t));
    t->meta = *meta;
    t->meta_bytes = sizeof(*t);
    t->capacity = capacity;
    memset(t->free_heads, 0xff, sizeof(t->free_heads));
    t->retired_head = NIL;

    /* At most one block per granule: that bounds the descriptor table. */
    max_blocks = capacity / SHM_TLSF_ALIGN;
    t->chunk_slots = (uint32_t)((max_blocks + DESC_PER_CHUNK - 1) / DESC_PER_CHUNK);
    t->leaf_slots = (uint32_t)(((uint64_t)capacity + LEAF_SPAN - 1) / LEAF_SPAN);
    t->chunks = meta_alloc(t, t->chunk_slots * sizeof(block *));
    t->leaves = meta_alloc(t, t->leaf_slots * sizeof(uint32_t *));
    if (t->chunks)
        memset(t->chunks, 0, t->chunk_slots * sizeof(block *));
    if (t->leaves)
        memset(t->leaves, 0, t->leaf_slots * sizeof(uint32_t *));
    if (!t->chunks || !t->leaves || !desc_reserve(t)) {
        shm_tlsf_destroy(t);
        return SHM_TLSF_NO_METADATA;
    }

    index = desc_take(t);
    desc(t, index)->offset = 0;
    desc(t, index)->size = capacity;
    desc(t, index)->prev_phys = NIL;
    desc(t, index)->next_phys = NIL;
    free_list_insert(t, index);
    t->first_block = index;
    *out = t;
    return SHM_TLSF_OK;
}

void shm_tlsf_destroy(shm_tlsf *t)
{
    uint32_t i;

    if (!t)
        return;
    for (i = 0; t->chunks && i < t->chunk_slots; i++)
        if (t->chunks[i])
            t->meta.free(t->meta.context, t->chunks[i]);
    for (i = 0; t->leaves && i < t->leaf_slots; i++)
        if (t->leaves[i])
            t->meta.free(t->meta.context, t->leaves[i]);
    if (t->chunks)
        t->meta.free(t->meta.context, t->chunks);
    if (t->leaves)
        t->meta.free(t->meta.context, t->leaves);
    t->meta.free(t->meta.context, t);
}

shm_tlsf_result shm_tlsf_alloc(shm_tlsf *t, uint32_t size, uint32_t *offset,
                               uint32_t *block_size)
{
    uint32_t fl, sl, index, rest;
    uint64_t rounded;
    block *b;

    if (offset)
        *offset = 0;
    if (block_size)
        *block_size = 0;
    if (!t || !offset || size == 0)
        return SHM_TLSF_INVALID_PARAMETER;
    rounded = ((uint64_t)size + SHM_TLSF_ALIGN - 1) & ~(uint64_t)(SHM_TLSF_ALIGN - 1);
    if (rounded > t->capacity)
        return SHM_TLSF_EXHAUSTED;

    mapping_search((uint32_t)rounded, &fl, &sl);
    index = find_suitable(t, fl, sl);
    if (index == NIL)
        return SHM_TLSF_EXHAUSTED;
    b = desc(t, index);
    assert(b->size >= rounded && "mapping_search guarantees a large enough block");

    /* Reserve everything that can fail before changing anything. */
    if (!map_reserve(t, b->offset))
        return SHM_TLSF_NO_METADATA;
    if (b->size > rounded && !desc_reserve(t))
        return SHM_TLSF_NO_METADATA;

    free_list_remove(t, index);
    if (b->size > rounded) {
        block *r;
        rest = desc_take(t);
        r = desc(t, rest);
        r->offset = b->offset + (uint32_t)rounded;
        r->size = b->size - (uint32_t)rounded;
        r->prev_phys = index;
        r->next_phys = b->next_phys;
        if (b->next_phys != NIL)
            desc(t, b->next_phys)->prev_phys = rest;
        b->next_phys = rest;
        b->size = (uint32_t)rounded;
        free_list_insert(t, rest);
    }

    *map_slot(t, b->offset) = index + 1;
    t->live_blocks++;
    t->live_bytes += b->size;
    if ((uint64_t)b->offset + b->size > t->high_water)
        t->high_water = (uint64_t)b->offset + b->size;
    *offset = b->offset;
    if (block_size)
        *block_size = b->size;
    return SHM_TLSF_OK;
}

/* Merges the physically following block `next` into `index`; both are unlinked from
 * the free lists by the caller, and `next` is retired. */
static void absorb_next(shm_tlsf *t, uint32_t index, uint32_t next)
{
    block *b = desc(t, index), *n = desc(t, next);

    b->size += n->size;
    b->next_phys = n->next_phys;
    if (n->next_phys != NIL)
        desc(t, n->next_phys)->prev_phys = index;
    desc_retire(t, next);
}

shm_tlsf_result shm_tlsf_free(shm_tlsf *t, uint32_t offset, uint32_t *block_size)
{
    uint32_t *slot, index;
    block *b;

    if (block_size)
        *block_size = 0;
    if (!t)
        return SHM_TLSF_INVALID_PARAMETER;
    if (offset % SHM_TLSF_ALIGN || offset >= t->capacity)
        return SHM_TLSF_NOT_LIVE;
    slot = map_slot(t, offset);
    if (!slot || !*slot)
        return SHM_TLSF_NOT_LIVE;

    index = *slot - 1;
    b = desc(t, index);
    assert(b->offset == offset && !b->is_free && "map entries name live blocks only");
    *slot = 0;
    t->live_blocks--;
    t->live_bytes -= b->size;
    if (block_size)
        *block_size = b->size;

    if (b->next_phys != NIL && desc(t, b->next_phys)->is_free) {
        free_list_remove(t, b->next_phys);
        absorb_next(t, index, b->next_phys);
    }
    if (b->prev_phys != NIL && desc(t, b->prev_phys)->is_free) {
        uint32_t prev = b->prev_phys;
        free_list_remove(t, prev);
        absorb_next(t, prev, index);
        index = prev;
    }
    free_list_insert(t, index);
    return SHM_TLSF_OK;
}

uint32_t shm_tlsf_block_size(const shm_tlsf *t, uint32_t offset)
{
    uint32_t *slot;

    if (!t || offset % SHM_TLSF_ALIGN || offset >= t->capacity)
        return 0;
    slot = map_slot(t, offset);
    return slot && *slot ? desc(t, *slot - 1)->size : 0;
}

void shm_tlsf_get_stats(const shm_tlsf *t, shm_tlsf_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    if (!t)
        return;
    stats->capacity = t->capacity;
    stats->live_blocks = t->live_blocks;
    stats->live_bytes = t->live_bytes;
    stats->high_water = t->high_water;
    stats->meta_bytes = t->meta_bytes;
}

void shm_tlsf_for_each_live(const shm_tlsf *t,
                            void (*visit)(void *context, uint32_t offset, uint32_t size),
                            void *context)
{
    uint32_t index;

    for (index = t->first_block; index != NIL; index = desc(t, index)->next_phys) {
        const block *b = desc(t, index);
        if (!b->is_free)
            visit(context, b->offset, b->size);
    }
}

const char *shm_tlsf_check(const shm_tlsf *t)
{
    uint32_t index, fl, sl, free_in_walk = 0, free_in_lists = 0, live = 0, mapped = 0;
    uint64_t expected_offset = 0, live_bytes = 0;
    int prev_free = 0;

    if (!t)
        return "allocator is NULL";
    if (desc(t, t->first_block)->offset != 0)
        return "first block does not start at offset 0";

    for (index = t->first_block; index != NIL; index = desc(t, index)->next_phys) {
        const block *b = desc(t, index);
        if (b->offset != expected_offset)
            return "physical blocks are not contiguous";
        if (b->size < SHM_TLSF_ALIGN || b->size % SHM_TLSF_ALIGN)
            return "block size is not a positive multiple of the alignment";
        if (b->next_phys != NIL && desc(t, b->next_phys)->prev_phys != index)
            return "next block's prev_phys does not point back";
        if (b->is_free) {
            if (prev_free)
                return "two adjacent free blocks were not merged";
            free_in_walk++;
            const uint32_t *slot = map_slot(t, b->offset);
            if (slot && *slot)
                return "a free block has a live-map entry";
        } else {
            const uint32_t *slot = map_slot(t, b->offset);
            if (!slot || *slot != index + 1)
                return "a live block is missing from the live map";
            live++;
            live_bytes += b->size;
        }
        prev_free = (int)b->is_free;
        expected_offset += b->size;
    }
    if (expected_offset != t->capacity)
        return "blocks do not cover the arena exactly";
    if (live != t->live_blocks || live_bytes != t->live_bytes)
        return "live counters disagree with the blocks";

    for (fl = 0; fl < FL_COUNT; fl++) {
        int fl_set = (t->fl_bitmap >> fl) & 1;
        if (fl_set != (t->sl_bitmap[fl] != 0))
            return "first-level bitmap disagrees with second-level bitmaps";
        for (sl = 0; sl < SL_COUNT; sl++) {
            uint32_t head = t->free_heads[fl][sl], prev = NIL;
            int sl_set = (t->sl_bitmap[fl] >> sl) & 1;
            if (sl_set != (head != NIL))
                return "second-level bitmap disagrees with its list";
            for (index = head; index != NIL; index = desc(t, index)->next_free) {
                const block *b = desc(t, index);
                uint32_t bfl, bsl;
                if (!b->is_free)
                    return "a used block is on a free list";
                if (b->prev_free != prev)
                    return "free list prev link is broken";
                mapping_insert(b->size, &bfl, &bsl);
                if (bfl != fl || bsl != sl)
                    return "a free block is on the wrong list";
                if (++free_in_lists > free_in_walk)
                    return "free lists hold more blocks than the arena";
                prev = index;
            }
        }
    }
    if (free_in_lists != free_in_walk)
        return "a free block is missing from the free lists";

    for (index = 0; index < t->leaf_slots; index++) {
        const uint32_t *leaf = t->leaves[index];
        for (sl = 0; leaf && sl < LEAF_ENTRIES; sl++)
            mapped += leaf[sl] != 0;
    }
    if (mapped != t->live_blocks)
        return "live map holds entries that are not live blocks";
    return NULL;
}
