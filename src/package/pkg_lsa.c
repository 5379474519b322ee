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
    if (Database || Confidentiality)
        pkg_trace("ignores Database and Confidentiality: the package keeps no LSA database");
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
 * a section the package runs without publishing. Without crypto it cannot work. */
NTSTATUS NTAPI pkg_SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS status;

    pkg.package_id = (ULONG)PackageId;
    if (Parameters)
        pkg_trace("ignores the SECPKG_PARAMETERS (machine, domain): SCRAM needs neither");
    pkg.lsa = FunctionTable;
    status = pkg_crypto_start();
    if (status != STATUS_SUCCESS)
        return status;
    pkg_cred_start();
    pkg_context_start();
    pkg_token_start();
    status = pkg_store_start();
    if (status != STATUS_SUCCESS) {
        pkg_crypto_stop();
        return status;
    }
    pkg_publish_start();
    return STATUS_SUCCESS;
}

/* Contexts first (their records live in the section), then credentials, then what
 * they used. */
NTSTATUS NTAPI pkg_SpShutdown(void)
{
    pkg_handles_close_all();
    pkg_publish_stop();
    pkg_store_stop();
    pkg_crypto_stop();
    pkg.lsa = NULL;
    return STATUS_SUCCESS;
}

/* Capabilities name only what the package does: connection-oriented mutual
 * authentication, error tokens (the server's e= message) on failure, signing and
 * sealing in the user-mode half, and LsaLogonUser (LsaApLogonUserEx2). */
NTSTATUS NTAPI pkg_SpGetInfo(PSecPkgInfoW PackageInfo)
{
    static WCHAR name[] = SSPKG_PACKAGE_NAME_W;
    static WCHAR comment[] = L"SCRAM-SHA-256 (RFC 5802, RFC 7677) reference security package";

    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    memset(PackageInfo, 0, sizeof(*PackageInfo));
    PackageInfo->fCapabilities = SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MUTUAL_AUTH |
                                 SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_INTEGRITY |
                                 SECPKG_FLAG_PRIVACY | SECPKG_FLAG_LOGON;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    /* The largest SCRAM message the package sends or accepts. */
    PackageInfo->cbMaxToken = SSPKG_MAX_TOKEN;
    PackageInfo->Name = name;
    PackageInfo->Comment = comment;
    return STATUS_SUCCESS;
}
