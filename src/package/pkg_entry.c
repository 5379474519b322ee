/* pkg_entry.c - the two exports the LSA looks up: SpLsaModeInitialize (the LSA-mode
 * table, in the LSA process) and SpUserModeInitialize (the user-mode table, in client
 * processes). One package, "SCRAM-SHA-256", so one table of each. Each export is where
 * the package learns whether to trace (pkg_trace.c); when it does, the table's entries
 * are traced ones (pkg_trace_entries.c). */
#include "pkg.h"

/* The LSA-mode table. An entry left NULL tells the LSA the function is not supported,
 * and it answers SEC_E_UNSUPPORTED_FUNCTION for it without calling the package. */
static SECPKG_FUNCTION_TABLE lsa_table = {
    .InitializePackage = pkg_LsaApInitializePackage,
    .CallPackage = pkg_LsaApCallPackage,
    .CallPackageUntrusted = pkg_LsaApCallPackageUntrusted,
    .LogonTerminated = pkg_LsaApLogonTerminated,
    .LogonUserEx2 = pkg_LsaApLogonUserEx2,
    .Initialize = pkg_SpInitialize,
    .Shutdown = pkg_SpShutdown,
    .GetInfo = pkg_SpGetInfo,
    .AcceptCredentials = pkg_SpAcceptCredentials,
    .AcquireCredentialsHandle = pkg_SpAcquireCredentialsHandle,
    .FreeCredentialsHandle = pkg_SpFreeCredentialsHandle,
    .QueryCredentialsAttributes = pkg_SpQueryCredentialsAttributes,
    .InitLsaModeContext = pkg_SpInitLsaModeContext,
    .AcceptLsaModeContext = pkg_SpAcceptLsaModeContext,
    .DeleteContext = pkg_SpDeleteContext,
    .QueryContextAttributes = pkg_SpQueryContextAttributes,
};

static SECPKG_USER_FUNCTION_TABLE user_table = {
    .InstanceInit = pkg_SpInstanceInit,
    .InitUserModeContext = pkg_SpInitUserModeContext,
    .MakeSignature = pkg_SpMakeSignature,
    .VerifySignature = pkg_SpVerifySignature,
    .SealMessage = pkg_SpSealMessage,
    .UnsealMessage = pkg_SpUnsealMessage,
    .QueryContextAttributes = pkg_SpUserQueryContextAttributes,
    .GetContextToken = pkg_SpGetContextToken,
    .DeleteUserModeContext = pkg_SpDeleteUserModeContext,
    .ExportContext = pkg_SpExportSecurityContext,
    .ImportContext = pkg_SpImportSecurityContext,
};

/* What both exports check, traced. Each reports SECPKG_INTERFACE_VERSION: the table
 * uses no entry newer than SpSetExtendedInformation, and it is the version Windows' own
 * packages report. */
static NTSTATUS check_export(const char *name, ULONG lsa_version, PULONG version,
                             const void *tables, PULONG count)
{
    NTSTATUS status = STATUS_SUCCESS;

    pkg_trace_start();
    if (!version || !tables || !count)
        status = STATUS_INVALID_PARAMETER;
    else if (lsa_version < SECPKG_INTERFACE_VERSION)
        status = STATUS_REVISION_MISMATCH;
    pkg_trace("%s(LSA version 0x%lx) = %s, package version 0x%x, 1 table", name, lsa_version,
              pkg_trace_status(status, FALSE), SECPKG_INTERFACE_VERSION);
    return status;
}

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    NTSTATUS status = check_export("SpLsaModeInitialize", LsaVersion, PackageVersion, ppTables,
                                   pcTables);
    if (status != STATUS_SUCCESS)
        return status;
    pkg_trace_wrap_lsa(&lsa_table);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    NTSTATUS status = check_export("SpUserModeInitialize", LsaVersion, PackageVersion, ppTables,
                                   pcTables);
    if (status != STATUS_SUCCESS)
        return status;
    pkg_trace_wrap_user(&user_table);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
