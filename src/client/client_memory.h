/* client_memory.h - addresses in this process that lsahost names (a return buffer, a
 * string it wrote, a view of a block it shared), checked with VirtualQuery before the
 * client, or the application it hands them to, touches them. */
#ifndef SSPKG_CLIENT_MEMORY_H
#define SSPKG_CLIENT_MEMORY_H

#include "../winapi.h"

/* How many bytes from p on can be read (or read and written, with write) without a
 * fault: committed pages, readable (writable), no guard page, within p's allocation. */
size_t client_memory_usable(const void *p, BOOL write);

/* The whole size of the view mapped at view (committed and reserved pages). */
size_t client_memory_view_size(const void *view);

/* A client buffer, as the LSA's AllocateClientBuffer makes one in this process: the
 * start of a private allocation (which VirtualFree(MEM_RELEASE) frees), readable for
 * size bytes (at least one). */
BOOL client_memory_is_buffer(const void *p, size_t size);

/* A NUL-terminated UTF-16 string, aligned, entirely in readable memory. */
BOOL client_memory_is_string(const WCHAR *s);

#endif
