/* pkg_publish.c - what the package publishes in the LSA's shared memory: one section
 * (LSA_CREATE_SHARED_MEMORY; few sections, as the LSA asks) holding the status block,
 * the event ring, the context table, and one record per context (each its own
 * LSA_ALLOCATE_SHARED_MEMORY block, freed with LSA_FREE_SHARED_MEMORY when the context
 * goes). Layouts: include/sspkg.h.
 *
 * Clients can write the section, so the package only ever writes here. Counters, ring
 * position and which table slots are in use are kept privately and copied out; nothing
 * read back from shared memory decides anything.
 *
 * Every client process can read the section too, so it holds no user name unless the
 * administrator opted in (PublishUserNames, pkg_settings.c): by default events and
 * records say when, which side, which state and what outcome, never who. The status
 * block's Flags say which it is. */
#include "pkg.h"
#include "../../include/sspkg.h"

#include <string.h>

static PVOID section;
static SSPKG_STATUS_BLOCK *status_block;
static SSPKG_EVENT_RING *ring;
static SSPKG_CONTEXT_TABLE *table;

/* The private truth behind what is published. */
static SRWLOCK lock = SRWLOCK_INIT;
static SSPKG_CONTEXT_RECORD *records[SSPKG_CONTEXT_TABLE_SLOTS];
static uint64_t active, created, succeeded, failed, events, started;
static uint32_t flags;              /* SSPKG_STATUS_*, fixed at start */

static uint64_t now(void)
{
    FILETIME t;
    GetSystemTimeAsFileTime(&t);
    return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

static uint32_t offset_of(const void *block)
{
    return (uint32_t)((const BYTE *)block - (const BYTE *)status_block);
}

static void *shared_alloc(ULONG size)
{
    void *p = pkg.lsa->AllocateSharedMemory(section, size);
    if (p)
        memset(p, 0, size);
    return p;
}

/* Copies the private counters out. Call with the lock held. */
static void write_counters(void)
{
    status_block->ContextsActive = active;
    status_block->ContextsCreated = created;
    status_block->HandshakesSucceeded = succeeded;
    status_block->HandshakesFailed = failed;
}

void pkg_publish_start(void)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = pkg.lsa;

    active = created = succeeded = failed = events = 0;
    started = now();
    flags = pkg_settings_publish_user_names() ? SSPKG_STATUS_USER_NAMES : 0;
    if (!lsa)
        return;
    section = lsa->CreateSharedMemory(SSPKG_SECTION_MAX_SIZE, SSPKG_SECTION_INITIAL_SIZE);
    if (!section)
        return;
    status_block = shared_alloc(sizeof(*status_block));
    if (!status_block) {
        lsa->DeleteSharedMemory(section);
        section = NULL;
        return;
    }
    status_block->Magic = SSPKG_STATUS_MAGIC;
    status_block->LayoutVersion = SSPKG_STATUS_LAYOUT_VERSION;
    status_block->Size = sizeof(*status_block);
    status_block->PackageVersion = SSPKG_VERSION;
    status_block->StartTime = started;
    status_block->Flags = flags;
    /* The ring and the table are optional: without them the status block still says
     * how the package is doing. */
    ring = shared_alloc(sizeof(*ring));
    if (ring) {
        ring->Magic = SSPKG_EVENT_MAGIC;
        ring->Capacity = SSPKG_EVENT_RING_CAPACITY;
        status_block->EventRingOffset = offset_of(ring);
    }
    table = shared_alloc(sizeof(*table));
    if (table) {
        table->Magic = SSPKG_CONTEXT_MAGIC;
        table->Slots = SSPKG_CONTEXT_TABLE_SLOTS;
        status_block->ContextTableOffset = offset_of(table);
    }
}

void pkg_publish_stop(void)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = pkg.lsa;

    if (!lsa || !section)
        return;
    for (ULONG i = 0; i < SSPKG_CONTEXT_TABLE_SLOTS; i++) {
        if (records[i])
            lsa->FreeSharedMemory(section, records[i]);
        records[i] = NULL;
    }
    if (table)
        lsa->FreeSharedMemory(section, table);
    if (ring)
        lsa->FreeSharedMemory(section, ring);
    lsa->FreeSharedMemory(section, status_block);
    lsa->DeleteSharedMemory(section);
    status_block = NULL;
    ring = NULL;
    table = NULL;
    section = NULL;
}

/* The user name, when names are published; otherwise nothing. */
static void put_user(char *to, uint32_t *to_len, const char *user, size_t len)
{
    size_t n = len < SSPKG_USER_BYTES ? len : SSPKG_USER_BYTES;

    if (!user || !(flags & SSPKG_STATUS_USER_NAMES))
        n = 0;
    memset(to, 0, SSPKG_USER_BYTES);
    if (n)
        memcpy(to, user, n);
    *to_len = (uint32_t)n;
}

ULONG_PTR pkg_publish_context_new(BOOL server)
{
    SSPKG_CONTEXT_RECORD *r = NULL;
    ULONG_PTR token = 0;

    AcquireSRWLockExclusive(&lock);
    active++;
    created++;
    if (status_block)
        write_counters();
    if (table) {
        for (ULONG i = 0; i < SSPKG_CONTEXT_TABLE_SLOTS && !token; i++) {
            if (records[i])
                continue;
            r = shared_alloc(sizeof(*r));
            if (!r)
                break;
            r->Magic = SSPKG_CONTEXT_MAGIC;
            r->Side = server ? SSPKG_SIDE_SERVER : SSPKG_SIDE_CLIENT;
            r->Outcome = STATUS_PENDING;
            r->StartTime = now();
            records[i] = r;
            table->RecordOffset[i] = offset_of(r);
            token = i + 1;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return token;
}

void pkg_publish_context_update(ULONG_PTR record, const char *user, size_t user_len,
                                ULONG state, NTSTATUS outcome)
{
    SSPKG_CONTEXT_RECORD *r;

    if (record == 0 || record > SSPKG_CONTEXT_TABLE_SLOTS)
        return;
    AcquireSRWLockExclusive(&lock);
    r = records[record - 1];
    if (r) {
        r->State = state;
        r->Outcome = outcome;
        put_user(r->User, &r->UserLength, user, user_len);
    }
    ReleaseSRWLockExclusive(&lock);
}

void pkg_publish_context_delete(ULONG_PTR record)
{
    SSPKG_CONTEXT_RECORD *r = NULL;

    AcquireSRWLockExclusive(&lock);
    if (active)
        active--;
    if (status_block)
        write_counters();
    if (record && record <= SSPKG_CONTEXT_TABLE_SLOTS) {
        r = records[record - 1];
        records[record - 1] = NULL;
        table->RecordOffset[record - 1] = 0;
    }
    ReleaseSRWLockExclusive(&lock);
    if (r)
        pkg.lsa->FreeSharedMemory(section, r);
}

void pkg_publish_outcome(BOOL server, const char *user, size_t user_len, NTSTATUS outcome)
{
    SSPKG_EVENT *e;

    AcquireSRWLockExclusive(&lock);
    if (outcome == SEC_E_OK)
        succeeded++;
    else
        failed++;
    if (status_block)
        write_counters();
    if (ring) {
        e = &ring->Events[events % SSPKG_EVENT_RING_CAPACITY];
        events++;
        e->Time = now();
        e->Sequence = events;
        e->Status = outcome;
        e->Side = server ? SSPKG_SIDE_SERVER : SSPKG_SIDE_CLIENT;
        put_user(e->User, &e->UserLength, user, user_len);
        ring->Next = events;
    }
    ReleaseSRWLockExclusive(&lock);
}

void pkg_publish_status(SSPKG_STATUS_BLOCK *out)
{
    memset(out, 0, sizeof(*out));
    out->Magic = SSPKG_STATUS_MAGIC;
    out->LayoutVersion = SSPKG_STATUS_LAYOUT_VERSION;
    out->Size = sizeof(*out);
    out->PackageVersion = SSPKG_VERSION;
    out->Flags = flags;
    AcquireSRWLockShared(&lock);
    out->StartTime = started;
    out->ContextsActive = active;
    out->ContextsCreated = created;
    out->HandshakesSucceeded = succeeded;
    out->HandshakesFailed = failed;
    ReleaseSRWLockShared(&lock);
}
