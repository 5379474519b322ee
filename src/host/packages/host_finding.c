/* host_finding.c - findings about a package (see host_finding.h). */
#include "host_finding.h"
#include "../host_trace.h"

#include <stdarg.h>
#include <stdio.h>

#define LEARN "https://learn.microsoft.com/en-us/windows/win32/api/"

static const host_finding_kind kinds[HOST_FINDING_KINDS] = {
    [HOST_FINDING_LAYOUT] = { "layout", "SpLsaModeInitialize and SECPKG_FUNCTION_TABLE (ntsecpkg.h)",
        LEARN "ntsecpkg/ns-ntsecpkg-secpkg_function_table" },
    [HOST_FINDING_NO_INITIALIZE] = { "no-initialize", "SpInitialize (SECPKG_FUNCTION_TABLE, ntsecpkg.h)",
        LEARN "ntsecpkg/nc-ntsecpkg-spinitializefn" },
    [HOST_FINDING_NO_SHUTDOWN] = { "no-shutdown", "SpShutdown (SECPKG_FUNCTION_TABLE, ntsecpkg.h)",
        LEARN "ntsecpkg/nc-ntsecpkg-spshutdownfn" },
    [HOST_FINDING_LOGON_WITHOUT_ENTRY] = { "logon-without-entry",
        "SecPkgInfoW (sspi.h), SECPKG_FUNCTION_TABLE (ntsecpkg.h)", LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_CONTEXTS_WITHOUT_ENTRY] = { "contexts-without-entry",
        "SecPkgInfoW (sspi.h), SpInitLsaModeContext and SpAcceptLsaModeContext",
        LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_CONTEXTS_WITHOUT_HANDLES] = { "contexts-without-handles",
        "SpAcquireCredentialsHandle, SpFreeCredentialsHandle and SpDeleteContext (ntsecpkg.h)",
        LEARN "ntsecpkg/ns-ntsecpkg-secpkg_function_table" },
    [HOST_FINDING_INTEGRITY_WITHOUT_ENTRY] = { "integrity-without-entry",
        "SecPkgInfoW (sspi.h), SECPKG_USER_FUNCTION_TABLE (ntsecpkg.h)",
        LEARN "ntsecpkg/ns-ntsecpkg-secpkg_user_function_table" },
    [HOST_FINDING_PRIVACY_WITHOUT_ENTRY] = { "privacy-without-entry",
        "SecPkgInfoW (sspi.h), SECPKG_USER_FUNCTION_TABLE (ntsecpkg.h)",
        LEARN "ntsecpkg/ns-ntsecpkg-secpkg_user_function_table" },
    [HOST_FINDING_UNKNOWN_CAPABILITIES] = { "unknown-capabilities",
        "SecPkgInfoW (sspi.h), fCapabilities", LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_BAD_NAME] = { "bad-name", "SecPkgInfoW (sspi.h), Name",
        LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_BAD_COMMENT] = { "bad-comment", "SecPkgInfoW (sspi.h), Comment",
        LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_BAD_EXTENDED_INFO] = { "bad-extended-info",
        "SpGetExtendedInformation and SECPKG_EXTENDED_INFORMATION (ntsecpkg.h)",
        LEARN "ntsecpkg/ns-ntsecpkg-secpkg_extended_information" },
    [HOST_FINDING_BAD_OUTPUT_TOKEN] = { "bad-output-token",
        "SpInitLsaModeContext and SpAcceptLsaModeContext (ntsecpkg.h)",
        LEARN "ntsecpkg/nc-ntsecpkg-spinitlsamodecontextfn" },
    [HOST_FINDING_TOKEN_OVER_MAX] = { "token-over-max", "SecPkgInfoW (sspi.h), cbMaxToken",
        LEARN "sspi/ns-sspi-secpkginfow" },
    [HOST_FINDING_CREDENTIAL_NOT_FREED] = { "credential-not-freed",
        "SpFreeCredentialsHandle (ntsecpkg.h)", LEARN "ntsecpkg/nc-ntsecpkg-spfreecredentialshandlefn" },
    [HOST_FINDING_CONTEXT_NOT_DELETED] = { "context-not-deleted", "SpDeleteContext (ntsecpkg.h)",
        LEARN "ntsecpkg/nc-ntsecpkg-spdeletecontextfn" },
    [HOST_FINDING_UNLOADED_ITSELF] = { "unloaded-itself", "UnloadPackage",
        "https://learn.microsoft.com/previous-versions/windows/desktop/legacy/aa380520(v=vs.85)" },
};

static host_finding_entry kept[HOST_FINDINGS_KEPT];
static size_t count, count_about[HOST_FINDING_DLLS];
static unsigned about;

const host_finding_kind *host_finding_kind_of(host_finding_id id)
{
    return &kinds[id];
}

void host_finding(host_finding_id id, const char *fmt, ...)
{
    host_finding_entry e;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e.text, sizeof(e.text), fmt, ap);
    va_end(ap);
    e.kind = &kinds[id];
    e.dll = about;
    host_say("finding: %s [%s] (documented in %s: %s)", e.text, e.kind->name, e.kind->doc,
             e.kind->url);
    if (count < HOST_FINDINGS_KEPT)
        kept[count] = e;
    count++;
    if (about < HOST_FINDING_DLLS)
        count_about[about]++;
}

void host_finding_about(unsigned dll)
{
    about = dll;
}

size_t host_finding_count_about(unsigned dll)
{
    return dll < HOST_FINDING_DLLS ? count_about[dll] : 0;
}

size_t host_finding_count(void)
{
    return count;
}

const host_finding_entry *host_finding_get(size_t i)
{
    return i < count && i < HOST_FINDINGS_KEPT ? &kept[i] : NULL;
}
