/* test_package_info.h - the SecPkgInfoW every test package describes itself with: a name,
 * a comment, no RPC id, a 16-byte token. */
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

#endif
