/* host_trace.h - what lsahost tells a person: --trace lines for every callback a package
 * makes, and messages about the package (errors, leaks) that are always printed.
 * Both go to stderr, so stdout stays free for what a command produces. */
#ifndef SSPKG_HOST_TRACE_H
#define SSPKG_HOST_TRACE_H

#include <stdarg.h>

/* Set by --trace. */
extern int host_trace_enabled;

/* One line "lsahost: trace: <text>" when tracing is on. */
void host_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line "lsahost: <text>", always. */
void host_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Name of an NTSTATUS the host uses often ("STATUS_SUCCESS"), or its hex value in a
 * static buffer of the calling thread. */
const char *host_status_name(long status);

/* The same for a status an SSPI entry returned: 0 is "SEC_E_OK". */
const char *host_sec_status_name(long status);

#endif
