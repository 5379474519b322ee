/* pkg_trace.c - the package's trace lines: whether they are on, and where they go.
 *
 * Off unless the environment variable SSPKG_TRACE is set (to anything but "0") when a
 * table is asked for (SpLsaModeInitialize, SpUserModeInitialize); lsahost's --trace
 * sets it, and it works as well for a program using the package through Wine's
 * secur32. Each line is "sspkg: trace: <text>", written in one piece to the process's
 * standard error, beside lsahost's own "lsahost: trace:" lines; a process with no
 * standard error (lsass on Windows) gets them through OutputDebugString, for a debugger
 * or DebugView. What goes in a line is decided where it is written (pkg_trace_entries.c
 * and the entries' notes), under one rule: no secret, and no token's contents. */
#include "pkg.h"
#include "../status_names.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

BOOL pkg_tracing;

void pkg_trace_start(void)
{
    char value[8];
    DWORD n = GetEnvironmentVariableA("SSPKG_TRACE", value, sizeof(value));

    /* n is the size needed when the value does not fit: a long value is "on" too. */
    pkg_tracing = n >= sizeof(value) || (n > 0 && strcmp(value, "0") != 0);
}

void pkg_trace_line(const char *fmt, ...)
{
    static const char prefix[] = "sspkg: trace: ";
    char line[1024];
    size_t n = sizeof(prefix) - 1;
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD written;
    va_list ap;

    memcpy(line, prefix, n);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    va_end(ap);
    n = strlen(line);
    memcpy(line + n, "\n", 2);
    if (err && err != INVALID_HANDLE_VALUE && WriteFile(err, line, (DWORD)n + 1, &written, NULL))
        return;
    OutputDebugStringA(line);
}

const char *pkg_trace_status(NTSTATUS status, BOOL sspi)
{
    static __thread char hex[16];
    return status_name(status, sspi, hex);
}

/* The ISC_REQ_* and ASC_REQ_* bits by position (the two sets differ from bit 6 on). */
static const char *const isc_bits[32] = {
    "DELEGATE", "MUTUAL_AUTH", "REPLAY_DETECT", "SEQUENCE_DETECT", "CONFIDENTIALITY",
    "USE_SESSION_KEY", "PROMPT_FOR_CREDS", "USE_SUPPLIED_CREDS", "ALLOCATE_MEMORY",
    "USE_DCE_STYLE", "DATAGRAM", "CONNECTION", "CALL_LEVEL", "FRAGMENT_SUPPLIED",
    "EXTENDED_ERROR", "STREAM", "INTEGRITY", "IDENTIFY", "NULL_SESSION",
    "MANUAL_CRED_VALIDATION", "RESERVED1", "FRAGMENT_TO_FIT", "FORWARD_CREDENTIALS",
    "NO_INTEGRITY", "USE_HTTP_STYLE", NULL, NULL, NULL, NULL, "UNVERIFIED_TARGET_NAME",
    "CONFIDENTIALITY_ONLY", NULL
};
static const char *const asc_bits[32] = {
    "DELEGATE", "MUTUAL_AUTH", "REPLAY_DETECT", "SEQUENCE_DETECT", "CONFIDENTIALITY",
    "USE_SESSION_KEY", "SESSION_TICKET", NULL, "ALLOCATE_MEMORY", "USE_DCE_STYLE",
    "DATAGRAM", "CONNECTION", "CALL_LEVEL", "FRAGMENT_SUPPLIED", NULL, "EXTENDED_ERROR",
    "STREAM", "INTEGRITY", "LICENSING", "IDENTIFY", "ALLOW_NULL_SESSION",
    "ALLOW_NON_USER_LOGONS", "ALLOW_CONTEXT_REPLAY", "FRAGMENT_TO_FIT", "NO_TOKEN", NULL,
    "PROXY_BINDINGS", NULL, "ALLOW_MISSING_BINDINGS", NULL, NULL, NULL
};

const char *pkg_trace_flags(ULONG flags, BOOL accept, char *out, size_t cap)
{
    const char *const *names = accept ? asc_bits : isc_bits;
    size_t used = 0;

    out[0] = '\0';
    for (int bit = 0; bit < 32 && used < cap; bit++) {
        int n;
        if (!(flags & (1ul << bit)))
            continue;
        if (names[bit])
            n = snprintf(out + used, cap - used, "%s%s_REQ_%s", used ? "|" : "",
                         accept ? "ASC" : "ISC", names[bit]);
        else
            n = snprintf(out + used, cap - used, "%s0x%08lx", used ? "|" : "", 1ul << bit);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return out;
}
