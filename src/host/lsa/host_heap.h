/* host_heap.h - the LSA heap and the package's private heap (AllocateLsaHeap,
 * FreeLsaHeap, AllocatePrivateHeap, FreePrivateHeap in LSA_SECPKG_FUNCTION_TABLE).
 *
 * Each is its own Win32 heap, so a pointer freed to the wrong one is caught. Blocks carry
 * a host-private header (tag and size); a free of anything that is not a live block of
 * that heap is refused and traced, never passed on. Memory is returned zeroed, as the
 * LSA's heap allocations are. */
#ifndef SSPKG_HOST_HEAP_H
#define SSPKG_HOST_HEAP_H

#include "../../winapi.h"

typedef enum host_heap_kind { HOST_HEAP_LSA, HOST_HEAP_PRIVATE, HOST_HEAP_COUNT } host_heap_kind;

int host_heap_init(void);

PVOID host_heap_alloc(host_heap_kind kind, SIZE_T length);
/* Whether `p` is a live block of that heap (the start of one). */
BOOL host_heap_owns(host_heap_kind kind, const void *p);
/* The length a live block of that heap was allocated with; 0 for anything else. */
SIZE_T host_heap_block_size(host_heap_kind kind, const void *p);
/* Returns FALSE (and traces why) when `p` is not a live block of that heap. */
BOOL host_heap_free(host_heap_kind kind, PVOID p);

/* How many blocks are still charged to package `id`. One that unloaded itself keeps
 * them until exit: the LSA may still be reading what its last call returned (a logon's
 * names and credentials), and its threads may still run; the leak report lists them. */
ULONG host_heap_blocks_of_package(ULONG id);

/* Prints each block still live ("leaked") with its size and first bytes, then
 * destroys the heaps. */
void host_heap_report_and_destroy(void);

/* The LSA table entries. */
PVOID NTAPI host_AllocateLsaHeap(ULONG Length);
VOID NTAPI host_FreeLsaHeap(PVOID Base);
PVOID NTAPI host_AllocatePrivateHeap(SIZE_T Length);
VOID NTAPI host_FreePrivateHeap(PVOID Base);

#endif
