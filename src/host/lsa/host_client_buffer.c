/* host_client_buffer.c - client memory: AllocateClientBuffer, FreeClientBuffer,
 * CopyToClientBuffer, CopyFromClientBuffer and MapBuffer.
 *
 * On Windows these reach into the client's address space (NtAllocateVirtualMemory,
 * NtWriteVirtualMemory in the client process), and a bad address fails the call rather
 * than corrupting the LSA. lsahost does the same for a client in its own process
 * (VirtualAllocEx, Read/WriteProcessMemory on the client process the serving thread
 * set, host_client_set_current). In-process, where every address is lsahost's own, the
 * client owns only the buffers listed here, and a copy that does not lie inside one of
 * them fails with STATUS_ACCESS_VIOLATION, as a write to unmapped client memory would. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "host_account.h"
#include "host_heap.h"
#include "../host_trace.h"

#include <string.h>

typedef struct client_buffer {
    BYTE *base;              /* in the owner's address space */
    ULONG length;
    const host_client *owner;/* NULL: lsahost itself (in-process) */
    ULONG package;           /* the package charged for it (host_account.h) */
} client_buffer;

/* Client buffers are few per call; a small array searched linearly is plenty. */
#define MAX_CLIENT_BUFFERS 1024
static client_buffer buffers[MAX_CLIENT_BUFFERS];
static ULONG buffer_count;
static SRWLOCK lock = SRWLOCK_INIT;
/* In-process copies refused because they reached outside the client's buffers. */
static volatile LONG copies_refused;

/* In-process, the only client request is "the current caller" (NULL), which is what
 * packages pass from SSPI calls. Request objects for LsaApCallPackage arrive with the
 * out-of-process host. */
BOOL host_client_request_valid(PLSA_CLIENT_REQUEST request)
{
    return request == NULL;
}

/* Is [address, address + length) inside one of lsahost's own client buffers (the
 * in-process client's)? Call with the lock held. */
static BOOL range_is_client_memory(const void *address, ULONG length)
{
    ULONG_PTR a = (ULONG_PTR)address;

    for (ULONG i = 0; i < buffer_count; i++) {
        if (buffers[i].owner)
            continue;
        ULONG_PTR b = (ULONG_PTR)buffers[i].base;
        if (a >= b && a - b <= buffers[i].length && length <= buffers[i].length - (a - b))
            return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI host_AllocateClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG LengthRequired,
                                         PVOID *ClientBaseAddress)
{
    const host_client *client = host_client_current();
    NTSTATUS status = STATUS_SUCCESS;
    BYTE *base = NULL;

    if (ClientBaseAddress)
        *ClientBaseAddress = NULL;
    if (!ClientBaseAddress || !host_client_request_valid(ClientRequest) || LengthRequired == 0) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockExclusive(&lock);
    if (buffer_count == MAX_CLIENT_BUFFERS)
        status = STATUS_INSUFFICIENT_RESOURCES;
    else if (!(base = client ? VirtualAllocEx(client->process, NULL, LengthRequired,
                                              MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE)
                             : VirtualAlloc(NULL, LengthRequired, MEM_COMMIT | MEM_RESERVE,
                                            PAGE_READWRITE)))
        status = STATUS_NO_MEMORY;
    else {
        buffers[buffer_count].base = base;
        buffers[buffer_count].length = LengthRequired;
        buffers[buffer_count].owner = client;
        buffers[buffer_count].package = host_call_package();
        buffer_count++;
        host_account_acquire(HOST_RES_CLIENT_BUFFER, LengthRequired, host_call_package());
        *ClientBaseAddress = base;
    }
    ReleaseSRWLockExclusive(&lock);

done:
    host_trace("AllocateClientBuffer(ClientRequest=%p, LengthRequired=%lu) = %s, %p",
               (void *)ClientRequest, LengthRequired, host_status_name(status), (void *)base);
    return status;
}

NTSTATUS NTAPI host_FreeClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, PVOID ClientBaseAddress)
{
    NTSTATUS status = STATUS_MEMORY_NOT_ALLOCATED;

    if (!host_client_request_valid(ClientRequest)) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < buffer_count; i++) {
        if (buffers[i].base != ClientBaseAddress || buffers[i].owner != host_client_current())
            continue;
        host_account_release(HOST_RES_CLIENT_BUFFER, buffers[i].length, buffers[i].package);
        if (buffers[i].owner) {
            VirtualFreeEx(buffers[i].owner->process, buffers[i].base, 0, MEM_RELEASE);
        } else {
            /* In-process, client memory is lsahost's own: what it held (a logon's submit
             * buffer holds a password) is wiped before the pages go, unless the package
             * made them unwritable. */
            if (host_memory_writable(buffers[i].base, buffers[i].length))
                SecureZeroMemory(buffers[i].base, buffers[i].length);
            VirtualFree(buffers[i].base, 0, MEM_RELEASE);
        }
        buffers[i] = buffers[--buffer_count];
        status = STATUS_SUCCESS;
        break;
    }
    ReleaseSRWLockExclusive(&lock);

done:
    host_trace("FreeClientBuffer(ClientRequest=%p, ClientBaseAddress=%p) = %s",
               (void *)ClientRequest, ClientBaseAddress, host_status_name(status));
    return status;
}

/* One copy between LSA memory and client memory, checked on the client side. */
static NTSTATUS client_copy(PLSA_CLIENT_REQUEST request, void *to, const void *from,
                            ULONG length, const void *client_side)
{
    const host_client *client = host_client_current();
    NTSTATUS status = STATUS_SUCCESS;
    SIZE_T done = 0;

    if (!host_client_request_valid(request))
        return STATUS_INVALID_PARAMETER;
    if (length == 0)
        return STATUS_SUCCESS;
    if (!to || !from)
        return STATUS_ACCESS_VIOLATION;
    /* Another process: the system checks the address, as NtRead/WriteVirtualMemory do
     * for the LSA. */
    if (client) {
        BOOL ok = client_side == to
                      ? WriteProcessMemory(client->process, to, from, length, &done)
                      : ReadProcessMemory(client->process, from, to, length, &done);
        return ok && done == length ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
    }
    AcquireSRWLockShared(&lock);
    if (range_is_client_memory(client_side, length))
        memmove(to, from, length);
    else
        status = STATUS_ACCESS_VIOLATION;
    ReleaseSRWLockShared(&lock);
    if (status != STATUS_SUCCESS)
        InterlockedIncrement(&copies_refused);
    return status;
}

LONG host_client_copies_refused(void)
{
    return copies_refused;
}

NTSTATUS NTAPI host_CopyToClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                       PVOID ClientBaseAddress, PVOID BufferToCopy)
{
    NTSTATUS status = client_copy(ClientRequest, ClientBaseAddress, BufferToCopy, Length,
                                  ClientBaseAddress);
    host_trace("CopyToClientBuffer(ClientRequest=%p, Length=%lu, ClientBaseAddress=%p, "
               "BufferToCopy=%p) = %s", (void *)ClientRequest, Length, ClientBaseAddress,
               BufferToCopy, host_status_name(status));
    return status;
}

NTSTATUS NTAPI host_CopyFromClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                         PVOID BufferToCopy, PVOID ClientBaseAddress)
{
    NTSTATUS status = client_copy(ClientRequest, BufferToCopy, ClientBaseAddress, Length,
                                  ClientBaseAddress);
    host_trace("CopyFromClientBuffer(ClientRequest=%p, Length=%lu, BufferToCopy=%p, "
               "ClientBaseAddress=%p) = %s", (void *)ClientRequest, Length, BufferToCopy,
               ClientBaseAddress, host_status_name(status));
    return status;
}

/* MapBuffer: a SecBuffer marked SECBUFFER_UNMAPPED still points into the client; the
 * LSA copies it into LSA heap (freed by the package with FreeLsaHeap) and clears the
 * flag. A buffer already mapped is passed through. */
NTSTATUS NTAPI host_MapBuffer(PSecBuffer InputBuffer, PSecBuffer OutputBuffer)
{
    NTSTATUS status = STATUS_SUCCESS;
    PVOID copy = NULL;

    if (!InputBuffer || !OutputBuffer) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (!(InputBuffer->BufferType & SECBUFFER_UNMAPPED)) {
        *OutputBuffer = *InputBuffer;
        goto done;
    }
    if (InputBuffer->cbBuffer && !(copy = host_heap_alloc(HOST_HEAP_LSA, InputBuffer->cbBuffer))) {
        status = STATUS_NO_MEMORY;
        goto done;
    }
    status = client_copy(NULL, copy, InputBuffer->pvBuffer, InputBuffer->cbBuffer,
                         InputBuffer->pvBuffer);
    if (status != STATUS_SUCCESS) {
        host_heap_free(HOST_HEAP_LSA, copy);
        goto done;
    }
    OutputBuffer->BufferType = InputBuffer->BufferType & ~SECBUFFER_UNMAPPED;
    OutputBuffer->cbBuffer = InputBuffer->cbBuffer;
    OutputBuffer->pvBuffer = copy;

done:
    host_trace("MapBuffer(InputBuffer=%p, OutputBuffer=%p) = %s%s", (void *)InputBuffer,
               (void *)OutputBuffer, host_status_name(status), copy ? ", copied to LSA heap" : "");
    return status;
}

/* Stops tracking a client's buffers, freeing them in its process when `free`. */
static ULONG drop_client_buffers(const host_client *client, BOOL free)
{
    ULONG dropped = 0;

    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < buffer_count;) {
        if (buffers[i].owner != client) {
            i++;
            continue;
        }
        host_account_release(HOST_RES_CLIENT_BUFFER, buffers[i].length, buffers[i].package);
        if (free)
            VirtualFreeEx(client->process, buffers[i].base, 0, MEM_RELEASE);
        buffers[i] = buffers[--buffer_count];
        dropped++;
    }
    ReleaseSRWLockExclusive(&lock);
    return dropped;
}

ULONG host_client_buffers_release_client(const host_client *client)
{
    return drop_client_buffers(client, TRUE);
}

ULONG host_client_buffers_hand_over(const host_client *client)
{
    return drop_client_buffers(client, FALSE);
}

void host_client_buffers_release_all(void)
{
    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < buffer_count; i++) {
        char who[96];
        host_say("leak: client buffer %p, %lu bytes, from %s", (void *)buffers[i].base,
                 buffers[i].length, host_account_package_text(buffers[i].package, who,
                                                              sizeof(who)));
        host_account_release(HOST_RES_CLIENT_BUFFER, buffers[i].length, buffers[i].package);
        if (!buffers[i].owner)
            VirtualFree(buffers[i].base, 0, MEM_RELEASE);
    }
    buffer_count = 0;
    ReleaseSRWLockExclusive(&lock);
}
