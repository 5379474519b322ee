/* client_memory.c - VirtualQuery's view of addresses lsahost names (client_memory.h). */
#include "client_memory.h"

#include <wchar.h>

static BOOL accessible(const MEMORY_BASIC_INFORMATION *m, BOOL write)
{
    DWORD protection = m->Protect & 0xff;

    if (m->State != MEM_COMMIT || (m->Protect & PAGE_GUARD))
        return FALSE;
    if (protection == PAGE_READWRITE || protection == PAGE_WRITECOPY ||
        protection == PAGE_EXECUTE_READWRITE || protection == PAGE_EXECUTE_WRITECOPY)
        return TRUE;
    return !write && (protection == PAGE_READONLY || protection == PAGE_EXECUTE_READ);
}

size_t client_memory_usable(const void *p, BOOL write)
{
    const BYTE *at = p;
    MEMORY_BASIC_INFORMATION m;
    void *allocation = NULL;

    while (VirtualQuery(at, &m, sizeof(m)) == sizeof(m) && accessible(&m, write) &&
           (!allocation || m.AllocationBase == allocation)) {
        allocation = m.AllocationBase;
        at = (const BYTE *)m.BaseAddress + m.RegionSize;
    }
    return (size_t)(at - (const BYTE *)p);
}

size_t client_memory_view_size(const void *view)
{
    const BYTE *at = view;
    MEMORY_BASIC_INFORMATION m;

    while (VirtualQuery(at, &m, sizeof(m)) == sizeof(m) && m.State != MEM_FREE &&
           m.AllocationBase == view)
        at = (const BYTE *)m.BaseAddress + m.RegionSize;
    return (size_t)(at - (const BYTE *)view);
}

BOOL client_memory_is_buffer(const void *p, size_t size)
{
    MEMORY_BASIC_INFORMATION m;

    return p && VirtualQuery(p, &m, sizeof(m)) == sizeof(m) && m.AllocationBase == p &&
           m.Type == MEM_PRIVATE && client_memory_usable(p, FALSE) >= (size ? size : 1);
}

BOOL client_memory_is_string(const WCHAR *s)
{
    size_t chars = client_memory_usable(s, FALSE) / sizeof(WCHAR);

    return s && !((ULONG_PTR)s % sizeof(WCHAR)) && wcsnlen(s, chars) < chars;
}
