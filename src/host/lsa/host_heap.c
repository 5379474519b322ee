/* host_heap.c - LSA heap and private heap with validated frees (see host_heap.h). */
#include "host_heap.h"
#include "host_account.h"
#include "host_callbacks.h"
#include "../host_trace.h"

#include <stdio.h>

/* Host-private header in front of every block. 16 bytes keeps the caller's memory
 * 16-byte aligned, as HeapAlloc's is on x64. */
typedef struct heap_header {
    ULONG tag;      /* HEAP_TAG_LIVE while the block is allocated, 0 after */
    USHORT kind;    /* host_heap_kind it came from */
    USHORT owner;   /* the package charged (host_account.h), OWNER_NONE for none */
    ULONG64 size;   /* the caller's length */
} heap_header;

_Static_assert(sizeof(heap_header) == 16, "header keeps blocks 16-byte aligned");

#define HEAP_TAG_LIVE 0x4c504148u /* "HAPL" */
#define OWNER_NONE 0xffffu
_Static_assert(HOST_ACCOUNT_MAX_PACKAGES < OWNER_NONE, "a package id fits the header");

static ULONG owner_of(const heap_header *h)
{
    return h->owner == OWNER_NONE ? HOST_PACKAGE_NONE : h->owner;
}

static HANDLE heaps[HOST_HEAP_COUNT];
static const char *const heap_names[HOST_HEAP_COUNT] = { "LSA heap", "private heap" };
static const host_resource heap_resource[HOST_HEAP_COUNT] = { HOST_RES_LSA_HEAP,
                                                              HOST_RES_PRIVATE_HEAP };

int host_heap_init(void)
{
    for (int k = 0; k < HOST_HEAP_COUNT; k++)
        if (!heaps[k] && !(heaps[k] = HeapCreate(0, 0, 0)))
            return 0;
    return 1;
}

PVOID host_heap_alloc(host_heap_kind kind, SIZE_T length)
{
    heap_header *h;

    if (length > (SIZE_T)MAXLONG)
        return NULL;
    h = HeapAlloc(heaps[kind], HEAP_ZERO_MEMORY, sizeof(*h) + length);
    if (!h)
        return NULL;
    h->tag = HEAP_TAG_LIVE;
    h->kind = (USHORT)kind;
    h->owner = host_call_package() < HOST_ACCOUNT_MAX_PACKAGES ? (USHORT)host_call_package()
                                                               : OWNER_NONE;
    h->size = length;
    host_account_acquire(heap_resource[kind], length, owner_of(h));
    return h + 1;
}

/* Why p is not a live block of that heap, or NULL when it is. */
static const char *not_live_block(host_heap_kind kind, const void *p)
{
    const heap_header *h = (const heap_header *)p - 1;

    /* Validate through the heap itself before reading our header: a foreign or
     * interior pointer is not a block of this heap, whatever bytes sit before it. */
    if (((ULONG_PTR)p & 15) || !HeapValidate(heaps[kind], 0, h))
        return "not a block";
    if (h->tag != HEAP_TAG_LIVE || h->kind != (USHORT)kind)
        return "not a live block";
    return NULL;
}

BOOL host_heap_owns(host_heap_kind kind, const void *p)
{
    return p && !not_live_block(kind, p);
}

SIZE_T host_heap_block_size(host_heap_kind kind, const void *p)
{
    return host_heap_owns(kind, p) ? (SIZE_T)((const heap_header *)p - 1)->size : 0;
}

BOOL host_heap_free(host_heap_kind kind, PVOID p)
{
    heap_header *h;
    const char *why;

    if (!p)
        return TRUE; /* like RtlFreeHeap, freeing NULL does nothing */
    if ((why = not_live_block(kind, p))) {
        host_say("refused: free of %p, which is %s of the %s", p, why, heap_names[kind]);
        return FALSE;
    }
    h = (heap_header *)p - 1;
    host_account_release(heap_resource[kind], h->size, owner_of(h));
    SecureZeroMemory(h, sizeof(*h) + h->size);
    HeapFree(heaps[kind], 0, h);
    return TRUE;
}

static void report_live_blocks(host_heap_kind kind)
{
    PROCESS_HEAP_ENTRY e = { 0 };

    HeapLock(heaps[kind]);
    while (HeapWalk(heaps[kind], &e)) {
        const heap_header *h = e.lpData;
        const unsigned char *d;
        char preview[3 * 16 + 1] = "", who[96];
        ULONG64 i, n;

        if (!(e.wFlags & PROCESS_HEAP_ENTRY_BUSY) || e.cbData < sizeof(*h) ||
            h->tag != HEAP_TAG_LIVE)
            continue;
        d = (const unsigned char *)(h + 1);
        n = h->size < 16 ? h->size : 16;
        for (i = 0; i < n; i++)
            snprintf(preview + 3 * i, 4, "%02x ", d[i]);
        host_say("leak: %s block %p, %llu bytes, from %s: %s%s", heap_names[kind], (void *)d,
                 (unsigned long long)h->size, host_account_package_text(owner_of(h), who,
                 sizeof(who)), preview, h->size > 16 ? "..." : "");
    }
    HeapUnlock(heaps[kind]);
}

ULONG host_heap_blocks_of_package(ULONG id)
{
    ULONG blocks = 0;

    for (int k = 0; k < HOST_HEAP_COUNT; k++) {
        PROCESS_HEAP_ENTRY e = { 0 };

        if (!heaps[k])
            continue;
        HeapLock(heaps[k]);
        while (HeapWalk(heaps[k], &e)) {
            const heap_header *h = e.lpData;
            if ((e.wFlags & PROCESS_HEAP_ENTRY_BUSY) && e.cbData >= sizeof(*h) &&
                h->tag == HEAP_TAG_LIVE && owner_of(h) == id)
                blocks++;
        }
        HeapUnlock(heaps[k]);
    }
    return blocks;
}

void host_heap_report_and_destroy(void)
{
    for (int k = 0; k < HOST_HEAP_COUNT; k++) {
        if (!heaps[k])
            continue;
        report_live_blocks((host_heap_kind)k);
        HeapDestroy(heaps[k]);
        heaps[k] = NULL;
    }
}

PVOID NTAPI host_AllocateLsaHeap(ULONG Length)
{
    PVOID p = host_heap_alloc(HOST_HEAP_LSA, Length);
    host_trace("AllocateLsaHeap(Length=%lu) = %p", Length, p);
    return p;
}

VOID NTAPI host_FreeLsaHeap(PVOID Base)
{
    BOOL freed = host_heap_free(HOST_HEAP_LSA, Base);
    host_trace("FreeLsaHeap(Base=%p)%s", Base, freed ? "" : " refused");
}

PVOID NTAPI host_AllocatePrivateHeap(SIZE_T Length)
{
    PVOID p = host_heap_alloc(HOST_HEAP_PRIVATE, Length);
    host_trace("AllocatePrivateHeap(Length=%llu) = %p", (unsigned long long)Length, p);
    return p;
}

VOID NTAPI host_FreePrivateHeap(PVOID Base)
{
    BOOL freed = host_heap_free(HOST_HEAP_PRIVATE, Base);
    host_trace("FreePrivateHeap(Base=%p)%s", Base, freed ? "" : " refused");
}
