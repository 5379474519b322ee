/* host_shm.h - the four shared-memory callbacks of LSA_SECPKG_FUNCTION_TABLE
 * (LSA_CREATE_SHARED_MEMORY, LSA_ALLOCATE_SHARED_MEMORY, LSA_FREE_SHARED_MEMORY,
 * LSA_DELETE_SHARED_MEMORY) over the selected shm_provider.
 *
 * The value CreateSharedMemory returns is an opaque handle, not an address: it encodes a
 * slot and a generation, so a handle that was never issued, or whose section was
 * deleted, is recognised and refused without being dereferenced. */
#ifndef SSPKG_HOST_SHM_H
#define SSPKG_HOST_SHM_H

#include "shm_provider.h"

/* Most sections one host holds at a time: the LSA documentation warns that sections
 * are costly and a package should create few. */
#define HOST_SHM_MAX_SECTIONS 64

void host_shm_init(const shm_provider *provider);
const shm_provider *host_shm_provider(void);

PVOID NTAPI host_CreateSharedMemory(ULONG MaxSize, ULONG InitialSize);
PVOID NTAPI host_AllocateSharedMemory(PVOID SharedMem, ULONG Size);
VOID NTAPI host_FreeSharedMemory(PVOID SharedMem, PVOID Memory);
BOOLEAN NTAPI host_DeleteSharedMemory(PVOID SharedMem);

/* For the host itself, tests and the demo. FALSE for an unknown handle. */
BOOL host_shm_query(PVOID SharedMem, shm_section_info *info);

/* Calls visit for each live block of a section, under its lock (visit must not call the
 * shared-memory callbacks). FALSE for an unknown handle. */
BOOL host_shm_walk(PVOID SharedMem, void (*visit)(void *context, void *address, ULONG size),
                   void *context);

/* Calls fn for each live section (fn may call host_shm_walk). */
void host_shm_for_each(void (*fn)(void *context, PVOID SharedMem, const shm_section_info *info),
                       void *context);

/* At unload: prints each section the package left, with its live blocks, then deletes
 * it. Returns the number of sections left. */
int host_shm_report_and_delete_all(void);

const char *shm_status_name(shm_status s);

#endif
