/* pkg_protect.c - message protection in the user-mode half: SpMakeSignature,
 * SpVerifySignature, SpSealMessage and SpUnsealMessage (MakeSignature, VerifySignature,
 * EncryptMessage and DecryptMessage to applications).
 *
 * Layouts (docs/protocol.md), with the usual SECBUFFER_DATA + SECBUFFER_TOKEN buffers:
 *   signature token: seq (8, big-endian) || HMAC-SHA-256(sign key, seq || data...)  40 bytes
 *   seal trailer:    seq (8, big-endian) || GCM tag (16)                           24 bytes
 * The GCM nonce is direction (4 bytes: 0 client-to-server, 1 server-to-client) || seq,
 * and seq is also the additional authenticated data, so a message cannot be replayed,
 * reordered or reflected back to its sender. A changed message is
 * SEC_E_MESSAGE_ALTERED, a genuine one out of turn SEC_E_OUT_OF_SEQUENCE, and neither
 * moves the receiver's counter. */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/scram_session.h"
#include "../common/scram_util.h"

#include <string.h>

#define SEQ_LEN 8
#define TAG_LEN 16
#define MAX_DATA_BUFFERS 16

SecPkgContext_Sizes pkg_context_sizes(void)
{
    SecPkgContext_Sizes s = { SSPKG_MAX_TOKEN, SSPKG_SIGNATURE_SIZE, 1, SSPKG_SEAL_TRAILER_SIZE };
    return s;
}

static BOOL is_data(const SecBuffer *b)
{
    return (b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_DATA;
}

/* The token buffer and the data buffers of a message. */
static SECURITY_STATUS split(PSecBufferDesc m, PSecBuffer *token, PSecBuffer *data,
                             ULONG *count)
{
    *token = NULL;
    *count = 0;
    if (!m || !m->pBuffers || m->ulVersion != SECBUFFER_VERSION)
        return SEC_E_INVALID_TOKEN;
    for (ULONG i = 0; i < m->cBuffers; i++) {
        PSecBuffer b = &m->pBuffers[i];
        if ((b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN && !*token)
            *token = b;
        else if (is_data(b)) {
            if (*count == MAX_DATA_BUFFERS || (b->cbBuffer && !b->pvBuffer))
                return SEC_E_INVALID_TOKEN;
            data[(*count)++] = b;
        } else if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_EMPTY) {
            pkg_trace("ignores buffer %lu (type %lu): only data and one token are used", i,
                      b->BufferType & ~SECBUFFER_ATTRMASK);
        }
    }
    return *token && (*token)->pvBuffer ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

/* The first steps of every message function: the context, entered (the caller leaves
 * it whenever *c is set), and the message's token and data buffers. The package keeps
 * its own sequence numbers; the caller's is not used, as for connection-oriented
 * contexts in the Windows packages. */
static SECURITY_STATUS begin(LSA_SEC_HANDLE handle, ULONG sequence, PSecBufferDesc m,
                             pkg_user_context **c, scram_session **s, PSecBuffer *token,
                             PSecBuffer *data, ULONG *count)
{
    if (sequence)
        pkg_trace("ignores MessageSequenceNumber %lu: the package numbers messages itself",
                  sequence);
    *c = pkg_user_enter(handle);
    if (!*c)
        return SEC_E_INVALID_HANDLE;
    *s = pkg_user_session(*c);
    return split(m, token, data, count);
}

static SECURITY_STATUS mac(const uint8_t key[SCRAM_HASH_LEN], const uint8_t seq[SEQ_LEN],
                           PSecBuffer *data, ULONG count, uint8_t out[SCRAM_HASH_LEN])
{
    pkg_bytes parts[1 + MAX_DATA_BUFFERS];

    parts[0].data = seq;
    parts[0].length = SEQ_LEN;
    for (ULONG i = 0; i < count; i++) {
        parts[i + 1].data = data[i]->pvBuffer;
        parts[i + 1].length = data[i]->cbBuffer;
    }
    return pkg_hmac_parts(key, parts, count + 1, out) == STATUS_SUCCESS ? SEC_E_OK
                                                                        : SEC_E_INTERNAL_ERROR;
}

NTSTATUS NTAPI pkg_SpMakeSignature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                   PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    pkg_user_context *c;
    scram_session *s;
    PSecBuffer token, data[MAX_DATA_BUFFERS];
    ULONG count;
    uint8_t *out;
    SECURITY_STATUS status;

    if (QualityOfProtection)
        return SEC_E_QOP_NOT_SUPPORTED;
    status = begin(ContextHandle, MessageSequenceNumber, MessageBuffers, &c, &s, &token, data,
                   &count);
    if (!c)
        return status;
    if (status == SEC_E_OK && token->cbBuffer < SSPKG_SIGNATURE_SIZE)
        status = SEC_E_BUFFER_TOO_SMALL;
    if (status == SEC_E_OK) {
        out = token->pvBuffer;
        scram_session_put_seq(s->send_seq, out);
        status = mac(s->sign_send, out, data, count, out + SEQ_LEN);
    }
    if (status == SEC_E_OK) {
        token->cbBuffer = SSPKG_SIGNATURE_SIZE;
        s->send_seq++;
    }
    pkg_user_leave(c);
    return status;
}

NTSTATUS NTAPI pkg_SpVerifySignature(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                     ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    pkg_user_context *c;
    scram_session *s;
    PSecBuffer token, data[MAX_DATA_BUFFERS];
    ULONG count;
    uint8_t want[SCRAM_HASH_LEN];
    const uint8_t *in;
    SECURITY_STATUS status;

    if (QualityOfProtection)
        *QualityOfProtection = 0;
    status = begin(ContextHandle, MessageSequenceNumber, MessageBuffers, &c, &s, &token, data,
                   &count);
    if (!c)
        return status;
    if (status == SEC_E_OK && token->cbBuffer != SSPKG_SIGNATURE_SIZE)
        status = SEC_E_INVALID_TOKEN;
    if (status == SEC_E_OK) {
        in = token->pvBuffer;
        status = mac(s->sign_recv, in, data, count, want);
        if (status == SEC_E_OK && !scram_ct_equal(want, in + SEQ_LEN, SCRAM_HASH_LEN))
            status = SEC_E_MESSAGE_ALTERED;
        else if (status == SEC_E_OK &&
                 scram_session_accept_seq(s, scram_session_get_seq(in)))
            status = SEC_E_OUT_OF_SEQUENCE;
    }
    pkg_user_leave(c);
    return status;
}

/* The data buffers gathered into one (BCrypt's GCM under Wine seals one contiguous
 * buffer per call), or the single buffer itself; scatter copies back. */
static uint8_t *gather(PSecBuffer *data, ULONG count, ULONG *total)
{
    uint8_t *all;
    ULONG at = 0;

    *total = 0;
    for (ULONG i = 0; i < count; i++) {
        if (data[i]->cbBuffer > 0x7fffffffu - *total)
            return NULL;
        *total += data[i]->cbBuffer;
    }
    if (count == 1)
        return data[0]->pvBuffer;
    all = HeapAlloc(GetProcessHeap(), 0, *total ? *total : 1);
    for (ULONG i = 0; all && i < count; i++) {
        memcpy(all + at, data[i]->pvBuffer, data[i]->cbBuffer);
        at += data[i]->cbBuffer;
    }
    return all;
}

static void scatter(PSecBuffer *data, ULONG count, uint8_t *all)
{
    ULONG at = 0;

    for (ULONG i = 0; i < count; i++) {
        memcpy(data[i]->pvBuffer, all + at, data[i]->cbBuffer);
        at += data[i]->cbBuffer;
    }
}

static void nonce_for(const scram_session *s, BOOL send, const uint8_t seq[SEQ_LEN],
                      uint8_t nonce[12])
{
    /* The direction the message travels: the sender's side. */
    uint32_t from_server = (s->side == SCRAM_SESSION_SERVER) == send;
    memset(nonce, 0, 4);
    nonce[3] = (uint8_t)from_server;
    memcpy(nonce + 4, seq, SEQ_LEN);
}

NTSTATUS NTAPI pkg_SpSealMessage(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                 PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    pkg_user_context *c;
    scram_session *s;
    PSecBuffer token, data[MAX_DATA_BUFFERS];
    ULONG count, total = 0;
    uint8_t nonce[12], *all = NULL, *trailer;
    SECURITY_STATUS status;

    if (QualityOfProtection)     /* SECQOP_WRAP_NO_ENCRYPT and friends */
        return SEC_E_QOP_NOT_SUPPORTED;
    status = begin(ContextHandle, MessageSequenceNumber, MessageBuffers, &c, &s, &token, data,
                   &count);
    if (!c)
        return status;
    if (status == SEC_E_OK && count == 0)
        status = SEC_E_INVALID_TOKEN;
    if (status == SEC_E_OK && token->cbBuffer < SSPKG_SEAL_TRAILER_SIZE)
        status = SEC_E_BUFFER_TOO_SMALL;
    if (status == SEC_E_OK && !pkg_user_seal_key(c, TRUE))
        status = SEC_E_UNSUPPORTED_FUNCTION;
    if (status == SEC_E_OK && !(all = gather(data, count, &total)))
        status = SEC_E_INSUFFICIENT_MEMORY;
    if (status == SEC_E_OK) {
        trailer = token->pvBuffer;
        scram_session_put_seq(s->send_seq, trailer);
        nonce_for(s, TRUE, trailer, nonce);
        if (pkg_aes_gcm(pkg_user_seal_key(c, TRUE), TRUE, nonce, trailer, SEQ_LEN, all, total,
                        trailer + SEQ_LEN) != STATUS_SUCCESS)
            status = SEC_E_INTERNAL_ERROR;
    }
    if (status == SEC_E_OK) {
        if (count > 1)
            scatter(data, count, all);
        token->cbBuffer = SSPKG_SEAL_TRAILER_SIZE;
        s->send_seq++;
    }
    if (all && count > 1) {
        scram_wipe(all, total);
        HeapFree(GetProcessHeap(), 0, all);
    }
    pkg_user_leave(c);
    return status;
}

NTSTATUS NTAPI pkg_SpUnsealMessage(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                   ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    pkg_user_context *c;
    scram_session *s;
    PSecBuffer token, data[MAX_DATA_BUFFERS];
    ULONG count, total = 0;
    uint8_t nonce[12], tag[TAG_LEN], *plain = NULL;
    const uint8_t *trailer;
    SECURITY_STATUS status;

    if (QualityOfProtection)
        *QualityOfProtection = 0;
    status = begin(ContextHandle, MessageSequenceNumber, MessageBuffers, &c, &s, &token, data,
                   &count);
    if (!c)
        return status;
    if (status == SEC_E_OK && (count == 0 || token->cbBuffer != SSPKG_SEAL_TRAILER_SIZE))
        status = SEC_E_INVALID_TOKEN;
    if (status == SEC_E_OK && !pkg_user_seal_key(c, FALSE))
        status = SEC_E_UNSUPPORTED_FUNCTION;
    if (status == SEC_E_OK) {
        trailer = token->pvBuffer;
        memcpy(tag, trailer + SEQ_LEN, TAG_LEN);
        nonce_for(s, FALSE, trailer, nonce);
    }
    if (status == SEC_E_OK && count == 1 &&
        scram_session_get_seq(trailer) == s->recv_seq) {
        /* The usual case, a single buffer in turn: decrypt in place. When the tag does
         * not match, the data buffer's content is undefined, as with Windows' packages. */
        total = data[0]->cbBuffer;
        if (pkg_aes_gcm(pkg_user_seal_key(c, FALSE), FALSE, nonce, trailer, SEQ_LEN,
                        data[0]->pvBuffer, total, tag) != STATUS_SUCCESS)
            status = SEC_E_MESSAGE_ALTERED;
        else
            scram_session_accept_seq(s, s->recv_seq);
    } else if (status == SEC_E_OK) {
        /* Several buffers, or a sequence number out of turn: decrypt a copy, so that a
         * replayed or reordered message leaves the caller's buffers as they were, and
         * say whether it was genuine (SEC_E_OUT_OF_SEQUENCE) or not (ALTERED). */
        uint8_t *all = gather(data, count, &total);
        plain = all ? HeapAlloc(GetProcessHeap(), 0, total ? total : 1) : NULL;
        if (plain)
            memcpy(plain, all, total);
        if (all && count > 1)
            HeapFree(GetProcessHeap(), 0, all);
        if (!plain)
            status = SEC_E_INSUFFICIENT_MEMORY;
        else if (pkg_aes_gcm(pkg_user_seal_key(c, FALSE), FALSE, nonce, trailer, SEQ_LEN, plain,
                             total, tag) != STATUS_SUCCESS)
            status = SEC_E_MESSAGE_ALTERED;
        else if (scram_session_accept_seq(s, scram_session_get_seq(trailer)))
            status = SEC_E_OUT_OF_SEQUENCE;
        else
            scatter(data, count, plain);
    }
    if (plain) {
        scram_wipe(plain, total);
        HeapFree(GetProcessHeap(), 0, plain);
    }
    pkg_user_leave(c);
    return status;
}
