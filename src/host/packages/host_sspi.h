/* host_sspi.h - lsahost as the LSA between an in-process SSPI caller and a package's
 * LSA-mode table: credentials, contexts and CallPackage, called the way the LSA calls
 * them (the caller's data in client buffers, output tokens from the LSA heap), each
 * call bracketed for GetCallInfo and traced with its result. */
#ifndef SSPKG_HOST_SSPI_H
#define SSPKG_HOST_SSPI_H

#include "../../winapi.h"
#include "host_packages.h"

/* A token as lsahost hands it around. */
typedef struct host_token {
    BYTE data[65536];
    ULONG length;
} host_token;

/* Credentials: outbound with a user and password (a SEC_WINNT_AUTH_IDENTITY_W built in
 * client memory), or inbound with none (user NULL). */
SECURITY_STATUS host_sspi_acquire(const host_secpkg *pkg, const WCHAR *user,
                                  const WCHAR *password, LSA_SEC_HANDLE *cred);
SECURITY_STATUS host_sspi_free_credentials(const host_secpkg *pkg, LSA_SEC_HANDLE cred);

/* SpAcquireCredentialsHandle for `use` (SECPKG_CRED_INBOUND, _OUTBOUND or _BOTH) with
 * no principal and `auth_data` (in client memory, or NULL: the package decides). */
SECURITY_STATUS host_sspi_acquire_use(const host_secpkg *pkg, ULONG use, void *auth_data,
                                      LSA_SEC_HANDLE *cred);

/* One InitializeSecurityContext or AcceptSecurityContext step: in may be NULL (first
 * client call). *ctx is 0 before the first call. out->length is 0 when the package
 * sent nothing. The package allocates the output token (ISC/ASC_REQ_ALLOCATE_MEMORY),
 * as most callers ask; lsahost copies it and frees it with FreeLsaHeap. Integrity,
 * confidentiality, replay and sequence detection are asked for. When the package maps
 * the context, lsahost hands the packed context to the user-mode half. */
SECURITY_STATUS host_sspi_init(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                               ULONG *attributes);
SECURITY_STATUS host_sspi_accept(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                 LSA_SEC_HANDLE *ctx, const host_token *in, host_token *out,
                                 ULONG *attributes);
/* DeleteContext, and DeleteUserModeContext when the context was mapped. */
SECURITY_STATUS host_sspi_delete(const host_secpkg *pkg, LSA_SEC_HANDLE ctx);

/* The channel bindings an in-process caller passes with every context call from now
 * on, as a SECBUFFER_CHANNEL_BINDINGS input buffer after the token (blob: a
 * SEC_CHANNEL_BINDINGS and its data, copied); length 0 for none. Only lsahost's own
 * commands set it: the contexts of client processes get what they pass. FALSE when
 * the blob is larger than lsahost keeps. */
BOOL host_sspi_set_channel_bindings(const void *blob, ULONG length);

/* The step beneath both, for any caller: the caller's ISC_REQ/ASC_REQ flags
 * (ALLOCATE_MEMORY is always added), a target name for InitLsaModeContext (NULL for
 * none), the caller's channel bindings (NULL for none: bindings_len bytes passed as a
 * SECBUFFER_CHANNEL_BINDINGS input buffer, as they are), and the packed context left in *packed (LSA heap; the caller hands it on and
 * frees it with host_FreeLsaHeap) when the package mapped the context. An output token
 * that is not readable where the package says, or larger than its cbMaxToken, is a
 * finding. */
SECURITY_STATUS host_sspi_step(const host_secpkg *pkg, BOOL accept, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE *ctx, ULONG flags, PUNICODE_STRING target,
                               const host_token *in, const void *bindings,
                               ULONG bindings_len, host_token *out, ULONG *attributes,
                               SecBuffer *packed);

/* The ISC_REQ (accept FALSE) or ASC_REQ flags lsahost's own commands ask for: everything
 * the package can give (mutual authentication, integrity, confidentiality, replay and
 * sequence detection, a connection). */
ULONG host_sspi_flags(BOOL accept);

/* The entries past version 1 a caller reaches through SSPI (host_sspi_attributes.c).
 * Each is SEC_E_UNSUPPORTED_FUNCTION, without a call, when the package's interface
 * version does not define the entry or it is NULL, as the LSA answers for an entry a
 * package lacks.
 *
 * SetContextAttributes (context TRUE) or SetCredentialsAttributes on `handle`: the
 * package gets the LSA's copy of the `length` bytes at `value` (LSA heap, wiped and
 * freed when it returns; NULL when length is 0), never the caller's own buffer. */
SECURITY_STATUS host_sspi_set_attributes(const host_secpkg *pkg, BOOL context,
                                         LSA_SEC_HANDLE handle, ULONG attribute,
                                         const void *value, ULONG length);

/* SpQueryMetaData before a context's first token, as Negotiate's NegoEx asks each
 * package on both sides: *ctx in and out (0: the package may make the context from
 * cred). The metadata, read only when readable and no longer than out->data, is copied
 * into out and the package's buffer freed with FreeLsaHeap; metadata that is not
 * readable or too long is SEC_E_INTERNAL_ERROR, said on stderr. */
SECURITY_STATUS host_sspi_query_metadata(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                         LSA_SEC_HANDLE *ctx, ULONG flags, host_token *out);
/* SpExchangeMetaData with the peer's metadata (the LSA's copy of in's bytes). */
SECURITY_STATUS host_sspi_exchange_metadata(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                            LSA_SEC_HANDLE *ctx, ULONG flags,
                                            const host_token *in);

/* ChangeAccountPassword (version 4; host_sspi_password.c): the package gets the LSA's
 * copies of the four strings (`*_chars` UTF-16 units each; the domain may be empty) in
 * LSA heap, as lsass unmarshals a caller's, and an Output of one
 * SECBUFFER_CHANGE_PASS_RESPONSE buffer the size of DOMAIN_PASSWORD_INFORMATION, zeroed.
 * What the package writes there is copied to *info (*info_written TRUE when any byte is
 * not zero); a package that repoints or resizes the buffer gets nothing read from where
 * it points, and the trace says so. Every copy is wiped and freed when it returns. */
SECURITY_STATUS host_sspi_change_password(const host_secpkg *pkg, const WCHAR *domain,
                                          ULONG domain_chars, const WCHAR *account,
                                          ULONG account_chars, const WCHAR *old_password,
                                          ULONG old_chars, const WCHAR *new_password,
                                          ULONG new_chars, BOOLEAN impersonating,
                                          DOMAIN_PASSWORD_INFORMATION *info,
                                          BOOL *info_written);

/* Why a context of sspkg failed, as the package says (QueryContextAttributes with
 * SSPKG_ATTR_FAILURE), into out; FALSE, with out empty, for another package, no
 * context, or a context that has not failed. */
BOOL host_sspi_failure_reason(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, char *out, size_t cap);

/* The message functions of the user-mode half on a mapped context: one data buffer
 * and one token buffer (the signature, or the seal trailer), sized by the caller.
 * *token_len is in/out. */
SECURITY_STATUS host_sspi_sign(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len);
SECURITY_STATUS host_sspi_verify(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len);
SECURITY_STATUS host_sspi_seal(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                               void *token, ULONG *token_len);
SECURITY_STATUS host_sspi_unseal(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, void *data, ULONG len,
                                 void *token, ULONG token_len);

/* LsaApCallPackage with a request in client memory. *response (client memory, or
 * NULL) is freed by the caller with host_FreeClientBuffer. */
NTSTATUS host_sspi_call_package(const host_secpkg *pkg, const void *request, ULONG length,
                                void **response, ULONG *response_length,
                                NTSTATUS *protocol_status);

#endif
