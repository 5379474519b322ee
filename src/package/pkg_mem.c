/* pkg_mem.c - where the package's memory comes from, and how it hands memory to its
 * caller, with the LSA (its function table) and without it (Wine's secur32). */
#include "pkg.h"

#include <string.h>

void *pkg_alloc(SIZE_T size)
{
    if (pkg.lsa)
        return pkg.lsa->AllocatePrivateHeap(size);
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
}

void pkg_free(void *p)
{
    if (!p)
        return;
    if (pkg.lsa)
        pkg.lsa->FreePrivateHeap(p);
    else
        HeapFree(GetProcessHeap(), 0, p);
}

void *pkg_return_alloc(ULONG size)
{
    if (pkg.lsa)
        return pkg.lsa->AllocateLsaHeap(size);
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
}

NTSTATUS pkg_copy_from_client(void *to, const void *client_from, ULONG length)
{
    if (pkg.lsa)
        return pkg.lsa->CopyFromClientBuffer(NULL, length, to, (PVOID)client_from);
    memcpy(to, client_from, length);
    return STATUS_SUCCESS;
}

NTSTATUS pkg_copy_to_client(void *client_to, const void *from, ULONG length)
{
    if (pkg.lsa)
        return pkg.lsa->CopyToClientBuffer(NULL, length, client_to, (PVOID)from);
    memcpy(client_to, from, length);
    return STATUS_SUCCESS;
}

NTSTATUS pkg_client_alloc(PLSA_CLIENT_REQUEST request, ULONG length, void **client_out)
{
    *client_out = NULL;
    if (pkg.lsa)
        return pkg.lsa->AllocateClientBuffer(request, length, client_out);
    *client_out = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, length);
    return *client_out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

void pkg_client_free(PLSA_CLIENT_REQUEST request, void *client)
{
    if (!client)
        return;
    if (pkg.lsa)
        pkg.lsa->FreeClientBuffer(request, client);
    else
        HeapFree(GetProcessHeap(), 0, client);
}

NTSTATUS pkg_return_to_client(PLSA_CLIENT_REQUEST request, const void *data, ULONG length,
                              void **client_out)
{
    NTSTATUS status = pkg_client_alloc(request, length, client_out);

    if (status != STATUS_SUCCESS)
        return status;
    status = pkg.lsa ? pkg.lsa->CopyToClientBuffer(request, length, *client_out, (PVOID)data)
                     : (memcpy(*client_out, data, length), STATUS_SUCCESS);
    if (status != STATUS_SUCCESS) {
        pkg_client_free(request, *client_out);
        *client_out = NULL;
    }
    return status;
}
