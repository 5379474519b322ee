/* verpkg.c - a package of one interface version and one table layout, compiled into
 * several DLLs by the Makefile (build/test/verpkg-*.dll):
 *
 *   -DVERSION=n        declares SECPKG_INTERFACE_VERSION_n (1 to 11)
 *   -DTABLES=n         returns n tables (1 or 2), each named verpkg-<index>
 *   -DLAYOUT=0|1|2     lays the tables out as the declared version's table (0), as the
 *                      current SDK's full 43-entry structure (1), or as MinGW-w64's
 *                      29-entry one (2)
 *   -DNULL_SHUTDOWN    leaves SpShutdown NULL
 *   -DLOGON_EX3        (version 10 or later) also fills SpLogonUserEx3 and the two
 *                      surrogate entries: each says on stderr what it was given; the
 *                      logon makes a logon session and returns no token information;
 *                      with VERPKG_REFUSE_SURROGATE set, SpPreLogonUserSurrogate
 *                      refuses the logon
 *
 * Each table fills only SpInitialize, SpShutdown and SpGetInfo, as a package that
 * implements little would. */
#include "../../src/winapi.h"
#include "../../include/lsahost_secpkg.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SLOT(member) (offsetof(LSAHOST_SECPKG_FUNCTION_TABLE, member) / sizeof(void *))

static const ULONG entries[] = LSAHOST_SECPKG_ENTRIES;

static PLSA_SECPKG_FUNCTION_TABLE lsa;

static NTSTATUS NTAPI ver_initialize(ULONG_PTR id, PSECPKG_PARAMETERS parameters,
                                     PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)id;
    (void)parameters;
    lsa = table;
    return STATUS_SUCCESS;
}

#ifdef LOGON_EX3
static void say_surrogate(const char *entry, const LSAHOST_SURROGATE_LOGON *s, ULONG length)
{
    fprintf(stderr, "verpkg: %s: surrogate version %lu, %lu entries, %lu-byte submit buffer\n",
            entry, s ? s->Version : 0ul, s ? s->EntryCount : 0ul, length);
    fflush(stderr);
}

static NTSTATUS NTAPI ver_pre_surrogate(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE type,
                                        PVOID submit, PVOID client_base, ULONG length,
                                        LSAHOST_SURROGATE_LOGON *surrogate, PNTSTATUS sub_status)
{
    (void)request, (void)type, (void)submit, (void)client_base;
    say_surrogate("SpPreLogonUserSurrogate", surrogate, length);
    *sub_status = STATUS_SUCCESS;
    return GetEnvironmentVariableA("VERPKG_REFUSE_SURROGATE", NULL, 0) ? STATUS_ACCESS_DENIED
                                                                       : STATUS_SUCCESS;
}

static NTSTATUS NTAPI ver_logon_ex3(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE type,
                                    PVOID submit, PVOID client_base, ULONG length,
                                    LSAHOST_SURROGATE_LOGON *surrogate, PVOID *profile,
                                    PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                                    PLSA_TOKEN_INFORMATION_TYPE info_type, PVOID *info,
                                    PUNICODE_STRING *account, PUNICODE_STRING *authority,
                                    PUNICODE_STRING *machine, PSECPKG_PRIMARY_CRED primary,
                                    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *supplemental)
{
    (void)request, (void)type, (void)submit, (void)client_base, (void)primary;
    say_surrogate("SpLogonUserEx3", surrogate, length);
    *profile = NULL;
    *profile_length = 0;
    *sub_status = STATUS_SUCCESS;
    *info_type = LsaTokenInformationNull;
    *info = NULL;
    *account = *authority = *machine = NULL;
    *supplemental = NULL;
    AllocateLocallyUniqueId(logon_id);
    return lsa->CreateLogonSession(logon_id);
}

static NTSTATUS NTAPI ver_post_surrogate(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE type,
    PVOID submit, PVOID client_base, ULONG length, LSAHOST_SURROGATE_LOGON *surrogate,
    PVOID profile, ULONG profile_length, PLUID logon_id, NTSTATUS status, NTSTATUS sub_status,
    LSA_TOKEN_INFORMATION_TYPE info_type, PVOID info, PUNICODE_STRING account,
    PUNICODE_STRING authority, PUNICODE_STRING machine, PSECPKG_PRIMARY_CRED primary,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental)
{
    (void)request, (void)type, (void)submit, (void)client_base, (void)profile;
    (void)profile_length, (void)logon_id, (void)sub_status, (void)info_type, (void)info;
    (void)account, (void)authority, (void)machine, (void)primary, (void)supplemental;
    say_surrogate("SpPostLogonUserSurrogate", surrogate, length);
    fprintf(stderr, "verpkg: SpPostLogonUserSurrogate: the logon's status 0x%08lx\n",
            (unsigned long)status);
    fflush(stderr);
    return STATUS_SUCCESS;
}
#endif

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
#ifdef LOGON_EX3
        t[SLOT(LogonUserEx3)] = (void *)ver_logon_ex3;
        t[SLOT(PreLogonUserSurrogate)] = (void *)ver_pre_surrogate;
        t[SLOT(PostLogonUserSurrogate)] = (void *)ver_post_surrogate;
#endif
    }
    *PackageVersion = (ULONG)SECPKG_INTERFACE_VERSION << (VERSION - 1);
    *ppTables = (PSECPKG_FUNCTION_TABLE)(void *)slots;
    *pcTables = TABLES;
    return STATUS_SUCCESS;
}
