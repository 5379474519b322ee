/* host_account.c - resource counters, in all and per package (see host_account.h). */
#include "../../winapi.h"
#include "host_account.h"
#include "host_callbacks.h"
#include "../host_trace.h"

#include <stdio.h>

typedef struct counters {
    volatile LONG64 live[HOST_RES_COUNT], bytes[HOST_RES_COUNT], total[HOST_RES_COUNT];
} counters;

/* by_package[HOST_ACCOUNT_MAX_PACKAGES] counts what no known package owns. */
static counters all, by_package[HOST_ACCOUNT_MAX_PACKAGES + 1];
/* Copies: the package's own string goes with its DLL, before the leak report. */
#define NAME_CHARS 64
static wchar_t package_names[HOST_ACCOUNT_MAX_PACKAGES][NAME_CHARS + 1];

static const char *const names[HOST_RES_COUNT] = {
    [HOST_RES_LSA_HEAP] = "LSA heap blocks",
    [HOST_RES_PRIVATE_HEAP] = "private heap blocks",
    [HOST_RES_CLIENT_BUFFER] = "client buffers",
    [HOST_RES_SHM_SECTION] = "shared-memory sections",
    [HOST_RES_SHM_BLOCK] = "shared-memory blocks",
    [HOST_RES_LOGON_SESSION] = "logon sessions",
    [HOST_RES_THREAD] = "threads still running",
    [HOST_RES_TOKEN] = "token handles not closed",
    [HOST_RES_RETURN_BUFFER] = "CallPackage return buffers not freed with FreeReturnBuffer",
};

static counters *owner_counters(uint32_t owner)
{
    return &by_package[owner < HOST_ACCOUNT_MAX_PACKAGES ? owner : HOST_ACCOUNT_MAX_PACKAGES];
}

static void add(counters *c, host_resource r, LONG64 count, LONG64 n)
{
    InterlockedExchangeAdd64(&c->live[r], count);
    if (count > 0)
        InterlockedIncrement64(&c->total[r]);
    if (n)
        InterlockedExchangeAdd64(&c->bytes[r], n);
}

void host_account_acquire(host_resource r, uint64_t n, uint32_t owner)
{
    add(&all, r, 1, (LONG64)n);
    add(owner_counters(owner), r, 1, (LONG64)n);
}

void host_account_release(host_resource r, uint64_t n, uint32_t owner)
{
    add(&all, r, -1, -(LONG64)n);
    add(owner_counters(owner), r, -1, -(LONG64)n);
}

static void get(counters *c, host_resource r, host_account_entry *out)
{
    out->live = InterlockedCompareExchange64(&c->live[r], 0, 0);
    out->bytes = InterlockedCompareExchange64(&c->bytes[r], 0, 0);
    out->total = InterlockedCompareExchange64(&c->total[r], 0, 0);
}

void host_account_get(host_resource r, host_account_entry *out)
{
    get(&all, r, out);
}

void host_account_get_package(uint32_t id, host_resource r, host_account_entry *out)
{
    get(owner_counters(id), r, out);
}

const char *host_resource_name(host_resource r)
{
    return names[r];
}

void host_account_name_package(uint32_t id, const wchar_t *name)
{
    if (id < HOST_ACCOUNT_MAX_PACKAGES)
        wcsncpy(package_names[id], name, NAME_CHARS);
}

const char *host_account_package_text(uint32_t id, char *out, size_t size)
{
    if (id == HOST_PACKAGE_NONE)
        snprintf(out, size, "no package");
    else if (id < HOST_ACCOUNT_MAX_PACKAGES && package_names[id][0])
        snprintf(out, size, "package %u (%ls)", id, package_names[id]);
    else
        snprintf(out, size, "package %u", id);
    return out;
}

static void say_entry(const char *prefix, const host_account_entry *e, const char *what)
{
    if (e->bytes)
        host_say("leak: %s%lld %s (%lld bytes) of %lld acquired", prefix, (long long)e->live,
                 what, (long long)e->bytes, (long long)e->total);
    else
        host_say("leak: %s%lld %s of %lld acquired", prefix, (long long)e->live, what,
                 (long long)e->total);
}

int host_account_report_leaks(void)
{
    int kinds = 0;
    host_account_entry e;
    char prefix[128], who[96];

    for (int r = 0; r < HOST_RES_COUNT; r++) {
        get(&all, (host_resource)r, &e);
        if (e.live == 0)
            continue;
        kinds++;
        say_entry("", &e, names[r]);
    }
    for (uint32_t id = 0; kinds && id < HOST_ACCOUNT_MAX_PACKAGES; id++)
        for (int r = 0; r < HOST_RES_COUNT; r++) {
            get(&by_package[id], (host_resource)r, &e);
            if (e.live == 0)
                continue;
            snprintf(prefix, sizeof(prefix), "%s holds ",
                     host_account_package_text(id, who, sizeof(who)));
            say_entry(prefix, &e, names[r]);
        }
    return kinds;
}
