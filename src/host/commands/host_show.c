/* host_show.c - print the package's shared sections (see host_show.h). Section bytes
 * are read as untrusted: the status block is decoded only when its header validates. */
#include "../../winapi.h"
#include "host_show.h"
#include "../shm/host_shm.h"
#include "../host_trace.h"
#include "../../../include/sspkg.h"

#include <stdio.h>
#include <string.h>

/* "2026-11-23T18:09:10Z" for a FILETIME. */
static const char *iso_time(uint64_t filetime)
{
    static char text[32];
    FILETIME ft = { (DWORD)filetime, (DWORD)(filetime >> 32) };
    SYSTEMTIME st;

    memset(&st, 0, sizeof(st));
    FileTimeToSystemTime(&ft, &st);
    snprintf(text, sizeof(text), "%04u-%02u-%02uT%02u:%02u:%02uZ", st.wYear, st.wMonth,
             st.wDay, st.wHour, st.wMinute, st.wSecond);
    return text;
}

/* The event ring at `offset` from the status block, when it lies inside the view.
 * Names are shown only when the status block says the package publishes them. */
static void show_events(const BYTE *status, uint32_t offset, const BYTE *view_end, BOOL names)
{
    static SSPKG_EVENT_RING ring;   /* a snapshot; large for the stack */
    uint64_t first;

    if (offset == 0 || offset > (size_t)(view_end - status) ||
        sizeof(ring) > (size_t)(view_end - status) - offset)
        return;
    memcpy(&ring, status + offset, sizeof(ring));
    if (ring.Magic != SSPKG_EVENT_MAGIC || ring.Capacity != SSPKG_EVENT_RING_CAPACITY) {
        printf("    event ring at +%u: damaged (magic or capacity wrong)\n", offset);
        return;
    }
    first = ring.Next > ring.Capacity ? ring.Next - ring.Capacity : 0;
    printf("    events (%llu in all, newest last):\n", (unsigned long long)ring.Next);
    for (uint64_t i = first; i < ring.Next; i++) {
        const SSPKG_EVENT *e = &ring.Events[i % ring.Capacity];
        /* Without published names the package leaves User empty: a name there was
         * written by someone else. */
        if (e->Sequence != i + 1 || e->UserLength > (names ? SSPKG_USER_BYTES : 0)) {
            printf("      #%llu: damaged\n", (unsigned long long)(i + 1));
            continue;
        }
        printf("      #%llu %s %s", (unsigned long long)e->Sequence, iso_time(e->Time),
               e->Side == SSPKG_SIDE_SERVER ? "server" : "client");
        if (names)
            printf(" user '%.*s'", (int)e->UserLength, e->User);
        printf(": %s\n", host_sec_status_name(e->Status));
    }
}

static BOOL show_status_block(const SSPKG_STATUS_BLOCK *s, const BYTE *view_end)
{
    SSPKG_STATUS_BLOCK copy;

    /* One snapshot, then validate the snapshot: the bytes may change under us. */
    memcpy(&copy, s, sizeof(copy));
    if (copy.Magic != SSPKG_STATUS_MAGIC || copy.LayoutVersion != SSPKG_STATUS_LAYOUT_VERSION ||
        copy.Size != sizeof(copy) || (copy.Flags & ~SSPKG_STATUS_USER_NAMES) || copy.Reserved)
        return FALSE;
    printf("    sspkg status block, layout %u: package %u.%u.%u, started %s, user names %s\n",
           copy.LayoutVersion, (copy.PackageVersion >> 16) & 0xff,
           (copy.PackageVersion >> 8) & 0xff, copy.PackageVersion & 0xff,
           iso_time(copy.StartTime),
           copy.Flags & SSPKG_STATUS_USER_NAMES ? "published" : "not published");
    printf("    contexts active %llu, created %llu; handshakes succeeded %llu, failed %llu\n",
           (unsigned long long)copy.ContextsActive, (unsigned long long)copy.ContextsCreated,
           (unsigned long long)copy.HandshakesSucceeded,
           (unsigned long long)copy.HandshakesFailed);
    if (view_end)
        show_events((const BYTE *)s, copy.EventRingOffset, view_end,
                    (copy.Flags & SSPKG_STATUS_USER_NAMES) != 0);
    return TRUE;
}

BOOL host_show_published(const void *status_block, size_t readable)
{
    if (readable < sizeof(SSPKG_STATUS_BLOCK))
        return FALSE;
    return show_status_block(status_block, (const BYTE *)status_block + readable);
}

static void show_block(void *context, void *address, ULONG size)
{
    const shm_section_info *info = context;
    const BYTE *b = address;
    ULONG n = size < 16 ? size : 16;

    if (info->ViewBase)
        printf("  block at offset %llu, %lu bytes:",
               (unsigned long long)(b - (const BYTE *)info->ViewBase), size);
    else
        printf("  block at %p, %lu bytes:", address, size);
    for (ULONG i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("%s\n", size > n ? " ..." : "");
    /* The ring is found through the status block, and read only inside the committed
     * part of the view: on Windows, reading reserved pages faults. */
    if (size >= sizeof(SSPKG_STATUS_BLOCK))
        show_status_block(address, info->ViewBase ? (const BYTE *)info->ViewBase + info->Committed
                                                  : NULL);
}

static void show_section(void *context, PVOID handle, const shm_section_info *info)
{
    const shm_provider *p = host_shm_provider();

    (void)context;
    printf("shared section %p (%s provider): %lu bytes max, %llu committed, %lu live "
           "block(s), %llu bytes\n", handle, p->Name, info->MaxSize,
           (unsigned long long)info->Committed, info->LiveBlocks,
           (unsigned long long)info->LiveBytes);
    host_shm_walk(handle, show_block, (void *)info);
}

void host_show_shared(void)
{
    host_shm_for_each(show_section, NULL);
    fflush(stdout);
}
