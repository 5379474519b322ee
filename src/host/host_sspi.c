/* host_sspi.c - the LSA's side of SSPI calls for an in-process caller (host_sspi.h). */
#include "host_sspi.h"
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_trace.h"

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

SECURITY_STATUS host_sspi_acquire(PSECPKG_FUNCTION_TABLE t, const WCHAR *user,
                                  const WCHAR *password, LSA_SEC_HANDLE *cred)
{
    BYTE *identity = NULL;
    TimeStamp expiry;
    SECURITY_STATUS status;
    ULONG use = user ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND;

    *cred = 0;
    if (!t->AcquireCredentialsHandle)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (user) {
        status = identity_in_client(user, password ? password : L"", &identity);
        if (status != STATUS_SUCCESS)
            return status;
    }
    host_call_begin("SpAcquireCredentialsHandle");
    status = t->AcquireCredentialsHandle(NULL, use, NULL, identity, NULL, NULL, cred, &expiry);
    host_call_end();
    host_trace("SpAcquireCredentialsHandle(%s) = %s, handle %llx",
               user ? "SECPKG_CRED_OUTBOUND" : "SECPKG_CRED_INBOUND", host_sec_status_name(status),
               (unsigned long long)*cred);
    if (identity) {
        SecureZeroMemory(identity, sizeof(SEC_WINNT_AUTH_IDENTITY_W) +
                                       (wcslen(user) + wcslen(password ? password : L"") + 2) *
                                           sizeof(WCHAR));
        host_FreeClientBuffer(NULL, identity);
    }
    return status;
}

SECURITY_STATUS host_sspi_free_credentials(PSECPKG_FUNCTION_TABLE t, LSA_SEC_HANDLE cred)
{
    SECURITY_STATUS status;

    if (!t->FreeCredentialsHandle)
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin("SpFreeCredentialsHandle");
    status = t->FreeCredentialsHandle(cred);
    host_call_end();
    host_trace("SpFreeCredentialsHandle(%llx) = %s", (unsigned long long)cred,
               host_sec_status_name(status));
    return status;
}

/* One context step through either entry. */
static SECURITY_STATUS step(PSECPKG_FUNCTION_TABLE t, BOOL accept, LSA_SEC_HANDLE cred,
                            LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                            ULONG *attributes)
{
    SecBuffer in_buf = { in ? in->length : 0, SECBUFFER_TOKEN, in ? (void *)in->data : NULL };
    SecBuffer out_buf = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc in_desc = { SECBUFFER_VERSION, 1, &in_buf };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    LSA_SEC_HANDLE new_ctx = 0;
    BOOLEAN mapped = FALSE;
    SecBuffer context_data = { 0, SECBUFFER_EMPTY, NULL };
    TimeStamp expiry;
    SECURITY_STATUS status;
    const char *name = accept ? "SpAcceptLsaModeContext" : "SpInitLsaModeContext";

    out->length = 0;
    *attributes = 0;
    if (!(accept ? (void *)t->AcceptLsaModeContext : (void *)t->InitLsaModeContext))
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin(name);
    if (accept)
        status = t->AcceptLsaModeContext(*ctx ? 0 : cred, *ctx, in ? &in_desc : NULL,
                                         ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_MUTUAL_AUTH |
                                             ASC_REQ_CONNECTION,
                                         SECURITY_NATIVE_DREP, &new_ctx, &out_desc, attributes,
                                         &expiry, &mapped, &context_data);
    else
        status = t->InitLsaModeContext(*ctx ? 0 : cred, *ctx, NULL,
                                       ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MUTUAL_AUTH |
                                           ISC_REQ_CONNECTION,
                                       SECURITY_NATIVE_DREP, in ? &in_desc : NULL, &new_ctx,
                                       &out_desc, attributes, &expiry, &mapped, &context_data);
    host_call_end();
    host_trace("%s(context %llx, %lu-byte token in) = %s, context %llx, %lu-byte token out, "
               "attributes 0x%08lx", name, (unsigned long long)*ctx, in ? in->length : 0,
               host_sec_status_name(status), (unsigned long long)new_ctx, out_buf.cbBuffer,
               *attributes);
    if (new_ctx)
        *ctx = new_ctx;
    /* The token came from the LSA heap (ALLOCATE_MEMORY): copy it to the caller and give
     * the heap block back, as the LSA does when it returns a token to a client. */
    if (out_buf.pvBuffer) {
        if (out_buf.cbBuffer <= sizeof(out->data)) {
            memcpy(out->data, out_buf.pvBuffer, out_buf.cbBuffer);
            out->length = out_buf.cbBuffer;
        } else {
            host_say("%s returned a %lu-byte token, larger than any lsahost accepts", name,
                     out_buf.cbBuffer);
            status = SEC_E_INTERNAL_ERROR;
        }
        host_FreeLsaHeap(out_buf.pvBuffer);
    }
    return status;
}

SECURITY_STATUS host_sspi_init(PSECPKG_FUNCTION_TABLE t, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                               ULONG *attributes)
{
    return step(t, FALSE, cred, ctx, in, out, attributes);
}

SECURITY_STATUS host_sspi_accept(PSECPKG_FUNCTION_TABLE t, LSA_SEC_HANDLE cred,
                                 LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                                 ULONG *attributes)
{
    return step(t, TRUE, cred, ctx, in, out, attributes);
}

SECURITY_STATUS host_sspi_delete(PSECPKG_FUNCTION_TABLE t, LSA_SEC_HANDLE ctx)
{
    SECURITY_STATUS status;

    if (!t->DeleteContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    host_call_begin("SpDeleteContext");
    status = t->DeleteContext(ctx);
    host_call_end();
    host_trace("SpDeleteContext(%llx) = %s", (unsigned long long)ctx, host_sec_status_name(status));
    return status;
}

NTSTATUS host_sspi_call_package(PSECPKG_FUNCTION_TABLE t, const void *request, ULONG length,
                                void **response, ULONG *response_length,
                                NTSTATUS *protocol_status)
{
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
    host_call_begin("LsaApCallPackage");
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
