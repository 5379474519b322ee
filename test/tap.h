/* tap.h - a minimal Test Anything Protocol emitter shared by every test program.
 * ok() prints "ok N - what" or "not ok N - what" with the got/wanted detail the caller
 * formats; done_testing() prints the plan and returns the exit status for main. */
#ifndef SSPKG_TEST_TAP_H
#define SSPKG_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

static int tap_count, tap_failed;

/* Call first: under Wine, text-mode stdout would end TAP lines in \r\n. */
static inline void tap_start(void)
{
#ifdef _WIN32
    _setmode(_fileno(stdout), _O_BINARY);
#endif
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline int ok(int condition, const char *fmt, ...)
{
    va_list ap;

    tap_count++;
    if (!condition)
        tap_failed++;
    printf("%sok %d - ", condition ? "" : "not ", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return condition;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static inline int done_testing(void)
{
    printf("1..%d\n", tap_count);
    if (tap_failed)
        diag("%d of %d tests failed", tap_failed, tap_count);
    fflush(stdout);
    return tap_failed ? 1 : 0;
}

#endif
