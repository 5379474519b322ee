/* host_server.h - lsahost serve: the LSA for client processes over a named pipe
 * (host_server.c; the messages in src/common/lsa_wire.h). */
#ifndef SSPKG_HOST_SERVER_H
#define SSPKG_HOST_SERVER_H

#include "host_package.h"

/* The pipe lsahost serves on unless told otherwise, and what clients connect to. */
#define HOST_DEFAULT_PIPE L"\\\\.\\pipe\\sspkg-lsahost"

/* Serves until Ctrl+C, or (exit_after > 0) until that many clients have come and
 * gone. Returns a process exit status. */
int host_serve(host_package *pkg, const WCHAR *pipe_name, ULONG exit_after);

#endif
