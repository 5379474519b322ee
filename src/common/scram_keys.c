/* scram_keys.c - SCRAM key derivation (RFC 5802 section 3) and the verifier's text
 * form (PostgreSQL's "SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>"). */
#include "scram.h"
#include "scram_base64.h"
#include "scram_util.h"

#include <stdio.h>
#include <string.h>

static const char client_key_label[] = "Client Key";
static const char server_key_label[] = "Server Key";
static const char text_prefix[] = "SCRAM-SHA-256$";

const char *scram_result_text(scram_result r)
{
    switch (r) {
    case SCRAM_OK: return "success";
    case SCRAM_E_STATE: return "call out of order";
    case SCRAM_E_BUFFER: return "output buffer too small";
    case SCRAM_E_INVALID: return "malformed message";
    case SCRAM_E_NONCE: return "nonce does not match";
    case SCRAM_E_ITERATIONS: return "iteration count below the minimum of 4096";
    case SCRAM_E_EXTENSION: return "unsupported mandatory extension";
    case SCRAM_E_CHANNEL_BINDING: return "channel binding mismatch";
    case SCRAM_E_PROOF: return "client proof does not verify";
    case SCRAM_E_SERVER_SIGNATURE: return "server signature does not verify";
    case SCRAM_E_SERVER_ERROR: return "server reported an error";
    case SCRAM_E_CRYPTO: return "crypto provider failed";
    case SCRAM_E_ITERATIONS_CEILING: return "iteration count above the client's ceiling";
    case SCRAM_E_BINDING_DOWNGRADE:
        return "the client did not bind to the channel, though the server can";
    case SCRAM_E_BINDING_NOT_SUPPORTED:
        return "the client requires channel binding, and the server has no channel binding";
    case SCRAM_E_BINDING_TYPE: return "the client binds to another type of channel binding";
    }
    return "unknown result";
}

scram_result scram_keys_derive(const scram_crypto *crypto, const uint8_t *password,
                               size_t password_len, const uint8_t *salt, size_t salt_len,
                               uint32_t iterations, scram_client_keys *out)
{
    uint8_t salted[SCRAM_HASH_LEN];
    scram_result r = SCRAM_E_CRYPTO;

    memset(out, 0, sizeof(*out));
    if (crypto->pbkdf2(crypto->context, password, password_len, salt, salt_len, iterations,
                       salted))
        goto done;
    if (crypto->hmac(crypto->context, salted, sizeof(salted), (const uint8_t *)client_key_label,
                     sizeof(client_key_label) - 1, out->client_key))
        goto done;
    if (crypto->hmac(crypto->context, salted, sizeof(salted), (const uint8_t *)server_key_label,
                     sizeof(server_key_label) - 1, out->server_key))
        goto done;
    r = SCRAM_OK;
done:
    scram_wipe(salted, sizeof(salted));
    if (r)
        scram_wipe(out, sizeof(*out));
    return r;
}

scram_result scram_verifier_make(const scram_crypto *crypto, const uint8_t *password,
                                 size_t password_len, const uint8_t *salt, size_t salt_len,
                                 uint32_t iterations, scram_verifier *out)
{
    scram_client_keys keys;
    scram_result r;

    memset(out, 0, sizeof(*out));
    if (salt_len == 0 || salt_len > SCRAM_MAX_SALT || iterations == 0)
        return SCRAM_E_INVALID;
    r = scram_keys_derive(crypto, password, password_len, salt, salt_len, iterations, &keys);
    if (r)
        return r;
    if (crypto->hash(crypto->context, keys.client_key, SCRAM_HASH_LEN, out->stored_key)) {
        r = SCRAM_E_CRYPTO;
    } else {
        memcpy(out->server_key, keys.server_key, SCRAM_HASH_LEN);
        memcpy(out->salt, salt, salt_len);
        out->salt_len = (uint32_t)salt_len;
        out->iterations = iterations;
    }
    scram_wipe(&keys, sizeof(keys));
    return r;
}

size_t scram_verifier_format(const scram_verifier *v, char *out, size_t cap)
{
    char salt[SCRAM_BASE64_LEN(SCRAM_MAX_SALT) + 1];
    char stored[SCRAM_BASE64_LEN(SCRAM_HASH_LEN) + 1];
    char server[SCRAM_BASE64_LEN(SCRAM_HASH_LEN) + 1];
    int n;

    if (v->salt_len == 0 || v->salt_len > SCRAM_MAX_SALT)
        return 0;
    scram_base64_encode(v->salt, v->salt_len, salt, sizeof(salt));
    scram_base64_encode(v->stored_key, SCRAM_HASH_LEN, stored, sizeof(stored));
    scram_base64_encode(v->server_key, SCRAM_HASH_LEN, server, sizeof(server));
    n = snprintf(out, cap, "%s%u:%s$%s:%s", text_prefix, (unsigned)v->iterations, salt,
                 stored, server);
    if (n < 0 || (size_t)n >= cap) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* Decodes the base64 field [p, p+len) into exactly `want` bytes (want 0: any length
 * from 1 to cap, reported in *got). */
static int decode_field(const char *p, size_t len, uint8_t *out, size_t cap, size_t want,
                        size_t *got)
{
    if (scram_base64_decode(p, len, out, cap, got) || *got == 0)
        return -1;
    return want && *got != want ? -1 : 0;
}

int scram_verifier_parse(const char *text, size_t len, scram_verifier *out)
{
    const size_t plen = sizeof(text_prefix) - 1;
    const char *p, *end = text + len, *colon, *dollar, *colon2;
    uint64_t iter = 0;
    size_t got;

    memset(out, 0, sizeof(*out));
    if (len <= plen || memcmp(text, text_prefix, plen))
        return -1;
    p = text + plen;
    /* <iter>: decimal, no sign, no leading zero, fits in 32 bits */
    if (p == end || *p < '1' || *p > '9')
        return -1;
    while (p < end && *p >= '0' && *p <= '9') {
        iter = iter * 10 + (uint64_t)(*p++ - '0');
        if (iter > UINT32_MAX)
            return -1;
    }
    if (p == end || *p++ != ':')
        return -1;
    colon = p;
    dollar = memchr(colon, '$', (size_t)(end - colon));
    if (!dollar)
        return -1;
    colon2 = memchr(dollar + 1, ':', (size_t)(end - dollar - 1));
    if (!colon2)
        return -1;
    if (decode_field(colon, (size_t)(dollar - colon), out->salt, SCRAM_MAX_SALT, 0, &got))
        goto bad;
    out->salt_len = (uint32_t)got;
    if (decode_field(dollar + 1, (size_t)(colon2 - dollar - 1), out->stored_key,
                     SCRAM_HASH_LEN, SCRAM_HASH_LEN, &got))
        goto bad;
    if (decode_field(colon2 + 1, (size_t)(end - colon2 - 1), out->server_key,
                     SCRAM_HASH_LEN, SCRAM_HASH_LEN, &got))
        goto bad;
    out->iterations = (uint32_t)iter;
    return 0;
bad:
    memset(out, 0, sizeof(*out));
    return -1;
}
