/* shm_provider.h - how lsahost reaches shared-section memory.
 *
 * Modelled on NDIS's shared memory providers (ALLOCATE_SHARED_MEMORY_HANDLER and
 * FREE_SHARED_MEMORY_HANDLER, NDIS_SHARED_MEMORY_PARAMETERS): a provider is a pair of
 * handlers with a provider context, every request is described by a parameters struct,
 * and results are the NDIS-style four. Where NDIS hands out whole regions, an LSA
 * section also hands out blocks, so a request names which of the two it wants.
 *
 * The LSA callbacks (host_shm.c) own validation of the package's handles, locking,
 * tracing and accounting; a provider only does memory. A provider is called with the
 * section's lock held for block requests. */
#ifndef SSPKG_SHM_PROVIDER_H
#define SSPKG_SHM_PROVIDER_H

#include "../../winapi.h"

typedef enum shm_status {
    SHM_STATUS_SUCCESS,           /* NDIS_STATUS_SUCCESS */
    SHM_STATUS_RESOURCES,         /* NDIS_STATUS_RESOURCES: out of memory or space */
    SHM_STATUS_INVALID_PARAMETER, /* NDIS_STATUS_INVALID_PARAMETER */
    SHM_STATUS_FAILURE            /* NDIS_STATUS_FAILURE: anything else */
} shm_status;

typedef enum shm_request {
    SHM_REQUEST_SECTION, /* a new section: Length is MaxSize, InitialLength committed */
    SHM_REQUEST_BLOCK    /* a block of Length bytes inside Section */
} shm_request;

typedef struct shm_parameters {
    shm_request Request;
    ULONG Length;
    ULONG InitialLength;   /* SECTION only */
    void *Section;         /* BLOCK only: the section's memory context */
    /* Out. SECTION: the view's base (NULL when the section has no mapping), and the
     * section handle clients map (NULL when the provider cannot share). BLOCK: the
     * block's address. To free a block, the caller sets Section and VirtualAddress. */
    void *VirtualAddress;
    HANDLE SectionHandle;
} shm_parameters;

/* What a section looks like now (for leak reports, the demo and tests). */
typedef struct shm_section_info {
    void *ViewBase;         /* NULL for a provider without a mapping */
    HANDLE SectionHandle;   /* NULL when clients cannot map it */
    ULONG MaxSize;
    ULONG64 Committed;      /* bytes committed in the view */
    ULONG LiveBlocks;
    ULONG64 LiveBytes;
} shm_section_info;

typedef struct shm_provider {
    const char *Name;
    void *ProviderContext;
    /* SECTION: *MemoryContext receives the section's memory context.
     * BLOCK: *MemoryContext receives the block address (also in VirtualAddress). */
    shm_status (*Allocate)(void *ProviderContext, shm_parameters *Parameters,
                           void **MemoryContext);
    /* SECTION: Parameters->Section is freed with everything in it.
     * BLOCK: the block at Parameters->VirtualAddress is wiped and freed; anything that
     * is not a live block start of that section is refused with INVALID_PARAMETER. */
    shm_status (*Free)(void *ProviderContext, shm_parameters *Parameters);
    void (*Query)(void *ProviderContext, void *Section, shm_section_info *Info);
    /* Calls visit for each live block of the section. */
    void (*Walk)(void *ProviderContext, void *Section,
                 void (*visit)(void *context, void *address, ULONG size), void *context);
} shm_provider;

/* The providers lsahost ships. */
const shm_provider *shm_provider_filemap(void);
const shm_provider *shm_provider_heap(void);

/* Wraps `inner` and fails allocation requests with SHM_STATUS_RESOURCES on a schedule:
 * request number `fail_nth` (1-based; 0: never), and every request after `fail_after`
 * (0: never). Requests are counted across sections and blocks. */
const shm_provider *shm_provider_fault(const shm_provider *inner, ULONG fail_nth,
                                       ULONG fail_after);
/* Allocation requests the fault provider has seen, and how many it failed. */
void shm_provider_fault_counts(ULONG *requests, ULONG *failed);

const char *shm_status_name(shm_status s);

#endif
