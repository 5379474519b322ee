/* scram_session.c - keys, sequence numbers and the packed context (scram_session.h). */
#include "scram_session.h"
#include "scram_util.h"

#include <string.h>

static const char magic[4] = { 'S', 'S', 'U', 'C' };
#define PACKED_VERSION 1u

/* HKDF-Expand for one 32-byte block: T(1) = HMAC(PRK, info || 0x01). */
static int expand(const scram_crypto *k, const uint8_t *prk, const char *info, uint8_t *out)
{
    uint8_t msg[96];
    size_t n = strlen(info);

    memcpy(msg, info, n);
    msg[n] = 1;
    return k->hmac(k->context, prk, SCRAM_HASH_LEN, msg, n + 1, out);
}

scram_result scram_session_derive(const scram_crypto *crypto, uint32_t side,
                                  const uint8_t client_key[SCRAM_HASH_LEN],
                                  const uint8_t auth_message_hash[SCRAM_HASH_LEN],
                                  const char *user, size_t user_len, uint32_t flags,
                                  scram_session *out)
{
    uint8_t prk[SCRAM_HASH_LEN];
    int client = side == SCRAM_SESSION_CLIENT;
    scram_result r = SCRAM_OK;

    memset(out, 0, sizeof(*out));
    if (side > SCRAM_SESSION_SERVER || user_len > SCRAM_MAX_NAME)
        return SCRAM_E_INVALID;
    if (crypto->hmac(crypto->context, auth_message_hash, SCRAM_HASH_LEN, client_key,
                     SCRAM_HASH_LEN, prk) ||
        expand(crypto, prk, "sspkg v1 client-to-server seal",
               client ? out->seal_send : out->seal_recv) ||
        expand(crypto, prk, "sspkg v1 server-to-client seal",
               client ? out->seal_recv : out->seal_send) ||
        expand(crypto, prk, "sspkg v1 client-to-server sign",
               client ? out->sign_send : out->sign_recv) ||
        expand(crypto, prk, "sspkg v1 server-to-client sign",
               client ? out->sign_recv : out->sign_send))
        r = SCRAM_E_CRYPTO;
    scram_wipe(prk, sizeof(prk));
    if (r) {
        scram_wipe(out, sizeof(*out));
        return r;
    }
    out->side = side;
    out->flags = flags;
    memcpy(out->user, user, user_len);
    out->user_len = (uint32_t)user_len;
    return SCRAM_OK;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static const uint8_t *get32(const uint8_t *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++)
        *v |= (uint32_t)p[i] << (8 * i);
    return p + 4;
}

static const uint8_t *get64(const uint8_t *p, uint64_t *v)
{
    *v = 0;
    for (int i = 0; i < 8; i++)
        *v |= (uint64_t)p[i] << (8 * i);
    return p + 8;
}

void scram_session_pack(const scram_session *s, uint8_t out[SCRAM_SESSION_PACKED_SIZE])
{
    uint8_t *p = out;

    memcpy(p, magic, 4);
    p = put32(p + 4, PACKED_VERSION);
    p = put32(p, SCRAM_SESSION_PACKED_SIZE);
    p = put32(p, s->side);
    p = put32(p, s->flags);
    memcpy(p, s->seal_send, SCRAM_HASH_LEN);
    memcpy(p + SCRAM_HASH_LEN, s->seal_recv, SCRAM_HASH_LEN);
    memcpy(p + 2 * SCRAM_HASH_LEN, s->sign_send, SCRAM_HASH_LEN);
    memcpy(p + 3 * SCRAM_HASH_LEN, s->sign_recv, SCRAM_HASH_LEN);
    p = put64(p + 4 * SCRAM_HASH_LEN, s->send_seq);
    p = put64(p, s->recv_seq);
    p = put32(p, s->user_len);
    memset(p, 0, SCRAM_MAX_NAME);
    memcpy(p, s->user, s->user_len);
}

int scram_session_unpack(const uint8_t *in, size_t len, scram_session *out)
{
    const uint8_t *p = in;
    uint32_t version, size;

    memset(out, 0, sizeof(*out));
    if (len != SCRAM_SESSION_PACKED_SIZE || memcmp(p, magic, 4))
        return -1;
    p = get32(p + 4, &version);
    p = get32(p, &size);
    p = get32(p, &out->side);
    p = get32(p, &out->flags);
    memcpy(out->seal_send, p, SCRAM_HASH_LEN);
    memcpy(out->seal_recv, p + SCRAM_HASH_LEN, SCRAM_HASH_LEN);
    memcpy(out->sign_send, p + 2 * SCRAM_HASH_LEN, SCRAM_HASH_LEN);
    memcpy(out->sign_recv, p + 3 * SCRAM_HASH_LEN, SCRAM_HASH_LEN);
    p = get64(p + 4 * SCRAM_HASH_LEN, &out->send_seq);
    p = get64(p, &out->recv_seq);
    p = get32(p, &out->user_len);
    if (version != PACKED_VERSION || size != SCRAM_SESSION_PACKED_SIZE ||
        out->side > SCRAM_SESSION_SERVER || out->user_len > SCRAM_MAX_NAME) {
        scram_wipe(out, sizeof(*out));
        return -1;
    }
    memcpy(out->user, p, out->user_len);
    return 0;
}

void scram_session_put_seq(uint64_t seq, uint8_t out[8])
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(seq >> (56 - 8 * i));
}

uint64_t scram_session_get_seq(const uint8_t in[8])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | in[i];
    return v;
}

int scram_session_accept_seq(scram_session *s, uint64_t seq)
{
    if (seq != s->recv_seq)
        return -1;
    s->recv_seq++;
    return 0;
}
