/* shm_provider_fault.c - a provider that wraps another and fails on a schedule, so the
 * package's error paths for CreateSharedMemory and AllocateSharedMemory returning NULL
 * can be driven one by one (lsahost --shm-fail-nth=N / --shm-fail-after=N). */
#include "shm_provider.h"
#include "../host_trace.h"

typedef struct fault_context {
    const shm_provider *inner;
    ULONG fail_nth, fail_after;
    volatile LONG requests, failed;
} fault_context;

static fault_context fault;

static shm_status fault_allocate(void *provider_context, shm_parameters *p, void **memory_context)
{
    fault_context *f = provider_context;
    ULONG n = (ULONG)InterlockedIncrement(&f->requests);

    if ((f->fail_nth && n == f->fail_nth) || (f->fail_after && n > f->fail_after)) {
        InterlockedIncrement(&f->failed);
        *memory_context = NULL;
        host_trace("fault provider: failing %s request #%lu",
                   p->Request == SHM_REQUEST_SECTION ? "section" : "block", n);
        return SHM_STATUS_RESOURCES;
    }
    return f->inner->Allocate(f->inner->ProviderContext, p, memory_context);
}

static shm_status fault_free(void *provider_context, shm_parameters *p)
{
    fault_context *f = provider_context;
    return f->inner->Free(f->inner->ProviderContext, p);
}

static void fault_query(void *provider_context, void *section, shm_section_info *info)
{
    fault_context *f = provider_context;
    f->inner->Query(f->inner->ProviderContext, section, info);
}

static void fault_walk(void *provider_context, void *section,
                       void (*visit)(void *context, void *address, ULONG size), void *context)
{
    fault_context *f = provider_context;
    f->inner->Walk(f->inner->ProviderContext, section, visit, context);
}

const shm_provider *shm_provider_fault(const shm_provider *inner, ULONG fail_nth,
                                       ULONG fail_after)
{
    static shm_provider provider = { "fault", &fault, fault_allocate, fault_free, fault_query,
                                     fault_walk };
    fault.inner = inner;
    fault.fail_nth = fail_nth;
    fault.fail_after = fail_after;
    fault.requests = fault.failed = 0;
    return &provider;
}

void shm_provider_fault_counts(ULONG *requests, ULONG *failed)
{
    *requests = (ULONG)fault.requests;
    *failed = (ULONG)fault.failed;
}
