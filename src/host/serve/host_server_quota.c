/* host_server_quota.c - per-process records of lsahost's clients (host_server_quota.h).
 * A record is found by process id. Process ids are not reused while a record exists:
 * each connection holds a handle to its process, and a record lives no longer than the
 * process's last connection. */
#include "host_server_quota.h"

#include <stdio.h>

struct server_process {
    DWORD pid;
    ULONG connections;
    ULONG held[SERVER_QUOTA_KINDS];
    ULONG limit[SERVER_QUOTA_KINDS];
    SRWLOCK lane;
    /* The CPU budget, in microseconds (negative: overspent), as of refilled_at. */
    LONG64 budget_us, refill_us_per_s, burst_us;
    ULONGLONG refilled_at;
    server_process *next;
};

static server_process *processes;
static SRWLOCK lock = SRWLOCK_INIT;

static const char *const kind_names[SERVER_QUOTA_KINDS] = { "credentials", "contexts",
                                                                 "logon sessions" };

server_process *server_process_join(DWORD pid, const host_serve_limits *limits, char *why,
                                    size_t why_size)
{
    server_process *p;

    AcquireSRWLockExclusive(&lock);
    for (p = processes; p && p->pid != pid; p = p->next)
        ;
    if (!p && (p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p)))) {
        p->pid = pid;
        p->limit[SERVER_QUOTA_CREDENTIAL] = limits->max_credentials_per_process;
        p->limit[SERVER_QUOTA_CONTEXT] = limits->max_contexts_per_process;
        p->limit[SERVER_QUOTA_LOGON] = limits->max_logons_per_process;
        InitializeSRWLock(&p->lane);
        p->refill_us_per_s = (LONG64)limits->cpu_ms_per_second * 1000;
        p->burst_us = p->refill_us_per_s;
        p->budget_us = p->burst_us;
        p->refilled_at = GetTickCount64();
        p->next = processes;
        processes = p;
    }
    if (!p) {
        snprintf(why, why_size, "out of memory for process %lu's record", pid);
    } else if (p->connections >= limits->max_connections_per_process) {
        snprintf(why, why_size, "process %lu already has %lu connection(s), its quota",
                 pid, p->connections);
        p = NULL;
    } else {
        p->connections++;
    }
    ReleaseSRWLockExclusive(&lock);
    return p;
}

void server_process_leave(server_process *p)
{
    AcquireSRWLockExclusive(&lock);
    if (--p->connections == 0) {
        server_process **at = &processes;
        while (*at != p)
            at = &(*at)->next;
        *at = p->next;
        HeapFree(GetProcessHeap(), 0, p);
    }
    ReleaseSRWLockExclusive(&lock);
}

ULONG server_process_connections(const server_process *p)
{
    ULONG n;

    AcquireSRWLockShared(&lock);
    n = p->connections;
    ReleaseSRWLockShared(&lock);
    return n;
}

BOOL server_process_take(server_process *p, server_quota_kind kind, char *why,
                         size_t why_size)
{
    BOOL ok;

    AcquireSRWLockExclusive(&lock);
    ok = p->held[kind] < p->limit[kind];
    if (ok)
        p->held[kind]++;
    else
        snprintf(why, why_size, "process %lu holds %lu %s, its quota", p->pid, p->held[kind],
                 kind_names[kind]);
    ReleaseSRWLockExclusive(&lock);
    return ok;
}

void server_process_give(server_process *p, server_quota_kind kind)
{
    AcquireSRWLockExclusive(&lock);
    if (p->held[kind])
        p->held[kind]--;
    ReleaseSRWLockExclusive(&lock);
}

void server_process_enter_lane(server_process *p)
{
    AcquireSRWLockExclusive(&p->lane);
}

void server_process_leave_lane(server_process *p)
{
    ReleaseSRWLockExclusive(&p->lane);
}

/* Brings the budget up to now. Call with the lane held (only the lane's holder touches
 * the budget). */
static void refill(server_process *p)
{
    ULONGLONG now = GetTickCount64();

    p->budget_us += (LONG64)(now - p->refilled_at) * p->refill_us_per_s / 1000;
    if (p->budget_us > p->burst_us)
        p->budget_us = p->burst_us;
    p->refilled_at = now;
}

DWORD server_process_budget_wait(server_process *p)
{
    refill(p);
    if (p->budget_us > 0 || !p->refill_us_per_s)
        return 0;
    return (DWORD)(-p->budget_us * 1000 / p->refill_us_per_s) + 1;
}

void server_process_charge(server_process *p, ULONG64 cpu_us)
{
    p->budget_us -= (LONG64)cpu_us;
}
