/* test_lsa_table.c - the LSA_SECPKG_FUNCTION_TABLE lsahost hands a package: every slot
 * is a function, and each implemented callback behaves as its documentation says,
 * failing bad input with its documented status. */
#include "../../src/host/lsa/host_callbacks.h"
#include "../../src/host/lsa/host_heap.h"
#include "../../src/host/lsa/host_identity.h"
#include "../../src/host/shm/host_shm.h"
#include "../host_live.h"
#include "../tap.h"

#include <string.h>

static host_lsa_table *table;
static LSA_SECPKG_FUNCTION_TABLE *lsa;

static void test_every_slot(void)
{
    host_lsa_slot *slots = (host_lsa_slot *)table;
    size_t null_slots = 0, unnamed = 0;

    for (size_t i = 0; i < HOST_LSA_SLOT_COUNT; i++) {
        null_slots += slots[i] == NULL;
        unnamed += host_lsa_slot_name(i) == NULL;
    }
    ok(HOST_LSA_SLOT_COUNT == 66, "the table has the SDK's 66 entries: got %u", (unsigned)HOST_LSA_SLOT_COUNT);
    ok(null_slots == 0, "no entry is NULL (%u are)", (unsigned)null_slots);
    ok(unnamed == 0, "every entry has a name for traces");
    ok(!strcmp(host_lsa_slot_name(26), "CreateSharedMemory") &&
       !strcmp(host_lsa_slot_name(65), "SetSecpkgFailureReason"), "names follow the table order");
    ok((void *)lsa->CreateSharedMemory == (void *)host_CreateSharedMemory,
       "CreateSharedMemory is the real one");
    ok((void *)lsa->UnloadPackage == (void *)host_UnloadPackage, "UnloadPackage is the real one");
    ok(lsa->UnloadPackage() == STATUS_NO_SUCH_PACKAGE,
       "UnloadPackage outside any package's call: STATUS_NO_SUCH_PACKAGE (nothing to unload)");
    ok(lsa->CallPackage(NULL, NULL, 0, NULL, NULL, NULL) == STATUS_INVALID_PARAMETER,
       "CallPackage with NULL outputs: STATUS_INVALID_PARAMETER, no crash");
    ok((void *)lsa->CreateToken == (void *)host_CreateToken, "CreateToken is the real one");
    ok(((NTSTATUS (NTAPI *)(void))table->Extension[4])() == STATUS_NOT_IMPLEMENTED,
       "GetServiceAccountPassword, past MinGW's table: STATUS_NOT_IMPLEMENTED");
}

/* The failure-reason ledger: set by the calling package for itself, read by id. */
static void test_failure_reasons(void)
{
    host_secpkg_failure_reason mine = { STATUS_LOGON_FAILURE, 9 }, got = { 1, 1 };

    ok((void *)table->Extension[13] == (void *)host_SetSecpkgFailureReason &&
       (void *)table->Extension[12] == (void *)host_GetSecpkgFailureReason,
       "Set/GetSecpkgFailureReason are the real ones");
    ok(host_SetSecpkgFailureReason(mine) == STATUS_NO_SUCH_PACKAGE,
       "Set outside any package's call: STATUS_NO_SUCH_PACKAGE");
    host_call_begin(3, "a test call");
    ok(host_SetSecpkgFailureReason(mine) == STATUS_SUCCESS, "Set during package 3's call");
    mine.Reason = 11;
    ok(host_SetSecpkgFailureReason(mine) == STATUS_INVALID_PARAMETER,
       "a reason past SecpkgFailureReason_NullSession: STATUS_INVALID_PARAMETER");
    host_call_end();
    ok(host_GetSecpkgFailureReason(3, &got) == STATUS_SUCCESS &&
       got.Status == STATUS_LOGON_FAILURE && got.Reason == 9,
       "Get by id 3: what it set, not the refused one (got 0x%08lx, %lu)",
       (unsigned long)got.Status, got.Reason);
    ok(host_GetSecpkgFailureReason(4, &got) == STATUS_SUCCESS && got.Status == 0 &&
       got.Reason == 0, "a package that set nothing: STATUS_SUCCESS, NoFailure");
    ok(host_GetSecpkgFailureReason(3, NULL) == STATUS_INVALID_PARAMETER,
       "a NULL output: STATUS_INVALID_PARAMETER");
    ok(host_GetSecpkgFailureReason((ULONG_PTR)-1, &got) == STATUS_NO_SUCH_PACKAGE,
       "an id past every package: STATUS_NO_SUCH_PACKAGE");
}

static void test_heaps(void)
{
    BYTE *a = lsa->AllocateLsaHeap(100), *b = lsa->AllocatePrivateHeap(100);
    BYTE local[16];
    int zeroed = 1;

    for (int i = 0; i < 100; i++)
        zeroed &= a[i] == 0 && b[i] == 0;
    ok(a && b && zeroed, "LSA and private heap blocks arrive zeroed");
    ok(((ULONG_PTR)a & 15) == 0 && ((ULONG_PTR)b & 15) == 0, "heap blocks are 16-byte aligned");
    ok(live(HOST_RES_LSA_HEAP) == 1 && live(HOST_RES_PRIVATE_HEAP) == 1, "both are counted");
    ok(!host_heap_free(HOST_HEAP_LSA, a + 16), "interior pointer refused");
    ok(!host_heap_free(HOST_HEAP_LSA, local), "stack pointer refused");
    ok(!host_heap_free(HOST_HEAP_LSA, b), "private-heap block refused by the LSA heap");
    ok(live(HOST_RES_LSA_HEAP) == 1, "refusals freed nothing");
    lsa->FreeLsaHeap(a);
    lsa->FreePrivateHeap(b);
    ok(live(HOST_RES_LSA_HEAP) == 0 && live(HOST_RES_PRIVATE_HEAP) == 0, "real frees are counted");
    ok(!host_heap_free(HOST_HEAP_LSA, a), "double free refused");
    ok(host_heap_free(HOST_HEAP_LSA, NULL), "freeing NULL does nothing, as RtlFreeHeap");
}

static void test_client_buffers(void)
{
    PVOID client = NULL, none = (PVOID)1;
    char text[] = "to the client", back[sizeof(text)] = "";
    BYTE local[8];

    ok(lsa->AllocateClientBuffer(NULL, 64, &client) == STATUS_SUCCESS && client,
       "AllocateClientBuffer gives client memory");
    ok(lsa->AllocateClientBuffer(NULL, 0, &none) == STATUS_INVALID_PARAMETER && none == NULL,
       "length 0: STATUS_INVALID_PARAMETER, output cleared");
    ok(lsa->AllocateClientBuffer((PLSA_CLIENT_REQUEST)local, 8, &none) == STATUS_INVALID_PARAMETER,
       "a client request lsahost never issued: STATUS_INVALID_PARAMETER");
    ok(lsa->CopyToClientBuffer(NULL, sizeof(text), client, text) == STATUS_SUCCESS,
       "CopyToClientBuffer into the buffer");
    ok(lsa->CopyFromClientBuffer(NULL, sizeof(back), back, client) == STATUS_SUCCESS &&
       !strcmp(back, text), "CopyFromClientBuffer reads it back");
    ok(lsa->CopyToClientBuffer(NULL, 8, (BYTE *)client + 60, text) == STATUS_ACCESS_VIOLATION,
       "a copy running past the buffer's end: STATUS_ACCESS_VIOLATION");
    ok(lsa->CopyToClientBuffer(NULL, 8, local, text) == STATUS_ACCESS_VIOLATION,
       "a copy into memory the client does not own: STATUS_ACCESS_VIOLATION");
    ok(lsa->CopyFromClientBuffer(NULL, 8, back, local) == STATUS_ACCESS_VIOLATION,
       "a copy from memory the client does not own: STATUS_ACCESS_VIOLATION");
    ok(lsa->CopyToClientBuffer(NULL, 0xffffffff, (BYTE *)client + 1, text) == STATUS_ACCESS_VIOLATION,
       "a length that wraps the address space: STATUS_ACCESS_VIOLATION");
    ok(lsa->FreeClientBuffer(NULL, (BYTE *)client + 1) == STATUS_MEMORY_NOT_ALLOCATED,
       "freeing an interior address: STATUS_MEMORY_NOT_ALLOCATED");
    ok(lsa->FreeClientBuffer(NULL, client) == STATUS_SUCCESS, "FreeClientBuffer");
    ok(lsa->FreeClientBuffer(NULL, client) == STATUS_MEMORY_NOT_ALLOCATED,
       "freeing it again: STATUS_MEMORY_NOT_ALLOCATED");
    ok(live(HOST_RES_CLIENT_BUFFER) == 0, "no client buffer left");
}

static void test_map_buffer(void)
{
    PVOID client = NULL;
    SecBuffer in, out;

    lsa->AllocateClientBuffer(NULL, 5, &client);
    lsa->CopyToClientBuffer(NULL, 5, client, "hello");
    in.BufferType = SECBUFFER_TOKEN | SECBUFFER_UNMAPPED;
    in.cbBuffer = 5;
    in.pvBuffer = client;
    ok(lsa->MapBuffer(&in, &out) == STATUS_SUCCESS, "MapBuffer of an unmapped client buffer");
    ok(out.pvBuffer != client && !memcmp(out.pvBuffer, "hello", 5) &&
       out.BufferType == SECBUFFER_TOKEN, "it is copied into LSA memory and the flag cleared");
    ok(host_heap_free(HOST_HEAP_LSA, out.pvBuffer), "the copy is LSA heap, freed with FreeLsaHeap");
    in.BufferType = SECBUFFER_TOKEN;
    ok(lsa->MapBuffer(&in, &out) == STATUS_SUCCESS && out.pvBuffer == client,
       "a mapped buffer is passed through");
    in.BufferType = SECBUFFER_TOKEN | SECBUFFER_UNMAPPED;
    in.pvBuffer = &in;
    ok(lsa->MapBuffer(&in, &out) == STATUS_ACCESS_VIOLATION,
       "an unmapped buffer outside client memory: STATUS_ACCESS_VIOLATION");
    ok(live(HOST_RES_LSA_HEAP) == 0, "the failed map leaves no LSA heap behind");
    lsa->FreeClientBuffer(NULL, client);
}

static void test_logon_sessions(void)
{
    LUID id;

    AllocateLocallyUniqueId(&id);
    ok(lsa->CreateLogonSession(&id) == STATUS_SUCCESS, "CreateLogonSession");
    ok(lsa->CreateLogonSession(&id) == STATUS_LOGON_SESSION_COLLISION,
       "the same LUID again: STATUS_LOGON_SESSION_COLLISION");
    ok(lsa->CreateLogonSession(NULL) == STATUS_INVALID_PARAMETER, "NULL: STATUS_INVALID_PARAMETER");
    ok(lsa->CreateLogonSession((PLUID)(ULONG_PTR)0x10) == STATUS_ACCESS_VIOLATION,
       "CreateLogonSession of an unreadable LUID: STATUS_ACCESS_VIOLATION, no crash");
    ok(lsa->DeleteLogonSession((PLUID)(ULONG_PTR)0x10) == STATUS_ACCESS_VIOLATION,
       "DeleteLogonSession of an unreadable LUID: STATUS_ACCESS_VIOLATION, no crash");
    ok(lsa->DeleteLogonSession(&id) == STATUS_SUCCESS, "DeleteLogonSession");
    ok(lsa->DeleteLogonSession(&id) == STATUS_NO_SUCH_LOGON_SESSION,
       "deleting it again: STATUS_NO_SUCH_LOGON_SESSION");
}

static BOOL token_logon_id(LUID *id)
{
    TOKEN_STATISTICS stats;
    HANDLE token;
    DWORD got;
    BOOL done;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return FALSE;
    done = GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &got);
    CloseHandle(token);
    *id = stats.AuthenticationId;
    return done;
}

static DWORD WINAPI thread_body(LPVOID arg)
{
    SECPKG_CALL_INFO info;
    *(BOOLEAN *)arg = lsa->GetCallInfo(&info);
    return 7;
}

static void test_caller_and_threads(void)
{
    SECPKG_CALL_INFO call;
    SECPKG_CLIENT_INFO client;
    BOOLEAN in_thread = TRUE;
    HANDLE thread, dup = NULL;
    DWORD code = 0;
    ULONG tid = 0;
    LUID logon = { 0, 0 };

    ok(lsa->GetCallInfo(&call) == FALSE, "GetCallInfo outside a call: FALSE");
    host_call_begin(0, "test");
    ok(lsa->GetCallInfo(&call) == TRUE && call.ProcessId == GetCurrentProcessId() &&
       call.ThreadId == GetCurrentThreadId() && (call.Attributes & SECPKG_CALL_IN_PROC),
       "GetCallInfo inside a call: this process and thread, SECPKG_CALL_IN_PROC");
    ok(lsa->GetClientInfo(&client) == STATUS_SUCCESS && client.ProcessID == GetCurrentProcessId() &&
       client.ThreadID == GetCurrentThreadId() && !client.Impersonating,
       "GetClientInfo: this process and thread, not impersonating");
    /* Wine's tokens carry logon id 0:0 where Windows has a real session: compare with
     * the token rather than expect non-zero. */
    ok(token_logon_id(&logon) && client.LogonId.LowPart == logon.LowPart &&
       client.LogonId.HighPart == logon.HighPart, "GetClientInfo: the token's logon id %08lx:%08lx",
       (unsigned long)logon.HighPart, logon.LowPart);
    ok(lsa->GetClientInfo(NULL) == STATUS_INVALID_PARAMETER, "GetClientInfo(NULL): STATUS_INVALID_PARAMETER");

    thread = lsa->CreateThread(NULL, 0, thread_body, &in_thread, 0, &tid);
    ok(thread != NULL && tid != 0, "CreateThread starts a thread");
    WaitForSingleObject(thread, INFINITE);
    GetExitCodeThread(thread, &code);
    ok(code == 7 && in_thread == FALSE, "it ran, returned its code, and was not inside a call");
    ok(live(HOST_RES_THREAD) == 0, "a finished thread is no longer counted");
    ok(lsa->DuplicateHandle(thread, &dup) == STATUS_SUCCESS && dup && dup != thread,
       "DuplicateHandle gives a new handle");
    CloseHandle(dup);
    CloseHandle(thread);
    ok(lsa->DuplicateHandle((HANDLE)(ULONG_PTR)0xbadc0de0, &dup) == STATUS_INVALID_HANDLE && dup == NULL,
       "DuplicateHandle of garbage: STATUS_INVALID_HANDLE");
    host_call_end();
}

static void test_protect_memory(void)
{
    char secret[] = "correct horse battery staple, 45 bytes long!";
    char copy[sizeof(secret)];

    memcpy(copy, secret, sizeof(secret));
    lsa->LsaProtectMemory(copy, sizeof(copy));
    ok(memcmp(copy, secret, sizeof(secret)) != 0, "LsaProtectMemory changes the bytes");
    lsa->LsaUnprotectMemory(copy, sizeof(copy));
    ok(memcmp(copy, secret, sizeof(secret)) == 0, "LsaUnprotectMemory restores them (45 bytes, not a block multiple)");
}

int main(void)
{
    tap_start();
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    table = host_lsa_table_get();
    lsa = &table->Base;
    test_every_slot();
    test_failure_reasons();
    test_heaps();
    test_client_buffers();
    test_map_buffer();
    test_logon_sessions();
    test_caller_and_threads();
    test_protect_memory();
    return done_testing();
}
