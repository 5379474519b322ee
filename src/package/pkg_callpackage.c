/* pkg_callpackage.c - LsaApCallPackage and LsaApCallPackageUntrusted, with the messages
 * declared in include/sspkg.h. Managing the verifier store (set, remove and list users)
 * is for trusted callers only (LsaApCallPackage: a logon process registered with
 * LsaRegisterLogonProcess); anyone may read the package's status (SSPKG_CALL_GET_STATUS). */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

#include <string.h>

/* Default work factor for a password set here: RFC 7677's minimum, PostgreSQL's default. */
#define DEFAULT_ITERATIONS 4096u
#define SALT_BYTES 16u

/* The bytes [offset, offset + length) of the request, or NULL when they are not inside
 * it or not WCHAR-aligned (align 2). */
static const void *field(const BYTE *req, ULONG size, uint32_t offset, uint32_t length,
                         uint32_t align)
{
    if (offset > size || length > size - offset || offset % align || length % align)
        return NULL;
    return req + offset;
}

/* Replies with a sentence (SSPKG_ERROR_RESPONSE) next to a failing status. */
static void reply_error(PLSA_CLIENT_REQUEST request, const char *text, PVOID *out,
                        PULONG out_len)
{
    struct {
        SSPKG_ERROR_RESPONSE head;
        char text[512];
    } r;
    size_t n = strlen(text);

    if (n > sizeof(r.text))
        n = sizeof(r.text);
    r.head.MessageType = SSPKG_CALL_ERROR;
    r.head.TextLength = (uint32_t)n;
    memcpy(r.text, text, n);
    if (pkg_return_to_client(request, &r, (ULONG)(sizeof(r.head) + n), out) == STATUS_SUCCESS)
        *out_len = (ULONG)(sizeof(r.head) + n);
}

static NTSTATUS prepared_name(const SSPKG_CALL_REQUEST *req, ULONG size, char *out,
                              size_t *len, const char **why)
{
    const WCHAR *name = field((const BYTE *)req, size, req->NameOffset, req->NameLength, 2);
    int r;

    if (!name || req->NameLength == 0) {
        *why = "the request's user name lies outside the request or is empty";
        return STATUS_INVALID_PARAMETER;
    }
    r = pkg_saslprep(name, req->NameLength / 2, out, SCRAM_MAX_NAME, len);
    if (r != SCRAM_SASLPREP_OK) {
        *why = scram_saslprep_text(r);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* The verifier a SET_USER request describes: parsed from text, or made from the
 * password with a fresh random salt. */
static NTSTATUS verifier_of(const SSPKG_CALL_REQUEST *req, ULONG size, scram_verifier *v,
                            const char **why)
{
    const BYTE *secret;
    char password[1024];
    uint8_t salt[SALT_BYTES];
    size_t plen;
    uint32_t iterations = req->Iterations ? req->Iterations : DEFAULT_ITERATIONS;
    NTSTATUS status;
    int r;

    if (req->Flags & SSPKG_SET_USER_VERIFIER) {
        secret = field((const BYTE *)req, size, req->SecretOffset, req->SecretLength, 1);
        if (!secret || scram_verifier_parse((const char *)secret, req->SecretLength, v)) {
            *why = "the verifier is not SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>";
            return STATUS_INVALID_PARAMETER;
        }
        if (v->iterations < SCRAM_MIN_ITERATIONS) {
            *why = "the verifier's iteration count is below 4096";
            return STATUS_INVALID_PARAMETER;
        }
        return STATUS_SUCCESS;
    }
    secret = field((const BYTE *)req, size, req->SecretOffset, req->SecretLength, 2);
    if (!secret || req->SecretLength == 0) {
        *why = "the request's password lies outside the request or is empty";
        return STATUS_INVALID_PARAMETER;
    }
    if (iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
        *why = "the iteration count must be between 4096 and 10000000";
        return STATUS_INVALID_PARAMETER;
    }
    r = pkg_saslprep((const WCHAR *)secret, req->SecretLength / 2, password,
                     sizeof(password), &plen);
    if (r != SCRAM_SASLPREP_OK) {
        *why = scram_saslprep_text(r);
        return STATUS_INVALID_PARAMETER;
    }
    status = pkg_random(salt, sizeof(salt));
    if (status == STATUS_SUCCESS &&
        scram_verifier_make(&pkg_crypto, (const uint8_t *)password, plen, salt, sizeof(salt),
                            iterations, v) != SCRAM_OK) {
        *why = "the crypto provider failed";
        status = STATUS_INTERNAL_ERROR;
    }
    scram_wipe(password, sizeof(password));
    return status;
}

/* The account of a SET_USER request with SSPKG_SET_USER_ACCOUNT (its last AccountLength
 * bytes) as a SID string; nothing without the flag. */
static NTSTATUS account_of(const SSPKG_CALL_REQUEST *req, ULONG size,
                           char account[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *account_len,
                           pkg_store_error *error, const char **why)
{
    const void *text;
    NTSTATUS status;

    *account_len = 0;
    account[0] = '\0';
    if (!(req->Flags & SSPKG_SET_USER_ACCOUNT))
        return STATUS_SUCCESS;
    /* After a verifier's text the account may start at an odd offset: it is copied, not
     * read in place. */
    text = req->AccountLength <= size - sizeof(*req)
               ? field((const BYTE *)req, size, size - req->AccountLength, req->AccountLength, 1)
               : NULL;
    if (!text || req->AccountLength % 2) {
        *why = "the request's account lies outside the request or is not whole UTF-16";
        return STATUS_INVALID_PARAMETER;
    }
    status = pkg_account_resolve(text, req->AccountLength / sizeof(WCHAR), account,
                                 account_len, error);
    if (status != STATUS_SUCCESS)
        *why = error->text;
    return status;
}

/* ---- LIST -------------------------------------------------------------------------- */

typedef struct list_builder {
    BYTE *buffer;
    ULONG size, used, count, capacity;
    BOOL overflow;
} list_builder;

/* First pass counts (buffer NULL); second pass fills. Each entry's name is followed by
 * its account's SID string. */
static void list_visit(void *context, const scram_store_entry *user)
{
    list_builder *b = context;
    WCHAR wide[SCRAM_MAX_NAME + SCRAM_STORE_ACCOUNT_MAX];
    ULONG n = pkg_utf8_to_utf16(user->name, user->name_len, wide, SCRAM_MAX_NAME);
    ULONG a = pkg_utf8_to_utf16(user->account, user->account_len, wide + n,
                                SCRAM_STORE_ACCOUNT_MAX);
    ULONG bytes = (n + a) * sizeof(WCHAR);

    if (!b->buffer) {
        b->count++;
        b->size += bytes;
        return;
    }
    if (b->count == b->capacity || bytes > b->size - b->used) {
        b->overflow = TRUE;
        return;
    }
    {
        SSPKG_LIST_RESPONSE *r = (SSPKG_LIST_RESPONSE *)b->buffer;
        SSPKG_USER_ENTRY *e = &r->Users[b->count++];
        e->NameOffset = b->used;
        e->NameLength = n * sizeof(WCHAR);
        e->Iterations = user->verifier.iterations;
        e->AccountLength = a * sizeof(WCHAR);
        memcpy(b->buffer + b->used, wide, bytes);
        b->used += bytes;
        r->Count = b->count;
    }
}

static NTSTATUS list_users(PLSA_CLIENT_REQUEST request, PVOID *out, PULONG out_len,
                           pkg_store_error *error)
{
    list_builder b = { 0 };
    NTSTATUS status = pkg_store_list(list_visit, &b, error);

    if (status != STATUS_SUCCESS)
        return status;
    /* The store may change between the passes; the second pass stops at what fits. */
    b.capacity = b.count;
    b.size += sizeof(SSPKG_LIST_RESPONSE) + b.count * sizeof(SSPKG_USER_ENTRY);
    b.used = sizeof(SSPKG_LIST_RESPONSE) + b.count * sizeof(SSPKG_USER_ENTRY);
    b.count = 0;
    b.buffer = pkg_alloc(b.size);
    if (!b.buffer)
        return STATUS_NO_MEMORY;
    ((SSPKG_LIST_RESPONSE *)b.buffer)->MessageType = SSPKG_CALL_LIST_USERS;
    status = pkg_store_list(list_visit, &b, error);
    if (status == STATUS_SUCCESS)
        status = pkg_return_to_client(request, b.buffer, b.size, out);
    if (status == STATUS_SUCCESS)
        *out_len = b.size;
    pkg_free(b.buffer);
    return status;
}

static NTSTATUS dispatch(BOOL trusted, PLSA_CLIENT_REQUEST ClientRequest,
                         PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                         PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                         PNTSTATUS ProtocolStatus)
{
    const SSPKG_CALL_REQUEST *req = ProtocolSubmitBuffer;
    char name[SCRAM_MAX_NAME], account[SCRAM_STORE_ACCOUNT_MAX + 1];
    const char *why = NULL;
    size_t name_len = 0, account_len = 0;
    scram_verifier v;
    pkg_store_error store_error = { "" };
    NTSTATUS status;

    if (!ProtocolReturnBuffer || !ReturnBufferLength || !ProtocolStatus)
        return STATUS_INVALID_PARAMETER;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    *ProtocolStatus = STATUS_SUCCESS;
    if (!req || SubmitBufferLength < sizeof(*req) ||
        (req->AccountLength && !(req->Flags & SSPKG_SET_USER_ACCOUNT))) {
        why = "the request is shorter than SSPKG_CALL_REQUEST, or has an AccountLength "
              "without SSPKG_SET_USER_ACCOUNT";
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (!trusted && req->MessageType != SSPKG_CALL_GET_STATUS) {
        why = "managing users needs a trusted caller (LsaRegisterLogonProcess)";
        status = STATUS_ACCESS_DENIED;
        goto done;
    }
    switch (req->MessageType) {
    case SSPKG_CALL_SET_USER:
        status = prepared_name(req, SubmitBufferLength, name, &name_len, &why);
        if (status == STATUS_SUCCESS)
            status = account_of(req, SubmitBufferLength, account, &account_len, &store_error,
                                &why);
        if (status == STATUS_SUCCESS)
            status = verifier_of(req, SubmitBufferLength, &v, &why);
        if (status == STATUS_SUCCESS)
            status = pkg_store_set(name, name_len, &v,
                                   req->Flags & SSPKG_SET_USER_ACCOUNT ? account : NULL,
                                   account_len, &store_error);
        scram_wipe(&v, sizeof(v));
        break;
    case SSPKG_CALL_REMOVE_USER:
        status = prepared_name(req, SubmitBufferLength, name, &name_len, &why);
        if (status == STATUS_SUCCESS)
            status = pkg_store_remove(name, name_len, &store_error);
        break;
    case SSPKG_CALL_LIST_USERS:
        status = list_users(ClientRequest, ProtocolReturnBuffer, ReturnBufferLength,
                            &store_error);
        break;
    case SSPKG_CALL_GET_STATUS: {
        SSPKG_STATUS_BLOCK block;
        pkg_publish_status(&block);
        status = pkg_return_to_client(ClientRequest, &block, sizeof(block), ProtocolReturnBuffer);
        if (status == STATUS_SUCCESS)
            *ReturnBufferLength = sizeof(block);
        break;
    }
    default:
        why = "unknown MessageType";
        status = STATUS_INVALID_PARAMETER;
        break;
    }
    /* Store failures carry the store's own sentence (its file and line). */
    if (status != STATUS_SUCCESS && !why)
        why = store_error.text;
done:
    /* The call itself worked; ProtocolStatus carries the outcome, as for MSV1_0. */
    *ProtocolStatus = status;
    if (status != STATUS_SUCCESS)
        pkg_trace("fails: %s", why && why[0] ? why : pkg_trace_status(status, FALSE));
    if (status != STATUS_SUCCESS && why && why[0])
        reply_error(ClientRequest, why, ProtocolReturnBuffer, ReturnBufferLength);
    return STATUS_SUCCESS;
}

/* ClientBufferBase is not needed: requests use offsets, not pointers. */
NTSTATUS NTAPI pkg_LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest,
                                    PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                    ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                    PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    (void)ClientBufferBase;
    return dispatch(TRUE, ClientRequest, ProtocolSubmitBuffer, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}

NTSTATUS NTAPI pkg_LsaApCallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                             ULONG SubmitBufferLength,
                                             PVOID *ProtocolReturnBuffer,
                                             PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    (void)ClientBufferBase;
    return dispatch(FALSE, ClientRequest, ProtocolSubmitBuffer, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}
