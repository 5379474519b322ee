/* client_sspi.c - sspkg_client.dll: an SSPI provider for applications, the way secur32
 * is one. InitSecurityInterfaceW gives the standard SecurityFunctionTableW; credential
 * and context calls go to lsahost over its pipe (lsahost serve), and the message
 * functions run here, in sspkg.dll's user-mode half, on the context lsahost maps into
 * this process. InitSecurityInterfaceA's table (client_ansi.c) converts strings and
 * calls these.
 *
 * lsahost may serve several packages: EnumerateSecurityPackagesW lists them all, and a
 * credential goes to the package AcquireCredentialsHandleW names; its contexts follow
 * it. The user-mode half loaded here is one DLL's (SSPKG_PACKAGE_DLL): the message
 * functions, mapped contexts and export/import work for the packages lsahost says come
 * from a DLL of that file name, and are SEC_E_UNSUPPORTED_FUNCTION for the others.
 *
 * Configuration: SSPKG_PIPE names the pipe (default \\.\pipe\sspkg-lsahost);
 * SSPKG_PACKAGE_DLL the package whose user-mode half to load (default sspkg.dll). Who
 * lsahost must be, and how long to wait for it, are client_pipe.h's and client_trust.h's
 * settings; what this provider refuses, it says (client_say.h).
 *
 * Handles given to applications carry a tag in dwUpper's low 32 bits and the package id
 * in its high 32, checked on every call: a NULL, stale or foreign handle is
 * SEC_E_INVALID_HANDLE, never a crash. dwLower is the
 * package's handle: lsahost's for contexts made there, the user-mode half's (kind byte
 * 3, PKG_IMPORTED_HANDLE_BASE) for imported ones. */
#include "client_pipe.h"
#include "client_returned.h"
#include "client_sspi.h"
#include "../../include/sspkg.h"

#include <string.h>
#include <wchar.h>

#define CRED_TAG 0x43504b53u      /* "SKPC" */
#define CONTEXT_TAG 0x58504b53u   /* "SKPX" */

static client_pipe connection;
static PSECPKG_USER_FUNCTION_TABLE user;
static WCHAR user_module[MAX_PATH];     /* the file name of the user-mode half's DLL */
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
        !count || user->InstanceInit(SECPKG_INTERFACE_VERSION, NULL, &functions) != STATUS_SUCCESS ||
        !GetModuleFileNameW(dll, dll_name, MAX_PATH))
        start_status = SEC_E_SECPKG_NOT_FOUND;
    else
        start_status = client_pipe_connect(&connection, pipe_name, 5000,
                                           CLIENT_PIPE_UNTRUSTED);
    if (start_status == SEC_E_OK) {
        WCHAR *slash = wcsrchr(dll_name, L'\\');
        wcscpy(user_module, slash ? slash + 1 : dll_name);
    }
    ReleaseSRWLockExclusive(&start_lock);
    return start_status;
}

/* Contexts imported into this process have no half in lsahost. */
static BOOL imported(ULONG_PTR h)
{
    return (h >> 56) == 3;
}

static ULONG_PTR tagged(ULONG_PTR tag, uint32_t package)
{
    return tag | ((ULONG_PTR)package << 32);
}

static BOOL handle_ok(const SecHandle *h, ULONG_PTR tag)
{
    return h && (uint32_t)h->dwUpper == tag && (h->dwUpper >> 32) < connection.package_count &&
           h->dwLower;
}

static uint32_t package_of(const SecHandle *h)
{
    return (uint32_t)(h->dwUpper >> 32);
}

/* The user-mode half, for a package lsahost says comes from its DLL; else NULL. */
static PSECPKG_USER_FUNCTION_TABLE user_of(uint32_t package)
{
    return package < connection.package_count &&
                   !_wcsicmp(connection.packages[package].module, user_module)
               ? user
               : NULL;
}

/* The package id of `name`, in *id; SEC_E_SECPKG_NOT_FOUND for none. */
static SECURITY_STATUS find_package(const WCHAR *name, uint32_t *id)
{
    int found = client_pipe_find_package(&connection, name);

    if (found < 0)
        return SEC_E_SECPKG_NOT_FOUND;
    *id = (uint32_t)found;
    return SEC_E_OK;
}

/* SecPkgInfoW of `count` packages from `first`, with their strings, in one heap block
 * (FreeContextBuffer frees it). */
static SecPkgInfoW *package_info(uint32_t first, uint32_t count)
{
    size_t size = count * sizeof(SecPkgInfoW);
    SecPkgInfoW *info;
    WCHAR *strings;

    for (uint32_t i = first; i < first + count; i++)
        size += (wcslen(connection.packages[i].name) + wcslen(connection.packages[i].comment) +
                 2) * sizeof(WCHAR);
    if (!(info = HeapAlloc(GetProcessHeap(), 0, size)))
        return NULL;
    strings = (WCHAR *)(info + count);
    for (uint32_t i = 0; i < count; i++) {
        const client_package *p = &connection.packages[first + i];
        size_t nl = wcslen(p->name) + 1, cl = wcslen(p->comment) + 1;

        info[i].fCapabilities = p->capabilities;
        info[i].wVersion = (USHORT)p->version;
        info[i].wRPCID = (USHORT)(p->version >> 16);
        info[i].cbMaxToken = p->max_token;
        info[i].Name = strings;
        memcpy(strings, p->name, nl * sizeof(WCHAR));
        strings += nl;
        info[i].Comment = strings;
        memcpy(strings, p->comment, cl * sizeof(WCHAR));
        strings += cl;
    }
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
    if (!(*info = package_info(0, connection.package_count)))
        return SEC_E_INSUFFICIENT_MEMORY;
    *count = connection.package_count;
    return SEC_E_OK;
}

static SECURITY_STATUS SEC_ENTRY query_package(LPWSTR name, PSecPkgInfoW *info)
{
    SECURITY_STATUS s = start();
    uint32_t id = 0;

    if (!info)
        return SEC_E_INVALID_PARAMETER;
    *info = NULL;
    if (s == SEC_E_OK)
        s = find_package(name, &id);
    if (s == SEC_E_OK && !(*info = package_info(id, 1)))
        s = SEC_E_INSUFFICIENT_MEMORY;
    return s;
}

static SECURITY_STATUS SEC_ENTRY acquire(LPWSTR principal, LPWSTR package, ULONG use, void *logon_id,
                                          void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg,
                                          PCredHandle cred, PTimeStamp expiry)
{
    SECURITY_STATUS s = start();
    ULONG64 h = 0;
    uint32_t id = 0;

    (void)principal;
    (void)logon_id;
    (void)get_key;
    (void)get_key_arg;
    if (!cred)
        return SEC_E_INVALID_PARAMETER;
    if (s == SEC_E_OK)
        s = find_package(package, &id);
    /* lsahost reads the identity from this process, as the LSA does. */
    if (s == SEC_E_OK)
        s = client_pipe_acquire(&connection, id, use, auth_data, &h);
    if (s == SEC_E_OK) {
        cred->dwLower = (ULONG_PTR)h;
        cred->dwUpper = tagged(CRED_TAG, id);
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
    s = client_pipe_free_credential(&connection, package_of(cred), cred->dwLower);
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
    uint32_t id;
    SECURITY_STATUS s = start();

    if (s != SEC_E_OK)
        return s;
    if (ctx) {
        if (!handle_ok(ctx, CONTEXT_TAG))
            return SEC_E_INVALID_HANDLE;
        c = ctx->dwLower;
        id = package_of(ctx);
    } else if (!handle_ok(cred, CRED_TAG)) {
        return SEC_E_INVALID_HANDLE;
    } else {
        h = cred->dwLower;
        id = package_of(cred);
    }
    if (!new_ctx || (out && !allocate && !out->pvBuffer && out->cbBuffer))
        return SEC_E_INVALID_PARAMETER;
    /* More than any TLS binding: lsahost would take it for an attack and hang up. */
    if (bindings && bindings->pvBuffer && bindings->cbBuffer > LSA_WIRE_MAX_CHANNEL_BINDINGS)
        return SEC_E_BAD_BINDINGS;
    s = client_pipe_step(&connection, id, accept, h, &c, flags & ~(ULONG)ISC_REQ_ALLOCATE_MEMORY,
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
        SECURITY_STATUS m = SEC_E_OK;
        /* A package whose user-mode half is not here: its messages cannot be protected
         * in this process, and the packed context goes nowhere. */
        if (user_of(id))
            m = user->InitUserModeContext((LSA_SEC_HANDLE)c, &pk);
        else
            client_say("package %ls mapped context %llx, but this process holds no user-mode "
                       "half for its DLL (%ls); message functions on it will fail",
                       connection.packages[id].name, (unsigned long long)c,
                       connection.packages[id].module);
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
        new_ctx->dwUpper = tagged(CONTEXT_TAG, id);
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
    s = user_of(package_of(ctx)) ? user->DeleteUserModeContext((LSA_SEC_HANDLE)ctx->dwLower)
                                  : SEC_E_OK;
    if (!imported(ctx->dwLower))
        s = client_pipe_delete(&connection, package_of(ctx), ctx->dwLower);
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
    /* Sizes and the access token are the user-mode half's (for the packages of its
     * DLL); the rest is lsahost's. */
    if (attribute == SECPKG_ATTR_ACCESS_TOKEN)
        return user_of(package_of(ctx))
                   ? user->QueryContextAttributes((LSA_SEC_HANDLE)ctx->dwLower, attribute, buffer)
                   : SEC_E_UNSUPPORTED_FUNCTION;
    if (attribute == SECPKG_ATTR_SIZES && user_of(package_of(ctx)) &&
        user->QueryContextAttributes((LSA_SEC_HANDLE)ctx->dwLower, attribute, buffer) == SEC_E_OK)
        return SEC_E_OK;
    s = client_pipe_query(&connection, package_of(ctx), TRUE, ctx->dwLower, attribute, buffer);
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
    if (!user_of(package_of(ctx)))
        return SEC_E_UNSUPPORTED_FUNCTION;
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
    s = client_pipe_query(&connection, package_of(cred), FALSE, cred->dwLower, attribute, buffer);
    if (s == SEC_E_OK && attribute == SECPKG_CRED_ATTR_NAMES)
        client_returned_remember(((SecPkgCredentials_NamesW *)buffer)->sUserName);
    return s;
}

/* SetContextAttributesW and SetCredentialsAttributesW: SpSetContextAttributes and
 * SpSetCredentialsAttributes run in the LSA, so the bytes go to lsahost, which gives the
 * package a copy of them (docs/architecture.md, "The newer SSPI entries"); pointers
 * inside them stay addresses in this process, which the package reads from here. A
 * package that lacks the entry answers SEC_E_UNSUPPORTED_FUNCTION. */
static SECURITY_STATUS set_attributes(PSecHandle h, ULONG_PTR tag, ULONG attribute,
                                      void *buffer, ULONG size)
{
    if (!handle_ok(h, tag))
        return SEC_E_INVALID_HANDLE;
    if (!buffer && size)
        return SEC_E_INVALID_PARAMETER;
    /* Contexts imported into this process have no half in lsahost to set anything on. */
    if (tag == CONTEXT_TAG && imported(h->dwLower))
        return SEC_E_UNSUPPORTED_FUNCTION;
    return client_pipe_set_attributes(&connection, package_of(h), tag == CONTEXT_TAG,
                                      h->dwLower, attribute, buffer, size);
}

static SECURITY_STATUS SEC_ENTRY set_context_attributes(PCtxtHandle ctx, ULONG attribute,
                                                        void *buffer, ULONG size)
{
    return set_attributes(ctx, CONTEXT_TAG, attribute, buffer, size);
}

static SECURITY_STATUS SEC_ENTRY set_credentials_attributes(PCredHandle cred, ULONG attribute,
                                                            void *buffer, ULONG size)
{
    return set_attributes(cred, CRED_TAG, attribute, buffer, size);
}

/* ChangeAccountPasswordW: SpChangeAccountPassword is LSA-mode only, so any package
 * lsahost serves may be named, not only those of the user-mode half loaded here. The
 * arguments are checked before anything is sent, so a malformed call costs no attempt:
 * dwReserved other than 0, or a NULL account or password, is SEC_E_INVALID_PARAMETER; a
 * NULL domain is the empty one (SCRAM-SHA-256 has no domains); pOutput must be a
 * SecBufferDesc (SECBUFFER_VERSION) of exactly one SECBUFFER_CHANGE_PASS_RESPONSE
 * buffer (else SEC_E_INVALID_PARAMETER) of at least a DOMAIN_PASSWORD_INFORMATION's
 * size (else SEC_E_BUFFER_TOO_SMALL). The caller's buffer gets the package's
 * DOMAIN_PASSWORD_INFORMATION, whatever the status, and cbBuffer its size; when the
 * package wrote none, its first bytes are zero and cbBuffer 0 (docs/architecture.md,
 * "The newer SSPI entries"). */
static SECURITY_STATUS SEC_ENTRY change_password(SEC_WCHAR *package, SEC_WCHAR *domain,
                                                 SEC_WCHAR *account, SEC_WCHAR *old_password,
                                                 SEC_WCHAR *new_password, BOOLEAN impersonating,
                                                 ULONG reserved, PSecBufferDesc output)
{
    const WCHAR *const strings[4] = { domain ? domain : L"", account, old_password,
                                      new_password };
    DOMAIN_PASSWORD_INFORMATION info;
    PSecBuffer out = output && output->ulVersion == SECBUFFER_VERSION &&
                             output->cBuffers == 1 && output->pBuffers &&
                             (output->pBuffers->BufferType & ~SECBUFFER_ATTRMASK) ==
                                 SECBUFFER_CHANGE_PASS_RESPONSE
                         ? output->pBuffers
                         : NULL;
    BOOL written = FALSE;
    uint32_t id = 0;
    SECURITY_STATUS s;

    if (reserved || !account || !old_password || !new_password || !out || !out->pvBuffer)
        return SEC_E_INVALID_PARAMETER;
    if (out->cbBuffer < sizeof(info))
        return SEC_E_BUFFER_TOO_SMALL;
    memset(out->pvBuffer, 0, sizeof(info));
    out->cbBuffer = 0;
    s = start();
    if (s == SEC_E_OK)
        s = find_package(package, &id);
    if (s == SEC_E_OK)
        s = client_pipe_change_password(&connection, id, strings, impersonating, &info,
                                        &written);
    if (written) {
        memcpy(out->pvBuffer, &info, sizeof(info));
        out->cbBuffer = sizeof(info);
    }
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

/* The user-mode half a message function of `ctx` runs in; NULL with *s set when the
 * handle is bad or its package's half is not in this process. */
static PSECPKG_USER_FUNCTION_TABLE message_half(PCtxtHandle ctx, SECURITY_STATUS *s)
{
    PSECPKG_USER_FUNCTION_TABLE u = handle_ok(ctx, CONTEXT_TAG) ? user_of(package_of(ctx)) : NULL;

    *s = !handle_ok(ctx, CONTEXT_TAG) ? SEC_E_INVALID_HANDLE
                                      : u ? SEC_E_OK : SEC_E_UNSUPPORTED_FUNCTION;
    return u;
}

static SECURITY_STATUS SEC_ENTRY make_signature(PCtxtHandle ctx, ULONG qop, PSecBufferDesc m,
                                                ULONG seq)
{
    SECURITY_STATUS s;
    PSECPKG_USER_FUNCTION_TABLE u = message_half(ctx, &s);

    return u ? u->MakeSignature(ctx->dwLower, qop, m, seq) : s;
}

static SECURITY_STATUS SEC_ENTRY verify_signature(PCtxtHandle ctx, PSecBufferDesc m, ULONG seq,
                                                  PULONG qop)
{
    SECURITY_STATUS s;
    PSECPKG_USER_FUNCTION_TABLE u = message_half(ctx, &s);

    return u ? u->VerifySignature(ctx->dwLower, m, seq, qop) : s;
}

static SECURITY_STATUS SEC_ENTRY encrypt(PCtxtHandle ctx, ULONG qop, PSecBufferDesc m, ULONG seq)
{
    SECURITY_STATUS s;
    PSECPKG_USER_FUNCTION_TABLE u = message_half(ctx, &s);

    return u ? u->SealMessage(ctx->dwLower, qop, m, seq) : s;
}

static SECURITY_STATUS SEC_ENTRY decrypt(PCtxtHandle ctx, PSecBufferDesc m, ULONG seq, PULONG qop)
{
    SECURITY_STATUS s;
    PSECPKG_USER_FUNCTION_TABLE u = message_half(ctx, &s);

    return u ? u->UnsealMessage(ctx->dwLower, m, seq, qop) : s;
}

/* Export and import move a context's message protection (keys and sequence numbers)
 * to another process: the user-mode half packs and unpacks it. An imported context
 * lives only in the importing process; lsahost has no half for it. */
static SECURITY_STATUS SEC_ENTRY export_context(PCtxtHandle ctx, ULONG flags, PSecBuffer packed,
                                                void **token)
{
    SECURITY_STATUS s;
    PSECPKG_USER_FUNCTION_TABLE u = message_half(ctx, &s);

    if (!u)
        return s;
    if (!packed)
        return SEC_E_INVALID_PARAMETER;
    s = u->ExportContext(ctx->dwLower, flags, packed, (PHANDLE)token);
    /* DELETE_OLD: the context is gone here; lsahost's half goes too. */
    if (s == SEC_E_OK && (flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)) {
        if (!imported(ctx->dwLower))
            client_pipe_delete(&connection, package_of(ctx), ctx->dwLower);
        ctx->dwUpper = 0;
    }
    return s;
}

static SECURITY_STATUS SEC_ENTRY import_context(LPWSTR package, PSecBuffer packed, void *token,
                                                PCtxtHandle ctx)
{
    LSA_SEC_HANDLE h = 0;
    SECURITY_STATUS s = start();
    uint32_t id = 0;

    if (!ctx || !packed)
        return SEC_E_INVALID_PARAMETER;
    if (s == SEC_E_OK)
        s = find_package(package, &id);
    if (s == SEC_E_OK && !user_of(id))
        s = SEC_E_UNSUPPORTED_FUNCTION;
    if (s == SEC_E_OK)
        s = user->ImportContext(packed, token, &h);
    if (s == SEC_E_OK) {
        ctx->dwLower = (ULONG_PTR)h;
        ctx->dwUpper = tagged(CONTEXT_TAG, id);
    }
    return s;
}

/* Version 4: the table holds SetContextAttributesW (version 2),
 * SetCredentialsAttributesW (version 3) and ChangeAccountPasswordW (version 4), and
 * nothing past them (sspi.h). */
static SecurityFunctionTableW table = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4,
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
    .SetContextAttributesW = set_context_attributes,
    .SetCredentialsAttributesW = set_credentials_attributes,
    .ChangeAccountPasswordW = change_password,
};

PSecurityFunctionTableW SEC_ENTRY client_InitSecurityInterfaceW(void)
{
    return &table;
}
