/* pkg_entry.c - the two exports the LSA looks up: SpLsaModeInitialize (the LSA-mode
 * table, in the LSA process) and SpUserModeInitialize (the user-mode table, in client
 * processes). One package, "SCRAM-SHA-256", so one table of each. Each export is where
 * the package learns whether to trace (pkg_trace.c); when it does, the table's entries
 * are traced ones (pkg_trace_entries.c). */
#include "pkg.h"

/* The LSA-mode table, of SECPKG_INTERFACE_VERSION_4 (30 entries, up to
 * ChangeAccountPassword; MinGW-w64's SECPKG_FUNCTION_TABLE stops at 29, so the type is
 * include/lsahost_secpkg.h's). An entry left NULL tells the LSA the function is not
 * supported, and it answers SEC_E_UNSUPPORTED_FUNCTION for it without calling the
 * package. */
static LSAHOST_SECPKG_FUNCTION_TABLE lsa_table = {
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
    .ChangeAccountPassword = pkg_SpChangeAccountPassword,
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

/* What both exports check, traced. An LSA of any version may load the package: one
 * older than version 4 reads the first 27 entries and never calls ChangeAccountPassword. */
static NTSTATUS check_export(const char *name, ULONG lsa_version, PULONG version,
                             const void *tables, PULONG count, ULONG package_version)
{
    NTSTATUS status = STATUS_SUCCESS;

    pkg_trace_start();
    if (!version || !tables || !count)
        status = STATUS_INVALID_PARAMETER;
    else if (lsa_version < SECPKG_INTERFACE_VERSION)
        status = STATUS_REVISION_MISMATCH;
    pkg_trace("%s(LSA version 0x%lx) = %s, package version 0x%lx, 1 table", name, lsa_version,
              pkg_trace_status(status, FALSE), package_version);
    return status;
}

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    NTSTATUS status = check_export("SpLsaModeInitialize", LsaVersion, PackageVersion, ppTables,
                                   pcTables, SECPKG_INTERFACE_VERSION_4);
    if (status != STATUS_SUCCESS)
        return status;
    pkg_trace_wrap_lsa(&lsa_table);
    *PackageVersion = SECPKG_INTERFACE_VERSION_4;
    *ppTables = (PSECPKG_FUNCTION_TABLE)&lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    NTSTATUS status = check_export("SpUserModeInitialize", LsaVersion, PackageVersion, ppTables,
                                   pcTables, SECPKG_INTERFACE_VERSION);
    if (status != STATUS_SUCCESS)
        return status;
    pkg_trace_wrap_user(&user_table);
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
