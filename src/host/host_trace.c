/* host_trace.c - trace and message lines on stderr (see host_trace.h). */
#include "../winapi.h"
#include "host_trace.h"

#include <stdio.h>

int host_trace_enabled;

/* Lines from several package threads must not interleave: format first, write once. */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "lsahost: %s", prefix);

    if (n < 0 || (size_t)n >= sizeof(line))
        return;
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

void host_trace(const char *fmt, ...)
{
    va_list ap;

    if (!host_trace_enabled)
        return;
    va_start(ap, fmt);
    emit("trace: ", fmt, ap);
    va_end(ap);
}

void host_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit("", fmt, ap);
    va_end(ap);
}

const char *host_status_name(long status)
{
    static __thread char hex[16];

    switch ((NTSTATUS)status) {
    case STATUS_SUCCESS: return "STATUS_SUCCESS";
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
    default:
        snprintf(hex, sizeof(hex), "0x%08lx", (unsigned long)status);
        return hex;
    }
}

const char *host_sec_status_name(long status)
{
    return status == SEC_E_OK ? "SEC_E_OK" : host_status_name(status);
}
