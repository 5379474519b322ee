/* host_account.c - per-package resource counters (see host_account.h). */
#include "../../winapi.h"
#include "host_account.h"
#include "../host_trace.h"

static volatile LONG64 live[HOST_RES_COUNT], bytes[HOST_RES_COUNT], total[HOST_RES_COUNT];

static const char *const names[HOST_RES_COUNT] = {
    [HOST_RES_LSA_HEAP] = "LSA heap blocks",
    [HOST_RES_PRIVATE_HEAP] = "private heap blocks",
    [HOST_RES_CLIENT_BUFFER] = "client buffers",
    [HOST_RES_SHM_SECTION] = "shared-memory sections",
    [HOST_RES_SHM_BLOCK] = "shared-memory blocks",
    [HOST_RES_LOGON_SESSION] = "logon sessions",
    [HOST_RES_THREAD] = "threads still running",
    [HOST_RES_TOKEN] = "token handles not closed",
};

void host_account_acquire(host_resource r, uint64_t n)
{
    InterlockedIncrement64(&live[r]);
    InterlockedIncrement64(&total[r]);
    if (n)
        InterlockedExchangeAdd64(&bytes[r], (LONG64)n);
}

void host_account_release(host_resource r, uint64_t n)
{
    InterlockedDecrement64(&live[r]);
    if (n)
        InterlockedExchangeAdd64(&bytes[r], -(LONG64)n);
}

void host_account_get(host_resource r, host_account_entry *out)
{
    out->live = InterlockedCompareExchange64(&live[r], 0, 0);
    out->bytes = InterlockedCompareExchange64(&bytes[r], 0, 0);
    out->total = InterlockedCompareExchange64(&total[r], 0, 0);
}

const char *host_resource_name(host_resource r)
{
    return names[r];
}

int host_account_report_leaks(void)
{
    int kinds = 0;
    host_account_entry e;

    for (int r = 0; r < HOST_RES_COUNT; r++) {
        host_account_get((host_resource)r, &e);
        if (e.live == 0)
            continue;
        kinds++;
        if (e.bytes)
            host_say("leak: %lld %s (%lld bytes) of %lld acquired", (long long)e.live,
                     names[r], (long long)e.bytes, (long long)e.total);
        else
            host_say("leak: %lld %s of %lld acquired", (long long)e.live, names[r],
                     (long long)e.total);
    }
    return kinds;
}
