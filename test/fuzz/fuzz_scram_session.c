/* fuzz_scram_session.c - the packed user-mode context and the session keys
 * (scram_session.c): what the LSA hands from the package's LSA-mode half to its
 * user-mode half, read as untrusted bytes.
 *
 * What unpacks packs back to the same bytes (up to the unused end of the name) and
 * unpacks to the same session. Sessions derived from the input for both sides mirror
 * each other, and sequence numbers move only on the one expected next. */
#include "fuzz.h"
#include "../../src/common/scram_session.h"

#include <string.h>

/* Where the user name starts in the packed form (scram_session.h). */
#define PACKED_USER_AT (SCRAM_SESSION_PACKED_SIZE - SCRAM_MAX_NAME)

static void unpack_round_trip(const uint8_t *data, size_t size)
{
    static scram_session s, again;
    static uint8_t packed[SCRAM_SESSION_PACKED_SIZE];
    static const scram_session cleared;

    if (scram_session_unpack(data, size, &s) != 0) {
        FUZZ_CHECK(memcmp(&s, &cleared, sizeof(s)) == 0);
        return;
    }
    FUZZ_CHECK(size == SCRAM_SESSION_PACKED_SIZE && s.side <= SCRAM_SESSION_SERVER &&
               s.user_len <= SCRAM_MAX_NAME);
    scram_session_pack(&s, packed);
    FUZZ_CHECK(!memcmp(packed, data, PACKED_USER_AT + s.user_len));
    FUZZ_CHECK(scram_session_unpack(packed, sizeof(packed), &again) == 0 &&
               !memcmp(&again, &s, sizeof(s)));

    /* Only the next number is taken, and it moves the counter by one. */
    {
        uint64_t next = s.recv_seq;
        FUZZ_CHECK(scram_session_accept_seq(&s, next + 1) == -1 && s.recv_seq == next);
        FUZZ_CHECK(scram_session_accept_seq(&s, next - 1) == -1 && s.recv_seq == next);
        FUZZ_CHECK(scram_session_accept_seq(&s, next) == 0 && s.recv_seq == next + 1);
    }
}

static void derive_mirrors(const uint8_t *data, size_t size)
{
    static scram_session client, server;
    uint8_t client_key[SCRAM_HASH_LEN] = { 0 }, auth_hash[SCRAM_HASH_LEN] = { 0 };
    uint8_t wire[8];
    const char *user = size > 64 ? (const char *)data + 64 : "";
    size_t user_len = size > 64 ? size - 64 : 0;
    scram_result rc, rs;

    memcpy(client_key, data, size < 32 ? size : 32);
    if (size > 32)
        memcpy(auth_hash, data + 32, size < 64 ? size - 32 : 32);
    rc = scram_session_derive(&fuzz_crypto, SCRAM_SESSION_CLIENT, client_key, auth_hash, user,
                              user_len, 0, &client);
    rs = scram_session_derive(&fuzz_crypto, SCRAM_SESSION_SERVER, client_key, auth_hash, user,
                              user_len, 0, &server);
    FUZZ_CHECK(rc == rs && (rc == SCRAM_OK) == (user_len <= SCRAM_MAX_NAME));
    if (rc != SCRAM_OK)
        return;
    FUZZ_CHECK(!memcmp(client.seal_send, server.seal_recv, SCRAM_HASH_LEN) &&
               !memcmp(client.seal_recv, server.seal_send, SCRAM_HASH_LEN) &&
               !memcmp(client.sign_send, server.sign_recv, SCRAM_HASH_LEN) &&
               !memcmp(client.sign_recv, server.sign_send, SCRAM_HASH_LEN));
    FUZZ_CHECK(client.user_len == user_len && !memcmp(client.user, user, user_len));

    /* Sequence numbers travel big-endian and come back the same. */
    memcpy(&client.send_seq, client_key, sizeof(client.send_seq));
    scram_session_put_seq(client.send_seq, wire);
    FUZZ_CHECK(scram_session_get_seq(wire) == client.send_seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unpack_round_trip(data, size);
    derive_mirrors(data, size);
    return 0;
}
