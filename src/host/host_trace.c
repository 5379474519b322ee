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
    default:
        snprintf(hex, sizeof(hex), "0x%08lx", (unsigned long)status);
        return hex;
    }
}
