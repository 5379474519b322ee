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
#include "../common/scram.h"
#include "../common/scram_store.h"

typedef struct pkg_state {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
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
void pkg_trace_wrap_lsa(SECPKG_FUNCTION_TABLE *table);
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
/* Sets (adds or replaces) or removes one user, atomically on disk. */
NTSTATUS pkg_store_set(const char *name, size_t name_len, const scram_verifier *v,
                       pkg_store_error *error);
NTSTATUS pkg_store_remove(const char *name, size_t name_len, pkg_store_error *error);
/* Calls visit for each user in name order. */
NTSTATUS pkg_store_list(void (*visit)(void *context, const char *name, size_t name_len,
                                      uint32_t iterations),
                        void *context, pkg_store_error *error);

/* ---- Settings (pkg_settings.c) ------------------------------------------------------ */

/* The package's registry key, under HKEY_LOCAL_MACHINE. */
#define PKG_SETTINGS_KEY L"SYSTEM\\CurrentControlSet\\Control\\Lsa\\SCRAM-SHA-256"
/* The ceiling for a client context's iteration count: SCRAM_CLIENT_MAX_ITERATIONS, or
 * lower when MaxIterations or SSPKG_MAX_ITERATIONS say so. */
uint32_t pkg_settings_max_iterations(void);
/* Whether user names go into the shared section (PublishUserNames or
 * SSPKG_PUBLISH_USER_NAMES); FALSE unless one of them opts in. */
BOOL pkg_settings_publish_user_names(void);

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
