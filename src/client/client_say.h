/* client_say.h - how the client end of lsahost's pipe says why it refused something: a
 * line "sspkg client: ..." through OutputDebugStringA (a debugger, DebugView; under Wine,
 * WINEDEBUG=+debugstr) and, when the environment variable SSPKG_CLIENT_DEBUG is set to
 * anything but 0, on the process's standard error too. */
#ifndef SSPKG_CLIENT_SAY_H
#define SSPKG_CLIENT_SAY_H

#include <stdarg.h>
#include <stdio.h>     /* __MINGW_PRINTF_FORMAT: the printf whose formats are checked */

__attribute__((format(__MINGW_PRINTF_FORMAT, 1, 2)))
void client_say(const char *fmt, ...);
void client_sayv(const char *fmt, va_list ap);

#endif
