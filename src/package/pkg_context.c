/* pkg_context.c - security contexts: SpInitLsaModeContext (client) and
 * SpAcceptLsaModeContext (server) carry the four SCRAM-SHA-256 messages as SSPI
 * tokens, then SpDeleteContext and SpQueryContextAttributes.
 *
 *   call           input token     output token    status
 *   ISC #1         -               client-first    SEC_I_CONTINUE_NEEDED
 *   ASC #1         client-first    server-first    SEC_I_CONTINUE_NEEDED
 *   ISC #2         server-first    client-final    SEC_I_CONTINUE_NEEDED
 *   ASC #2         client-final    server-final    SEC_E_OK (v=) or a failure (e=)
 *   ISC #3         server-final    -               SEC_E_OK once the server is verified
 *
 * A call out of order returns SEC_E_OUT_OF_SEQUENCE and leaves the context as it was.
 * Any other failure is final: the context answers every later call with it. */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/scram_base64.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_session.h"
#include "../common/scram_util.h"

#include <stdio.h>
#include <string.h>

typedef struct pkg_context {
    BOOL server;
    LSA_SEC_HANDLE cred_handle;       /* a reference on the credential is held */
    pkg_cred *cred;
    ULONG attributes;                 /* ISC_RET_* or ASC_RET_* granted */
    LARGE_INTEGER start;              /* FILETIME of the first call */
    ULONG_PTR record;                 /* published context record, 0 if none */
    SRWLOCK lock;                     /* one call at a time on a context */
    uint32_t iteration_ceiling;       /* a client's, as it applied (for the failure's
                                         reason: the session forgets it with its secrets) */
    pkg_logon logon;                  /* a server's, once the proof verified (pkg_token.c) */
    uint8_t session_key[SCRAM_HASH_LEN]; /* protected (pkg_secret.c); valid when mapped */
    BOOL has_session_key;
    union {
        scram_client client;
        scram_server server;
    } u;
} pkg_context;

static void context_destroy(void *object)
{
    pkg_context *c = object;

    pkg_publish_context_delete(c->record);
    pkg_token_end(&c->logon);
    if (c->cred_handle)
        pkg_handle_release(c->cred_handle, PKG_HANDLE_CREDENTIAL);
    scram_wipe(c, sizeof(*c));
    pkg_free(c);
}

void pkg_context_start(void)
{
    pkg_handles_set_destroy(PKG_HANDLE_CONTEXT, context_destroy);
}

/* The SSPI status for a protocol failure (docs/protocol.md has the table); the trace
 * gets the protocol's reason. */
static SECURITY_STATUS status_of(scram_result r, const char *server_error)
{
    if (r == SCRAM_E_SERVER_ERROR)
        pkg_trace("fails: %s (e=%s)", scram_result_text(r), server_error);
    else if (r)
        pkg_trace("fails: %s", scram_result_text(r));
    switch (r) {
    case SCRAM_OK: return SEC_E_OK;
    case SCRAM_E_STATE: return SEC_E_OUT_OF_SEQUENCE;
    case SCRAM_E_BUFFER: return SEC_E_BUFFER_TOO_SMALL;
    case SCRAM_E_INVALID:
    case SCRAM_E_NONCE:
    case SCRAM_E_EXTENSION: return SEC_E_INVALID_TOKEN;
    /* The server's count is outside what this client will compute with (the floor, or
     * the ceiling that bounds its PBKDF2): no common parameters, as for a cipher. */
    case SCRAM_E_ITERATIONS:
    case SCRAM_E_ITERATIONS_CEILING: return SEC_E_ALGORITHM_MISMATCH;
    case SCRAM_E_CHANNEL_BINDING:
    case SCRAM_E_BINDING_DOWNGRADE:
    case SCRAM_E_BINDING_NOT_SUPPORTED:
    case SCRAM_E_BINDING_TYPE: return SEC_E_BAD_BINDINGS;
    case SCRAM_E_PROOF: return SEC_E_LOGON_DENIED;
    case SCRAM_E_SERVER_SIGNATURE: return SEC_E_MUTUAL_AUTH_FAILED;
    case SCRAM_E_CRYPTO: return SEC_E_INTERNAL_ERROR;
    case SCRAM_E_SERVER_ERROR:
        /* RFC 5802 section 7, server-error-value. */
        if (!strcmp(server_error, "invalid-encoding"))
            return SEC_E_INVALID_TOKEN;
        if (!strcmp(server_error, "extensions-not-supported"))
            return SEC_E_UNSUPPORTED_FUNCTION;
        if (!strncmp(server_error, "channel-binding", 15) ||
            !strcmp(server_error, "server-does-support-channel-binding") ||
            !strcmp(server_error, "unsupported-channel-binding-type"))
            return SEC_E_BAD_BINDINGS;
        if (!strcmp(server_error, "no-resources"))
            return SEC_E_INSUFFICIENT_MEMORY;
        /* invalid-proof, unknown-user, invalid-username-encoding, other-error and
         * anything new: the server did not let us in. */
        return SEC_E_LOGON_DENIED;
    }
    return SEC_E_INTERNAL_ERROR;
}

static PSecBuffer find_token(PSecBufferDesc desc)
{
    if (!desc || !desc->pBuffers)
        return NULL;
    for (ULONG i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN)
            return &desc->pBuffers[i];
    return NULL;
}

/* A step that needs the peer's message has none to read. */
static SECURITY_STATUS no_token(void)
{
    pkg_trace("fails: no input token, or one larger than any SCRAM message (%d bytes)",
              SCRAM_MAX_MESSAGE);
    return SEC_E_INVALID_TOKEN;
}

/* The channel the application passed with the first call, given to the protocol core:
 * a client then requires binding ("p=", SCRAM-SHA-256-PLUS), a server checks it.
 * Applications pass the buffer with every call, as with other packages; the first
 * call's is the one that counts, since the gs2 header is decided there. */
static SECURITY_STATUS take_binding(pkg_context *c, PSecBufferDesc in)
{
    scram_binding b;
    BOOL present;
    SECURITY_STATUS status = pkg_binding_read(in, &b, &present);

    if (status == SEC_E_OK && present &&
        (c->server ? scram_server_bind(&c->u.server, &b) : scram_client_bind(&c->u.client, &b)))
        status = SEC_E_BAD_BINDINGS;
    scram_wipe(&b, sizeof(b));
    return status;
}

/* A nonce from the system RNG; FALSE (traced) when it gave none. */
static BOOL make_nonce(char nonce[PKG_NONCE_CHARS + 1])
{
    if (pkg_nonce(nonce) == STATUS_SUCCESS)
        return TRUE;
    pkg_trace("fails: the system RNG gave no nonce");
    return FALSE;
}

/* Input buffers other than the token and the channel bindings are not used. */
static void note_ignored_buffers(PSecBufferDesc desc)
{
    for (ULONG i = 0; desc && desc->pBuffers && i < desc->cBuffers; i++) {
        ULONG type = desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK;
        if (type != SECBUFFER_TOKEN && type != SECBUFFER_EMPTY &&
            type != SECBUFFER_CHANNEL_BINDINGS)
            pkg_trace("ignores input buffer %lu (type %lu): only the token is used", i, type);
    }
}

/* The input token as text, or NULL when there is none (or it is too large to be a
 * SCRAM message, which is then SEC_E_INVALID_TOKEN like any malformed token). */
static const char *input_token(PSecBufferDesc desc, size_t *len)
{
    PSecBuffer b = find_token(desc);

    *len = 0;
    if (!b || !b->pvBuffer || b->cbBuffer == 0 || b->cbBuffer > SCRAM_MAX_MESSAGE)
        return NULL;
    *len = b->cbBuffer;
    return b->pvBuffer;
}

/* How much the output token may hold: all a message can need when the package
 * allocates, else the caller's buffer. 0 when there is no output token buffer. */
static size_t output_room(PSecBufferDesc desc, BOOL allocate)
{
    PSecBuffer b = find_token(desc);

    if (!b)
        return 0;
    if (allocate)
        return SCRAM_MAX_MESSAGE;
    if (!b->pvBuffer)
        return 0;
    return b->cbBuffer < SCRAM_MAX_MESSAGE ? b->cbBuffer : SCRAM_MAX_MESSAGE;
}

/* Hands msg to the caller in the output token. */
static SECURITY_STATUS put_output(PSecBufferDesc desc, BOOL allocate, const char *msg,
                                  size_t len, ULONG *attributes, ULONG allocated_flag)
{
    PSecBuffer b = find_token(desc);

    if (!b)
        return len ? SEC_E_INVALID_TOKEN : SEC_E_OK;
    if (len == 0) {
        b->cbBuffer = 0;
        return SEC_E_OK;
    }
    if (allocate) {
        void *p = pkg_return_alloc((ULONG)len);
        if (!p)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(p, msg, len);
        b->pvBuffer = p;
        *attributes |= allocated_flag;
    } else {
        /* output_room() limited the core to this size. */
        memcpy(b->pvBuffer, msg, len);
    }
    b->cbBuffer = (ULONG)len;
    return SEC_E_OK;
}

static pkg_context *context_new(BOOL server, LSA_SEC_HANDLE cred_handle, ULONG want_use,
                                SECURITY_STATUS *status)
{
    pkg_cred *cred = pkg_handle_get(cred_handle, PKG_HANDLE_CREDENTIAL);
    pkg_context *c;

    if (!cred) {
        *status = SEC_E_INVALID_HANDLE;
        return NULL;
    }
    if (!(pkg_cred_use(cred) & want_use)) {
        pkg_handle_release(cred_handle, PKG_HANDLE_CREDENTIAL);
        *status = SEC_E_WRONG_CREDENTIAL_HANDLE;
        return NULL;
    }
    c = pkg_alloc(sizeof(*c));
    if (!c) {
        pkg_handle_release(cred_handle, PKG_HANDLE_CREDENTIAL);
        *status = SEC_E_INSUFFICIENT_MEMORY;
        return NULL;
    }
    c->server = server;
    c->cred_handle = cred_handle;
    c->cred = cred;
    InitializeSRWLock(&c->lock);
    GetSystemTimeAsFileTime((FILETIME *)&c->start);
    if (server)
        scram_server_init(&c->u.server, &pkg_crypto);
    else
        scram_client_init(&c->u.client, &pkg_crypto);
    c->record = pkg_publish_context_new(server);
    *status = SEC_E_OK;
    return c;
}

/* The context a continuing call names, locked; NULL with *status set otherwise. */
static pkg_context *context_enter(LSA_SEC_HANDLE h, BOOL server, SECURITY_STATUS *status)
{
    pkg_context *c = pkg_handle_get(h, PKG_HANDLE_CONTEXT);

    if (c && c->server != server) {
        pkg_handle_release(h, PKG_HANDLE_CONTEXT);
        c = NULL;
    }
    if (!c) {
        *status = SEC_E_INVALID_HANDLE;
        return NULL;
    }
    AcquireSRWLockExclusive(&c->lock);
    return c;
}

static void context_leave(LSA_SEC_HANDLE h, pkg_context *c)
{
    ReleaseSRWLockExclusive(&c->lock);
    pkg_handle_release(h, PKG_HANDLE_CONTEXT);
}

/* At the end of the handshake: the keys for message protection, packed for the
 * user-mode half (SpInitUserModeContext), which the LSA hands to the caller's process.
 * The LSA-mode context keeps no copy, and forgets what they came from (context_call).
 *
 * Without an LSA (Wine's secur32) both halves live in the caller's process and the
 * host never calls SpInitUserModeContext: it hands the LSA-mode handle straight to the
 * message functions. So the package makes the user-mode context itself, under that
 * handle, and maps nothing. */
/* The application's session key (SECPKG_ATTR_SESSION_KEY): HMAC-SHA-256 under the
 * client-to-server sealing key of the label below. Both sides compute the same; it is
 * none of the message keys, and the HMAC does not lead back to them. Kept protected. */
static const char session_key_label[] = "sspkg application session key";

static NTSTATUS session_key(pkg_context *c, const scram_session *s)
{
    pkg_bytes label = { session_key_label, sizeof(session_key_label) - 1 };
    NTSTATUS status = pkg_hmac_parts(c->server ? s->seal_recv : s->seal_send, &label, 1,
                                     c->session_key);

    if (status == STATUS_SUCCESS)
        status = pkg_secret_protect(c->session_key, sizeof(c->session_key));
    if (status != STATUS_SUCCESS)
        scram_wipe(c->session_key, sizeof(c->session_key));
    c->has_session_key = status == STATUS_SUCCESS;
    return status;
}

static SECURITY_STATUS map_context(pkg_context *c, LSA_SEC_HANDLE h, PBOOLEAN mapped,
                                   PSecBuffer data)
{
    uint8_t local[PKG_PACKED_CONTEXT_SIZE];
    scram_session s;
    const char *user;
    size_t len;
    scram_result r;
    uint8_t *packed;
    uint64_t token;

    if (pkg.lsa && (!mapped || !data))
        return SEC_E_OK;
    if (c->server) {
        user = c->u.server.user;
        len = c->u.server.user_len;
        r = scram_session_derive(&pkg_crypto, SCRAM_SESSION_SERVER, c->u.server.client_key,
                                 c->u.server.auth_message_hash, user, len, c->attributes, &s);
    } else {
        user = pkg_cred_user(c->cred, &len);
        r = scram_session_derive(&pkg_crypto, SCRAM_SESSION_CLIENT, c->u.client.client_key,
                                 c->u.client.auth_message_hash, user, len, c->attributes, &s);
    }
    if (r || session_key(c, &s) != STATUS_SUCCESS) {
        scram_wipe(&s, sizeof(s));
        return SEC_E_INTERNAL_ERROR;
    }
    packed = pkg.lsa ? pkg_return_alloc(PKG_PACKED_CONTEXT_SIZE) : local;
    if (packed) {
        scram_session_pack(&s, packed);
        /* A server's token goes to the client's process as a handle of its own there. */
        token = (uint64_t)(ULONG_PTR)pkg_token_for_client(&c->logon);
        for (int i = 0; i < 8; i++)
            packed[SCRAM_SESSION_PACKED_SIZE + i] = (uint8_t)(token >> (8 * i));
    }
    scram_wipe(&s, sizeof(s));
    if (!pkg.lsa) {
        SecBuffer pk = { sizeof(local), SECBUFFER_TOKEN, local };
        /* SpInitUserModeContext wipes the blob. */
        return pkg_SpInitUserModeContext(h, &pk) == STATUS_SUCCESS ? SEC_E_OK
                                                                   : SEC_E_INTERNAL_ERROR;
    }
    if (packed) {
        data->BufferType = SECBUFFER_TOKEN;
        data->cbBuffer = PKG_PACKED_CONTEXT_SIZE;
        data->pvBuffer = packed;
        *mapped = TRUE;
    }
    return packed ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* A first call that fails leaves the caller no context to delete (SSPI gives out no
 * handle then), so the package deletes it. */
static SECURITY_STATUS finish(BOOL first, LSA_SEC_HANDLE h, SECURITY_STATUS status,
                              PLSA_SEC_HANDLE new_handle)
{
    if (first && FAILED(status)) {
        pkg_handle_close(h, PKG_HANDLE_CONTEXT);
        h = 0;
    }
    *new_handle = h;
    return status;
}

static void publish(pkg_context *c, SECURITY_STATUS status)
{
    const char *user = c->server ? c->u.server.user : NULL;
    size_t len = c->server ? c->u.server.user_len : 0;
    int state = c->server ? c->u.server.step.state : c->u.client.step.state;
    BOOL finished = status != SEC_I_CONTINUE_NEEDED && status != SEC_E_OUT_OF_SEQUENCE &&
                    status != SEC_E_BUFFER_TOO_SMALL;

    if (!c->server)
        user = pkg_cred_user(c->cred, &len);
    pkg_publish_context_update(c->record, user, len, (ULONG)state,
                               finished ? status : STATUS_PENDING);
    if (finished)
        pkg_publish_outcome(c->server, user, len, status);
}

/* What both entries do around one step: make or find the context (locked), run the
 * side's step, map the context when the handshake completes, publish, and give the
 * caller its handle and attributes. The ISC and ASC flag values this relies on are the
 * same on both sides (ALLOCATE_MEMORY, MUTUAL_AUTH, CONNECTION); the protection flags
 * differ, so each side says which of its requirements it grants. */
typedef SECURITY_STATUS (*step_fn)(pkg_context *c, PSecBufferDesc in, PSecBufferDesc out,
                                   BOOL allocate);

_Static_assert(ISC_REQ_ALLOCATE_MEMORY == ASC_REQ_ALLOCATE_MEMORY &&
                   ISC_REQ_MUTUAL_AUTH == ASC_REQ_MUTUAL_AUTH &&
                   ISC_REQ_CONNECTION == ASC_REQ_CONNECTION &&
                   ISC_RET_ALLOCATED_MEMORY == ASC_RET_ALLOCATED_MEMORY &&
                   ISC_RET_MUTUAL_AUTH == ASC_RET_MUTUAL_AUTH &&
                   ISC_RET_CONNECTION == ASC_RET_CONNECTION,
               "the flags shared by ISC and ASC have the same values");

static NTSTATUS context_call(BOOL server, step_fn step, ULONG granted_requirements,
                             LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                             ULONG ContextRequirements, PSecBufferDesc InputBuffers,
                             PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                             PULONG ContextAttributes, PTimeStamp ExpirationTime,
                             PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    BOOL allocate = (ContextRequirements & ISC_REQ_ALLOCATE_MEMORY) != 0;
    /* What the package does when asked: also the client always uses the credential it
     * is given, and the server always answers a failed proof with an e= token. */
    ULONG honoured = ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONNECTION |
                     granted_requirements |
                     (server ? ASC_REQ_EXTENDED_ERROR : ISC_REQ_USE_SUPPLIED_CREDS);
    char dropped[512];
    SECURITY_STATUS status;
    LSA_SEC_HANDLE h = ContextHandle;
    BOOL first = !ContextHandle;
    pkg_context *c;

    if (ContextRequirements & ~honoured)
        pkg_trace("does not honour %s",
                  pkg_trace_flags(ContextRequirements & ~honoured, server, dropped,
                                  sizeof(dropped)));
    note_ignored_buffers(InputBuffers);

    if (MappedContext)
        *MappedContext = FALSE;
    if (!NewContextHandle || !ContextAttributes)
        return SEC_E_INVALID_PARAMETER;
    *ContextAttributes = 0;
    if (!h) {
        c = context_new(server, CredentialHandle,
                        server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, &status);
        if (!c)
            return status;
        /* SCRAM always authenticates both sides; message protection is granted as
         * asked for, since the package does all of it. */
        c->attributes = ISC_RET_MUTUAL_AUTH | ISC_RET_CONNECTION |
                        (ContextRequirements & granted_requirements);
        h = pkg_handle_new(PKG_HANDLE_CONTEXT, c);
        if (!h) {
            context_destroy(c);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        pkg_handle_get(h, PKG_HANDLE_CONTEXT);
        AcquireSRWLockExclusive(&c->lock);
    } else if (!(c = context_enter(h, server, &status))) {
        return status;
    }

    c->attributes &= ~(ULONG)ISC_RET_ALLOCATED_MEMORY;
    status = step(c, InputBuffers, OutputBuffers, allocate);
    if (status == SEC_E_OK)
        status = map_context(c, h, MappedContext, ContextData);
    /* Once the exchange has ended, the user-mode half has its keys (or will have none):
     * ClientKey, the AuthMessage and its hash, the verifier and the messages go, and
     * the context keeps what it still answers with (state, failure, user name). */
    if (server)
        scram_server_forget(&c->u.server);
    else
        scram_client_forget(&c->u.client);
    publish(c, status);
    *ContextAttributes = c->attributes;
    if (ExpirationTime)
        ExpirationTime->QuadPart = MAXLONGLONG;
    context_leave(h, c);
    return finish(first, h, status, NewContextHandle);
}

/* ---- Client ------------------------------------------------------------------------ */

static SECURITY_STATUS client_step(pkg_context *c, PSecBufferDesc in, PSecBufferDesc out,
                                   BOOL allocate)
{
    scram_client *sc = &c->u.client;
    char msg[SCRAM_MAX_MESSAGE], nonce[PKG_NONCE_CHARS + 1];
    size_t room = output_room(out, allocate), len = 0, in_len;
    const char *token = input_token(in, &in_len);
    const char *user;
    size_t user_len;
    scram_client_keys keys;
    scram_result r;
    SECURITY_STATUS status;

    switch (sc->step.state) {
    case SCRAM_CLIENT_INITIAL:
        status = take_binding(c, in);
        if (status != SEC_E_OK)
            return status;
        if (!make_nonce(nonce))
            return SEC_E_INTERNAL_ERROR;
        user = pkg_cred_user(c->cred, &user_len);
        r = scram_client_first(sc, user, user_len, nonce, PKG_NONCE_CHARS, msg, room, &len);
        if (r)
            return status_of(r, NULL);
        status = put_output(out, allocate, msg, len, &c->attributes, ISC_RET_ALLOCATED_MEMORY);
        return status == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : status;

    case SCRAM_CLIENT_SENT_FIRST:
    case SCRAM_CLIENT_GOT_FIRST:
        /* GOT_FIRST: an earlier call read server-first and then found the output
         * buffer too small; this call only writes client-final. */
        if (sc->step.state == SCRAM_CLIENT_SENT_FIRST) {
            if (!token)
                return no_token();
            c->iteration_ceiling =
                scram_client_limit_iterations(sc, pkg_settings_max_iterations());
            r = scram_client_read_server_first(sc, token, in_len);
            if (r)
                return status_of(r, sc->server_error);
        }
        r = pkg_cred_client_keys(c->cred, sc->salt, sc->salt_len, sc->iterations, &keys);
        if (r == SCRAM_OK)
            r = scram_client_final(sc, &keys, msg, room, &len);
        scram_wipe(&keys, sizeof(keys));
        if (r)
            return status_of(r, NULL);
        status = put_output(out, allocate, msg, len, &c->attributes, ISC_RET_ALLOCATED_MEMORY);
        return status == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : status;

    case SCRAM_CLIENT_SENT_FINAL:
        if (!token)
            return no_token();
        r = scram_client_read_server_final(sc, token, in_len);
        if (r)
            return status_of(r, sc->server_error);
        put_output(out, FALSE, NULL, 0, &c->attributes, 0);
        return SEC_E_OK;

    case SCRAM_CLIENT_DONE:
        return SEC_E_OUT_OF_SEQUENCE;
    default:
        return status_of(sc->step.error, sc->server_error);
    }
}

NTSTATUS NTAPI pkg_SpInitLsaModeContext(LSA_SEC_HANDLE CredentialHandle,
                                        LSA_SEC_HANDLE ContextHandle,
                                        PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                        ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                        PLSA_SEC_HANDLE NewContextHandle,
                                        PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
                                        PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                        PSecBuffer ContextData)
{
    (void)TargetDataRep;  /* tokens are text: no byte order to choose */
    if (TargetName && TargetName->Length)
        pkg_trace("ignores TargetName: SCRAM names no target; the server's proof is the check");
    return context_call(FALSE, client_step,
                        ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT |
                            ISC_REQ_SEQUENCE_DETECT,
                        CredentialHandle, ContextHandle, ContextRequirements, InputBuffers,
                        NewContextHandle, OutputBuffers, ContextAttributes, ExpirationTime,
                        MappedContext, ContextData);
}

/* ---- Server ------------------------------------------------------------------------ */

/* The verifier for the name the client sent. The name is SASLprepped again (a client
 * SHOULD have done it, RFC 5802 section 5.1); a name that cannot be prepared is looked
 * up as it is, which finds nobody and fails at the proof like any unknown user. */
static NTSTATUS server_lookup(scram_server *s, scram_verifier *v, int *known,
                              pkg_store_error *error)
{
    WCHAR wide[SCRAM_MAX_NAME + 1];
    char prepped[SCRAM_MAX_NAME];
    size_t len = 0;
    ULONG n = pkg_utf8_to_utf16(s->user, s->user_len, wide, SCRAM_MAX_NAME);
    NTSTATUS status;

    if (n && pkg_saslprep(wide, n, prepped, sizeof(prepped), &len) == SCRAM_SASLPREP_OK)
        status = pkg_store_lookup(prepped, len, v, known, error);
    else
        status = pkg_store_lookup(s->user, s->user_len, v, known, error);
    return status;
}

static SECURITY_STATUS server_step(pkg_context *c, PSecBufferDesc in, PSecBufferDesc out,
                                   BOOL allocate)
{
    scram_server *ss = &c->u.server;
    char msg[SCRAM_MAX_MESSAGE], nonce[PKG_NONCE_CHARS + 1];
    size_t room = output_room(out, allocate), len = 0, in_len;
    const char *token = input_token(in, &in_len);
    scram_verifier v;
    pkg_store_error store_error;
    int known = 0;
    scram_result r;
    SECURITY_STATUS status, logon;

    switch (ss->step.state) {
    case SCRAM_SERVER_INITIAL:
    case SCRAM_SERVER_GOT_FIRST:
        if (ss->step.state == SCRAM_SERVER_INITIAL) {
            if (!token)
                return no_token();
            status = take_binding(c, in);
            if (status != SEC_E_OK)
                return status;
            r = scram_server_read_client_first(ss, token, in_len);
            if (r)
                return status_of(r, NULL);
        }
        if (server_lookup(ss, &v, &known, &store_error) != STATUS_SUCCESS) {
            pkg_trace("fails: the verifier store: %s", store_error.text);
            scram_wipe(&v, sizeof(v));
            return SEC_E_INTERNAL_ERROR;
        }
        if (!make_nonce(nonce)) {
            scram_wipe(&v, sizeof(v));
            return SEC_E_INTERNAL_ERROR;
        }
        r = scram_server_first(ss, &v, known, nonce, PKG_NONCE_CHARS, msg, room, &len);
        scram_wipe(&v, sizeof(v));
        if (r)
            return status_of(r, NULL);
        status = put_output(out, allocate, msg, len, &c->attributes, ASC_RET_ALLOCATED_MEMORY);
        return status == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : status;

    case SCRAM_SERVER_SENT_FIRST:
        if (!token)
            return no_token();
        /* The answer (v= or e=) always fits in the smallest sensible buffer; a caller
         * whose buffer is smaller gets SEC_E_BUFFER_TOO_SMALL before the proof is
         * consumed. */
        if (room < 2 + SCRAM_BASE64_LEN(SCRAM_HASH_LEN))
            return SEC_E_BUFFER_TOO_SMALL;
        r = scram_server_final(ss, token, in_len, msg, room, &len);
        /* The proof verified: the user's logon session and token. A user the package
         * will not log on (unmapped, under UnmappedUsers=refuse) is told e=other-error,
         * never v=, and only now: before the proof, whether a user is mapped is nobody's
         * business. */
        logon = r ? SEC_E_OK : pkg_token_accept(ss->user, ss->user_len, &c->logon);
        if (logon != SEC_E_OK)
            len = (size_t)snprintf(msg, room, "e=other-error");
        if ((r || logon != SEC_E_OK) && len)
            c->attributes |= ASC_RET_EXTENDED_ERROR;
        status = put_output(out, allocate, msg, len, &c->attributes, ASC_RET_ALLOCATED_MEMORY);
        return r ? status_of(r, NULL) : logon != SEC_E_OK ? logon : status;

    case SCRAM_SERVER_DONE:
        return SEC_E_OUT_OF_SEQUENCE;
    default:
        return status_of(ss->step.error, NULL);
    }
}

NTSTATUS NTAPI pkg_SpAcceptLsaModeContext(LSA_SEC_HANDLE CredentialHandle,
                                          LSA_SEC_HANDLE ContextHandle,
                                          PSecBufferDesc InputBuffers, ULONG ContextRequirements,
                                          ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                          PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
                                          PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                          PSecBuffer ContextData)
{
    (void)TargetDataRep;  /* tokens are text: no byte order to choose */
    return context_call(TRUE, server_step,
                        ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT |
                            ASC_REQ_SEQUENCE_DETECT,
                        CredentialHandle, ContextHandle, ContextRequirements, InputBuffers,
                        NewContextHandle, OutputBuffers, ContextAttributes, ExpirationTime,
                        MappedContext, ContextData);
}

/* ---- Delete and query ------------------------------------------------------------- */

NTSTATUS NTAPI pkg_SpDeleteContext(LSA_SEC_HANDLE ContextHandle)
{
    /* Without an LSA the package made the user-mode half itself (map_context): it goes
     * with the LSA-mode context. */
    if (!pkg.lsa)
        pkg_SpDeleteUserModeContext(ContextHandle);
    return pkg_handle_close(ContextHandle, PKG_HANDLE_CONTEXT) ? SEC_E_OK
                                                               : SEC_E_INVALID_HANDLE;
}

/* A NUL-terminated copy of text (UTF-8, len bytes) in client memory, for
 * FreeContextBuffer. */
static NTSTATUS return_string(const char *text, size_t len, WCHAR **client_out)
{
    WCHAR wide[SCRAM_MAX_NAME + 1];
    ULONG n = len ? pkg_utf8_to_utf16(text, len, wide, SCRAM_MAX_NAME) : 0;

    wide[n] = 0;
    *client_out = NULL;
    return pkg_return_to_client(NULL, wide, (n + 1) * sizeof(WCHAR), (void **)client_out);
}

/* The authenticated (or claimed, until the handshake ends) user, NUL-terminated in out. */
static const char *context_user_text(pkg_context *c, char out[SCRAM_MAX_NAME + 1])
{
    size_t len = 0;
    const char *user = c->server ? c->u.server.user : pkg_cred_user(c->cred, &len);

    if (c->server)
        len = c->u.server.user_len;
    memcpy(out, user ? user : "", user ? len : 0);
    out[user ? len : 0] = 0;
    return out;
}

/* The strings of an answer (count of them, each at its place in `answer`), then the
 * answer, to the client; on failure nothing is left there. */
static SECURITY_STATUS return_answer(PVOID buffer, void *answer, ULONG size,
                                     const char *const *texts, WCHAR **const *places, int count)
{
    NTSTATUS status = STATUS_SUCCESS;
    int done = 0;

    for (; done < count && status == STATUS_SUCCESS; done++)
        status = return_string(texts[done], strlen(texts[done]), places[done]);
    if (status == STATUS_SUCCESS)
        status = pkg_copy_to_client(buffer, answer, size);
    if (status != STATUS_SUCCESS) {
        while (done-- > 0)
            pkg_client_free(NULL, *places[done]);
        return status == STATUS_NO_MEMORY ? SEC_E_INSUFFICIENT_MEMORY : status;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS query_names(pkg_context *c, PVOID buffer)
{
    SecPkgContext_NamesW names;
    char user[SCRAM_MAX_NAME + 1];
    const char *texts[1] = { context_user_text(c, user) };
    WCHAR **places[1] = { &names.sUserName };

    return return_answer(buffer, &names, sizeof(names), texts, places, 1);
}

/* SCRAM names a client (the user) and no server. */
static SECURITY_STATUS query_native_names(pkg_context *c, PVOID buffer)
{
    SecPkgContext_NativeNamesW names;
    char user[SCRAM_MAX_NAME + 1];
    const char *texts[2] = { context_user_text(c, user), "" };
    WCHAR **places[2] = { &names.sClientName, &names.sServerName };

    return return_answer(buffer, &names, sizeof(names), texts, places, 2);
}

/* Who authenticated the user: for a server, this machine's verifier store, named by the
 * computer's NetBIOS name; a client cannot tell whose store the server used: "". */
static SECURITY_STATUS query_authority(pkg_context *c, PVOID buffer)
{
    SecPkgContext_AuthorityW authority;
    WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1];
    char name[3 * (MAX_COMPUTERNAME_LENGTH + 1)] = "";
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
    const char *texts[1] = { name };
    WCHAR **places[1] = { &authority.sAuthorityName };

    if (c->server && GetComputerNameW(computer, &n))
        WideCharToMultiByte(CP_UTF8, 0, computer, -1, name, sizeof(name), NULL, NULL);
    return return_answer(buffer, &authority, sizeof(authority), texts, places, 1);
}

/* The message protection of docs/protocol.md: HMAC-SHA-256 signatures, AES-256-GCM. */
static SECURITY_STATUS query_key_info(PVOID buffer)
{
    SecPkgContext_KeyInfoW info;
    const char *texts[2] = { "HMAC-SHA-256", "AES-256-GCM" };
    WCHAR **places[2] = { &info.sSignatureAlgorithmName, &info.sEncryptAlgorithmName };

    info.KeySize = 256;
    info.SignatureAlgorithm = CALG_SHA_256;
    info.EncryptAlgorithm = CALG_AES_256;
    return return_answer(buffer, &info, sizeof(info), texts, places, 2);
}

/* The application's session key, once the handshake has ended. */
static SECURITY_STATUS query_session_key(pkg_context *c, PVOID buffer)
{
    SecPkgContext_SessionKey key;
    uint8_t clear[SCRAM_HASH_LEN];
    NTSTATUS status;

    if (!c->has_session_key)
        return SEC_E_UNSUPPORTED_FUNCTION;   /* not before the handshake has ended */
    memcpy(clear, c->session_key, sizeof(clear));
    status = pkg_secret_unprotect(clear, sizeof(clear));
    if (status == STATUS_SUCCESS)
        status = pkg_return_to_client(NULL, clear, sizeof(clear), (void **)&key.SessionKey);
    scram_wipe(clear, sizeof(clear));
    if (status != STATUS_SUCCESS)
        return SEC_E_INSUFFICIENT_MEMORY;
    key.SessionKeyLength = sizeof(clear);
    status = pkg_copy_to_client(buffer, &key, sizeof(key));
    if (status != STATUS_SUCCESS)
        pkg_client_free(NULL, key.SessionKey);
    return status;
}

/* Why the context failed (SSPKG_ATTR_FAILURE): the protocol core's text, with the
 * server's e= value or the client's ceiling where they say more. */
static SECURITY_STATUS query_failure(pkg_context *c, PVOID buffer)
{
    const scram_step *step = c->server ? &c->u.server.step : &c->u.client.step;
    const char *server_error = c->server ? "" : c->u.client.server_error;
    char reason[SSPKG_FAILURE_REASON_MAX] = "";
    SSPKG_CONTEXT_FAILURE f;
    NTSTATUS status;

    memset(&f, 0, sizeof(f));
    if (step->state == SCRAM_STEP_FAILED) {
        f.Status = status_of(step->error, server_error);
        if (step->error == SCRAM_E_SERVER_ERROR)
            snprintf(reason, sizeof(reason), "%s: e=%s", scram_result_text(step->error),
                     server_error);
        else if (step->error == SCRAM_E_ITERATIONS_CEILING)
            snprintf(reason, sizeof(reason), "%s (%u)", scram_result_text(step->error),
                     c->iteration_ceiling);
        else
            snprintf(reason, sizeof(reason), "%s", scram_result_text(step->error));
    }
    status = pkg_return_to_client(NULL, reason, (ULONG)strlen(reason) + 1, (void **)&f.Reason);
    if (status != STATUS_SUCCESS)
        return SEC_E_INSUFFICIENT_MEMORY;
    status = pkg_copy_to_client(buffer, &f, sizeof(f));
    if (status != STATUS_SUCCESS)
        pkg_client_free(NULL, f.Reason);
    return status;
}

/* SecPkgInfoW and its two strings in one client allocation, as FreeContextBuffer
 * expects. */
static SECURITY_STATUS query_package_info(PVOID buffer)
{
    struct {
        SecPkgInfoW info;
        WCHAR strings[128];
    } block;
    SecPkgContext_PackageInfoW result;
    size_t name_chars, comment_chars;
    BYTE *client;
    NTSTATUS status;

    memset(&block, 0, sizeof(block));
    pkg_SpGetInfo(&block.info);
    name_chars = wcslen(block.info.Name) + 1;
    comment_chars = wcslen(block.info.Comment) + 1;
    if (name_chars + comment_chars > sizeof(block.strings) / sizeof(WCHAR))
        return SEC_E_INTERNAL_ERROR;
    memcpy(block.strings, block.info.Name, name_chars * sizeof(WCHAR));
    memcpy(block.strings + name_chars, block.info.Comment, comment_chars * sizeof(WCHAR));
    status = pkg_client_alloc(NULL, sizeof(block), (void **)&client);
    if (status != STATUS_SUCCESS)
        return SEC_E_INSUFFICIENT_MEMORY;
    /* The strings' addresses are the client's. */
    block.info.Name = (WCHAR *)(client + offsetof(__typeof__(block), strings));
    block.info.Comment = block.info.Name + name_chars;
    result.PackageInfo = (PSecPkgInfoW)client;
    status = pkg_copy_to_client(client, &block, sizeof(block));
    if (status == STATUS_SUCCESS)
        status = pkg_copy_to_client(buffer, &result, sizeof(result));
    if (status != STATUS_SUCCESS)
        pkg_client_free(NULL, client);
    return status;
}

NTSTATUS NTAPI pkg_SpQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                            ULONG ContextAttribute, PVOID Buffer)
{
    SECURITY_STATUS status;
    pkg_context *c = context_enter(ContextHandle, FALSE, &status);

    if (!c)
        c = context_enter(ContextHandle, TRUE, &status);
    if (!c)
        return status;
    if (!Buffer) {
        status = SEC_E_INVALID_PARAMETER;
        goto done;
    }
    switch (ContextAttribute) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes sizes = pkg_context_sizes();
        status = pkg_copy_to_client(Buffer, &sizes, sizeof(sizes));
        break;
    }
    case SECPKG_ATTR_NAMES:
        status = query_names(c, Buffer);
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        status = query_native_names(c, Buffer);
        break;
    case SECPKG_ATTR_AUTHORITY:
        status = query_authority(c, Buffer);
        break;
    case SECPKG_ATTR_KEY_INFO:
        status = query_key_info(Buffer);
        break;
    case SECPKG_ATTR_SESSION_KEY:
        status = query_session_key(c, Buffer);
        break;
    case SECPKG_ATTR_PACKAGE_INFO:
        status = query_package_info(Buffer);
        break;
    case SSPKG_ATTR_FAILURE:
        status = query_failure(c, Buffer);
        break;
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan life;
        life.tsStart.QuadPart = c->start.QuadPart;
        life.tsExpiry.QuadPart = MAXLONGLONG;
        status = pkg_copy_to_client(Buffer, &life, sizeof(life));
        break;
    }
    default:
        status = SEC_E_UNSUPPORTED_FUNCTION;
        break;
    }
done:
    context_leave(ContextHandle, c);
    return status;
}
