/* host_server_quota.h - what each client process holds of lsahost, across all its
 * connections: connections, credentials, contexts, logon sessions, and its lane. Quotas are per process,
 * not per connection, so opening more connections gains a process nothing; and the
 * process over its quota is the one refused, never the next honest client.
 *
 * The lane: the package works for one process one call at a time, whatever the number
 * of its connections, so a process that makes lsahost run PBKDF2 without end keeps one
 * thread busy, never all of them. And its budget: the CPU time the package spends for a
 * process is charged to it (a token bucket: cpu_ms_per_second refilled each second, up
 * to one second's worth); a process that has spent its budget waits, in its own lane,
 * until it has some again. Other processes never wait for it (docs/benchmarks.md
 * measures what they see). */
#ifndef SSPKG_HOST_SERVER_QUOTA_H
#define SSPKG_HOST_SERVER_QUOTA_H

#include "../../winapi.h"
#include "host_server.h"

#include <stddef.h>

typedef enum server_quota_kind {
    SERVER_QUOTA_CREDENTIAL,
    SERVER_QUOTA_CONTEXT,
    SERVER_QUOTA_LOGON,          /* logon sessions LsaLogonUser made, live */
    SERVER_QUOTA_KINDS
} server_quota_kind;

typedef struct server_process server_process;

/* A new connection from process pid: its record (made on its first connection), or NULL
 * with the reason in why when the process already has its share of connections. */
server_process *server_process_join(DWORD pid, const host_serve_limits *limits, char *why,
                                    size_t why_size);
/* The connection has gone; the record goes with the process's last connection. */
void server_process_leave(server_process *p);
ULONG server_process_connections(const server_process *p);

/* One more credential, context or logon session for the process: FALSE, with the reason in why, when
 * it already holds its quota. give returns one. */
BOOL server_process_take(server_process *p, server_quota_kind kind, char *why,
                         size_t why_size);
void server_process_give(server_process *p, server_quota_kind kind);

/* The package's calls for a process go through its lane, one at a time. */
void server_process_enter_lane(server_process *p);
void server_process_leave_lane(server_process *p);

/* How long (ms) the process must wait before the package works for it again: 0 while
 * it has budget. charge takes the CPU time a call used. */
DWORD server_process_budget_wait(server_process *p);
void server_process_charge(server_process *p, ULONG64 cpu_us);

#endif
