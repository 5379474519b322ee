/* fuzz_scram_server.c - the SCRAM server state machine (scram_server.c) fed whole
 * client messages.
 *
 * Input: one control byte, then NUL-separated parts: client-first, client-final and
 * the server nonce (default RFC 7677's). The verifier is user/pencil with RFC 7677's
 * salt and 4096 iterations, under fuzz_crypto. Control bit 0: append ",p=<the right
 * proof>" to the client-final part, so the fuzzer reaches the paths after a proof that
 * verifies; bit 1: the user is unknown (a decoy verifier), which must always fail; bit 2:
 * the server runs over a channel (tls-exporter, bytes 0..31), so "y" must fail and "p="
 * must carry that data. */
#include "fuzz.h"
#include "../../src/common/scram_base64.h"
#include "../../src/common/scram_msg.h"

#include <string.h>

#define PROOF_B64 SCRAM_BASE64_LEN(SCRAM_HASH_LEN)

static scram_binding channel;

/* Every step the current state does not allow must answer SCRAM_E_STATE (or the
 * sticky first error), write nothing, and leave the context exactly as it was. */
static void wrong_steps_change_nothing(scram_server *s)
{
    static scram_server before;
    static const scram_verifier v = { .iterations = 4096, .salt_len = 1 };
    char out[SCRAM_MAX_MESSAGE];
    size_t out_len;
    scram_result want = fuzz_wrong_step_result(&s->step);
    int state = s->step.state;

    memcpy(&before, s, sizeof(before));
    if (state != SCRAM_SERVER_INITIAL) {
        FUZZ_CHECK(scram_server_read_client_first(s, "n,,n=u,r=x", 10) == want);
        FUZZ_CHECK(scram_server_bind(s, &channel) == want);
    }
    if (state != SCRAM_SERVER_GOT_FIRST)
        FUZZ_CHECK(scram_server_first(s, &v, 1, "x", 1, out, sizeof(out), &out_len) == want &&
                   out_len == 0);
    if (state != SCRAM_SERVER_SENT_FIRST)
        FUZZ_CHECK(scram_server_final(s, "c=biws", 6, out, sizeof(out), &out_len) == want &&
                   out_len == 0);
    FUZZ_CHECK(memcmp(&before, s, sizeof(before)) == 0);
}

/* The name the server took from client-first: valid UTF-8, terminated, and escaping it
 * again gives a saslname that reads back the same. */
static void check_user(const scram_server *s)
{
    char escaped[3 * SCRAM_MAX_NAME], back[SCRAM_MAX_NAME];
    size_t n;

    FUZZ_CHECK(s->user_len >= 1 && s->user_len <= SCRAM_MAX_NAME);
    FUZZ_CHECK(s->user[s->user_len] == '\0' && scram_utf8_valid(s->user, s->user_len));
    n = scram_name_escape(s->user, s->user_len, escaped, sizeof(escaped));
    FUZZ_CHECK(n != (size_t)-1);
    FUZZ_CHECK(scram_name_unescape(escaped, n, back, sizeof(back)) == s->user_len &&
               !memcmp(back, s->user, s->user_len));
}

/* ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage), base64, as a client that
 * knows the password computes it for the AuthMessage ending in without_proof. */
static void right_proof(const scram_server *s, const scram_client_keys *keys,
                        const char *without_proof, size_t wp, char out[PROOF_B64 + 1])
{
    static char auth[SCRAM_AUTH_MESSAGE_MAX];
    uint8_t stored[SCRAM_HASH_LEN], proof[SCRAM_HASH_LEN];
    size_t am = scram_auth_message(auth, s->first_bare, s->first_bare_len, s->server_first,
                                   s->server_first_len, without_proof, wp);

    fuzz_crypto.hash(NULL, keys->client_key, SCRAM_HASH_LEN, stored);
    fuzz_crypto.hmac(NULL, stored, SCRAM_HASH_LEN, (const uint8_t *)auth, am, proof);
    for (size_t i = 0; i < SCRAM_HASH_LEN; i++)
        proof[i] ^= keys->client_key[i];
    scram_base64_encode(proof, SCRAM_HASH_LEN, out, PROOF_B64 + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scram_server s;
    static scram_verifier verifier;
    static scram_client_keys keys;
    static const char salt_and_count[] = ",s=" FUZZ_KAT_SALT_B64 ",i=4096";
    /* The client-final part (cut one past the limit), ",p=", the proof, the NUL the
     * encoder writes after it. */
    static char client_final[SCRAM_MAX_MESSAGE + 1 + 3 + PROOF_B64 + 1];
    char out[SCRAM_MAX_MESSAGE];
    size_t out_len, count, final_len, at;
    fuzz_part parts[3], first, final, server_nonce;
    uint8_t salt[SCRAM_MAX_SALT];
    size_t salt_len;
    scram_result r;
    int with_proof, known, bound;

    if (size == 0)
        return 0;
    if (verifier.iterations == 0) {
        FUZZ_CHECK(!scram_base64_decode(FUZZ_KAT_SALT_B64, strlen(FUZZ_KAT_SALT_B64), salt,
                                        sizeof(salt), &salt_len));
        FUZZ_CHECK(scram_verifier_make(&fuzz_crypto, (const uint8_t *)FUZZ_KAT_PASSWORD,
                                       strlen(FUZZ_KAT_PASSWORD), salt, salt_len,
                                       FUZZ_KAT_ITERATIONS, &verifier) == SCRAM_OK);
        fuzz_kat_keys(salt, salt_len, FUZZ_KAT_ITERATIONS, &keys);
    }
    if (!channel.data_len) {
        uint8_t bytes[32];
        for (int i = 0; i < 32; i++)
            bytes[i] = (uint8_t)i;
        FUZZ_CHECK(scram_binding_set(&channel, "tls-exporter", 12, bytes, 32) == 0);
    }
    with_proof = data[0] & 1;
    known = !(data[0] & 2);
    bound = (data[0] & 4) != 0;
    count = fuzz_split(data + 1, size - 1, parts, 3);
    first = parts[0];
    final = fuzz_part_or(parts, count, 1, "");
    server_nonce = fuzz_part_or(parts, count, 2, FUZZ_KAT_SERVER_NONCE);

    scram_server_init(&s, &fuzz_crypto);
    wrong_steps_change_nothing(&s);
    if (bound)
        FUZZ_CHECK(scram_server_bind(&s, &channel) == SCRAM_OK);
    r = scram_server_read_client_first(&s, first.text, first.len);
    wrong_steps_change_nothing(&s);
    if (r != SCRAM_OK) {
        FUZZ_CHECK(s.step.state == SCRAM_SERVER_FAILED);
        return 0;
    }
    check_user(&s);
    FUZZ_CHECK(s.gs2_header_len + s.first_bare_len == first.len &&
               (first.text[0] == 'n' || first.text[0] == 'y' || first.text[0] == 'p'));
    /* What the flag asks that this server must refuse (RFC 5802 section 6). */
    FUZZ_CHECK(s.header_error == (first.text[0] == 'y' && bound   ? SCRAM_E_BINDING_DOWNGRADE
                                  : first.text[0] == 'p' && !bound ? SCRAM_E_BINDING_NOT_SUPPORTED
                                  : first.text[0] == 'p' &&
                                          (s.gs2_header_len < 16 ||
                                           memcmp(first.text, "p=tls-exporter,", 15))
                                      ? SCRAM_E_BINDING_TYPE
                                      : SCRAM_OK));

    r = scram_server_first(&s, &verifier, known, server_nonce.text, server_nonce.len, out,
                           sizeof(out), &out_len);
    wrong_steps_change_nothing(&s);
    if (r != SCRAM_OK) {
        FUZZ_CHECK(r == SCRAM_E_INVALID && s.step.state == SCRAM_SERVER_FAILED && out_len == 0);
        return 0;
    }
    /* r=<client nonce><server nonce>,s=<salt>,i=<count>, the nonces as they came. */
    at = 2 + s.client_nonce_len + server_nonce.len;
    FUZZ_CHECK(out_len == at + sizeof(salt_and_count) - 1 && !memcmp(out, "r=", 2) &&
               !memcmp(out + 2, s.first_bare + s.client_nonce_at, s.client_nonce_len) &&
               !memcmp(out + 2 + s.client_nonce_len, server_nonce.text, server_nonce.len) &&
               !memcmp(out + at, salt_and_count, sizeof(salt_and_count) - 1));

    final_len = final.len <= SCRAM_MAX_MESSAGE ? final.len : SCRAM_MAX_MESSAGE + 1;
    memcpy(client_final, final.text, final_len);
    if (with_proof) {
        memcpy(client_final + final_len, ",p=", 3);
        right_proof(&s, &keys, client_final, final_len, client_final + final_len + 3);
        final_len += 3 + PROOF_B64;
    }
    r = scram_server_final(&s, client_final, final_len, out, sizeof(out), &out_len);
    wrong_steps_change_nothing(&s);
    if (r == SCRAM_OK) {
        uint8_t signature[SCRAM_HASH_LEN + 3];
        size_t n;
        FUZZ_CHECK(known && s.step.state == SCRAM_SERVER_DONE && s.header_error == SCRAM_OK);
        FUZZ_CHECK(out_len == 2 + PROOF_B64 && !memcmp(out, "v=", 2) &&
                   !scram_base64_decode(out + 2, PROOF_B64, signature, sizeof(signature), &n) &&
                   n == SCRAM_HASH_LEN);
        /* The server recovered the ClientKey a client with the password has. */
        FUZZ_CHECK(!memcmp(s.client_key, keys.client_key, SCRAM_HASH_LEN));
    } else {
        FUZZ_CHECK(s.step.state == SCRAM_SERVER_FAILED);
        FUZZ_CHECK(out_len == 0 || (out_len > 2 && !memcmp(out, "e=", 2)));
    }
    return 0;
}
