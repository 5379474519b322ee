/* shm_provider_heap.c - a comparison provider: each "section" is a private Win32 heap.
 *
 * It keeps the LSA semantics (MaxSize is a hard limit, frees are validated, freed bytes
 * are wiped) but nothing is shared: there is no section handle, so clients cannot map
 * it. Useful to compare against the file-mapping provider and to run packages where
 * sharing does not matter. */
#include "shm_provider.h"

#include <string.h>

typedef struct heap_section {
    HANDLE heap;
    ULONG max_size;
    ULONG live_blocks;
    ULONG64 live_bytes;
} heap_section;

static shm_status heap_allocate(void *provider_context, shm_parameters *p, void **memory_context)
{
    (void)provider_context;
    *memory_context = NULL;
    if (p->Request == SHM_REQUEST_SECTION) {
        heap_section *s;
        if (p->Length == 0 || p->InitialLength > p->Length)
            return SHM_STATUS_INVALID_PARAMETER;
        s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
        if (!s)
            return SHM_STATUS_RESOURCES;
        s->heap = HeapCreate(0, p->InitialLength, 0);
        if (!s->heap) {
            HeapFree(GetProcessHeap(), 0, s);
            return SHM_STATUS_RESOURCES;
        }
        s->max_size = p->Length;
        p->VirtualAddress = NULL;
        p->SectionHandle = NULL;
        *memory_context = s;
        return SHM_STATUS_SUCCESS;
    } else {
        heap_section *s = p->Section;
        ULONG64 rounded = ((ULONG64)p->Length + 15) & ~(ULONG64)15;
        void *block;
        if (p->Length == 0)
            return SHM_STATUS_INVALID_PARAMETER;
        if (s->live_bytes + rounded > s->max_size)
            return SHM_STATUS_RESOURCES;
        block = HeapAlloc(s->heap, HEAP_ZERO_MEMORY, p->Length);
        if (!block)
            return SHM_STATUS_RESOURCES;
        s->live_blocks++;
        s->live_bytes += rounded;
        p->VirtualAddress = *memory_context = block;
        return SHM_STATUS_SUCCESS;
    }
}

static shm_status heap_free(void *provider_context, shm_parameters *p)
{
    heap_section *s = p->Section;
    SIZE_T size;

    (void)provider_context;
    if (p->Request == SHM_REQUEST_SECTION) {
        HeapDestroy(s->heap);
        HeapFree(GetProcessHeap(), 0, s);
        return SHM_STATUS_SUCCESS;
    }
    /* HeapValidate on one pointer checks that it is the start of an allocated block of
     * this heap, without trusting anything at that address. */
    if (!p->VirtualAddress || ((ULONG_PTR)p->VirtualAddress & 15) ||
        !HeapValidate(s->heap, 0, p->VirtualAddress))
        return SHM_STATUS_INVALID_PARAMETER;
    size = HeapSize(s->heap, 0, p->VirtualAddress);
    memset(p->VirtualAddress, 0, size);
    HeapFree(s->heap, 0, p->VirtualAddress);
    s->live_blocks--;
    s->live_bytes -= ((ULONG64)size + 15) & ~(ULONG64)15;
    return SHM_STATUS_SUCCESS;
}

static void heap_query(void *provider_context, void *section, shm_section_info *info)
{
    heap_section *s = section;

    (void)provider_context;
    memset(info, 0, sizeof(*info));
    info->MaxSize = s->max_size;
    info->Committed = s->live_bytes;
    info->LiveBlocks = s->live_blocks;
    info->LiveBytes = s->live_bytes;
}

static void heap_walk(void *provider_context, void *section,
                      void (*visit)(void *context, void *address, ULONG size), void *context)
{
    heap_section *s = section;
    PROCESS_HEAP_ENTRY e = { 0 };

    (void)provider_context;
    HeapLock(s->heap);
    while (HeapWalk(s->heap, &e))
        if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            visit(context, e.lpData, e.cbData);
    HeapUnlock(s->heap);
}

const shm_provider *shm_provider_heap(void)
{
    static const shm_provider provider = { "heap", NULL, heap_allocate, heap_free, heap_query,
                                           heap_walk };
    return &provider;
}
