/* scram_server.c - the server side of SCRAM-SHA-256 (RFC 5802 sections 3, 5 and 7;
 * RFC 7677). States and contracts: scram.h. */
#include "scram.h"
#include "scram_base64.h"
#include "scram_msg.h"
#include "scram_util.h"

#include <stdio.h>
#include <string.h>

void scram_server_init(scram_server *s, const scram_crypto *crypto)
{
    scram_step_reset(s, sizeof(*s), &s->step, crypto);
}

void scram_server_wipe(scram_server *s)
{
    scram_step_reset(s, sizeof(*s), &s->step, s->step.crypto);
}

void scram_server_forget(scram_server *s)
{
    size_t user_len = s->user_len;

    if (scram_step_forget(s, sizeof(*s), &s->step, SCRAM_SERVER_DONE, s->user, sizeof(s->user)))
        s->user_len = user_len;
}

scram_result scram_server_bind(scram_server *s, const scram_binding *binding)
{
    return scram_step_bind(&s->step, SCRAM_SERVER_INITIAL, &s->binding, binding);
}

/* gs2-header = gs2-cbind-flag "," [ authzid ] ","  (RFC 5802 section 7). Sets *len to
 * the header's length including its second ','; *authzid to the escaped authzid; and
 * s->header_error to what the flag asks that this server must refuse (section 6):
 *   "n"        the client does not support channel binding: always fine.
 *   "y"        it does, but thinks the server does not: a downgrade when the server
 *              has a binding (e=server-does-support-channel-binding).
 *   "p=<name>" it requires binding of that type: the server must have one, of that
 *              type. A name outside the grammar (ALPHA / DIGIT / "." / "-") is
 *              malformed; one the server has not is unsupported. */
static scram_result read_gs2_header(scram_server *s, const char *msg, size_t len,
                                    size_t *header_len, const char **authzid,
                                    size_t *authzid_len)
{
    const char *comma, *comma2;
    size_t flag_len;

    *authzid = NULL;
    *authzid_len = 0;
    comma = memchr(msg, ',', len);
    if (!comma)
        return SCRAM_E_INVALID;
    flag_len = (size_t)(comma - msg);
    if (flag_len >= 3 && msg[0] == 'p' && msg[1] == '=') {
        for (size_t i = 2; i < flag_len; i++) {
            char ch = msg[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'))
                return SCRAM_E_INVALID;
        }
        if (!s->binding.data_len)
            s->header_error = SCRAM_E_BINDING_NOT_SUPPORTED;
        else if (flag_len - 2 != s->binding.type_len ||
                 memcmp(msg + 2, s->binding.type, s->binding.type_len))
            s->header_error = SCRAM_E_BINDING_TYPE;
    } else if (flag_len == 1 && msg[0] == 'y') {
        if (s->binding.data_len)
            s->header_error = SCRAM_E_BINDING_DOWNGRADE;
    } else if (flag_len != 1 || msg[0] != 'n') {
        return SCRAM_E_INVALID;
    }
    comma2 = memchr(comma + 1, ',', len - (size_t)(comma + 1 - msg));
    if (!comma2)
        return SCRAM_E_INVALID;
    if (comma2 > comma + 1) {
        if (comma2 - comma - 1 < 3 || comma[1] != 'a' || comma[2] != '=')
            return SCRAM_E_INVALID;
        *authzid = comma + 3;
        *authzid_len = (size_t)(comma2 - comma - 3);
    }
    *header_len = (size_t)(comma2 + 1 - msg);
    return SCRAM_OK;
}

scram_result scram_server_read_client_first(scram_server *s, const char *msg, size_t len)
{
    const char *authzid;
    size_t authzid_len, header_len, user_len;
    char authz[SCRAM_MAX_NAME];
    scram_cursor cur;
    scram_attr a;
    scram_result r;

    r = scram_step_check(&s->step, SCRAM_SERVER_INITIAL);
    if (r)
        return r;
    if (len == 0 || len > SCRAM_MAX_MESSAGE)
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    r = read_gs2_header(s, msg, len, &header_len, &authzid, &authzid_len);
    if (r) {
        s->header_error = SCRAM_OK;
        return scram_step_fail(&s->step, r);
    }

    cur = (scram_cursor){ msg + header_len, len - header_len, 0 };
    if (scram_cursor_next(&cur, &a) != 1)
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    if (a.name == 'm')
        return scram_step_fail(&s->step, SCRAM_E_EXTENSION);
    if (a.name != 'n')
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    user_len = scram_name_unescape(a.value, a.value_len, s->user, SCRAM_MAX_NAME);
    if (user_len == (size_t)-1)
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    s->user[user_len] = '\0';
    s->user_len = user_len;

    /* An authorization identity other than the user's own would ask the server to let
     * one user act as another, which this package does not support. */
    if (authzid) {
        size_t n = scram_name_unescape(authzid, authzid_len, authz, sizeof(authz));
        if (n != user_len || memcmp(authz, s->user, n))
            return scram_step_fail(&s->step, SCRAM_E_INVALID);
    }

    if (scram_cursor_expect(&cur, 'r', &a) != 1 || !scram_nonce_valid(a.value, a.value_len))
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    s->client_nonce_at = (size_t)(a.value - (msg + header_len));
    s->client_nonce_len = a.value_len;
    r = scram_skip_extensions(&cur);
    if (r)
        return scram_step_fail(&s->step, r);

    memcpy(s->gs2_header, msg, header_len);
    s->gs2_header_len = header_len;
    memcpy(s->first_bare, msg + header_len, len - header_len);
    s->first_bare_len = len - header_len;
    s->step.state = SCRAM_SERVER_GOT_FIRST;
    return SCRAM_OK;
}

scram_result scram_server_first(scram_server *s, const scram_verifier *verifier,
                                int user_known, const char *server_nonce,
                                size_t server_nonce_len, char *out, size_t cap,
                                size_t *out_len)
{
    scram_result r;
    char msg[SCRAM_MAX_MESSAGE];
    char salt[SCRAM_BASE64_LEN(SCRAM_MAX_SALT) + 1];
    char iter[16];
    size_t used = 0, nonce_at;

    *out_len = 0;
    r = scram_step_check(&s->step, SCRAM_SERVER_GOT_FIRST);
    if (r)
        return r;
    if (!scram_nonce_valid(server_nonce, server_nonce_len) || verifier->salt_len == 0 ||
        verifier->salt_len > SCRAM_MAX_SALT || verifier->iterations == 0)
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    scram_base64_encode(verifier->salt, verifier->salt_len, salt, sizeof(salt));
    snprintf(iter, sizeof(iter), "%u", (unsigned)verifier->iterations);

    scram_append(msg, sizeof(msg), &used, "r=", 2);
    nonce_at = used;
    if (scram_append(msg, sizeof(msg), &used, s->first_bare + s->client_nonce_at,
                     s->client_nonce_len) ||
        scram_append(msg, sizeof(msg), &used, server_nonce, server_nonce_len) ||
        scram_append(msg, sizeof(msg), &used, ",s=", 3) ||
        scram_append(msg, sizeof(msg), &used, salt, strlen(salt)) ||
        scram_append(msg, sizeof(msg), &used, ",i=", 3) ||
        scram_append(msg, sizeof(msg), &used, iter, strlen(iter)))
        return scram_step_fail(&s->step, SCRAM_E_INVALID);
    if (used > cap)
        return SCRAM_E_BUFFER;

    memcpy(out, msg, used);
    *out_len = used;
    memcpy(s->server_first, msg, used);
    s->server_first_len = used;
    s->nonce_at = nonce_at;
    s->nonce_len = s->client_nonce_len + server_nonce_len;
    s->verifier = *verifier;
    s->user_known = user_known != 0;
    s->step.state = SCRAM_SERVER_SENT_FIRST;
    return SCRAM_OK;
}

/* The e= value for a failure (RFC 5802 section 7, server-error-value). */
static const char *error_value(scram_result r)
{
    switch (r) {
    case SCRAM_E_PROOF: return "invalid-proof";
    case SCRAM_E_EXTENSION: return "extensions-not-supported";
    case SCRAM_E_CHANNEL_BINDING: return "channel-bindings-dont-match";
    case SCRAM_E_BINDING_DOWNGRADE: return "server-does-support-channel-binding";
    case SCRAM_E_BINDING_NOT_SUPPORTED: return "channel-binding-not-supported";
    case SCRAM_E_BINDING_TYPE: return "unsupported-channel-binding-type";
    case SCRAM_E_INVALID: return "invalid-encoding";
    default: return "other-error";
    }
}

/* Fails the exchange and answers with server-final "e=<value>". */
static scram_result fail_with_error(scram_server *s, scram_result r, char *out, size_t cap,
                                    size_t *out_len)
{
    const char *v = error_value(r);
    size_t used = 0;

    if (!scram_append(out, cap, &used, "e=", 2) &&
        !scram_append(out, cap, &used, v, strlen(v)))
        *out_len = used;
    return scram_step_fail(&s->step, r);
}

/* Checks the proof in constant time and, when it holds, writes "v=<signature>". */
static scram_result verify_proof(scram_server *s, const char *without_proof, size_t wp,
                                 const uint8_t proof[SCRAM_HASH_LEN], char *out, size_t cap,
                                 size_t *out_len)
{
    char auth[SCRAM_AUTH_MESSAGE_MAX];
    uint8_t signature[SCRAM_HASH_LEN], client_key[SCRAM_HASH_LEN];
    uint8_t stored[SCRAM_HASH_LEN], server_signature[SCRAM_HASH_LEN];
    char sig_b64[SCRAM_BASE64_LEN(SCRAM_HASH_LEN) + 1];
    const scram_crypto *k = s->step.crypto;
    size_t am;
    scram_result r;
    int good;

    am = scram_auth_message(auth, s->first_bare, s->first_bare_len, s->server_first,
                            s->server_first_len, without_proof, wp);

    /* ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); the proof holds when
     * H(ClientKey) == StoredKey. A decoy verifier fails whatever the comparison says,
     * and the comparison runs either way, so timing tells nothing about the user. */
    if (k->hmac(k->context, s->verifier.stored_key, SCRAM_HASH_LEN, (const uint8_t *)auth,
                am, signature)) {
        r = scram_step_fail(&s->step, SCRAM_E_CRYPTO);
        goto done;
    }
    for (size_t i = 0; i < SCRAM_HASH_LEN; i++)
        client_key[i] = proof[i] ^ signature[i];
    if (k->hash(k->context, client_key, SCRAM_HASH_LEN, stored) ||
        k->hmac(k->context, s->verifier.server_key, SCRAM_HASH_LEN, (const uint8_t *)auth,
                am, server_signature) ||
        k->hash(k->context, (const uint8_t *)auth, am, s->auth_message_hash)) {
        r = scram_step_fail(&s->step, SCRAM_E_CRYPTO);
        goto done;
    }
    good = scram_ct_equal(stored, s->verifier.stored_key, SCRAM_HASH_LEN) & s->user_known;
    if (!good) {
        r = fail_with_error(s, SCRAM_E_PROOF, out, cap, out_len);
        goto done;
    }
    if (2 + SCRAM_BASE64_LEN(SCRAM_HASH_LEN) > cap) {
        /* Not the client's fault, and not retryable once the proof is consumed. */
        r = scram_step_fail(&s->step, SCRAM_E_BUFFER);
        goto done;
    }
    scram_base64_encode(server_signature, SCRAM_HASH_LEN, sig_b64, sizeof(sig_b64));
    memcpy(out, "v=", 2);
    memcpy(out + 2, sig_b64, SCRAM_BASE64_LEN(SCRAM_HASH_LEN));
    *out_len = 2 + SCRAM_BASE64_LEN(SCRAM_HASH_LEN);
    memcpy(s->client_key, client_key, SCRAM_HASH_LEN);
    s->step.state = SCRAM_SERVER_DONE;
    r = SCRAM_OK;
done:
    scram_wipe(signature, sizeof(signature));
    scram_wipe(client_key, sizeof(client_key));
    scram_wipe(stored, sizeof(stored));
    scram_wipe(server_signature, sizeof(server_signature));
    return r;
}

scram_result scram_server_final(scram_server *s, const char *msg, size_t len, char *out,
                                size_t cap, size_t *out_len)
{
    scram_result r;
    scram_cursor cur = { msg, len, 0 };
    uint8_t binding[SCRAM_MAX_MESSAGE], proof[SCRAM_MAX_MESSAGE];
    size_t binding_len, proof_len, without_proof_len;
    /* With "p=", the client binds the server's channel data; otherwise none. */
    size_t data_len = s->gs2_header[0] == 'p' ? s->binding.data_len : 0;
    scram_attr a;
    int more;

    *out_len = 0;
    r = scram_step_check(&s->step, SCRAM_SERVER_SENT_FIRST);
    if (r)
        return r;
    if (len == 0 || len > SCRAM_MAX_MESSAGE)
        return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);

    /* c=: base64 of the GS2 header the client sent in client-first, then the channel
     * data when it said "p=". A header refused at client-first is answered here. */
    if (scram_cursor_expect(&cur, 'c', &a) != 1 ||
        scram_base64_decode(a.value, a.value_len, binding, sizeof(binding), &binding_len))
        return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);
    if (s->header_error)
        return fail_with_error(s, s->header_error, out, cap, out_len);
    if (binding_len != s->gs2_header_len + data_len ||
        memcmp(binding, s->gs2_header, s->gs2_header_len) ||
        !scram_ct_equal(binding + s->gs2_header_len, s->binding.data, data_len))
        return fail_with_error(s, SCRAM_E_CHANNEL_BINDING, out, cap, out_len);

    /* r=: exactly the nonce of server-first. */
    if (scram_cursor_expect(&cur, 'r', &a) != 1)
        return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);
    if (a.value_len != s->nonce_len ||
        memcmp(a.value, s->server_first + s->nonce_at, s->nonce_len))
        return fail_with_error(s, SCRAM_E_NONCE, out, cap, out_len);

    /* Extensions, then p= last. */
    for (;;) {
        size_t at = cur.pos;
        more = scram_cursor_next(&cur, &a);
        if (more != 1)
            return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);
        if (a.name == 'm')
            return fail_with_error(s, SCRAM_E_EXTENSION, out, cap, out_len);
        if (a.name == 'p') {
            if (cur.pos != cur.len)
                return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);
            without_proof_len = at - 1;
            break;
        }
    }
    if (scram_base64_decode(a.value, a.value_len, proof, sizeof(proof), &proof_len) ||
        proof_len != SCRAM_HASH_LEN)
        return fail_with_error(s, SCRAM_E_INVALID, out, cap, out_len);
    return verify_proof(s, msg, without_proof_len, proof, out, cap, out_len);
}
