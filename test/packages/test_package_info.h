/* test_package_info.h - what the test packages share: the SecPkgInfoW each describes itself
 * with (a name, a comment, no RPC id, a 16-byte token), and the answer of a one-table
 * SpLsaModeInitialize. */
#ifndef SSPKG_TEST_PACKAGE_INFO_H
#define SSPKG_TEST_PACKAGE_INFO_H

#include "../../src/winapi.h"

#include <string.h>

static inline NTSTATUS test_package_info(PSecPkgInfoW info, WCHAR *name, WCHAR *comment)
{
    memset(info, 0, sizeof(*info));
    info->Name = name;
    info->Comment = comment;
    info->wVersion = 1;
    info->wRPCID = SECPKG_ID_NONE;
    info->cbMaxToken = 16;
    return STATUS_SUCCESS;
}

/* SpLsaModeInitialize's answer for a package of one table at SECPKG_INTERFACE_VERSION. */
static inline NTSTATUS test_package_one_table(PSECPKG_FUNCTION_TABLE table, PULONG version,
                                              PSECPKG_FUNCTION_TABLE *tables, PULONG count)
{
    *version = SECPKG_INTERFACE_VERSION;
    *tables = table;
    *count = 1;
    return STATUS_SUCCESS;
}

#endif
