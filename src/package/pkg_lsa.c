/* pkg_lsa.c - the package's life in the LSA: LsaApInitializePackage, SpInitialize,
 * SpShutdown and SpGetInfo. */
#include "pkg.h"
#include "../../include/sspkg.h"

#include <string.h>

pkg_state pkg;

/* The LSA keeps the name it is given here and frees it with FreeLsaHeap, so both the
 * LSA_STRING and its buffer come from the dispatch table's AllocateLsaHeap. */
NTSTATUS NTAPI pkg_LsaApInitializePackage(ULONG AuthenticationPackageId,
                                          PLSA_DISPATCH_TABLE LsaDispatchTable,
                                          PLSA_STRING Database, PLSA_STRING Confidentiality,
                                          PLSA_STRING *AuthenticationPackageName)
{
    static const char name[] = SSPKG_PACKAGE_NAME_A;
    PLSA_STRING s;

    (void)AuthenticationPackageId;
    (void)Database;
    (void)Confidentiality;
    if (!AuthenticationPackageName)
        return STATUS_INVALID_PARAMETER;
    *AuthenticationPackageName = NULL;
    if (!LsaDispatchTable || !LsaDispatchTable->AllocateLsaHeap || !LsaDispatchTable->FreeLsaHeap)
        return STATUS_INVALID_PARAMETER;
    s = LsaDispatchTable->AllocateLsaHeap(sizeof(*s));
    if (!s)
        return STATUS_NO_MEMORY;
    s->Buffer = LsaDispatchTable->AllocateLsaHeap(sizeof(name));
    if (!s->Buffer) {
        LsaDispatchTable->FreeLsaHeap(s);
        return STATUS_NO_MEMORY;
    }
    memcpy(s->Buffer, name, sizeof(name));
    s->Length = sizeof(name) - 1;
    s->MaximumLength = sizeof(name);
    *AuthenticationPackageName = s;
    return STATUS_SUCCESS;
}

/* FunctionTable is NULL under Wine's secur32: the package still initializes, and runs
 * without the LSA's services. Shared memory is optional too: when the LSA cannot give
 * a section the package runs without publishing. */
NTSTATUS NTAPI pkg_SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    (void)PackageId;
    (void)Parameters;
    pkg.lsa = FunctionTable;
    pkg_publish_start();
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI pkg_SpShutdown(void)
{
    pkg_publish_stop();
    pkg.lsa = NULL;
    return STATUS_SUCCESS;
}

/* Capabilities name only what the package does today. The SCRAM exchange, mutual
 * authentication and message protection add their flags when they exist. */
NTSTATUS NTAPI pkg_SpGetInfo(PSecPkgInfoW PackageInfo)
{
    static WCHAR name[] = SSPKG_PACKAGE_NAME_W;
    static WCHAR comment[] = L"SCRAM-SHA-256 (RFC 5802, RFC 7677) reference security package";

    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    memset(PackageInfo, 0, sizeof(*PackageInfo));
    PackageInfo->fCapabilities = SECPKG_FLAG_CONNECTION;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    /* The largest SCRAM message the package sends or accepts. */
    PackageInfo->cbMaxToken = 4096;
    PackageInfo->Name = name;
    PackageInfo->Comment = comment;
    return STATUS_SUCCESS;
}
