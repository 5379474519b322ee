/* host_process.c - process services the LSA offers a package: CreateThread,
 * DuplicateHandle, LsaProtectMemory and LsaUnprotectMemory. */
#include "host_callbacks.h"
#include "host_account.h"
#include "../host_trace.h"

#include <bcrypt.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * CreateThread: the thread runs through a trampoline so the host counts it until it
 * returns; threads still running at unload are reported.
 * ------------------------------------------------------------------------------------ */
typedef struct thread_start {
    SEC_THREAD_START start;
    PVOID parameter;
    ULONG package;          /* the package that asked for it, charged for it */
} thread_start;

static DWORD WINAPI thread_trampoline(LPVOID arg)
{
    thread_start t = *(thread_start *)arg;
    DWORD result;

    HeapFree(GetProcessHeap(), 0, arg);
    host_call_set_thread_package(t.package);
    result = t.start(t.parameter);
    host_call_thread_release();
    host_account_release(HOST_RES_THREAD, 0, t.package);
    return result;
}

HANDLE NTAPI host_CreateThread(SEC_ATTRS SecurityAttributes, ULONG StackSize,
                               SEC_THREAD_START StartFunction, PVOID ThreadParameter,
                               ULONG CreationFlags, PULONG ThreadId)
{
    thread_start *t = NULL;
    HANDLE thread = NULL;

    if (StartFunction && (t = HeapAlloc(GetProcessHeap(), 0, sizeof(*t)))) {
        t->start = StartFunction;
        t->parameter = ThreadParameter;
        t->package = host_call_package();
        host_account_acquire(HOST_RES_THREAD, 0, t->package);
        thread = CreateThread(SecurityAttributes, StackSize, thread_trampoline, t, CreationFlags,
                              ThreadId);
        if (!thread) {
            host_account_release(HOST_RES_THREAD, 0, t->package);
            HeapFree(GetProcessHeap(), 0, t);
        }
    }
    host_trace("CreateThread(StartFunction=%p, ThreadParameter=%p, CreationFlags=%#lx) = %p",
               (void *)StartFunction, ThreadParameter, CreationFlags, thread);
    return thread;
}

/* ------------------------------------------------------------------------------------
 * DuplicateHandle: from the client process into the LSA. In-process both are lsahost.
 * ------------------------------------------------------------------------------------ */
NTSTATUS NTAPI host_DuplicateHandle(HANDLE SourceHandle, PHANDLE DestinationHandle)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!DestinationHandle)
        status = STATUS_INVALID_PARAMETER;
    else if (!DuplicateHandle(GetCurrentProcess(), SourceHandle, GetCurrentProcess(),
                              DestinationHandle, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        *DestinationHandle = NULL;
        status = STATUS_INVALID_HANDLE;
    }
    host_trace("DuplicateHandle(SourceHandle=%p) = %s, %p", SourceHandle,
               host_status_name(status), DestinationHandle ? *DestinationHandle : NULL);
    return status;
}

/* ------------------------------------------------------------------------------------
 * LsaProtectMemory / LsaUnprotectMemory: hide secrets from memory dumps of the LSA
 * process. Any length works and the data keeps its size, so the transform is an XOR with
 * a keystream: SHA-256(key || block number), 32 bytes a block, under a key drawn once
 * per host from the system RNG. Protecting twice restores the data, as XOR does; the
 * LSA's own implementation is also length-preserving.
 * ------------------------------------------------------------------------------------ */
static BYTE protect_key[32];
static BCRYPT_ALG_HANDLE sha256;
static INIT_ONCE protect_once = INIT_ONCE_STATIC_INIT;
/* The keystream's first blocks, made once: secrets are small (a password buffer is 1 KiB),
 * and a package protects and unprotects them on every handshake, so the common case is a
 * plain XOR. Further blocks are made as needed. */
#define KEYSTREAM_HEAD 4096u
static BYTE keystream_head[KEYSTREAM_HEAD];

/* Keystream block n: SHA-256(key || n). */
static BOOL keystream_block(ULONG64 n, BYTE block[32])
{
    BYTE input[sizeof(protect_key) + sizeof(ULONG64)];
    BOOL ok;

    memcpy(input, protect_key, sizeof(protect_key));
    memcpy(input + sizeof(protect_key), &n, sizeof(n));
    ok = BCRYPT_SUCCESS(BCryptHash(sha256, NULL, 0, input, sizeof(input), block, 32));
    SecureZeroMemory(input, sizeof(input));
    return ok;
}

static BOOL CALLBACK protect_init(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, protect_key, sizeof(protect_key),
                                        BCRYPT_USE_SYSTEM_PREFERRED_RNG)) ||
        !BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&sha256, BCRYPT_SHA256_ALGORITHM, NULL, 0)))
        return FALSE;
    for (ULONG64 n = 0; n < KEYSTREAM_HEAD / 32; n++)
        if (!keystream_block(n, keystream_head + n * 32))
            return FALSE;
    return TRUE;
}

static BOOL xor_keystream(BYTE *buffer, ULONG size)
{
    BYTE block[32];

    if (!InitOnceExecuteOnce(&protect_once, protect_init, NULL, NULL))
        return FALSE;
    for (ULONG i = 0; i < size && i < KEYSTREAM_HEAD; i++)
        buffer[i] ^= keystream_head[i];
    for (ULONG64 n = KEYSTREAM_HEAD / 32; n * 32 < size; n++) {
        if (!keystream_block(n, block))
            return FALSE;
        for (ULONG i = 0; i < 32 && n * 32 + i < size; i++)
            buffer[n * 32 + i] ^= block[i];
    }
    SecureZeroMemory(block, sizeof(block));
    return TRUE;
}

VOID NTAPI host_LsaProtectMemory(PVOID Buffer, ULONG BufferSize)
{
    BOOL done = Buffer && xor_keystream(Buffer, BufferSize);
    host_trace("LsaProtectMemory(Buffer=%p, BufferSize=%lu)%s", Buffer, BufferSize,
               done ? "" : " failed");
}

VOID NTAPI host_LsaUnprotectMemory(PVOID Buffer, ULONG BufferSize)
{
    BOOL done = Buffer && xor_keystream(Buffer, BufferSize);
    host_trace("LsaUnprotectMemory(Buffer=%p, BufferSize=%lu)%s", Buffer, BufferSize,
               done ? "" : " failed");
}
