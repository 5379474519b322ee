/* shm_provider_filemap.c - the default provider: a pagefile-backed section.
 *
 * A section is CreateFileMapping(INVALID_HANDLE_VALUE, PAGE_READWRITE | SEC_RESERVE) at
 * MaxSize, mapped once in the host, with InitialSize committed up front and further
 * pages committed as blocks reach them, never past MaxSize (LSA_CREATE_SHARED_MEMORY).
 * Blocks are handed out by the TLSF core in src/common, whose metadata lives in the
 * host's heap: clients that map the section can write every byte of it without
 * touching a single allocator structure. */
#include "shm_provider.h"
#include "../../common/shm_tlsf.h"

#include <string.h>

typedef struct filemap_section {
    HANDLE mapping;
    BYTE *view;
    ULONG max_size;
    ULONG64 committed;  /* bytes from view committed so far; only ever grows */
    shm_tlsf *tlsf;
} filemap_section;

static void *meta_alloc(void *context, size_t size)
{
    (void)context;
    return HeapAlloc(GetProcessHeap(), 0, size);
}

static void meta_free(void *context, void *memory)
{
    (void)context;
    HeapFree(GetProcessHeap(), 0, memory);
}

static const shm_tlsf_meta_allocator meta = { meta_alloc, meta_free, NULL };

static ULONG64 page_round_up(ULONG64 n)
{
    static DWORD page;
    if (!page) {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        page = si.dwPageSize;
    }
    return (n + page - 1) & ~(ULONG64)(page - 1);
}

/* Commits pages so that [0, end) of the view is usable. MEM_DECOMMIT does not work on a
 * view, so commitment only grows. */
static BOOL commit_to(filemap_section *s, ULONG64 end)
{
    ULONG64 target = page_round_up(end);

    if (target <= s->committed)
        return TRUE;
    if (!VirtualAlloc(s->view + s->committed, (SIZE_T)(target - s->committed), MEM_COMMIT,
                      PAGE_READWRITE))
        return FALSE;
    s->committed = target;
    return TRUE;
}

static void section_destroy(filemap_section *s)
{
    shm_tlsf_destroy(s->tlsf);
    if (s->view) {
        /* Clients may keep the section mapped: leave them nothing the package wrote. */
        memset(s->view, 0, (size_t)s->committed);
        UnmapViewOfFile(s->view);
    }
    if (s->mapping)
        CloseHandle(s->mapping);
    HeapFree(GetProcessHeap(), 0, s);
}

static shm_status section_create(shm_parameters *p, void **memory_context)
{
    filemap_section *s;

    if (p->Length == 0 || p->InitialLength > p->Length)
        return SHM_STATUS_INVALID_PARAMETER;
    s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        return SHM_STATUS_RESOURCES;
    s->max_size = p->Length;
    s->mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE,
                                    0, p->Length, NULL);
    if (s->mapping)
        s->view = MapViewOfFile(s->mapping, FILE_MAP_WRITE, 0, 0, 0);
    if (!s->view || !commit_to(s, p->InitialLength) ||
        shm_tlsf_create(p->Length, &meta, &s->tlsf) != SHM_TLSF_OK) {
        section_destroy(s);
        return SHM_STATUS_RESOURCES;
    }
    p->VirtualAddress = s->view;
    p->SectionHandle = s->mapping;
    *memory_context = s;
    return SHM_STATUS_SUCCESS;
}

static shm_status block_alloc(filemap_section *s, shm_parameters *p, void **memory_context)
{
    uint32_t offset, size;

    switch (shm_tlsf_alloc(s->tlsf, p->Length, &offset, &size)) {
    case SHM_TLSF_OK:
        break;
    case SHM_TLSF_INVALID_PARAMETER:
        return SHM_STATUS_INVALID_PARAMETER;
    default:
        return SHM_STATUS_RESOURCES;
    }
    if (!commit_to(s, (ULONG64)offset + size)) {
        shm_tlsf_free(s->tlsf, offset, NULL);
        return SHM_STATUS_RESOURCES;
    }
    p->VirtualAddress = *memory_context = s->view + offset;
    return SHM_STATUS_SUCCESS;
}

static shm_status block_free(filemap_section *s, void *address)
{
    ULONG_PTR at = (ULONG_PTR)address, base = (ULONG_PTR)s->view;
    uint32_t size;

    if (at < base || at - base >= s->max_size)
        return SHM_STATUS_INVALID_PARAMETER;
    if (shm_tlsf_free(s->tlsf, (uint32_t)(at - base), &size) != SHM_TLSF_OK)
        return SHM_STATUS_INVALID_PARAMETER;
    memset(address, 0, size);
    return SHM_STATUS_SUCCESS;
}

static shm_status filemap_allocate(void *provider_context, shm_parameters *p,
                                   void **memory_context)
{
    (void)provider_context;
    *memory_context = NULL;
    if (p->Request == SHM_REQUEST_SECTION)
        return section_create(p, memory_context);
    return block_alloc(p->Section, p, memory_context);
}

static shm_status filemap_free(void *provider_context, shm_parameters *p)
{
    (void)provider_context;
    if (p->Request == SHM_REQUEST_BLOCK)
        return block_free(p->Section, p->VirtualAddress);
    section_destroy(p->Section);
    return SHM_STATUS_SUCCESS;
}

static void filemap_query(void *provider_context, void *section, shm_section_info *info)
{
    filemap_section *s = section;
    shm_tlsf_stats st;

    (void)provider_context;
    shm_tlsf_get_stats(s->tlsf, &st);
    info->ViewBase = s->view;
    info->SectionHandle = s->mapping;
    info->MaxSize = s->max_size;
    info->Committed = s->committed;
    info->LiveBlocks = st.live_blocks;
    info->LiveBytes = st.live_bytes;
}

typedef struct walk_context {
    BYTE *view;
    void (*visit)(void *context, void *address, ULONG size);
    void *context;
} walk_context;

static void walk_one(void *context, uint32_t offset, uint32_t size)
{
    walk_context *w = context;
    w->visit(w->context, w->view + offset, size);
}

static void filemap_walk(void *provider_context, void *section,
                         void (*visit)(void *context, void *address, ULONG size), void *context)
{
    filemap_section *s = section;
    walk_context w = { s->view, visit, context };

    (void)provider_context;
    shm_tlsf_for_each_live(s->tlsf, walk_one, &w);
}

const shm_provider *shm_provider_filemap(void)
{
    static const shm_provider provider = { "filemap", NULL, filemap_allocate, filemap_free,
                                           filemap_query, filemap_walk };
    return &provider;
}
