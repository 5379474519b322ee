/* host_trace.c - trace and message lines on stderr (see host_trace.h). */
#include "../winapi.h"
#include "host_trace.h"
#include "../status_names.h"

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
    return status_name(status, 0, hex);
}

const char *host_sec_status_name(long status)
{
    static __thread char hex[16];
    return status_name(status, 1, hex);
}
