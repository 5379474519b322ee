/* host_shm.c - LSA shared-memory callbacks: handle validation, locking, tracing and
 * accounting around a shm_provider (see host_shm.h and shm_provider.h). */
#include "host_shm.h"
#include "../lsa/host_account.h"
#include "../host_trace.h"

/* Handles are 0x5348 ("SH") in the top 16 bits, the generation in the next 32 and the
 * slot in the low 16: not a canonical x64 address, so a package that dereferences one
 * faults at once instead of reading host memory. */
#define HANDLE_TAG ((ULONG_PTR)0x5348 << 48)
#define HANDLE_TAG_MASK ((ULONG_PTR)0xffff << 48)

/* Slots never move or go away, so a handle's slot can always be read; whether it still
 * names a live section is decided under the slot's lock, which a delete also takes. */
typedef struct section_slot {
    SRWLOCK lock;       /* guards every field below */
    BOOL in_use;
    ULONG generation;   /* bumped at delete, so old handles stop matching */
    void *memory;       /* the provider's section context while in_use */
} section_slot;

static const shm_provider *provider;
/* Zero-initialised: an all-zero SRWLOCK is SRWLOCK_INIT. */
static section_slot slots[HOST_SHM_MAX_SECTIONS];
/* Serialises creation and deletion (finding a free slot); block requests never take it. */
static SRWLOCK registry = SRWLOCK_INIT;

void host_shm_init(const shm_provider *p)
{
    provider = p;
}

const shm_provider *host_shm_provider(void)
{
    return provider;
}

const char *shm_status_name(shm_status s)
{
    switch (s) {
    case SHM_STATUS_SUCCESS: return "success";
    case SHM_STATUS_RESOURCES: return "resources";
    case SHM_STATUS_INVALID_PARAMETER: return "invalid parameter";
    default: return "failure";
    }
}

static PVOID make_handle(ULONG slot)
{
    return (PVOID)(HANDLE_TAG | ((ULONG_PTR)slots[slot].generation << 16) | slot);
}

/* The slot a handle names, returned with its lock held; NULL (nothing held) when the
 * handle was never issued or its section is gone. Release with unlock(). */
static section_slot *lock_live(PVOID handle)
{
    ULONG_PTR h = (ULONG_PTR)handle;
    ULONG index = (ULONG)(h & 0xffff), generation = (ULONG)((h >> 16) & 0xffffffff);
    section_slot *s;

    if ((h & HANDLE_TAG_MASK) != HANDLE_TAG || index >= HOST_SHM_MAX_SECTIONS)
        return NULL;
    s = &slots[index];
    AcquireSRWLockExclusive(&s->lock);
    if (s->in_use && s->generation == generation)
        return s;
    ReleaseSRWLockExclusive(&s->lock);
    return NULL;
}

static void unlock(section_slot *s)
{
    ReleaseSRWLockExclusive(&s->lock);
}

PVOID NTAPI host_CreateSharedMemory(ULONG MaxSize, ULONG InitialSize)
{
    shm_parameters p = { SHM_REQUEST_SECTION, MaxSize, InitialSize, NULL, NULL, NULL };
    shm_status status = SHM_STATUS_RESOURCES;
    void *memory = NULL;
    PVOID handle = NULL;
    ULONG i;

    /* Only creation and deletion change in_use, both under the registry lock. */
    AcquireSRWLockExclusive(&registry);
    for (i = 0; i < HOST_SHM_MAX_SECTIONS && slots[i].in_use; i++)
        ;
    if (i == HOST_SHM_MAX_SECTIONS)
        host_say("CreateSharedMemory: refused, %d sections are already live",
                 HOST_SHM_MAX_SECTIONS);
    else if ((status = provider->Allocate(provider->ProviderContext, &p, &memory)) ==
             SHM_STATUS_SUCCESS) {
        AcquireSRWLockExclusive(&slots[i].lock);
        slots[i].in_use = TRUE;
        slots[i].memory = memory;
        handle = make_handle(i);
        ReleaseSRWLockExclusive(&slots[i].lock);
        host_account_acquire(HOST_RES_SHM_SECTION, MaxSize, HOST_PACKAGE_NONE);
    }
    ReleaseSRWLockExclusive(&registry);

    host_trace("CreateSharedMemory(MaxSize=%lu, InitialSize=%lu) = %p [%s: %s, view %p, "
               "section handle %p]", MaxSize, InitialSize, handle, provider->Name,
               shm_status_name(status), p.VirtualAddress, p.SectionHandle);
    return handle;
}

PVOID NTAPI host_AllocateSharedMemory(PVOID SharedMem, ULONG Size)
{
    shm_parameters p = { SHM_REQUEST_BLOCK, Size, 0, NULL, NULL, NULL };
    shm_status status = SHM_STATUS_INVALID_PARAMETER;
    section_slot *s;
    void *block = NULL;

    s = lock_live(SharedMem);
    if (s) {
        if (Size) {
            p.Section = s->memory;
            status = provider->Allocate(provider->ProviderContext, &p, &block);
        }
        unlock(s);
        if (status == SHM_STATUS_SUCCESS)
            host_account_acquire(HOST_RES_SHM_BLOCK, 0, HOST_PACKAGE_NONE);
    }

    if (!s)
        host_say("AllocateSharedMemory: refused, %p is not a live section", SharedMem);
    host_trace("AllocateSharedMemory(SharedMem=%p, Size=%lu) = %p [%s]", SharedMem, Size,
               block, s ? shm_status_name(status) : "unknown section");
    return block;
}

VOID NTAPI host_FreeSharedMemory(PVOID SharedMem, PVOID Memory)
{
    shm_parameters p = { SHM_REQUEST_BLOCK, 0, 0, NULL, Memory, NULL };
    shm_status status = SHM_STATUS_INVALID_PARAMETER;
    section_slot *s;

    s = lock_live(SharedMem);
    if (s) {
        p.Section = s->memory;
        status = provider->Free(provider->ProviderContext, &p);
        unlock(s);
        if (status == SHM_STATUS_SUCCESS)
            host_account_release(HOST_RES_SHM_BLOCK, 0, HOST_PACKAGE_NONE);
    }

    if (!s)
        host_say("FreeSharedMemory: refused, %p is not a live section", SharedMem);
    else if (status != SHM_STATUS_SUCCESS)
        host_say("FreeSharedMemory: refused, %p is not a live block of section %p", Memory,
                 SharedMem);
    host_trace("FreeSharedMemory(SharedMem=%p, Memory=%p)%s", SharedMem, Memory,
               status == SHM_STATUS_SUCCESS ? "" : " refused");
}

typedef struct block_report {
    PVOID section;
    ULONG count;
} block_report;

static void report_block(void *context, void *address, ULONG size)
{
    block_report *r = context;
    if (r->count++ < 8)
        host_say("  live block %p, %lu bytes, in section %p", address, size, r->section);
}

/* Deletes the slot's section; call with the registry and the slot's lock held. */
static void delete_slot(section_slot *s, PVOID handle, const char *why)
{
    shm_parameters p = { SHM_REQUEST_SECTION, 0, 0, s->memory, NULL, NULL };
    shm_section_info info;

    provider->Query(provider->ProviderContext, s->memory, &info);
    if (info.LiveBlocks) {
        block_report r = { handle, 0 };
        host_say("%s: section %p still had %lu live blocks (%llu bytes)", why, handle,
                 info.LiveBlocks, (unsigned long long)info.LiveBytes);
        provider->Walk(provider->ProviderContext, s->memory, report_block, &r);
        if (r.count > 8)
            host_say("  ... and %lu more", r.count - 8);
        for (ULONG i = 0; i < info.LiveBlocks; i++)
            host_account_release(HOST_RES_SHM_BLOCK, 0, HOST_PACKAGE_NONE);
    }
    provider->Free(provider->ProviderContext, &p);
    host_account_release(HOST_RES_SHM_SECTION, info.MaxSize, HOST_PACKAGE_NONE);
    s->in_use = FALSE;
    s->memory = NULL;
    s->generation++;
}

BOOLEAN NTAPI host_DeleteSharedMemory(PVOID SharedMem)
{
    section_slot *s;

    AcquireSRWLockExclusive(&registry);
    s = lock_live(SharedMem);
    if (s) {
        delete_slot(s, SharedMem, "DeleteSharedMemory");
        unlock(s);
    }
    ReleaseSRWLockExclusive(&registry);

    if (!s)
        host_say("DeleteSharedMemory: refused, %p is not a live section", SharedMem);
    host_trace("DeleteSharedMemory(SharedMem=%p) = %s", SharedMem, s ? "TRUE" : "FALSE");
    return s != NULL;
}

BOOL host_shm_query(PVOID SharedMem, shm_section_info *info)
{
    section_slot *s;

    s = lock_live(SharedMem);
    if (s) {
        provider->Query(provider->ProviderContext, s->memory, info);
        unlock(s);
    }
    return s != NULL;
}

void host_shm_for_each(void (*fn)(void *context, PVOID SharedMem, const shm_section_info *info),
                       void *context)
{
    PVOID handles[HOST_SHM_MAX_SECTIONS];
    ULONG count = 0;

    /* Snapshot the handles, then call out without any lock held: fn may call back into
     * this file (host_shm_walk), and SRW locks do not nest. */
    AcquireSRWLockShared(&registry);
    for (ULONG i = 0; i < HOST_SHM_MAX_SECTIONS; i++)
        if (slots[i].in_use)
            handles[count++] = make_handle(i);
    ReleaseSRWLockShared(&registry);

    for (ULONG i = 0; i < count; i++) {
        shm_section_info info;
        if (host_shm_query(handles[i], &info))
            fn(context, handles[i], &info);
    }
}

BOOL host_shm_walk(PVOID SharedMem, void (*visit)(void *context, void *address, ULONG size),
                   void *context)
{
    section_slot *s;

    s = lock_live(SharedMem);
    if (s) {
        provider->Walk(provider->ProviderContext, s->memory, visit, context);
        unlock(s);
    }
    return s != NULL;
}

int host_shm_report_and_delete_all(void)
{
    int left = 0;

    AcquireSRWLockExclusive(&registry);
    for (ULONG i = 0; i < HOST_SHM_MAX_SECTIONS; i++) {
        if (!slots[i].in_use)
            continue;
        left++;
        host_say("leak: shared-memory section %p was never deleted", make_handle(i));
        AcquireSRWLockExclusive(&slots[i].lock);
        delete_slot(&slots[i], make_handle(i), "leak");
        ReleaseSRWLockExclusive(&slots[i].lock);
    }
    ReleaseSRWLockExclusive(&registry);
    return left;
}
