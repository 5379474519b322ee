/* host_show.c - print the package's shared sections (see host_show.h). Section bytes
 * are read as untrusted: the status block is decoded only when its header validates. */
#include "../winapi.h"
#include "host_show.h"
#include "host_shm.h"
#include "../../include/sspkg.h"

#include <stdio.h>
#include <string.h>

static void show_status_block(const SSPKG_STATUS_BLOCK *s)
{
    SSPKG_STATUS_BLOCK copy;
    FILETIME ft;
    SYSTEMTIME st;

    /* One snapshot, then validate the snapshot: the bytes may change under us. */
    memcpy(&copy, s, sizeof(copy));
    if (copy.Magic != SSPKG_STATUS_MAGIC || copy.LayoutVersion != SSPKG_STATUS_LAYOUT_VERSION ||
        copy.Size != sizeof(copy))
        return;
    ft.dwLowDateTime = (DWORD)copy.StartTime;
    ft.dwHighDateTime = (DWORD)(copy.StartTime >> 32);
    memset(&st, 0, sizeof(st));
    FileTimeToSystemTime(&ft, &st);
    printf("    sspkg status block, layout %u: package %u.%u.%u, started "
           "%04u-%02u-%02uT%02u:%02u:%02uZ\n", copy.LayoutVersion,
           (copy.PackageVersion >> 16) & 0xff, (copy.PackageVersion >> 8) & 0xff,
           copy.PackageVersion & 0xff, st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute,
           st.wSecond);
    printf("    contexts active %llu, created %llu; handshakes succeeded %llu, failed %llu\n",
           (unsigned long long)copy.ContextsActive, (unsigned long long)copy.ContextsCreated,
           (unsigned long long)copy.HandshakesSucceeded,
           (unsigned long long)copy.HandshakesFailed);
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
    if (size >= sizeof(SSPKG_STATUS_BLOCK))
        show_status_block(address);
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
