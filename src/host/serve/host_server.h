/* host_server.h - lsahost serve: the LSA for client processes over a named pipe
 * (host_server.c; the messages in src/common/lsa_wire.h). */
#ifndef SSPKG_HOST_SERVER_H
#define SSPKG_HOST_SERVER_H

#include "../packages/host_packages.h"

/* The pipe lsahost serves on unless told otherwise, and what clients connect to. */
#define HOST_DEFAULT_PIPE L"\\\\.\\pipe\\sspkg-lsahost"

/* What one client process may hold, what all of them may hold together, and how long
 * lsahost waits for a client. Every number is a `serve` option; the defaults are the
 * HOST_SERVE_DEFAULT_* values (docs/architecture.md, "Trust model"). */
typedef struct host_serve_limits {
    ULONG max_connections;               /* --max-connections: in all */
    ULONG max_connections_per_process;   /* --max-connections-per-process */
    ULONG max_credentials_per_process;   /* --max-credentials-per-process */
    ULONG max_contexts_per_process;      /* --max-contexts-per-process */
    ULONG max_logons_per_process;        /* --max-logons-per-process: logon sessions
                                            (LsaLogonUser) live across its connections */
    ULONG hello_timeout_ms;              /* --hello-timeout: connect to HELLO */
    ULONG write_timeout_ms;              /* --write-timeout: for the client to take an answer */
    ULONG cpu_ms_per_second;             /* --cpu-per-process: the package's CPU time one
                                            process may use, on average, per second */
} host_serve_limits;

#define HOST_SERVE_DEFAULT_MAX_CONNECTIONS 64
#define HOST_SERVE_DEFAULT_CONNECTIONS_PER_PROCESS 4
#define HOST_SERVE_DEFAULT_CREDENTIALS_PER_PROCESS 128
#define HOST_SERVE_DEFAULT_CONTEXTS_PER_PROCESS 128
#define HOST_SERVE_DEFAULT_LOGONS_PER_PROCESS 16
#define HOST_SERVE_DEFAULT_HELLO_TIMEOUT_MS 5000
#define HOST_SERVE_DEFAULT_WRITE_TIMEOUT_MS 10000
#define HOST_SERVE_DEFAULT_CPU_MS_PER_SECOND 250

/* The defaults above. */
host_serve_limits host_serve_default_limits(void);

/* Serves until Ctrl+C, or (exit_after > 0) until that many clients have come and
 * gone. Refuses to start (exit status 6) when another process already holds the pipe
 * name. Returns a process exit status. */
int host_serve(const WCHAR *pipe_name, ULONG exit_after,
               const host_serve_limits *limits);

#endif
