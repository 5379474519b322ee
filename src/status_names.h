/* status_names.h - the names of the NTSTATUS and SECURITY_STATUS values lsahost and
 * sspkg meet, for their trace lines (both trace, in two binaries: hence a header).
 * Zero is STATUS_SUCCESS for an NTSTATUS and SEC_E_OK for an SSPI entry's result. */
#ifndef SSPKG_STATUS_NAMES_H
#define SSPKG_STATUS_NAMES_H

#include "winapi.h"

#include <stdio.h>

/* The name, or the value in hex in `hex` (which it returns). */
static inline const char *status_name(long status, int sspi, char hex[16])
{
    switch ((NTSTATUS)status) {
    case STATUS_SUCCESS: return sspi ? "SEC_E_OK" : "STATUS_SUCCESS";
    case STATUS_NOT_IMPLEMENTED: return "STATUS_NOT_IMPLEMENTED";
    case STATUS_INVALID_PARAMETER: return "STATUS_INVALID_PARAMETER";
    case STATUS_NO_MEMORY: return "STATUS_NO_MEMORY";
    case STATUS_INSUFFICIENT_RESOURCES: return "STATUS_INSUFFICIENT_RESOURCES";
    case STATUS_ACCESS_VIOLATION: return "STATUS_ACCESS_VIOLATION";
    case STATUS_INVALID_HANDLE: return "STATUS_INVALID_HANDLE";
    case STATUS_MEMORY_NOT_ALLOCATED: return "STATUS_MEMORY_NOT_ALLOCATED";
    case STATUS_LOGON_SESSION_COLLISION: return "STATUS_LOGON_SESSION_COLLISION";
    case STATUS_NO_SUCH_LOGON_SESSION: return "STATUS_NO_SUCH_LOGON_SESSION";
    case STATUS_UNSUCCESSFUL: return "STATUS_UNSUCCESSFUL";
    case STATUS_NOT_SUPPORTED: return "STATUS_NOT_SUPPORTED";
    case STATUS_NO_SUCH_USER: return "STATUS_NO_SUCH_USER";
    case STATUS_FILE_CORRUPT_ERROR: return "STATUS_FILE_CORRUPT_ERROR";
    case STATUS_ACCESS_DENIED: return "STATUS_ACCESS_DENIED";
    case STATUS_REVISION_MISMATCH: return "STATUS_REVISION_MISMATCH";
    case STATUS_INTERNAL_ERROR: return "STATUS_INTERNAL_ERROR";
    /* The LSA client API's (sspkg_client.dll). */
    case STATUS_NO_SUCH_PACKAGE: return "STATUS_NO_SUCH_PACKAGE";
    case STATUS_NAME_TOO_LONG: return "STATUS_NAME_TOO_LONG";
    case STATUS_PORT_CONNECTION_REFUSED: return "STATUS_PORT_CONNECTION_REFUSED";
    case STATUS_PORT_DISCONNECTED: return "STATUS_PORT_DISCONNECTED";
    /* lsahost's identity callbacks' (tokens, credentials, logon). */
    case STATUS_NO_MORE_ENTRIES: return "STATUS_NO_MORE_ENTRIES";
    case STATUS_MORE_ENTRIES: return "STATUS_MORE_ENTRIES";
    case STATUS_INVALID_SID: return "STATUS_INVALID_SID";
    case STATUS_INVALID_ACL: return "STATUS_INVALID_ACL";
    case STATUS_NO_TOKEN: return "STATUS_NO_TOKEN";
    case STATUS_NOT_FOUND: return "STATUS_NOT_FOUND";
    case STATUS_OBJECT_TYPE_MISMATCH: return "STATUS_OBJECT_TYPE_MISMATCH";
    case STATUS_INVALID_INFO_CLASS: return "STATUS_INVALID_INFO_CLASS";
    case STATUS_LOGON_FAILURE: return "STATUS_LOGON_FAILURE";
    case STATUS_ACCOUNT_RESTRICTION: return "STATUS_ACCOUNT_RESTRICTION";
    case STATUS_NONE_MAPPED: return "STATUS_NONE_MAPPED";
    case STATUS_WRONG_PASSWORD: return "STATUS_WRONG_PASSWORD";
    /* SSPI statuses, which packages return from their SSPI entries. */
    case SEC_I_CONTINUE_NEEDED: return "SEC_I_CONTINUE_NEEDED";
    case SEC_E_LOGON_DENIED: return "SEC_E_LOGON_DENIED";
    case SEC_E_INVALID_TOKEN: return "SEC_E_INVALID_TOKEN";
    case SEC_E_MUTUAL_AUTH_FAILED: return "SEC_E_MUTUAL_AUTH_FAILED";
    case SEC_E_OUT_OF_SEQUENCE: return "SEC_E_OUT_OF_SEQUENCE";
    case SEC_E_INVALID_HANDLE: return "SEC_E_INVALID_HANDLE";
    case SEC_E_BUFFER_TOO_SMALL: return "SEC_E_BUFFER_TOO_SMALL";
    case SEC_E_ALGORITHM_MISMATCH: return "SEC_E_ALGORITHM_MISMATCH";
    case SEC_E_BAD_BINDINGS: return "SEC_E_BAD_BINDINGS";
    case SEC_E_INTERNAL_ERROR: return "SEC_E_INTERNAL_ERROR";
    case SEC_E_NO_CREDENTIALS: return "SEC_E_NO_CREDENTIALS";
    case SEC_E_UNSUPPORTED_FUNCTION: return "SEC_E_UNSUPPORTED_FUNCTION";
    case SEC_E_WRONG_CREDENTIAL_HANDLE: return "SEC_E_WRONG_CREDENTIAL_HANDLE";
    case SEC_E_INVALID_PARAMETER: return "SEC_E_INVALID_PARAMETER";
    case SEC_E_INSUFFICIENT_MEMORY: return "SEC_E_INSUFFICIENT_MEMORY";
    case SEC_E_MESSAGE_ALTERED: return "SEC_E_MESSAGE_ALTERED";
    case SEC_E_QOP_NOT_SUPPORTED: return "SEC_E_QOP_NOT_SUPPORTED";
    default:
        snprintf(hex, 16, "0x%08lx", (unsigned long)status);
        return hex;
    }
}

#endif
