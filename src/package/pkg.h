/* pkg.h - what the package's files share: the LSA's function table, memory, handles,
 * crypto, SASLprep, the verifier store, credentials and contexts, and the entry points
 * each file provides to the tables in pkg_entry.c.
 *
 * lsa is NULL when the host passed no function table: that is what Wine's own secur32
 * does, and the package then runs without the LSA's services (no shared memory, no
 * client buffers: callers are in this process). */
#ifndef SSPKG_PKG_H
#define SSPKG_PKG_H

#include "../winapi.h"
#include "../../include/lsahost_secpkg.h"
#include "../common/scram.h"
#include "../common/scram_store.h"

typedef struct pkg_state {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    ULONG package_id;          /* SpInitialize's: the package's credentials are keyed by it */
} pkg_state;

extern pkg_state pkg;

/* ---- Trace (pkg_trace.c, pkg_trace_entries.c) ----------------------------------------- */

/* Whether the package traces (SSPKG_TRACE, read by pkg_trace_start). pkg_trace writes
 * one line "sspkg: trace: <text>"; its arguments are not evaluated when tracing is off.
 * Never put a secret or a token's contents in a line: lengths, handles, flags, statuses,
 * reasons and names only. */
extern BOOL pkg_tracing;
void pkg_trace_start(void);
void pkg_trace_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pkg_trace(...)                \
    do {                              \
        if (pkg_tracing)              \
            pkg_trace_line(__VA_ARGS__); \
    } while (0)
/* The status's name (sspi: 0 is SEC_E_OK rather than STATUS_SUCCESS), or its value in a
 * buffer of the calling thread. */
const char *pkg_trace_status(NTSTATUS status, BOOL sspi);
/* The ISC_REQ_* (accept: ASC_REQ_*) names of the bits in flags, joined by '|'. */
const char *pkg_trace_flags(ULONG flags, BOOL accept, char *out, size_t cap);
/* When tracing is on, points each entry of a table at a wrapper that calls the entry and
 * traces its arguments and result. Once per table. */
void pkg_trace_wrap_lsa(LSAHOST_SECPKG_FUNCTION_TABLE *table);
void pkg_trace_wrap_user(SECPKG_USER_FUNCTION_TABLE *table);

/* ---- Memory (pkg_mem.c) ------------------------------------------------------------ */

/* The package's own memory: the LSA's private heap, or the process heap without an LSA.
 * Zeroed. pkg_free(NULL) is allowed. */
void *pkg_alloc(SIZE_T size);
void pkg_free(void *p);

/* Memory handed back to the caller: an SSPI output token (ISC/ASC_REQ_ALLOCATE_MEMORY),
 * from the LSA heap, which the LSA copies to the client and frees; without an LSA,
 * from the process heap, which is what FreeContextBuffer frees in Wine's secur32. */
void *pkg_return_alloc(ULONG size);

/* Copies from the caller's memory (AcquireCredentialsHandle's identity): through
 * CopyFromClientBuffer, or directly without an LSA. */
NTSTATUS pkg_copy_from_client(void *to, const void *client_from, ULONG length);

/* Client memory (QueryContextAttributes results, CallPackage responses):
 * AllocateClientBuffer, FreeClientBuffer and CopyToClientBuffer, or the process heap
 * and memcpy without an LSA. Addresses are the client's. return_to_client allocates
 * and copies in one go. */
NTSTATUS pkg_client_alloc(PLSA_CLIENT_REQUEST request, ULONG length, void **client_out);
void pkg_client_free(PLSA_CLIENT_REQUEST request, void *client);
NTSTATUS pkg_copy_to_client(void *client_to, const void *from, ULONG length);
NTSTATUS pkg_return_to_client(PLSA_CLIENT_REQUEST request, const void *data, ULONG length,
                              void **client_out);

/* ---- Handles (pkg_handles.c) ------------------------------------------------------- */

/* LSA_SEC_HANDLEs are slot numbers with a generation and a kind, never pointers: a
 * stale, forged or wrong-kind handle is recognised without touching freed memory. */
typedef enum pkg_handle_kind { PKG_HANDLE_CREDENTIAL = 1, PKG_HANDLE_CONTEXT = 2 } pkg_handle_kind;

LSA_SEC_HANDLE pkg_handle_new(pkg_handle_kind kind, void *object);
/* The object, with a reference taken (pkg_handle_release gives it back); NULL when the
 * handle is not live or is of another kind. */
void *pkg_handle_get(LSA_SEC_HANDLE handle, pkg_handle_kind kind);
/* Gives back a reference pkg_handle_get took, even after the handle was closed. FALSE,
 * and nothing changes, when the handle is of another kind, stale or forged, or its
 * object has no reference out but the handle's own. */
BOOL pkg_handle_release(LSA_SEC_HANDLE handle, pkg_handle_kind kind);
/* Retires the handle: later gets fail. Returns the object once the last reference is
 * released (possibly now, possibly at a later pkg_handle_release's return), through
 * the destroy function registered for its kind. FALSE when not live. */
BOOL pkg_handle_close(LSA_SEC_HANDLE handle, pkg_handle_kind kind);
void pkg_handles_set_destroy(pkg_handle_kind kind, void (*destroy)(void *object));
/* Closes every live handle (SpShutdown). */
void pkg_handles_close_all(void);

/* ---- Crypto and randomness (pkg_crypto.c) ------------------------------------------ */

/* BCrypt's SHA-256, HMAC-SHA-256 and PBKDF2, for the protocol core. */
extern const scram_crypto pkg_crypto;
NTSTATUS pkg_crypto_start(void);
void pkg_crypto_stop(void);
/* n bytes from the system RNG. */
NTSTATUS pkg_random(void *out, ULONG n);
/* A nonce: 24 random bytes (RFC 5802 asks for at least 18 bytes' worth) in base64,
 * NUL-terminated. */
#define PKG_NONCE_CHARS 32
NTSTATUS pkg_nonce(char out[PKG_NONCE_CHARS + 1]);

/* HMAC-SHA-256 over several pieces; AES-256-GCM keys and one encryption or decryption
 * in place (tag 16 bytes, nonce 12). A decryption whose tag does not match returns
 * STATUS_AUTH_TAG_MISMATCH. */
typedef struct pkg_bytes {
    const void *data;
    ULONG length;
} pkg_bytes;
NTSTATUS pkg_hmac_parts(const uint8_t key[SCRAM_HASH_LEN], const pkg_bytes *parts, ULONG count,
                        uint8_t out[SCRAM_HASH_LEN]);
NTSTATUS pkg_aes_gcm_key(const uint8_t key[SCRAM_HASH_LEN], void **out);
void pkg_aes_gcm_key_free(void *key);
NTSTATUS pkg_aes_gcm(void *key, BOOL encrypt, const uint8_t nonce[12], const uint8_t *aad,
                     ULONG aad_len, uint8_t *data, ULONG len, uint8_t tag[16]);

/* ---- Secrets at rest (pkg_secret.c) ------------------------------------------------- */

/* Protects (or unprotects) a secret kept between uses, in place: LsaProtectMemory under
 * an LSA, the package's own mask without one. size is a multiple of PKG_SECRET_BLOCK
 * (RTL_ENCRYPT_MEMORY_SIZE, what LsaProtectMemory works in). The result does not
 * depend on the buffer's address: unprotect a copy into a local, use it, wipe it. On a
 * failure the buffer holds neither form: wipe it. */
#define PKG_SECRET_BLOCK 8
NTSTATUS pkg_secret_protect(void *buffer, ULONG size);
NTSTATUS pkg_secret_unprotect(void *buffer, ULONG size);

/* ---- SASLprep (pkg_unicode.c) ------------------------------------------------------ */

/* Prepares a UTF-16 string (length in WCHARs) and writes UTF-8 to out. The message
 * for a failure is scram_saslprep_text(). Unpaired surrogates are SCRAM_SASLPREP_NORMALIZE. */
int pkg_saslprep(const WCHAR *text, ULONG length, char *out, size_t cap, size_t *out_len);
/* UTF-8 back to UTF-16 (for names returned to callers). Returns WCHARs written. */
ULONG pkg_utf8_to_utf16(const char *text, size_t len, WCHAR *out, ULONG cap);

/* ---- The verifier store (pkg_store.c) ---------------------------------------------- */

/* What went wrong with the store, for a person: a sentence naming the file and, for a
 * malformed line, the line. Each call that fails fills in its caller's own. */
typedef struct pkg_store_error {
    char text[512];
} pkg_store_error;

NTSTATUS pkg_store_start(void);
void pkg_store_stop(void);
/* The user's verifier; for a user not in the store, a decoy with a salt derived from
 * the server secret and the name (*known 0), so the exchange looks the same. */
NTSTATUS pkg_store_lookup(const char *name, size_t name_len, scram_verifier *out, int *known,
                          pkg_store_error *error);
/* Replaces a user's verifier with v, only if it is still `expected` (the one a password
 * was checked against); otherwise STATUS_WRONG_PASSWORD, with nothing changed. */
NTSTATUS pkg_store_replace(const char *name, size_t name_len, const scram_verifier *expected,
                           const scram_verifier *v, pkg_store_error *error);
/* Sets (adds or replaces) or removes one user, atomically on disk. account is the SID
 * string the user maps to: NULL keeps what the user had (a new user: none), an empty
 * one (account_len 0) removes the mapping. */
NTSTATUS pkg_store_set(const char *name, size_t name_len, const scram_verifier *v,
                       const char *account, size_t account_len, pkg_store_error *error);
NTSTATUS pkg_store_remove(const char *name, size_t name_len, pkg_store_error *error);
/* Calls visit for each user in name order, with the store locked. */
NTSTATUS pkg_store_list(void (*visit)(void *context, const scram_store_entry *user),
                        void *context, pkg_store_error *error);
/* The SID string a user maps to ("" for an unmapped or unknown user). */
NTSTATUS pkg_store_account(const char *name, size_t name_len,
                           char account[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *account_len,
                           pkg_store_error *error);

/* ---- Accounts (pkg_account.c) ------------------------------------------------------- */

/* The SID string of an account given as SSPKG_SET_USER_ACCOUNT gives it (units UTF-16LE
 * code units, at any alignment, of a SID string or an account name, resolved with
 * LookupAccountNameW); 0 units: none (*out_len 0). A failure has its sentence in error. */
NTSTATUS pkg_account_resolve(const void *account, ULONG units,
                             char out[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *out_len,
                             pkg_store_error *error);

/* ---- Logon sessions and tokens of server contexts (pkg_token.c) ---------------------- */

/* What a server context holds of its logon: all zero when it has none. */
typedef struct pkg_logon {
    LUID logon_id;
    BOOL session;                              /* logon_id was created: delete it */
    HANDLE token;                              /* CreateTokenEx's, in the LSA's process */
    char sid[SCRAM_STORE_ACCOUNT_MAX + 1];     /* the token's user, a SID string */
} pkg_logon;

/* Reads the UnmappedUsers setting (SpInitialize). */
void pkg_token_start(void);
/* The SID string a user's token is for: the account the store maps it to, else
 * ANONYMOUS LOGON (S-1-5-7); SEC_E_LOGON_DENIED under UnmappedUsers=refuse,
 * SEC_E_INTERNAL_ERROR when the store cannot be read. */
SECURITY_STATUS pkg_token_account(const char *user, size_t len,
                                  char sid[SCRAM_STORE_ACCOUNT_MAX + 1]);
/* The token information for sid, in a block of pkg_token_information_size() bytes the
 * caller allocated: an LSA_TOKEN_INFORMATION_V2 at its start, every pointer into the
 * block (so one FreeLsaHeap frees it, as LsaApLogonUser's caller does). */
ULONG pkg_token_information_size(void);
BOOL pkg_token_information(void *block, const char *sid, const LUID *logon,
                           SECURITY_LOGON_TYPE type);
/* At the end of a server handshake whose proof verified: the user's logon session and
 * token (without an LSA, only the account decision). SEC_E_LOGON_DENIED for an unmapped
 * user under UnmappedUsers=refuse; SEC_E_INTERNAL_ERROR when the LSA made no session or
 * token. *out is all zero on failure. */
SECURITY_STATUS pkg_token_accept(const char *user, size_t len, pkg_logon *out);
/* Hands the token over to the calling client's process (GetCallInfo's ProcessId, the
 * LSA's own process in-process), for the user-mode half: its handle there, NULL when
 * there is none. The logon keeps no handle afterwards. */
HANDLE pkg_token_for_client(pkg_logon *logon);
/* The packed context the LSA-mode half hands the user-mode half: SCRAM's session, then,
 * for a server context, the token's handle in the client process (8 bytes, little-endian;
 * 0: none). */
#define PKG_PACKED_CONTEXT_SIZE (SCRAM_SESSION_PACKED_SIZE + 8)
/* Closes the token (unless handed over) and deletes the logon session (the context goes). */
void pkg_token_end(pkg_logon *logon);

/* ---- Settings (pkg_settings.c) ------------------------------------------------------ */

/* The package's registry key, under HKEY_LOCAL_MACHINE. */
#define PKG_SETTINGS_KEY L"SYSTEM\\CurrentControlSet\\Control\\Lsa\\SCRAM-SHA-256"
/* The ceiling for a client context's iteration count: SCRAM_CLIENT_MAX_ITERATIONS, or
 * lower when MaxIterations or SSPKG_MAX_ITERATIONS say so. */
uint32_t pkg_settings_max_iterations(void);
/* Whether user names go into the shared section (PublishUserNames or
 * SSPKG_PUBLISH_USER_NAMES); FALSE unless one of them opts in. */
BOOL pkg_settings_publish_user_names(void);
/* What an unmapped user's server context yields (UnmappedUsers or SSPKG_UNMAPPED_USERS):
 * a token for ANONYMOUS LOGON (the default), or a refusal. */
typedef enum pkg_unmapped { PKG_UNMAPPED_ANONYMOUS, PKG_UNMAPPED_REFUSE } pkg_unmapped;
pkg_unmapped pkg_settings_unmapped_users(void);

/* ---- Identities as applications pass them (pkg_identity.c) ---------------------------- */

/* Where pkg_identity_read puts the prepared (SASLprepped, UTF-8) user and password. */
typedef struct pkg_identity_out {
    char *user;
    size_t user_cap, user_len;
    char *password;
    size_t password_cap, password_len;
} pkg_identity_out;
/* Reads AcquireCredentialsHandle's identity out of the caller's memory, whatever its form
 * (SEC_WINNT_AUTH_IDENTITY_W/_A, _EXW/_EXA, _EX2); the statuses are pkg_identity.c's. */
NTSTATUS pkg_identity_read(const void *client_identity, pkg_identity_out *out);
/* Whether a PackageList (bytes of UTF-16LE when wide, else single bytes) lets the package
 * use the identity: STATUS_SUCCESS or SEC_E_UNKNOWN_CREDENTIALS. */
NTSTATUS pkg_identity_listed(const BYTE *list, ULONG bytes, BOOL wide);

/* ---- Credentials that follow a logon (pkg_sso.c) ------------------------------------- */

/* Keeps the prepared user and password as the logon session's credential of the
 * package (replacing one it had). */
NTSTATUS pkg_sso_store(PLUID logon, const char *user, size_t user_len, const char *password,
                       size_t password_len);
/* Deletes it (LsaApLogonTerminated). */
void pkg_sso_forget(PLUID logon);
/* The user and password of the caller's logon session (requested, when the caller is
 * trusted and names one); SEC_E_NO_CREDENTIALS when it holds none. */
NTSTATUS pkg_sso_credential(const LUID *requested, pkg_identity_out *out);
NTSTATUS NTAPI pkg_SpAcceptCredentials(SECURITY_LOGON_TYPE LogonType,
                                       PUNICODE_STRING AccountName,
                                       PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                       PSECPKG_SUPPLEMENTAL_CRED SupplementalCredentials);

/* ---- Passwords against the store (pkg_password.c) ----------------------------------- */

/* The longest password, in UTF-8 after SASLprep, a logon or a password change takes. */
#define PKG_PASSWORD_MAX 1024

/* Whether `password` (SASLprepped UTF-8) is the user's: STATUS_SUCCESS, or
 * STATUS_LOGON_FAILURE for a wrong password and an unknown user alike (a decoy verifier
 * costs the same work). v receives the verifier it was checked against, *known whether
 * the user exists. */
NTSTATUS pkg_password_check(const char *user, size_t user_len, const char *password,
                            size_t password_len, scram_verifier *v, int *known);
NTSTATUS NTAPI pkg_SpChangeAccountPassword(PUNICODE_STRING DomainName,
                                           PUNICODE_STRING AccountName,
                                           PUNICODE_STRING OldPassword,
                                           PUNICODE_STRING NewPassword, BOOLEAN Impersonating,
                                           PSecBufferDesc Output);

/* ---- Credentials (pkg_cred.c) ------------------------------------------------------ */

typedef struct pkg_cred pkg_cred;
/* Client keys for (salt, iterations): from the credential's cache, or derived now with
 * PBKDF2 and cached. */
scram_result pkg_cred_client_keys(pkg_cred *cred, const uint8_t *salt, size_t salt_len,
                                  uint32_t iterations, scram_client_keys *out);
/* The credential's prepared user name (outbound), or NULL for inbound credentials. */
const char *pkg_cred_user(const pkg_cred *cred, size_t *len);
ULONG pkg_cred_use(const pkg_cred *cred);
void pkg_cred_start(void);

/* ---- Channel binding (pkg_binding.c) ------------------------------------------------ */

/* The binding in the first SECBUFFER_CHANNEL_BINDINGS buffer of desc: *present FALSE
 * and SEC_E_OK when there is none, SEC_E_BAD_BINDINGS (traced) when it is malformed. */
SECURITY_STATUS pkg_binding_read(PSecBufferDesc desc, scram_binding *out, BOOL *present);

/* ---- What the package publishes in shared memory (pkg_publish.c) -------------------- */

/* Both do nothing when there is no function table or the LSA could not give memory. */
void pkg_publish_start(void);
void pkg_publish_stop(void);
/* A record for a new context; returns a token for the calls below (0: none). */
ULONG_PTR pkg_publish_context_new(BOOL server);
void pkg_publish_context_update(ULONG_PTR record, const char *user, size_t user_len,
                                ULONG state, NTSTATUS outcome);
void pkg_publish_context_delete(ULONG_PTR record);
/* One handshake's end: counters and an event in the ring. */
void pkg_publish_outcome(BOOL server, const char *user, size_t user_len, NTSTATUS outcome);
/* The status block as the package's private counters have it, whatever the section
 * says (SSPKG_CALL_GET_STATUS). */
struct SSPKG_STATUS_BLOCK;
void pkg_publish_status(struct SSPKG_STATUS_BLOCK *out);

/* ---- Table entries ------------------------------------------------------------------ */

/* pkg_lsa.c */
NTSTATUS NTAPI pkg_LsaApInitializePackage(ULONG AuthenticationPackageId,
                                          PLSA_DISPATCH_TABLE LsaDispatchTable,
                                          PLSA_STRING Database, PLSA_STRING Confidentiality,
                                          PLSA_STRING *AuthenticationPackageName);
NTSTATUS NTAPI pkg_SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                PLSA_SECPKG_FUNCTION_TABLE FunctionTable);
NTSTATUS NTAPI pkg_SpShutdown(void);
NTSTATUS NTAPI pkg_SpGetInfo(PSecPkgInfoW PackageInfo);

/* pkg_callpackage.c */
NTSTATUS NTAPI pkg_LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest,
                                    PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                    ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                    PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);
NTSTATUS NTAPI pkg_LsaApCallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                             ULONG SubmitBufferLength,
                                             PVOID *ProtocolReturnBuffer,
                                             PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);

/* pkg_logon.c */
NTSTATUS NTAPI pkg_LsaApLogonUserEx2(PLSA_CLIENT_REQUEST ClientRequest,
                                     SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
                                     PVOID ClientBufferBase, ULONG SubmitBufferSize,
                                     PVOID *ProfileBuffer, PULONG ProfileBufferSize,
                                     PLUID LogonId, PNTSTATUS SubStatus,
                                     PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                     PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                     PUNICODE_STRING *AuthenticatingAuthority,
                                     PUNICODE_STRING *MachineName,
                                     PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                     PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);
VOID NTAPI pkg_LsaApLogonTerminated(PLUID LogonId);

/* pkg_cred.c */
NTSTATUS NTAPI pkg_SpAcquireCredentialsHandle(PUNICODE_STRING PrincipalName,
                                              ULONG CredentialUseFlags, PLUID LogonId,
                                              PVOID AuthorizationData, PVOID GetKeyFunction,
                                              PVOID GetKeyArgument,
                                              PLSA_SEC_HANDLE CredentialHandle,
                                              PTimeStamp ExpirationTime);
NTSTATUS NTAPI pkg_SpFreeCredentialsHandle(LSA_SEC_HANDLE CredentialHandle);
NTSTATUS NTAPI pkg_SpQueryCredentialsAttributes(LSA_SEC_HANDLE CredentialHandle,
                                                ULONG CredentialAttribute, PVOID Buffer);

/* pkg_context.c */
NTSTATUS NTAPI pkg_SpInitLsaModeContext(LSA_SEC_HANDLE CredentialHandle,
                                        LSA_SEC_HANDLE ContextHandle,
                                        PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                        ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                        PLSA_SEC_HANDLE NewContextHandle,
                                        PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
                                        PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                        PSecBuffer ContextData);
NTSTATUS NTAPI pkg_SpAcceptLsaModeContext(LSA_SEC_HANDLE CredentialHandle,
                                          LSA_SEC_HANDLE ContextHandle,
                                          PSecBufferDesc InputBuffers, ULONG ContextRequirements,
                                          ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                          PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
                                          PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                          PSecBuffer ContextData);
NTSTATUS NTAPI pkg_SpDeleteContext(LSA_SEC_HANDLE ContextHandle);
NTSTATUS NTAPI pkg_SpQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                            ULONG ContextAttribute, PVOID Buffer);
void pkg_context_start(void);

/* pkg_user.c: user-mode contexts, found by their LSA-mode handle. enter returns the
 * context locked (NULL when there is none); leave unlocks it. seal_key gives the
 * AES-GCM key object for a direction (call with the context entered), NULL when
 * AES-GCM is unavailable (no libgnutls under Wine): the context can still sign. */
typedef struct pkg_user_context pkg_user_context;
struct scram_session;
pkg_user_context *pkg_user_enter(LSA_SEC_HANDLE handle);
void pkg_user_leave(pkg_user_context *c);
struct scram_session *pkg_user_session(pkg_user_context *c);
void *pkg_user_seal_key(pkg_user_context *c, BOOL send);

NTSTATUS NTAPI pkg_SpInstanceInit(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                  PVOID *UserFunctions);
NTSTATUS NTAPI pkg_SpInitUserModeContext(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext);
/* A server context's token (the context keeps it); SEC_E_NO_IMPERSONATION without one. */
NTSTATUS NTAPI pkg_SpGetContextToken(LSA_SEC_HANDLE ContextHandle, PHANDLE ImpersonationToken);
NTSTATUS NTAPI pkg_SpDeleteUserModeContext(LSA_SEC_HANDLE ContextHandle);
/* Imported contexts get handles with this kind byte (LSA-mode handles use 1 and 2). */
#define PKG_IMPORTED_HANDLE_BASE ((LSA_SEC_HANDLE)3 << 56)
NTSTATUS NTAPI pkg_SpExportSecurityContext(LSA_SEC_HANDLE ContextHandle, ULONG Flags,
                                           PSecBuffer PackedContext, PHANDLE Token);
NTSTATUS NTAPI pkg_SpImportSecurityContext(PSecBuffer PackedContext, HANDLE Token,
                                           PLSA_SEC_HANDLE ContextHandle);
NTSTATUS NTAPI pkg_SpUserQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer);

/* pkg_protect.c */
SecPkgContext_Sizes pkg_context_sizes(void);
NTSTATUS NTAPI pkg_SpMakeSignature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                   PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
NTSTATUS NTAPI pkg_SpVerifySignature(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                     ULONG MessageSequenceNumber, PULONG QualityOfProtection);
NTSTATUS NTAPI pkg_SpSealMessage(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                 PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
NTSTATUS NTAPI pkg_SpUnsealMessage(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                   ULONG MessageSequenceNumber, PULONG QualityOfProtection);

#endif
