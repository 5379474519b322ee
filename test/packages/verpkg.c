/* verpkg.c - a package of one interface version and one table layout, compiled into
 * several DLLs by the Makefile (build/test/verpkg-*.dll):
 *
 *   -DVERSION=n        declares SECPKG_INTERFACE_VERSION_n (1 to 11)
 *   -DTABLES=n         returns n tables (1 or 2), each named verpkg-<index>
 *   -DLAYOUT=0|1|2     lays the tables out as the declared version's table (0), as the
 *                      current SDK's full 43-entry structure (1), or as MinGW-w64's
 *                      29-entry one (2)
 *   -DNULL_SHUTDOWN    leaves SpShutdown NULL
 *
 * Each table fills only SpInitialize, SpShutdown and SpGetInfo, as a package that
 * implements little would. */
#include "../../src/winapi.h"
#include "../../include/lsahost_secpkg.h"

#include <stddef.h>
#include <string.h>

#define SLOT(member) (offsetof(LSAHOST_SECPKG_FUNCTION_TABLE, member) / sizeof(void *))

static const ULONG entries[] = LSAHOST_SECPKG_ENTRIES;

static NTSTATUS NTAPI ver_initialize(ULONG_PTR id, PSECPKG_PARAMETERS parameters,
                                     PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)id;
    (void)parameters;
    (void)table;
    return STATUS_SUCCESS;
}

#ifndef NULL_SHUTDOWN
static NTSTATUS NTAPI ver_shutdown(void)
{
    return STATUS_SUCCESS;
}
#endif

static NTSTATUS fill_info(PSecPkgInfoW info, WCHAR *name)
{
    memset(info, 0, sizeof(*info));
    info->Name = name;
    info->wVersion = 1;
    info->wRPCID = SECPKG_ID_NONE;
    info->cbMaxToken = 16;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI ver_getinfo0(PSecPkgInfoW info)
{
    static WCHAR name[] = L"verpkg-0";
    return fill_info(info, name);
}

static NTSTATUS NTAPI ver_getinfo1(PSecPkgInfoW info)
{
    static WCHAR name[] = L"verpkg-1";
    return fill_info(info, name);
}

/* Room for two tables of the largest layout. */
static void *slots[2 * 43];

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    ULONG stride = LAYOUT == 1 ? 43 : LAYOUT == 2 ? 29 : entries[VERSION];

    (void)LsaVersion;
    for (ULONG i = 0; i < TABLES; i++) {
        void **t = slots + i * stride;
        t[SLOT(Initialize)] = (void *)ver_initialize;
#ifndef NULL_SHUTDOWN
        t[SLOT(Shutdown)] = (void *)ver_shutdown;
#endif
        t[SLOT(GetInfo)] = i ? (void *)ver_getinfo1 : (void *)ver_getinfo0;
    }
    *PackageVersion = (ULONG)SECPKG_INTERFACE_VERSION << (VERSION - 1);
    *ppTables = (PSECPKG_FUNCTION_TABLE)(void *)slots;
    *pcTables = TABLES;
    return STATUS_SUCCESS;
}
