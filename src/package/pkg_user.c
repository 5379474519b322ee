/* pkg_user.c - the user-mode half, which runs in client processes: SpInstanceInit,
 * SpInitUserModeContext (the packed context the LSA-mode half made at the end of the
 * handshake), the message functions, SpQueryContextAttributes (sizes, a server's access
 * token), SpGetContextToken and SpDeleteUserModeContext.
 *
 * A user-mode context is found by the LSA-mode handle it was made for. Its keys never
 * leave this process's memory and are wiped when it is deleted. Operations on one
 * context are serialised (the sequence numbers demand it); a delete waits for them. */
#include "pkg.h"
#include "../common/scram_session.h"
#include "../common/scram_util.h"

#include <string.h>

#define MAX_USER_CONTEXTS 4096u

struct pkg_user_context {
    LSA_SEC_HANDLE handle;
    scram_session session;
    HANDLE token;                          /* a server's, this process's handle; or NULL */
    void *seal_send_key, *seal_recv_key;   /* AES-256-GCM key objects, made on first use */
    SRWLOCK lock;
};

static PSECPKG_DLL_FUNCTIONS dll;        /* the caller's heap, when it gave one */
static pkg_user_context *contexts[MAX_USER_CONTEXTS];
static SRWLOCK table_lock = SRWLOCK_INIT;

static void *user_alloc(ULONG size)
{
    void *p = dll ? dll->AllocateHeap(size) : HeapAlloc(GetProcessHeap(), 0, size);
    if (p)
        memset(p, 0, size);
    return p;
}

static void user_free(void *p)
{
    if (!p)
        return;
    if (dll)
        dll->FreeHeap(p);
    else
        HeapFree(GetProcessHeap(), 0, p);
}

static void context_free(pkg_user_context *c)
{
    if (c->token)
        CloseHandle(c->token);
    pkg_aes_gcm_key_free(c->seal_send_key);
    pkg_aes_gcm_key_free(c->seal_recv_key);
    scram_wipe(c, sizeof(*c));
    user_free(c);
}

NTSTATUS NTAPI pkg_SpInstanceInit(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                  PVOID *UserFunctions)
{
    (void)UserFunctions;
    if (Version < SECPKG_INTERFACE_VERSION)
        return STATUS_REVISION_MISMATCH;
    /* A heap table without both functions is no heap table. */
    dll = FunctionTable && FunctionTable->AllocateHeap && FunctionTable->FreeHeap ? FunctionTable
                                                                                  : NULL;
    return pkg_crypto_start();
}

/* The context for `handle`, locked; call with table_lock held (shared at least). */
static pkg_user_context *find(LSA_SEC_HANDLE handle)
{
    for (ULONG i = 0; i < MAX_USER_CONTEXTS; i++)
        if (contexts[i] && contexts[i]->handle == handle)
            return contexts[i];
    return NULL;
}

pkg_user_context *pkg_user_enter(LSA_SEC_HANDLE handle)
{
    pkg_user_context *c;

    AcquireSRWLockShared(&table_lock);
    c = find(handle);
    if (!c) {
        ReleaseSRWLockShared(&table_lock);
        return NULL;
    }
    AcquireSRWLockExclusive(&c->lock);
    return c;
}

void pkg_user_leave(pkg_user_context *c)
{
    ReleaseSRWLockExclusive(&c->lock);
    ReleaseSRWLockShared(&table_lock);
}

scram_session *pkg_user_session(pkg_user_context *c)
{
    return &c->session;
}

/* Key objects are made on first use: a context that never seals does not pay for them
 * (under Wine each costs a gnutls key schedule). NULL when AES-GCM is unavailable. */
void *pkg_user_seal_key(pkg_user_context *c, BOOL send)
{
    void **key = send ? &c->seal_send_key : &c->seal_recv_key;
    NTSTATUS status;

    if (!*key) {
        status = pkg_aes_gcm_key(send ? c->session.seal_send : c->session.seal_recv, key);
        if (status != STATUS_SUCCESS)
            pkg_trace("cannot seal: no AES-GCM key (%s; under Wine, AES needs libgnutls)",
                      pkg_trace_status(status, FALSE));
    }
    return *key;
}

static NTSTATUS insert(pkg_user_context *c, LSA_SEC_HANDLE handle);

/* The token handle at the packed context's end (the LSA-mode half duplicated it into
 * this process), kept only when it is a token: a value naming anything else is not
 * this context's to use or close. */
static HANDLE packed_token(const uint8_t *at)
{
    TOKEN_STATISTICS stats;
    uint64_t value = 0;
    DWORD got;

    for (int i = 7; i >= 0; i--)
        value = value << 8 | at[i];
    if (!value)
        return NULL;
    if (!GetTokenInformation((HANDLE)(ULONG_PTR)value, TokenStatistics, &stats, sizeof(stats),
                             &got)) {
        pkg_trace("ignores the packed context's token %llx: not a token in this process",
                  (unsigned long long)value);
        return NULL;
    }
    return (HANDLE)(ULONG_PTR)value;
}

NTSTATUS NTAPI pkg_SpGetContextToken(LSA_SEC_HANDLE ContextHandle, PHANDLE ImpersonationToken)
{
    pkg_user_context *c;
    NTSTATUS status = SEC_E_NO_IMPERSONATION;

    if (!ImpersonationToken)
        return SEC_E_INVALID_PARAMETER;
    *ImpersonationToken = NULL;
    if (!(c = pkg_user_enter(ContextHandle)))
        return SEC_E_INVALID_HANDLE;
    /* The context's own handle: the caller (secur32's QuerySecurityContextToken,
     * ImpersonateSecurityContext) duplicates or uses it, never closes it. */
    if (c->token) {
        *ImpersonationToken = c->token;
        status = SEC_E_OK;
    }
    pkg_user_leave(c);
    return status;
}

NTSTATUS NTAPI pkg_SpInitUserModeContext(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    pkg_user_context *c;
    NTSTATUS status = STATUS_SUCCESS;

    if (!PackedContext || !PackedContext->pvBuffer)
        return STATUS_INVALID_PARAMETER;
    c = user_alloc(sizeof(*c));
    if (!c)
        return STATUS_INSUFFICIENT_RESOURCES;
    /* Size, version and fields are checked before anything is used; the blob is wiped
     * whatever happens, since it holds keys. */
    if (PackedContext->cbBuffer != PKG_PACKED_CONTEXT_SIZE ||
        scram_session_unpack(PackedContext->pvBuffer, SCRAM_SESSION_PACKED_SIZE, &c->session))
        status = SEC_E_INVALID_TOKEN;
    else
        c->token = packed_token((const uint8_t *)PackedContext->pvBuffer +
                                SCRAM_SESSION_PACKED_SIZE);
    scram_wipe(PackedContext->pvBuffer, PackedContext->cbBuffer);
    if (status != STATUS_SUCCESS) {
        context_free(c);
        return status;
    }
    status = insert(c, ContextHandle);
    if (status != STATUS_SUCCESS)
        context_free(c);
    return status;
}

/* Adds c to the table under handle; fails when the handle is taken or the table full. */
static NTSTATUS insert(pkg_user_context *c, LSA_SEC_HANDLE handle)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG slot;

    c->handle = handle;
    InitializeSRWLock(&c->lock);
    AcquireSRWLockExclusive(&table_lock);
    if (find(handle)) {
        status = SEC_E_INVALID_HANDLE;
    } else {
        for (slot = 0; slot < MAX_USER_CONTEXTS && contexts[slot]; slot++)
            ;
        if (slot == MAX_USER_CONTEXTS)
            status = STATUS_INSUFFICIENT_RESOURCES;
        else
            contexts[slot] = c;
    }
    ReleaseSRWLockExclusive(&table_lock);
    return status;
}

/* Export: the context's keys and counters in the packed form, for another process to
 * import (ExportSecurityContext). Whoever holds the blob can protect messages as this
 * context: the caller must treat it as a secret. With SECPKG_CONTEXT_EXPORT_DELETE_OLD
 * this context goes, so the two never share sequence numbers. */
NTSTATUS NTAPI pkg_SpExportSecurityContext(LSA_SEC_HANDLE ContextHandle, ULONG Flags,
                                           PSecBuffer PackedContext, PHANDLE Token)
{
    pkg_user_context *c;
    void *blob;

    if (!PackedContext)
        return SEC_E_INVALID_PARAMETER;
    memset(PackedContext, 0, sizeof(*PackedContext));
    if (Token)
        *Token = NULL;   /* SCRAM gives no Windows token to export */
    if (Flags & ~(ULONG)(SECPKG_CONTEXT_EXPORT_DELETE_OLD | SECPKG_CONTEXT_EXPORT_RESET_NEW))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!(c = pkg_user_enter(ContextHandle)))
        return SEC_E_INVALID_HANDLE;
    blob = user_alloc(SCRAM_SESSION_PACKED_SIZE);
    if (blob)
        scram_session_pack(&c->session, blob);
    pkg_user_leave(c);
    if (!blob)
        return SEC_E_INSUFFICIENT_MEMORY;
    PackedContext->BufferType = SECBUFFER_TOKEN;
    PackedContext->cbBuffer = SCRAM_SESSION_PACKED_SIZE;
    PackedContext->pvBuffer = blob;
    if (Flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        pkg_SpDeleteUserModeContext(ContextHandle);
    return SEC_E_OK;
}

/* Import: a user-mode context from an exported blob, under a handle of its own kind
 * (never an LSA-mode handle: lsahost has no context for it). The blob is checked like a
 * packed context from the LSA, and left as it was (it is the caller's). */
NTSTATUS NTAPI pkg_SpImportSecurityContext(PSecBuffer PackedContext, HANDLE Token,
                                           PLSA_SEC_HANDLE ContextHandle)
{
    static volatile LONG imported;
    pkg_user_context *c;
    NTSTATUS status;

    if (Token)
        pkg_trace("ignores Token: a SCRAM context carries no Windows token");
    if (!ContextHandle || !PackedContext || !PackedContext->pvBuffer)
        return SEC_E_INVALID_PARAMETER;
    *ContextHandle = 0;
    if (!(c = user_alloc(sizeof(*c))))
        return SEC_E_INSUFFICIENT_MEMORY;
    if (scram_session_unpack(PackedContext->pvBuffer, PackedContext->cbBuffer, &c->session)) {
        context_free(c);
        return SEC_E_INVALID_TOKEN;
    }
    status = insert(c, PKG_IMPORTED_HANDLE_BASE | (ULONG)InterlockedIncrement(&imported));
    if (status != STATUS_SUCCESS) {
        context_free(c);
        return status;
    }
    *ContextHandle = c->handle;
    return SEC_E_OK;
}

NTSTATUS NTAPI pkg_SpDeleteUserModeContext(LSA_SEC_HANDLE ContextHandle)
{
    pkg_user_context *c = NULL;

    AcquireSRWLockExclusive(&table_lock);
    for (ULONG i = 0; i < MAX_USER_CONTEXTS; i++) {
        if (contexts[i] && contexts[i]->handle == ContextHandle) {
            c = contexts[i];
            contexts[i] = NULL;
            break;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (!c)
        return SEC_E_INVALID_HANDLE;
    context_free(c);
    return SEC_E_OK;
}

NTSTATUS NTAPI pkg_SpUserQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer)
{
    pkg_user_context *c = pkg_user_enter(ContextHandle);
    NTSTATUS status = SEC_E_OK;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (!Buffer)
        status = SEC_E_INVALID_PARAMETER;
    else if (ContextAttribute == SECPKG_ATTR_SIZES)
        *(SecPkgContext_Sizes *)Buffer = pkg_context_sizes();
    /* The context's own handle, which the caller does not close. */
    else if (ContextAttribute == SECPKG_ATTR_ACCESS_TOKEN && c->token)
        ((SecPkgContext_AccessToken *)Buffer)->AccessToken = c->token;
    else if (ContextAttribute == SECPKG_ATTR_ACCESS_TOKEN)
        status = SEC_E_NO_IMPERSONATION;
    else
        status = SEC_E_UNSUPPORTED_FUNCTION;
    pkg_user_leave(c);
    return status;
}
