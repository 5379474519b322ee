/* scram_client.c - the client side of SCRAM-SHA-256 (RFC 5802 sections 3, 5 and 7;
 * RFC 7677). States and contracts: scram.h. */
#include "scram.h"
#include "scram_base64.h"
#include "scram_msg.h"
#include "scram_util.h"

#include <string.h>

void scram_client_init(scram_client *c, const scram_crypto *crypto)
{
    scram_step_reset(c, sizeof(*c), &c->step, crypto);
    c->max_iterations = SCRAM_CLIENT_MAX_ITERATIONS;
}

void scram_client_wipe(scram_client *c)
{
    scram_client_init(c, c->step.crypto);
}

uint32_t scram_client_limit_iterations(scram_client *c, uint32_t max_iterations)
{
    if (max_iterations > SCRAM_CLIENT_MAX_ITERATIONS)
        max_iterations = SCRAM_CLIENT_MAX_ITERATIONS;
    if (max_iterations < SCRAM_MIN_ITERATIONS)
        max_iterations = SCRAM_MIN_ITERATIONS;
    c->max_iterations = max_iterations;
    return max_iterations;
}

scram_result scram_client_bind(scram_client *c, const scram_binding *binding)
{
    return scram_step_bind(&c->step, SCRAM_CLIENT_INITIAL, &c->binding, binding);
}

void scram_client_forget(scram_client *c)
{
    scram_step_forget(c, sizeof(*c), &c->step, SCRAM_CLIENT_DONE, c->server_error,
                      sizeof(c->server_error));
}

scram_result scram_client_first(scram_client *c, const char *user, size_t user_len,
                                const char *nonce, size_t nonce_len, char *out,
                                size_t cap, size_t *out_len)
{
    scram_result r;
    char bare[SCRAM_MAX_MESSAGE], header[SCRAM_MAX_GS2_HEADER];
    size_t used = 0, n, header_len;

    *out_len = 0;
    r = scram_step_check(&c->step, SCRAM_CLIENT_INITIAL);
    if (r)
        return r;
    if (user_len == 0 || user_len > SCRAM_MAX_NAME || !scram_utf8_valid(user, user_len) ||
        !scram_nonce_valid(nonce, nonce_len))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);

    if (scram_append(bare, sizeof(bare), &used, "n=", 2))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    n = scram_name_escape(user, user_len, bare + used, sizeof(bare) - used);
    if (n == (size_t)-1)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    used += n;
    if (scram_append(bare, sizeof(bare), &used, ",r=", 3))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    c->nonce_at = used;
    if (scram_append(bare, sizeof(bare), &used, nonce, nonce_len))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    /* "p=<type>,," binds to the channel (RFC 5802 section 6); "n,,": this client does
     * not. It never says "y": whether the server offered SCRAM-SHA-256-PLUS is the
     * application's knowledge, and an application that has a channel asks for binding
     * by passing it (docs/protocol.md, "Channel binding"). */
    if (c->binding.data_len) {
        memcpy(header, "p=", 2);
        memcpy(header + 2, c->binding.type, c->binding.type_len);
        memcpy(header + 2 + c->binding.type_len, ",,", 2);
        header_len = c->binding.type_len + 4;
    } else {
        memcpy(header, "n,,", 3);
        header_len = 3;
    }
    /* The whole message, header included, must fit the limit a server applies. */
    if (used + header_len > SCRAM_MAX_MESSAGE)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    if (used + header_len > cap)
        return SCRAM_E_BUFFER;

    memcpy(out, header, header_len);
    memcpy(out + header_len, bare, used);
    *out_len = used + header_len;
    memcpy(c->gs2_header, header, header_len);
    c->gs2_header_len = header_len;
    memcpy(c->first_bare, bare, used);
    c->first_bare_len = used;
    c->nonce_len = nonce_len;
    c->step.state = SCRAM_CLIENT_SENT_FIRST;
    return SCRAM_OK;
}

/* Takes the e= value of a server message as the failure. */
static scram_result server_error(scram_client *c, const scram_attr *a)
{
    size_t n = a->value_len < sizeof(c->server_error) - 1 ? a->value_len
                                                          : sizeof(c->server_error) - 1;
    memcpy(c->server_error, a->value, n);
    c->server_error[n] = '\0';
    return scram_step_fail(&c->step, SCRAM_E_SERVER_ERROR);
}

scram_result scram_client_read_server_first(scram_client *c, const char *msg, size_t len)
{
    scram_cursor cur = { msg, len, 0 };
    scram_attr a;
    uint64_t iter = 0;
    scram_result r;

    r = scram_step_check(&c->step, SCRAM_CLIENT_SENT_FIRST);
    if (r)
        return r;
    if (len == 0 || len > SCRAM_MAX_MESSAGE)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);

    if (scram_cursor_next(&cur, &a) != 1)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    if (a.name == 'm')
        return scram_step_fail(&c->step, SCRAM_E_EXTENSION);
    /* Not in RFC 5802's grammar for server-first, but some servers fail early this
     * way; understanding it gives the caller the server's reason. */
    if (a.name == 'e')
        return server_error(c, &a);
    if (a.name != 'r' || !scram_nonce_valid(a.value, a.value_len))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    /* The server's nonce must extend ours, by at least one character. */
    if (a.value_len <= c->nonce_len ||
        memcmp(a.value, c->first_bare + c->nonce_at, c->nonce_len))
        return scram_step_fail(&c->step, SCRAM_E_NONCE);

    if (scram_cursor_expect(&cur, 's', &a) != 1 ||
        scram_base64_decode(a.value, a.value_len, c->salt, sizeof(c->salt), &c->salt_len) ||
        c->salt_len == 0)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);

    if (scram_cursor_expect(&cur, 'i', &a) != 1 || a.value[0] < '1' || a.value[0] > '9')
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    for (size_t i = 0; i < a.value_len; i++) {
        if (a.value[i] < '0' || a.value[i] > '9')
            return scram_step_fail(&c->step, SCRAM_E_INVALID);
        iter = iter * 10 + (uint64_t)(a.value[i] - '0');
        if (iter > c->max_iterations)
            return scram_step_fail(&c->step, SCRAM_E_ITERATIONS_CEILING);
    }
    if (iter < SCRAM_MIN_ITERATIONS)
        return scram_step_fail(&c->step, SCRAM_E_ITERATIONS);

    r = scram_skip_extensions(&cur);
    if (r)
        return scram_step_fail(&c->step, r);
    c->iterations = (uint32_t)iter;
    memcpy(c->server_first, msg, len);
    c->server_first_len = len;
    c->step.state = SCRAM_CLIENT_GOT_FIRST;
    return SCRAM_OK;
}

/* The nonce attribute of server-first, which client-final repeats. */
static void combined_nonce(const scram_client *c, const char **nonce, size_t *len)
{
    scram_cursor cur = { c->server_first, c->server_first_len, 0 };
    scram_attr a;

    /* Parsed and checked in scram_client_read_server_first: r= comes first. */
    scram_cursor_next(&cur, &a);
    *nonce = a.value;
    *len = a.value_len;
}

scram_result scram_client_final(scram_client *c, const scram_client_keys *keys, char *out,
                                size_t cap, size_t *out_len)
{
    char auth[SCRAM_AUTH_MESSAGE_MAX];
    char without_proof[SCRAM_MAX_MESSAGE];
    char proof_b64[SCRAM_BASE64_LEN(SCRAM_HASH_LEN) + 1];
    uint8_t binding[SCRAM_MAX_GS2_HEADER + SCRAM_MAX_BINDING];
    char binding_b64[SCRAM_BASE64_LEN(sizeof(binding)) + 1];
    uint8_t stored_key[SCRAM_HASH_LEN], signature[SCRAM_HASH_LEN];
    size_t wp = 0, am, total, binding_len;
    const char *nonce;
    size_t nonce_len;
    const scram_crypto *k = c->step.crypto;
    scram_result r = SCRAM_OK;

    *out_len = 0;
    r = scram_step_check(&c->step, SCRAM_CLIENT_GOT_FIRST);
    if (r)
        return r;

    /* c= is the gs2 header followed by the binding data, if any (RFC 5802 section 7,
     * cbind-input). */
    memcpy(binding, c->gs2_header, c->gs2_header_len);
    memcpy(binding + c->gs2_header_len, c->binding.data, c->binding.data_len);
    binding_len = c->gs2_header_len + c->binding.data_len;
    scram_base64_encode(binding, binding_len, binding_b64, sizeof(binding_b64));

    combined_nonce(c, &nonce, &nonce_len);
    if (scram_append(without_proof, sizeof(without_proof), &wp, "c=", 2) ||
        scram_append(without_proof, sizeof(without_proof), &wp, binding_b64,
                     SCRAM_BASE64_LEN(binding_len)) ||
        scram_append(without_proof, sizeof(without_proof), &wp, ",r=", 3) ||
        scram_append(without_proof, sizeof(without_proof), &wp, nonce, nonce_len))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    total = wp + 3 + SCRAM_BASE64_LEN(SCRAM_HASH_LEN);
    if (total > SCRAM_MAX_MESSAGE)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    if (total > cap)
        return SCRAM_E_BUFFER;

    am = scram_auth_message(auth, c->first_bare, c->first_bare_len, c->server_first,
                            c->server_first_len, without_proof, wp);

    /* ClientProof = ClientKey XOR HMAC(H(ClientKey), AuthMessage);
     * ServerSignature = HMAC(ServerKey, AuthMessage). */
    if (k->hash(k->context, keys->client_key, SCRAM_HASH_LEN, stored_key) ||
        k->hmac(k->context, stored_key, SCRAM_HASH_LEN, (const uint8_t *)auth, am, signature) ||
        k->hmac(k->context, keys->server_key, SCRAM_HASH_LEN, (const uint8_t *)auth, am,
                c->expected_signature) ||
        k->hash(k->context, (const uint8_t *)auth, am, c->auth_message_hash)) {
        r = scram_step_fail(&c->step, SCRAM_E_CRYPTO);
        goto done;
    }
    for (size_t i = 0; i < SCRAM_HASH_LEN; i++)
        signature[i] ^= keys->client_key[i];
    scram_base64_encode(signature, SCRAM_HASH_LEN, proof_b64, sizeof(proof_b64));

    memcpy(out, without_proof, wp);
    memcpy(out + wp, ",p=", 3);
    memcpy(out + wp + 3, proof_b64, SCRAM_BASE64_LEN(SCRAM_HASH_LEN));
    *out_len = total;
    memcpy(c->client_key, keys->client_key, SCRAM_HASH_LEN);
    c->step.state = SCRAM_CLIENT_SENT_FINAL;
done:
    scram_wipe(stored_key, sizeof(stored_key));
    scram_wipe(signature, sizeof(signature));
    scram_wipe(proof_b64, sizeof(proof_b64));
    return r;
}

scram_result scram_client_read_server_final(scram_client *c, const char *msg, size_t len)
{
    scram_cursor cur = { msg, len, 0 };
    uint8_t got[SCRAM_MAX_MESSAGE];
    size_t got_len;
    scram_attr a;
    scram_result r;

    r = scram_step_check(&c->step, SCRAM_CLIENT_SENT_FINAL);
    if (r)
        return r;
    if (len == 0 || len > SCRAM_MAX_MESSAGE || scram_cursor_next(&cur, &a) != 1)
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    if (a.name == 'e')
        return server_error(c, &a);
    if (a.name == 'm')
        return scram_step_fail(&c->step, SCRAM_E_EXTENSION);
    if (a.name != 'v' ||
        scram_base64_decode(a.value, a.value_len, got, sizeof(got), &got_len))
        return scram_step_fail(&c->step, SCRAM_E_INVALID);
    r = scram_skip_extensions(&cur);
    if (r)
        return scram_step_fail(&c->step, r);
    if (got_len != SCRAM_HASH_LEN ||
        !scram_ct_equal(got, c->expected_signature, SCRAM_HASH_LEN))
        return scram_step_fail(&c->step, SCRAM_E_SERVER_SIGNATURE);
    c->step.state = SCRAM_CLIENT_DONE;
    return SCRAM_OK;
}
