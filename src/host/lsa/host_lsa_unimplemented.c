/* host_lsa_unimplemented.c - why lsahost leaves each of its unimplemented
 * LSA_SECPKG_FUNCTION_TABLE entries unimplemented: the sentence the stub prints when a
 * package calls one (docs/architecture.md has the same, with each entry's page). */
#include "host_callbacks.h"

#include <string.h>

static const struct {
    const char *name, *why;
} reasons[] = {
    { "SaveSupplementalCredentials", "lsahost has no account database to save them in" },
    { "OpenSamUser", "lsahost has no SAM" },
    { "GetUserCredentials", "lsahost has no SAM" },
    { "GetUserAuthData", "lsahost has no SAM" },
    { "CloseSamUser", "lsahost has no SAM" },
    { "GetAuthDataForUser", "lsahost has no SAM" },
    { "ConvertAuthDataToToken", "lsahost cannot read SAM authorization data, and has none" },
    { "ExpandAuthDataForDomain", "lsahost has no domain" },
    { "CrackSingleName", "lsahost has no directory to crack names in" },
    { "ClientCallback", "lsahost has no user-mode callback channel into the client" },
    { "UpdateCredentials", "lsahost hands a logon's credentials to the other packages when "
                           "the logon returns them, but does not pass later updates on to "
                           "their SpAcceptCredentials" },
    { "CrediRead", "lsahost has no credential manager" },
    { "CrediReadDomainCredentials", "lsahost has no credential manager" },
    { "CrediFreeCredentials", "lsahost has no credential manager" },
    { "CrediWrite", "lsahost has no credential manager" },
    { "CrediUnmarshalandDecodeString", "lsahost has no credential manager" },
    { "GetServiceAccountPassword", "lsahost has no managed service accounts" },
    { "DummyFunction6", "reserved for Microsoft's internal use" },
    { "DummyFunction7", "reserved for Microsoft's internal use" },
};

const char *host_lsa_unimplemented_reason(const char *name)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (!strcmp(reasons[i].name, name))
            return reasons[i].why;
    return NULL;
}
