/* host_server_pipe.h - the pipe lsahost serves on, made the way an authority's pipe must
 * be: lsahost creates the name first (FILE_FLAG_FIRST_PIPE_INSTANCE), so it never serves
 * a name another process made; its DACL lets clients connect but not add instances of
 * their own; a listening instance always exists while lsahost serves, so the name is
 * never free for a squatter to take; and every read and write can end at a deadline. */
#ifndef SSPKG_HOST_SERVER_PIPE_H
#define SSPKG_HOST_SERVER_PIPE_H

#include "../../winapi.h"

#include <stddef.h>

/* The rights a client needs on the pipe, and all the DACL grants to anyone but lsahost's
 * own account and SYSTEM: read, write, attributes (SetNamedPipeHandleState), READ_CONTROL
 * and SYNCHRONIZE. Not FILE_CREATE_PIPE_INSTANCE (FILE_APPEND_DATA, which GENERIC_WRITE
 * includes): a client that asks for GENERIC_WRITE is refused on Windows. */
#define HOST_PIPE_CLIENT_ACCESS \
    (FILE_READ_DATA | FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | \
     READ_CONTROL | SYNCHRONIZE)

typedef struct host_pipe_listener {
    const WCHAR *name;
    PSECURITY_DESCRIPTOR sd;     /* LocalFree */
    HANDLE next;                 /* the instance waiting for the next client */
} host_pipe_listener;

/* Creates the pipe's first instance. FALSE, with the reason in why, when the name is
 * taken (by another process, or another lsahost) or the pipe cannot be made. */
BOOL host_pipe_listen(host_pipe_listener *l, const WCHAR *name, char *why, size_t why_size);

/* Waits for a client on the listening instance and returns it connected, after making
 * the instance that listens next (so the name is never without one of lsahost's). NULL
 * when stop is signalled or a new instance cannot be made (why says so). */
HANDLE host_pipe_accept(host_pipe_listener *l, HANDLE stop, char *why, size_t why_size);

void host_pipe_unlisten(host_pipe_listener *l);

typedef enum host_pipe_result {
    HOST_PIPE_OK,
    HOST_PIPE_CLOSED,            /* the client hung up, or the pipe broke */
    HOST_PIPE_TIMEOUT,           /* the deadline passed */
    HOST_PIPE_WOKEN,             /* `wake` was signalled (lsahost evicts or stops) */
    HOST_PIPE_TOO_BIG            /* a message larger than the buffer */
} host_pipe_result;

/* One whole message into buf, waiting at most timeout_ms (INFINITE: no deadline), or
 * until wake (may be NULL) is signalled. The pipe must be overlapped. */
host_pipe_result host_pipe_read(HANDLE pipe, void *buf, DWORD cap, DWORD *got,
                                DWORD timeout_ms, HANDLE wake);
/* One whole message out, the same way. */
host_pipe_result host_pipe_write(HANDLE pipe, const void *buf, DWORD len, DWORD timeout_ms,
                                 HANDLE wake);

#endif
