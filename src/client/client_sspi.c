/* client_sspi.c - sspkg_client.dll: an SSPI provider for applications, the way secur32
 * is one. InitSecurityInterfaceW gives the standard SecurityFunctionTableW; credential
 * and context calls go to lsahost over its pipe (lsahost serve), and the message
 * functions run here, in sspkg.dll's user-mode half, on the context lsahost maps into
 * this process.
 *
 * Configuration: SSPKG_PIPE names the pipe (default \\.\pipe\sspkg-lsahost);
 * SSPKG_PACKAGE_DLL the package whose user-mode half to load (default sspkg.dll). Who
 * lsahost must be, and how long to wait for it, are client_pipe.h's and client_trust.h's
 * settings; what this provider refuses, it says (client_say.h).
 *
 * Handles given to applications carry a tag in dwUpper, checked on every call: a NULL,
 * stale or foreign handle is SEC_E_INVALID_HANDLE, never a crash. dwLower is the
 * package's handle: lsahost's for contexts made there, the user-mode half's (kind byte
 * 3, PKG_IMPORTED_HANDLE_BASE) for imported ones. */
#include "client_pipe.h"
#include "client_returned.h"
#include "../../include/sspkg.h"

#include <string.h>
#include <wchar.h>

#define CRED_TAG 0x43504b53u      /* "SKPC" */
#define CONTEXT_TAG 0x58504b53u   /* "SKPX" */

static client_pipe connection;
static PSECPKG_USER_FUNCTION_TABLE user;
static SRWLOCK start_lock = SRWLOCK_INIT;
static BOOL started;
static SECURITY_STATUS start_status = SEC_E_INTERNAL_ERROR;

/* Connects to lsahost and loads the user-mode half, once. */
static SECURITY_STATUS start(void)
{
    WCHAR pipe_name[MAX_PATH], dll_name[MAX_PATH];
    SpUserModeInitializeFn init;
    HMODULE dll;
    ULONG version, count;
    PVOID functions;

    AcquireSRWLockExclusive(&start_lock);
    if (started) {
        ReleaseSRWLockExclusive(&start_lock);
        return start_status;
    }
    started = TRUE;
    client_pipe_name(pipe_name);
    if (!GetEnvironmentVariableW(L"SSPKG_PACKAGE_DLL", dll_name, MAX_PATH))
        wcscpy(dll_name, L"sspkg.dll");
    dll = LoadLibraryW(dll_name);
    init = dll ? (SpUserModeInitializeFn)(void *)GetProcAddress(dll, "SpUserModeInitialize")
               : NULL;
    if (!init || init(SECPKG_INTERFACE_VERSION, &version, &user, &count) != STATUS_SUCCESS ||
        !count || user->InstanceInit(SECPKG_INTERFACE_VERSION, NULL, &functions) != STATUS_SUCCESS)
        start_status = SEC_E_SECPKG_NOT_FOUND;
    else
        start_status = client_pipe_connect(&connection, pipe_name, 5000, CLIENT_PIPE_UNTRUSTED);
    ReleaseSRWLockExclusive(&start_lock);
    return start_status;
}

/* Contexts imported into this process have no half in lsahost. */
static BOOL imported(ULONG_PTR h)
{
    return (h >> 56) == 3;
}

static BOOL handle_ok(const SecHandle *h, ULONG_PTR tag)
{
    return h && h->dwUpper == tag && h->dwLower;
}

static SECURITY_STATUS package_is_ours(const WCHAR *name)
{
    if (!name)
        return SEC_E_SECPKG_NOT_FOUND;
    return _wcsicmp(name, connection.name) ? SEC_E_SECPKG_NOT_FOUND : SEC_E_OK;
}

/* SecPkgInfoW with its strings in one heap block (FreeContextBuffer frees it). */
static SecPkgInfoW *package_info(void)
{
    size_t nl = wcslen(connection.name) + 1, cl = wcslen(connection.comment) + 1;
    SecPkgInfoW *info = HeapAlloc(GetProcessHeap(), 0, sizeof(*info) + (nl + cl) * sizeof(WCHAR));

    if (!info)
        return NULL;
    info->fCapabilities = connection.capabilities;
    info->wVersion = (USHORT)connection.version;
    info->wRPCID = (USHORT)(connection.version >> 16);
    info->cbMaxToken = connection.max_token;
    info->Name = (WCHAR *)(info + 1);
    info->Comment = info->Name + nl;
    memcpy(info->Name, connection.name, nl * sizeof(WCHAR));
    memcpy(info->Comment, connection.comment, cl * sizeof(WCHAR));
    return info;
}

static SECURITY_STATUS SEC_ENTRY enumerate(PULONG count, PSecPkgInfoW *info)
{
    SECURITY_STATUS s = start();

    if (!count || !info)
        return SEC_E_INVALID_PARAMETER;
    *count = 0;
    *info = NULL;
    if (s != SEC_E_OK)
        return s;
    if (!(*info = package_info()))
        return SEC_E_INSUFFICIENT_MEMORY;
    *count = 1;
    return SEC_E_OK;
}

static SECURITY_STATUS SEC_ENTRY query_package(LPWSTR name, PSecPkgInfoW *info)
{
    SECURITY_STATUS s = start();

    if (!info)
        return SEC_E_INVALID_PARAMETER;
    *info = NULL;
    if (s == SEC_E_OK)
        s = package_is_ours(name);
    if (s == SEC_E_OK && !(*info = package_info()))
        s = SEC_E_INSUFFICIENT_MEMORY;
    return s;
}

static SECURITY_STATUS SEC_ENTRY acquire(LPWSTR principal, LPWSTR package, ULONG use, void *logon_id,
                                          void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg,
                                          PCredHandle cred, PTimeStamp expiry)
{
    SECURITY_STATUS s = start();
    ULONG64 h = 0;

    (void)principal;
    (void)logon_id;
    (void)get_key;
    (void)get_key_arg;
    if (!cred)
        return SEC_E_INVALID_PARAMETER;
    if (s == SEC_E_OK)
        s = package_is_ours(package);
    /* lsahost reads the identity from this process, as the LSA does. */
    if (s == SEC_E_OK)
        s = client_pipe_acquire(&connection, use, auth_data, &h);
    if (s == SEC_E_OK) {
        cred->dwLower = (ULONG_PTR)h;
        cred->dwUpper = CRED_TAG;
        if (expiry)
            expiry->QuadPart = MAXLONGLONG;
    }
    return s;
}

static SECURITY_STATUS SEC_ENTRY free_credentials(PCredHandle cred)
{
    SECURITY_STATUS s;

    if (!handle_ok(cred, CRED_TAG))
        return SEC_E_INVALID_HANDLE;
    s = client_pipe_free_credential(&connection, cred->dwLower);
    if (s == SEC_E_OK)
        cred->dwUpper = 0;
    return s;
}

/* The first buffer of that type (SECBUFFER_TOKEN, SECBUFFER_CHANNEL_BINDINGS). */
static PSecBuffer buffer_of(PSecBufferDesc desc, ULONG type)
{
    for (ULONG i = 0; desc && desc->pBuffers && i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}

/* One ISC or ASC step for the application. */
static SECURITY_STATUS step(BOOL accept, PCredHandle cred, PCtxtHandle ctx, ULONG flags,
                            PSecBufferDesc input, PCtxtHandle new_ctx, PSecBufferDesc output,
                            PULONG attributes, PTimeStamp expiry)
{
    static __thread BYTE token[CLIENT_PIPE_MAX_TOKEN];
    BOOL allocate = (flags & (accept ? ASC_REQ_ALLOCATE_MEMORY : ISC_REQ_ALLOCATE_MEMORY)) != 0;
    PSecBuffer in = buffer_of(input, SECBUFFER_TOKEN), out = buffer_of(output, SECBUFFER_TOKEN);
    /* Channel bindings go to lsahost as they are, as the LSA copies them from a caller:
     * the package checks them. */
    PSecBuffer bindings = buffer_of(input, SECBUFFER_CHANNEL_BINDINGS);
    ULONG64 h = 0, c = 0;
    ULONG token_len = sizeof(token), attrs = 0, packed_len;
    BYTE *packed;
    SECURITY_STATUS s = start();

    if (s != SEC_E_OK)
        return s;
    if (ctx) {
        if (!handle_ok(ctx, CONTEXT_TAG))
            return SEC_E_INVALID_HANDLE;
        c = ctx->dwLower;
    } else if (!handle_ok(cred, CRED_TAG)) {
        return SEC_E_INVALID_HANDLE;
    } else {
        h = cred->dwLower;
    }
    if (!new_ctx || (out && !allocate && !out->pvBuffer && out->cbBuffer))
        return SEC_E_INVALID_PARAMETER;
    /* More than any TLS binding: lsahost would take it for an attack and hang up. */
    if (bindings && bindings->pvBuffer && bindings->cbBuffer > LSA_WIRE_MAX_CHANNEL_BINDINGS)
        return SEC_E_BAD_BINDINGS;
    s = client_pipe_step(&connection, accept, h, &c, flags & ~(ULONG)ISC_REQ_ALLOCATE_MEMORY,
                         in ? in->pvBuffer : NULL, in ? in->cbBuffer : 0,
                         bindings && bindings->pvBuffer ? bindings->pvBuffer : NULL,
                         bindings && bindings->pvBuffer ? bindings->cbBuffer : 0, token, &token_len,
                         &attrs, &packed, &packed_len);
    /* lsahost's contexts must not pass for imported ones: calls on those stay here. */
    if (!ctx && imported(c)) {
        if (packed) {
            SecureZeroMemory(packed, packed_len);
            HeapFree(GetProcessHeap(), 0, packed);
        }
        return client_pipe_violation(&connection, "context handle %llx is of the kind this "
                                     "provider gives imported contexts", (unsigned long long)c);
    }
    if (packed) {
        SecBuffer pk = { packed_len, SECBUFFER_TOKEN, packed };
        SECURITY_STATUS m = user->InitUserModeContext((LSA_SEC_HANDLE)c, &pk);
        SecureZeroMemory(packed, packed_len);
        HeapFree(GetProcessHeap(), 0, packed);
        if (m != SEC_E_OK && s == SEC_E_OK)
            s = m;
    }
    attrs &= ~(ULONG)(accept ? ASC_RET_ALLOCATED_MEMORY : ISC_RET_ALLOCATED_MEMORY);
    if (out) {
        if (!token_len) {
            out->cbBuffer = 0;
        } else if (allocate) {
            out->pvBuffer = HeapAlloc(GetProcessHeap(), 0, token_len);
            if (!out->pvBuffer)
                s = SEC_E_INSUFFICIENT_MEMORY;
            else
                memcpy(out->pvBuffer, token, token_len);
            out->cbBuffer = out->pvBuffer ? token_len : 0;
            attrs |= accept ? ASC_RET_ALLOCATED_MEMORY : ISC_RET_ALLOCATED_MEMORY;
        } else if (out->cbBuffer < token_len) {
            /* The exchange has moved on: callers size token buffers with cbMaxToken. */
            s = SEC_E_BUFFER_TOO_SMALL;
        } else {
            memcpy(out->pvBuffer, token, token_len);
            out->cbBuffer = token_len;
        }
    }
    if (c) {
        new_ctx->dwLower = (ULONG_PTR)c;
        new_ctx->dwUpper = CONTEXT_TAG;
    }
    if (attributes)
        *attributes = attrs;
    if (expiry)
        expiry->QuadPart = MAXLONGLONG;
    return s;
}

static SECURITY_STATUS SEC_ENTRY initialize(PCredHandle cred, PCtxtHandle ctx, SEC_WCHAR *target,
                                            ULONG flags, ULONG reserved1, ULONG data_rep,
                                            PSecBufferDesc input, ULONG reserved2,
                                            PCtxtHandle new_ctx, PSecBufferDesc output,
                                            PULONG attributes, PTimeStamp expiry)
{
    (void)target;
    (void)reserved1;
    (void)data_rep;
    (void)reserved2;
    return step(FALSE, cred, ctx, flags, input, new_ctx, output, attributes, expiry);
}

static SECURITY_STATUS SEC_ENTRY accept_context(PCredHandle cred, PCtxtHandle ctx,
                                                PSecBufferDesc input, ULONG flags, ULONG data_rep,
                                                PCtxtHandle new_ctx, PSecBufferDesc output,
                                                PULONG attributes, PTimeStamp expiry)
{
    (void)data_rep;
    return step(TRUE, cred, ctx, flags, input, new_ctx, output, attributes, expiry);
}

static SECURITY_STATUS SEC_ENTRY delete_context(PCtxtHandle ctx)
{
    SECURITY_STATUS s;

    if (!handle_ok(ctx, CONTEXT_TAG))
        return SEC_E_INVALID_HANDLE;
    /* This process's half first (a context that was never mapped has none), then
     * lsahost's (an imported context has none). */
    s = user->DeleteUserModeContext((LSA_SEC_HANDLE)ctx->dwLower);
    if (!imported(ctx->dwLower))
        s = client_pipe_delete(&connection, ctx->dwLower);
    if (s == SEC_E_OK)
        ctx->dwUpper = 0;
    return s;
}

static SECURITY_STATUS SEC_ENTRY query_context(PCtxtHandle ctx, ULONG attribute, void *buffer)
{
    SECURITY_STATUS s;

    if (!handle_ok(ctx, CONTEXT_TAG))
        return SEC_E_INVALID_HANDLE;
    if (!buffer)
        return SEC_E_INVALID_PARAMETER;
    /* Sizes and the access token are the user-mode half's; the rest is lsahost's. */
    if (attribute == SECPKG_ATTR_ACCESS_TOKEN)
        return user->QueryContextAttributes((LSA_SEC_HANDLE)ctx->dwLower, attribute, buffer);
    if (attribute == SECPKG_ATTR_SIZES &&
        user->QueryContextAttributes((LSA_SEC_HANDLE)ctx->dwLower, attribute, buffer) == SEC_E_OK)
        return SEC_E_OK;
    s = client_pipe_query(&connection, TRUE, ctx->dwLower, attribute, buffer);
    if (s != SEC_E_OK)
        return s;
    /* What FreeContextBuffer may free: each pointer client_pipe_query checked. */
    switch (attribute) {
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_AUTHORITY:
    case SECPKG_ATTR_PACKAGE_INFO:
        client_returned_remember(*(void **)buffer);
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        client_returned_remember(((SecPkgContext_NativeNamesW *)buffer)->sClientName);
        client_returned_remember(((SecPkgContext_NativeNamesW *)buffer)->sServerName);
        break;
    case SECPKG_ATTR_KEY_INFO:
        client_returned_remember(((SecPkgContext_KeyInfoW *)buffer)->sSignatureAlgorithmName);
        client_returned_remember(((SecPkgContext_KeyInfoW *)buffer)->sEncryptAlgorithmName);
        break;
    case SECPKG_ATTR_SESSION_KEY:
        client_returned_remember(((SecPkgContext_SessionKey *)buffer)->SessionKey);
        break;
    }
    return s;
}

/* The context's token in this process (the user-mode half keeps it). */
static SECURITY_STATUS context_token(PCtxtHandle ctx, HANDLE *token)
{
    *token = NULL;
    if (!handle_ok(ctx, CONTEXT_TAG))
        return SEC_E_INVALID_HANDLE;
    return user->GetContextToken((LSA_SEC_HANDLE)ctx->dwLower, token);
}

/* A handle of the caller's own, which it closes (QuerySecurityContextToken's contract). */
static SECURITY_STATUS SEC_ENTRY query_token(PCtxtHandle ctx, void **out)
{
    HANDLE token;
    SECURITY_STATUS s;

    if (!out)
        return SEC_E_INVALID_PARAMETER;
    *out = NULL;
    s = context_token(ctx, &token);
    if (s == SEC_E_OK && !DuplicateHandle(GetCurrentProcess(), token, GetCurrentProcess(), out,
                                          0, FALSE, DUPLICATE_SAME_ACCESS))
        s = SEC_E_INSUFFICIENT_MEMORY;
    return s;
}

/* The calling thread takes the context's token until RevertSecurityContext. */
static SECURITY_STATUS SEC_ENTRY impersonate(PCtxtHandle ctx)
{
    HANDLE token;
    SECURITY_STATUS s = context_token(ctx, &token);

    if (s == SEC_E_OK && !SetThreadToken(NULL, token))
        s = SEC_E_NO_IMPERSONATION;
    return s;
}

static SECURITY_STATUS SEC_ENTRY revert(PCtxtHandle ctx)
{
    if (!handle_ok(ctx, CONTEXT_TAG))
        return SEC_E_INVALID_HANDLE;
    return SetThreadToken(NULL, NULL) ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
}

static SECURITY_STATUS SEC_ENTRY query_credentials(PCredHandle cred, ULONG attribute, void *buffer)
{
    SECURITY_STATUS s;

    if (!handle_ok(cred, CRED_TAG))
        return SEC_E_INVALID_HANDLE;
    if (!buffer)
        return SEC_E_INVALID_PARAMETER;
    s = client_pipe_query(&connection, FALSE, cred->dwLower, attribute, buffer);
    if (s == SEC_E_OK && attribute == SECPKG_CRED_ATTR_NAMES)
        client_returned_remember(((SecPkgCredentials_NamesW *)buffer)->sUserName);
    return s;
}

static SECURITY_STATUS SEC_ENTRY free_buffer(void *p)
{
    if (!p)
        return SEC_E_OK;
    if (client_returned_forget(p))
        return VirtualFree(p, 0, MEM_RELEASE) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
    return HeapFree(GetProcessHeap(), 0, p) ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

static SECURITY_STATUS SEC_ENTRY make_signature(PCtxtHandle ctx, ULONG qop, PSecBufferDesc m,
                                                ULONG seq)
{
    return handle_ok(ctx, CONTEXT_TAG) ? user->MakeSignature(ctx->dwLower, qop, m, seq)
                                       : SEC_E_INVALID_HANDLE;
}

static SECURITY_STATUS SEC_ENTRY verify_signature(PCtxtHandle ctx, PSecBufferDesc m, ULONG seq,
                                                  PULONG qop)
{
    return handle_ok(ctx, CONTEXT_TAG) ? user->VerifySignature(ctx->dwLower, m, seq, qop)
                                       : SEC_E_INVALID_HANDLE;
}

static SECURITY_STATUS SEC_ENTRY encrypt(PCtxtHandle ctx, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    return handle_ok(ctx, CONTEXT_TAG) ? user->SealMessage(ctx->dwLower, qop, m, seq)
                                       : SEC_E_INVALID_HANDLE;
}

static SECURITY_STATUS SEC_ENTRY decrypt(PCtxtHandle ctx, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    return handle_ok(ctx, CONTEXT_TAG) ? user->UnsealMessage(ctx->dwLower, m, seq, qop)
                                       : SEC_E_INVALID_HANDLE;
}

/* Export and import move a context's message protection (keys and sequence numbers)
 * to another process: the user-mode half packs and unpacks it. An imported context
 * lives only in the importing process; lsahost has no half for it. */
static SECURITY_STATUS SEC_ENTRY export_context(PCtxtHandle ctx, ULONG flags, PSecBuffer packed,
                                                void **token)
{
    SECURITY_STATUS s;

    if (!handle_ok(ctx, CONTEXT_TAG))
        return SEC_E_INVALID_HANDLE;
    if (!packed)
        return SEC_E_INVALID_PARAMETER;
    s = user->ExportContext(ctx->dwLower, flags, packed, (PHANDLE)token);
    /* DELETE_OLD: the context is gone here; lsahost's half goes too. */
    if (s == SEC_E_OK && (flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)) {
        if (!imported(ctx->dwLower))
            client_pipe_delete(&connection, ctx->dwLower);
        ctx->dwUpper = 0;
    }
    return s;
}

static SECURITY_STATUS SEC_ENTRY import_context(LPWSTR package, PSecBuffer packed, void *token,
                                                PCtxtHandle ctx)
{
    LSA_SEC_HANDLE h = 0;
    SECURITY_STATUS s = start();

    if (!ctx || !packed)
        return SEC_E_INVALID_PARAMETER;
    if (s == SEC_E_OK)
        s = package_is_ours(package);
    if (s == SEC_E_OK)
        s = user->ImportContext(packed, token, &h);
    if (s == SEC_E_OK) {
        ctx->dwLower = (ULONG_PTR)h;
        ctx->dwUpper = CONTEXT_TAG;
    }
    return s;
}

static SecurityFunctionTableW table = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesW = enumerate,
    .QueryCredentialsAttributesW = query_credentials,
    .AcquireCredentialsHandleW = acquire,
    .FreeCredentialsHandle = free_credentials,
    .InitializeSecurityContextW = initialize,
    .AcceptSecurityContext = accept_context,
    .DeleteSecurityContext = delete_context,
    .QueryContextAttributesW = query_context,
    .ImpersonateSecurityContext = impersonate,
    .RevertSecurityContext = revert,
    .QuerySecurityContextToken = query_token,
    .MakeSignature = make_signature,
    .VerifySignature = verify_signature,
    .FreeContextBuffer = free_buffer,
    .QuerySecurityPackageInfoW = query_package,
    .ExportSecurityContext = export_context,
    .ImportSecurityContextW = import_context,
    .EncryptMessage = encrypt,
    .DecryptMessage = decrypt,
};

/* Exported as InitSecurityInterfaceW (sspkg_client.def): sspi.h declares that name as
 * imported from secur32, so the definition here carries another. */
PSecurityFunctionTableW SEC_ENTRY client_InitSecurityInterfaceW(void)
{
    return &table;
}
