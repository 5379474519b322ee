/* client_say.c - the client's reasons, for a person to read (client_say.h). */
#include "client_say.h"
#include "../winapi.h"

#include <stdio.h>
#include <string.h>

static BOOL to_stderr(void)
{
    char v[8];
    DWORD n = GetEnvironmentVariableA("SSPKG_CLIENT_DEBUG", v, sizeof(v));

    return n && (n >= sizeof(v) || strcmp(v, "0"));
}

void client_sayv(const char *fmt, va_list ap)
{
    char line[1024] = "sspkg client: ";
    size_t n = strlen(line);
    DWORD done;

    vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    n = strlen(line);
    line[n++] = '\n';
    line[n] = 0;
    OutputDebugStringA(line);
    /* Straight to the handle: the application's C runtime may not be ours. */
    if (to_stderr())
        WriteFile(GetStdHandle(STD_ERROR_HANDLE), line, (DWORD)n, &done, NULL);
}

void client_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    client_sayv(fmt, ap);
    va_end(ap);
}
