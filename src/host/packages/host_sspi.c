/* host_sspi.c - the LSA's side of SSPI calls for an in-process caller (host_sspi.h). */
#include "host_sspi.h"
#include "host_finding.h"
#include "../lsa/host_identity.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_heap.h"
#include "../host_trace.h"
#include "../../../include/sspkg.h"

#include <string.h>
#include <wchar.h>

/* The caller's identity, in client memory, as AcquireCredentialsHandle's pAuthData. */
static NTSTATUS identity_in_client(const WCHAR *user, const WCHAR *password, BYTE **client)
{
    size_t ul = wcslen(user), pl = wcslen(password);
    size_t size = sizeof(SEC_WINNT_AUTH_IDENTITY_W) + (ul + pl + 2) * sizeof(WCHAR);
    SEC_WINNT_AUTH_IDENTITY_W id;
    NTSTATUS status;
    BYTE *base;

    if (size > 0x10000)
        return STATUS_INVALID_PARAMETER;
    status = host_AllocateClientBuffer(NULL, (ULONG)size, (PVOID *)&base);
    if (status != STATUS_SUCCESS)
        return status;
    memset(&id, 0, sizeof(id));
    id.User = (unsigned short *)(base + sizeof(id));
    id.UserLength = (ULONG)ul;
    id.Password = id.User + ul + 1;
    id.PasswordLength = (ULONG)pl;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    memcpy(base, &id, sizeof(id));
    memcpy(base + sizeof(id), user, (ul + 1) * sizeof(WCHAR));
    memcpy(base + sizeof(id) + (ul + 1) * sizeof(WCHAR), password, (pl + 1) * sizeof(WCHAR));
    *client = base;
    return STATUS_SUCCESS;
}

static const char *use_name(ULONG use)
{
    return use == SECPKG_CRED_INBOUND ? "SECPKG_CRED_INBOUND" :
           use == SECPKG_CRED_OUTBOUND ? "SECPKG_CRED_OUTBOUND" :
           use == SECPKG_CRED_BOTH ? "SECPKG_CRED_BOTH" : "another use";
}

SECURITY_STATUS host_sspi_acquire_use(const host_secpkg *pkg, ULONG use,
                                        void *auth_data, LSA_SEC_HANDLE *cred)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    TimeStamp expiry;
    SECURITY_STATUS status;

    *cred = 0;
    if (!t->AcquireCredentialsHandle)
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin(pkg->id, "SpAcquireCredentialsHandle");
    status = t->AcquireCredentialsHandle(NULL, use, NULL, auth_data, NULL, NULL, cred, &expiry);
    host_call_end();
    host_trace("SpAcquireCredentialsHandle(%s) = %s, handle %llx", use_name(use),
               host_sec_status_name(status), (unsigned long long)*cred);
    return status;
}

SECURITY_STATUS host_sspi_acquire(const host_secpkg *pkg, const WCHAR *user,
                                  const WCHAR *password, LSA_SEC_HANDLE *cred)
{
    BYTE *identity = NULL;
    SECURITY_STATUS status;

    *cred = 0;
    if (user) {
        status = identity_in_client(user, password ? password : L"", &identity);
        if (status != STATUS_SUCCESS)
            return status;
    }
    status = host_sspi_acquire_use(pkg, user ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND,
                                     identity, cred);
    if (identity) {
        SecureZeroMemory(identity, sizeof(SEC_WINNT_AUTH_IDENTITY_W) +
                                       (wcslen(user) + wcslen(password ? password : L"") + 2) *
                                           sizeof(WCHAR));
        host_FreeClientBuffer(NULL, identity);
    }
    return status;
}

SECURITY_STATUS host_sspi_free_credentials(const host_secpkg *pkg, LSA_SEC_HANDLE cred)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    SECURITY_STATUS status;

    if (!t->FreeCredentialsHandle)
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin(pkg->id, "SpFreeCredentialsHandle");
    status = t->FreeCredentialsHandle(cred);
    host_call_end();
    host_trace("SpFreeCredentialsHandle(%llx) = %s", (unsigned long long)cred,
               host_sec_status_name(status));
    return status;
}

/* What the LSA does with a mapped context (MappedContext TRUE, ContextData the packed
 * context from the LSA heap): copy it to the client process, where secur32 gives it to
 * SpInitUserModeContext. Here the client process is lsahost itself. */
static NTSTATUS map_context(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, SecBuffer *data)
{
    SecBuffer copy = { data->cbBuffer, data->BufferType, NULL };
    NTSTATUS status = SEC_E_UNSUPPORTED_FUNCTION;

    copy.pvBuffer = HeapAlloc(GetProcessHeap(), 0, data->cbBuffer ? data->cbBuffer : 1);
    if (copy.pvBuffer)
        memcpy(copy.pvBuffer, data->pvBuffer, data->cbBuffer);
    SecureZeroMemory(data->pvBuffer, data->cbBuffer);
    host_FreeLsaHeap(data->pvBuffer);
    data->pvBuffer = NULL;
    if (!copy.pvBuffer)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (pkg->dll->user_table && pkg->dll->user_table->InitUserModeContext) {
        host_call_begin(pkg->id, "SpInitUserModeContext");
        status = pkg->dll->user_table->InitUserModeContext(ctx, &copy);
        host_call_end();
        host_trace("SpInitUserModeContext(context %llx, %lu-byte packed context) = %s",
                   (unsigned long long)ctx, copy.cbBuffer, host_sec_status_name(status));
    } else {
        host_say("the package mapped context %llx but has no SpInitUserModeContext",
                 (unsigned long long)ctx);
    }
    SecureZeroMemory(copy.pvBuffer, copy.cbBuffer);
    HeapFree(GetProcessHeap(), 0, copy.pvBuffer);
    return status;
}

/* The output token of a context step, as the LSA takes it: read only where the package
 * says it is (a length past readable memory is the package's error, not a crash of the
 * LSA), held against the package's own cbMaxToken, copied out, and freed with
 * FreeLsaHeap (ISC/ASC_REQ_ALLOCATE_MEMORY). */
static SECURITY_STATUS take_output_token(const host_secpkg *pkg, const char *name,
                                         const SecBuffer *buf, host_token *out,
                                         SECURITY_STATUS status)
{
    ULONG max = host_secpkg_info(pkg)->cbMaxToken;

    if (!buf->pvBuffer && !buf->cbBuffer)
        return status;
    if (buf->cbBuffer && !host_memory_readable(buf->pvBuffer, buf->cbBuffer)) {
        host_finding(HOST_FINDING_BAD_OUTPUT_TOKEN, "table %lu: %s returned %s a %lu-byte "
                     "output token at %p, which is not readable memory", pkg->table, name,
                     host_sec_status_name(status), buf->cbBuffer, buf->pvBuffer);
        status = SEC_E_INTERNAL_ERROR;
    } else if (buf->cbBuffer > sizeof(out->data)) {
        host_say("%s returned a %lu-byte token, larger than any lsahost accepts", name,
                 buf->cbBuffer);
        status = SEC_E_INTERNAL_ERROR;
    } else {
        memcpy(out->data, buf->pvBuffer, buf->cbBuffer);
        out->length = buf->cbBuffer;
    }
    if (out->length > max)
        host_finding(HOST_FINDING_TOKEN_OVER_MAX, "table %lu: %s returned a %lu-byte token, "
                     "larger than the %lu bytes SpGetInfo's cbMaxToken promises; callers size "
                     "their token buffers by cbMaxToken", pkg->table, name, buf->cbBuffer, max);
    host_FreeLsaHeap(buf->pvBuffer);
    return status;
}

/* host_sspi_set_channel_bindings: what lsahost's commands pass with each call. */
static BYTE channel_bindings[1024];
static ULONG channel_bindings_length;

BOOL host_sspi_set_channel_bindings(const void *blob, ULONG length)
{
    if (length > sizeof(channel_bindings))
        return FALSE;
    memcpy(channel_bindings, blob, length);
    channel_bindings_length = length;
    return TRUE;
}

SECURITY_STATUS host_sspi_step(const host_secpkg *pkg, BOOL accept,
                                     LSA_SEC_HANDLE cred, LSA_SEC_HANDLE *ctx, ULONG flags,
                                     PUNICODE_STRING target, const host_token *in,
                                     const void *bindings, ULONG bindings_len,
                                     host_token *out, ULONG *attributes, SecBuffer *packed)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    SecBuffer in_bufs[2] = {
        { in ? in->length : 0, SECBUFFER_TOKEN, in ? (void *)in->data : NULL },
        { bindings ? bindings_len : 0, SECBUFFER_CHANNEL_BINDINGS, (void *)bindings },
    };
    SecBuffer out_buf = { 0, SECBUFFER_TOKEN, NULL };
    /* Without a token (a client's first call) the bindings alone, when there are any. */
    SecBufferDesc in_desc = { SECBUFFER_VERSION, (in ? 1 : 0) + (bindings ? 1 : 0),
                              in ? in_bufs : in_bufs + 1 };
    BOOL has_input = in || bindings;
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    LSA_SEC_HANDLE new_ctx = 0;
    BOOLEAN mapped = FALSE;
    TimeStamp expiry;
    SECURITY_STATUS status;
    const char *name = accept ? "SpAcceptLsaModeContext" : "SpInitLsaModeContext";

    out->length = 0;
    *attributes = 0;
    memset(packed, 0, sizeof(*packed));
    if (!(accept ? (void *)t->AcceptLsaModeContext : (void *)t->InitLsaModeContext))
        return SEC_E_UNSUPPORTED_FUNCTION;
    /* The LSA always has the package allocate, and copies the token to the client. */
    flags |= accept ? ASC_REQ_ALLOCATE_MEMORY : ISC_REQ_ALLOCATE_MEMORY;
    host_call_begin(pkg->id, name);
    if (accept)
        status = t->AcceptLsaModeContext(*ctx ? 0 : cred, *ctx, has_input ? &in_desc : NULL, flags,
                                         SECURITY_NATIVE_DREP, &new_ctx, &out_desc, attributes,
                                         &expiry, &mapped, packed);
    else
        status = t->InitLsaModeContext(*ctx ? 0 : cred, *ctx, target, flags,
                                       SECURITY_NATIVE_DREP, has_input ? &in_desc : NULL, &new_ctx,
                                       &out_desc, attributes, &expiry, &mapped, packed);
    host_call_end();
    host_trace("%s(context %llx, %lu-byte token in) = %s, context %llx, %lu-byte token out, "
               "attributes 0x%08lx%s", name, (unsigned long long)*ctx, in ? in->length : 0,
               host_sec_status_name(status), (unsigned long long)new_ctx, out_buf.cbBuffer,
               *attributes, mapped ? ", mapped" : "");
    if (new_ctx)
        *ctx = new_ctx;
    if (!mapped && packed->pvBuffer) {
        host_say("%s returned ContextData without MappedContext; ignored", name);
        host_FreeLsaHeap(packed->pvBuffer);
        memset(packed, 0, sizeof(*packed));
    }
    return take_output_token(pkg, name, &out_buf, out, status);
}

ULONG host_sspi_flags(BOOL accept)
{
    return accept ? ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONNECTION | ASC_REQ_INTEGRITY |
                        ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT
                  : ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONNECTION | ISC_REQ_INTEGRITY |
                        ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT;
}

/* The in-process caller asks for everything the package can give, and is its own
 * client process for the user-mode half. */
static SECURITY_STATUS step(const host_secpkg *pkg, BOOL accept, LSA_SEC_HANDLE cred,
                            LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                            ULONG *attributes)
{
    SecBuffer packed;
    SECURITY_STATUS status = host_sspi_step(pkg, accept, cred, ctx, host_sspi_flags(accept), NULL, in,
                                            channel_bindings_length ? channel_bindings : NULL,
                                            channel_bindings_length, out, attributes, &packed);

    if (packed.pvBuffer) {
        NTSTATUS mapped_status = map_context(pkg, *ctx, &packed);
        if (status == SEC_E_OK && mapped_status != STATUS_SUCCESS)
            status = mapped_status;
    }
    return status;
}

SECURITY_STATUS host_sspi_init(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                               ULONG *attributes)
{
    return step(pkg, FALSE, cred, ctx, in, out, attributes);
}

SECURITY_STATUS host_sspi_accept(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                 LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                                 ULONG *attributes)
{
    return step(pkg, TRUE, cred, ctx, in, out, attributes);
}

SECURITY_STATUS host_sspi_delete(const host_secpkg *pkg, LSA_SEC_HANDLE ctx)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    SECURITY_STATUS status;

    /* The client process's half first, as secur32 does, then the LSA's. A context that
     * was never mapped answers SEC_E_INVALID_HANDLE here, which is not an error. */
    if (pkg->dll->user_table && pkg->dll->user_table->DeleteUserModeContext) {
        host_call_begin(pkg->id, "SpDeleteUserModeContext");
        status = pkg->dll->user_table->DeleteUserModeContext(ctx);
        host_call_end();
        host_trace("SpDeleteUserModeContext(%llx) = %s", (unsigned long long)ctx,
                   host_sec_status_name(status));
    }
    if (!t->DeleteContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin(pkg->id, "SpDeleteContext");
    status = t->DeleteContext(ctx);
    host_call_end();
    host_trace("SpDeleteContext(%llx) = %s", (unsigned long long)ctx,
               host_sec_status_name(status));
    return status;
}

BOOL host_sspi_failure_reason(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, char *out, size_t cap)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    SSPKG_CONTEXT_FAILURE f, *client;
    SECURITY_STATUS status;
    size_t n = 0;

    /* The attribute number is sspkg's own: another package may mean something else by
     * it, and write something else into the buffer. */
    if (!cap)
        return FALSE;
    out[0] = 0;
    if (!ctx || !t->QueryContextAttributes || wcscmp(host_secpkg_name(pkg), SSPKG_PACKAGE_NAME_W))
        return FALSE;
    /* The package writes the answer into the caller's memory, as for any attribute. */
    if (host_AllocateClientBuffer(NULL, sizeof(*client), (PVOID *)&client) != STATUS_SUCCESS)
        return FALSE;
    memset(client, 0, sizeof(*client));
    host_call_begin(pkg->id, "SpQueryContextAttributes");
    status = t->QueryContextAttributes(ctx, SSPKG_ATTR_FAILURE, client);
    host_call_end();
    host_trace("SpQueryContextAttributes(%llx, SSPKG_ATTR_FAILURE) = %s",
               (unsigned long long)ctx, host_sec_status_name(status));
    f = *client;
    host_FreeClientBuffer(NULL, client);
    if (status != SEC_E_OK)
        return FALSE;
    if (f.Reason) {
        n = strnlen(f.Reason, SSPKG_FAILURE_REASON_MAX);
        if (n == SSPKG_FAILURE_REASON_MAX)
            n = 0;
        n = n < cap - 1 ? n : cap - 1;
        memcpy(out, f.Reason, n);
        host_FreeClientBuffer(NULL, f.Reason);
    }
    out[n] = 0;
    return n > 0;
}

/* One message function: a SECBUFFER_DATA and a SECBUFFER_TOKEN. */
typedef enum message_op { OP_SIGN, OP_VERIFY, OP_SEAL, OP_UNSEAL } message_op;

static SECURITY_STATUS message(const host_secpkg *pkg, message_op op, LSA_SEC_HANDLE ctx, void *data,
                               ULONG len, void *token, ULONG *token_len)
{
    static const char *const names[] = { "SpMakeSignature", "SpVerifySignature",
                                         "SpSealMessage", "SpUnsealMessage" };
    PSECPKG_USER_FUNCTION_TABLE u = pkg->dll->user_table;
    SecBuffer b[2] = { { len, SECBUFFER_DATA, data }, { *token_len, SECBUFFER_TOKEN, token } };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, b };
    ULONG qop = 0;
    SECURITY_STATUS status = SEC_E_UNSUPPORTED_FUNCTION;

    if (!u)
        return status;
    host_call_begin(pkg->id, names[op]);
    switch (op) {
    case OP_SIGN:
        if (u->MakeSignature)
            status = u->MakeSignature(ctx, 0, &desc, 0);
        break;
    case OP_VERIFY:
        if (u->VerifySignature)
            status = u->VerifySignature(ctx, &desc, 0, &qop);
        break;
    case OP_SEAL:
        if (u->SealMessage)
            status = u->SealMessage(ctx, 0, &desc, 0);
        break;
    case OP_UNSEAL:
        if (u->UnsealMessage)
            status = u->UnsealMessage(ctx, &desc, 0, &qop);
        break;
    }
    host_call_end();
    host_trace("%s(context %llx, %lu data bytes) = %s, %lu-byte token", names[op],
               (unsigned long long)ctx, len, host_sec_status_name(status), b[1].cbBuffer);
    *token_len = b[1].cbBuffer;
    return status;
}

SECURITY_STATUS host_sspi_sign(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len)
{
    return message(pkg, OP_SIGN, ctx, data, len, token, token_len);
}

SECURITY_STATUS host_sspi_verify(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len)
{
    return message(pkg, OP_VERIFY, ctx, data, len, token, &token_len);
}

SECURITY_STATUS host_sspi_seal(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len)
{
    return message(pkg, OP_SEAL, ctx, data, len, token, token_len);
}

SECURITY_STATUS host_sspi_unseal(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len)
{
    return message(pkg, OP_UNSEAL, ctx, data, len, token, &token_len);
}

NTSTATUS host_sspi_call_package(const host_secpkg *pkg, const void *request, ULONG length,
                                void **response, ULONG *response_length,
                                NTSTATUS *protocol_status)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    void *client = NULL, *copy;
    NTSTATUS status;

    *response = NULL;
    *response_length = 0;
    *protocol_status = STATUS_SUCCESS;
    if (!t->CallPackage)
        return STATUS_NOT_SUPPORTED;
    /* The client's buffer, and the LSA's copy of it that the package reads. */
    status = host_AllocateClientBuffer(NULL, length, &client);
    if (status != STATUS_SUCCESS)
        return status;
    memcpy(client, request, length);
    copy = host_AllocateLsaHeap(length);
    if (!copy) {
        host_FreeClientBuffer(NULL, client);
        return STATUS_NO_MEMORY;
    }
    memcpy(copy, request, length);
    host_call_begin(pkg->id, "LsaApCallPackage");
    status = t->CallPackage(NULL, copy, client, length, response, response_length,
                            protocol_status);
    host_call_end();
    host_trace("LsaApCallPackage(%lu-byte request) = %s, protocol status %s, %lu-byte "
               "response", length, host_status_name(status), host_status_name(*protocol_status),
               *response_length);
    SecureZeroMemory(copy, length);
    host_FreeLsaHeap(copy);
    SecureZeroMemory(client, length);
    host_FreeClientBuffer(NULL, client);
    return status;
}
