/* fuzz_scram_client.c - the SCRAM client state machine (scram_client.c) fed whole
 * server messages.
 *
 * Input: one control byte, then NUL-separated parts: server-first, server-final, the
 * user name and the client nonce (the last two default to RFC 7677's). Control bit 0:
 * answer with the right ServerSignature, "v=<signature>" followed by the server-final
 * part as a tail (",x=ext", ",m=..."), so what follows a valid signature is reached
 * too. Bit 1: the client binds to a channel (tls-exporter, bytes 0..31), so client-first
 * says "p=tls-exporter" and c= carries the data. Crypto is fuzz_crypto, so a hostile
 * iteration count costs nothing. */
#include "fuzz.h"
#include "../../src/common/scram_base64.h"
#include "../../src/common/scram_msg.h"

#include <string.h>

#define SIGNATURE_B64 SCRAM_BASE64_LEN(SCRAM_HASH_LEN)

/* Every step the current state does not allow must answer SCRAM_E_STATE (or the
 * sticky first error), write nothing, and leave the context exactly as it was
 * (scram.h). */
static void wrong_steps_change_nothing(scram_client *c)
{
    static scram_client before;
    static const scram_client_keys keys;
    char out[SCRAM_MAX_MESSAGE];
    size_t out_len;
    scram_result want = fuzz_wrong_step_result(&c->step);
    int state = c->step.state;

    memcpy(&before, c, sizeof(before));
    if (state != SCRAM_CLIENT_INITIAL) {
        FUZZ_CHECK(scram_client_first(c, "u", 1, "n", 1, out, sizeof(out), &out_len) == want &&
                   out_len == 0);
        FUZZ_CHECK(scram_client_bind(c, &(scram_binding){ "tls-unique", 10, { 1 }, 1 }) == want);
    }
    if (state != SCRAM_CLIENT_SENT_FIRST)
        FUZZ_CHECK(scram_client_read_server_first(c, "r=nx,s=AA==,i=4096", 18) == want);
    if (state != SCRAM_CLIENT_GOT_FIRST)
        FUZZ_CHECK(scram_client_final(c, &keys, out, sizeof(out), &out_len) == want &&
                   out_len == 0);
    if (state != SCRAM_CLIENT_SENT_FINAL)
        FUZZ_CHECK(scram_client_read_server_final(c, "v=AAAA", 6) == want);
    FUZZ_CHECK(memcmp(&before, c, sizeof(before)) == 0);
}

static scram_binding channel;
/* c= of a bound client: base64 of "p=tls-exporter,," and the bytes 0..31. */
static const char bound_c[] =
    "cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";

/* client-final is "c=<biws, or bound_c>,r=<the combined nonce>,p=<32 bytes>" and nothing
 * else. */
static void check_client_final(const scram_client *c, const char *msg, size_t len, int bound)
{
    const char *want_c = bound ? bound_c : "biws";

    scram_cursor cur = { msg, len, 0 }, first = { c->server_first, c->server_first_len, 0 };
    scram_attr a, nonce;
    uint8_t proof[SCRAM_HASH_LEN + 3];
    size_t proof_len;

    FUZZ_CHECK(scram_cursor_next(&first, &nonce) == 1 && nonce.name == 'r');
    FUZZ_CHECK(scram_cursor_expect(&cur, 'c', &a) == 1 && a.value_len == strlen(want_c) &&
               !memcmp(a.value, want_c, a.value_len));
    FUZZ_CHECK(scram_cursor_expect(&cur, 'r', &a) == 1 && a.value_len == nonce.value_len &&
               !memcmp(a.value, nonce.value, a.value_len));
    FUZZ_CHECK(scram_cursor_expect(&cur, 'p', &a) == 1 &&
               !scram_base64_decode(a.value, a.value_len, proof, sizeof(proof), &proof_len) &&
               proof_len == SCRAM_HASH_LEN);
    FUZZ_CHECK(scram_cursor_next(&cur, &a) == 0);
}

/* What the client wrote, a server reads back to the same user name. */
static void check_client_first(const char *msg, size_t len, fuzz_part user, int bound)
{
    static scram_server s;
    const char *header = bound ? "p=tls-exporter,," : "n,,";

    scram_server_init(&s, &fuzz_crypto);
    FUZZ_CHECK(len >= strlen(header) && !memcmp(msg, header, strlen(header)));
    FUZZ_CHECK(scram_server_read_client_first(&s, msg, len) == SCRAM_OK);
    FUZZ_CHECK(s.user_len == user.len && !memcmp(s.user, user.text, user.len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scram_client c;
    static char server_final[SIGNATURE_B64 + 3 + SCRAM_MAX_MESSAGE];
    char out[SCRAM_MAX_MESSAGE];
    size_t out_len, count, final_len;
    fuzz_part parts[4], first, final, user, nonce;
    scram_client_keys keys;
    scram_result r;
    int right_signature, short_buffer, bound;

    if (size == 0)
        return 0;
    if (!channel.data_len) {
        uint8_t bytes[32];
        for (int i = 0; i < 32; i++)
            bytes[i] = (uint8_t)i;
        FUZZ_CHECK(scram_binding_set(&channel, "tls-exporter", 12, bytes, 32) == 0);
    }
    right_signature = data[0] & 1;
    bound = (data[0] & 2) != 0;
    count = fuzz_split(data + 1, size - 1, parts, 4);
    first = parts[0];
    final = fuzz_part_or(parts, count, 1, "");
    user = fuzz_part_or(parts, count, 2, FUZZ_KAT_USER);
    nonce = fuzz_part_or(parts, count, 3, FUZZ_KAT_CLIENT_NONCE);

    scram_client_init(&c, &fuzz_crypto);
    wrong_steps_change_nothing(&c);
    if (bound)
        FUZZ_CHECK(scram_client_bind(&c, &channel) == SCRAM_OK);
    /* Too small a buffer is the caller's problem: the context stays as it was. */
    r = scram_client_first(&c, user.text, user.len, nonce.text, nonce.len, out, 0, &out_len);
    FUZZ_CHECK(r == SCRAM_E_BUFFER ? c.step.state == SCRAM_CLIENT_INITIAL : r != SCRAM_OK);
    short_buffer = r == SCRAM_E_BUFFER;
    scram_client_init(&c, &fuzz_crypto);
    if (bound)
        scram_client_bind(&c, &channel);
    r = scram_client_first(&c, user.text, user.len, nonce.text, nonce.len, out, sizeof(out),
                           &out_len);
    FUZZ_CHECK((r == SCRAM_OK) == short_buffer);
    wrong_steps_change_nothing(&c);
    if (r != SCRAM_OK) {
        FUZZ_CHECK(c.step.state == SCRAM_CLIENT_FAILED && out_len == 0);
        return 0;
    }
    check_client_first(out, out_len, user, bound);

    r = scram_client_read_server_first(&c, first.text, first.len);
    wrong_steps_change_nothing(&c);
    if (r != SCRAM_OK) {
        FUZZ_CHECK(c.step.state == SCRAM_CLIENT_FAILED);
        if (r == SCRAM_E_SERVER_ERROR)
            FUZZ_CHECK(strlen(c.server_error) < sizeof(c.server_error));
        return 0;
    }
    FUZZ_CHECK(c.step.state == SCRAM_CLIENT_GOT_FIRST);
    FUZZ_CHECK(c.iterations >= SCRAM_MIN_ITERATIONS && c.iterations <= SCRAM_MAX_ITERATIONS);
    FUZZ_CHECK(c.salt_len >= 1 && c.salt_len <= SCRAM_MAX_SALT);

    fuzz_kat_keys(c.salt, c.salt_len, c.iterations, &keys);
    r = scram_client_final(&c, &keys, out, sizeof(out), &out_len);
    wrong_steps_change_nothing(&c);
    if (r != SCRAM_OK) {
        /* Only a combined nonce too long for client-final fails here. */
        FUZZ_CHECK(r == SCRAM_E_INVALID &&
                   c.server_first_len > SCRAM_MAX_MESSAGE - 64 - (bound ? 60 : 0));
        return 0;
    }
    check_client_final(&c, out, out_len, bound);

    final_len = 0;
    if (right_signature) {
        memcpy(server_final, "v=", 2);
        scram_base64_encode(c.expected_signature, SCRAM_HASH_LEN, server_final + 2,
                            sizeof(server_final) - 2);
        final_len = 2 + SIGNATURE_B64;
    }
    if (final.len > sizeof(server_final) - final_len)
        final.len = sizeof(server_final) - final_len;
    memcpy(server_final + final_len, final.text, final.len);
    final_len += final.len;

    r = scram_client_read_server_final(&c, server_final, final_len);
    wrong_steps_change_nothing(&c);
    if (r == SCRAM_OK) {
        char want[SIGNATURE_B64 + 1];
        scram_base64_encode(c.expected_signature, SCRAM_HASH_LEN, want, sizeof(want));
        FUZZ_CHECK(c.step.state == SCRAM_CLIENT_DONE);
        FUZZ_CHECK(final_len >= 2 + SIGNATURE_B64 && !memcmp(server_final, "v=", 2) &&
                   !memcmp(server_final + 2, want, SIGNATURE_B64));
    } else {
        FUZZ_CHECK(c.step.state == SCRAM_CLIENT_FAILED);
    }
    return 0;
}
