/* shm_tlsf.h - two-level segregated-fit allocator over an arena of offsets.
 *
 * The arena is a range of byte offsets [0, capacity) that this allocator hands out in
 * 16-byte aligned blocks. It never touches the arena's bytes: every piece of metadata
 * (block descriptors, free lists, the map from offsets to live blocks) lives in memory
 * obtained from the caller's shm_tlsf_meta_allocator. This is what lets lsahost put a
 * shared section that hostile clients can write under an allocator they cannot corrupt.
 *
 * Allocation and free are O(1) in the number of live blocks: a block is found through
 * two bitmaps (first level: power of two, second level: 32 linear steps inside it) and
 * neighbours are merged through descriptor links, never by searching.
 *
 * Not thread-safe: callers serialise access (lsahost holds one lock per section).
 * Portable C17: no Windows header, builds natively for sanitizers and fuzzers.
 */
#ifndef SSPKG_SHM_TLSF_H
#define SSPKG_SHM_TLSF_H

#include <stddef.h>
#include <stdint.h>

/* Every block starts on, and is sized in, multiples of this. */
#define SHM_TLSF_ALIGN 16u

/* Results. Zero is success; everything else leaves the allocator unchanged. */
typedef enum shm_tlsf_result {
    SHM_TLSF_OK = 0,
    SHM_TLSF_INVALID_PARAMETER, /* size 0, capacity too small, NULL argument */
    SHM_TLSF_EXHAUSTED,         /* no free block large enough in the arena */
    SHM_TLSF_NO_METADATA,       /* the metadata allocator returned NULL */
    SHM_TLSF_NOT_LIVE           /* offset is not the start of a live block */
} shm_tlsf_result;

/* Where the allocator gets its own (private) memory. alloc returns NULL on failure;
 * the memory need not be zeroed. */
typedef struct shm_tlsf_meta_allocator {
    void *(*alloc)(void *context, size_t size);
    void (*free)(void *context, void *memory);
    void *context;
} shm_tlsf_meta_allocator;

typedef struct shm_tlsf shm_tlsf;

typedef struct shm_tlsf_stats {
    uint32_t capacity;    /* usable arena bytes (multiple of SHM_TLSF_ALIGN) */
    uint32_t live_blocks; /* blocks allocated and not yet freed */
    uint64_t live_bytes;  /* sum of their sizes, rounded to SHM_TLSF_ALIGN */
    uint64_t high_water;  /* highest end offset any block has ever reached */
    size_t meta_bytes;    /* private memory held for metadata */
} shm_tlsf_stats;

/* Creates an allocator for an arena of `capacity` bytes (rounded down to
 * SHM_TLSF_ALIGN; at least SHM_TLSF_ALIGN). *out is NULL on failure. */
shm_tlsf_result shm_tlsf_create(uint32_t capacity, const shm_tlsf_meta_allocator *meta,
                                shm_tlsf **out);

/* Releases all metadata. Live blocks are simply forgotten. NULL is ignored. */
void shm_tlsf_destroy(shm_tlsf *tlsf);

/* Allocates `size` bytes (rounded up to SHM_TLSF_ALIGN). On success *offset is the
 * block's start and *block_size its rounded size; on failure both are 0. */
shm_tlsf_result shm_tlsf_alloc(shm_tlsf *tlsf, uint32_t size, uint32_t *offset,
                               uint32_t *block_size);

/* Frees the live block that starts at `offset` and reports its size, so the caller can
 * wipe it. Anything else (interior offset, freed block, out of range) is refused with
 * SHM_TLSF_NOT_LIVE and changes nothing. */
shm_tlsf_result shm_tlsf_free(shm_tlsf *tlsf, uint32_t offset, uint32_t *block_size);

/* Size of the live block starting at `offset`, or 0 when there is none. */
uint32_t shm_tlsf_block_size(const shm_tlsf *tlsf, uint32_t offset);

void shm_tlsf_get_stats(const shm_tlsf *tlsf, shm_tlsf_stats *stats);

/* Calls `visit` for each live block in offset order (for leak reports). */
void shm_tlsf_for_each_live(const shm_tlsf *tlsf,
                            void (*visit)(void *context, uint32_t offset, uint32_t size),
                            void *context);

/* Walks every structure and checks every invariant. Returns NULL when all hold, or a
 * static string naming the first one broken. Cost is linear: for tests, not hot paths. */
const char *shm_tlsf_check(const shm_tlsf *tlsf);

#endif
