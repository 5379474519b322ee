/* host_sspi.h - lsahost as the LSA between an in-process SSPI caller and a package's
 * LSA-mode table: credentials, contexts and CallPackage, called the way the LSA calls
 * them (the caller's data in client buffers, output tokens from the LSA heap), each
 * call bracketed for GetCallInfo and traced with its result. */
#ifndef SSPKG_HOST_SSPI_H
#define SSPKG_HOST_SSPI_H

#include "../../winapi.h"
#include "host_package.h"

/* A token as lsahost hands it around. */
typedef struct host_token {
    BYTE data[65536];
    ULONG length;
} host_token;

/* Credentials: outbound with a user and password (a SEC_WINNT_AUTH_IDENTITY_W built in
 * client memory), or inbound with none (user NULL). */
SECURITY_STATUS host_sspi_acquire(host_package *pkg, const WCHAR *user,
                                  const WCHAR *password, LSA_SEC_HANDLE *cred);
SECURITY_STATUS host_sspi_free_credentials(host_package *pkg, LSA_SEC_HANDLE cred);

/* The same calls to any table of the package: SpAcquireCredentialsHandle for `use`
 * (SECPKG_CRED_INBOUND, _OUTBOUND or _BOTH) with no principal and `auth_data` (in client
 * memory, or NULL: the package decides), and SpFreeCredentialsHandle. */
SECURITY_STATUS host_sspi_acquire_table(host_package *pkg, ULONG table, ULONG use,
                                        void *auth_data, LSA_SEC_HANDLE *cred);
SECURITY_STATUS host_sspi_free_credentials_table(host_package *pkg, ULONG table,
                                                 LSA_SEC_HANDLE cred);

/* One InitializeSecurityContext or AcceptSecurityContext step: in may be NULL (first
 * client call). *ctx is 0 before the first call. out->length is 0 when the package
 * sent nothing. The package allocates the output token (ISC/ASC_REQ_ALLOCATE_MEMORY),
 * as most callers ask; lsahost copies it and frees it with FreeLsaHeap. Integrity,
 * confidentiality, replay and sequence detection are asked for. When the package maps
 * the context, lsahost hands the packed context to the user-mode half. */
SECURITY_STATUS host_sspi_init(host_package *pkg, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                               ULONG *attributes);
SECURITY_STATUS host_sspi_accept(host_package *pkg, LSA_SEC_HANDLE cred,
                                 LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                                 ULONG *attributes);
/* The channel bindings an in-process caller passes with every context call from now
 * on, as a SECBUFFER_CHANNEL_BINDINGS input buffer after the token (blob: a
 * SEC_CHANNEL_BINDINGS and its data, copied); length 0 for none. Only lsahost's own
 * commands set it: the contexts of client processes get what they pass. FALSE when
 * the blob is larger than lsahost keeps. */
BOOL host_sspi_set_channel_bindings(const void *blob, ULONG length);

/* DeleteContext, and DeleteUserModeContext when the context was mapped. */
SECURITY_STATUS host_sspi_delete(host_package *pkg, LSA_SEC_HANDLE ctx);

/* DeleteContext of any table. */
SECURITY_STATUS host_sspi_delete_table(host_package *pkg, ULONG table, LSA_SEC_HANDLE ctx);

/* The step beneath both, for any caller: the caller's ISC_REQ/ASC_REQ flags
 * (ALLOCATE_MEMORY is always added), the caller's channel bindings (NULL for none:
 * bindings_len bytes passed as a SECBUFFER_CHANNEL_BINDINGS input buffer, as they are),
 * and the packed context left in *packed (LSA heap; the caller hands it on and frees
 * it with host_FreeLsaHeap) when the package mapped the context. */
SECURITY_STATUS host_sspi_step(host_package *pkg, BOOL accept, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, ULONG flags, const host_token *in,
                               const void *bindings, ULONG bindings_len, host_token *out,
                               ULONG *attributes, SecBuffer *packed);
/* The same step through any table, with a target name for InitLsaModeContext (NULL for
 * none). An output token that is not readable where the package says, or larger than
 * its cbMaxToken, is a finding. */
SECURITY_STATUS host_sspi_step_table(host_package *pkg, ULONG table, BOOL accept,
                                     LSA_SEC_HANDLE cred, LSA_SEC_HANDLE *ctx, ULONG flags,
                                     PUNICODE_STRING target, const host_token *in,
                                     const void *bindings, ULONG bindings_len,
                                     host_token *out, ULONG *attributes, SecBuffer *packed);

/* Why a context of sspkg failed, as the package says (QueryContextAttributes with
 * SSPKG_ATTR_FAILURE), into out; FALSE, with out empty, for another package, no
 * context, or a context that has not failed. */
BOOL host_sspi_failure_reason(host_package *pkg, LSA_SEC_HANDLE ctx, char *out, size_t cap);

/* The message functions of the user-mode half on a mapped context: one data buffer
 * and one token buffer (the signature, or the seal trailer), sized by the caller.
 * *token_len is in/out. */
SECURITY_STATUS host_sspi_sign(host_package *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len);
SECURITY_STATUS host_sspi_verify(host_package *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len);
SECURITY_STATUS host_sspi_seal(host_package *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len);
SECURITY_STATUS host_sspi_unseal(host_package *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len);

/* LsaApCallPackage with a request in client memory. *response (client memory, or
 * NULL) is freed by the caller with host_FreeClientBuffer. */
NTSTATUS host_sspi_call_package(host_package *pkg, const void *request, ULONG length,
                                void **response, ULONG *response_length,
                                NTSTATUS *protocol_status);

#endif
