/* scram_session.h - message protection after a SCRAM-SHA-256 handshake: the keys both
 * sides derive, the sequence numbers, and the packed context the LSA hands from the
 * package's LSA-mode half to its user-mode half. This is sspkg's own extension (SCRAM
 * itself protects no messages); docs/protocol.md describes it and its threat model.
 *
 * Keys (HKDF, RFC 5869, with HMAC-SHA-256):
 *   PRK = HKDF-Extract(salt = SHA-256(AuthMessage), IKM = ClientKey)
 *   each key = HKDF-Expand(PRK, "sspkg v1 " <direction> " " <use>, 32)
 * with direction "client-to-server" or "server-to-client" and use "seal" (AES-256-GCM)
 * or "sign" (HMAC-SHA-256). Only the two sides of the handshake know ClientKey and the
 * AuthMessage; so does anyone holding the user's verifier and a recording of the
 * handshake (StoredKey lets them recover ClientKey from the proof).
 *
 * Sequence numbers start at 0 in each direction and go up by one per message. A
 * receiver accepts exactly the next one: lower is a replay, higher a message lost or
 * reordered; both are refused without moving the counter. Portable C17. */
#ifndef SSPKG_SCRAM_SESSION_H
#define SSPKG_SCRAM_SESSION_H

#include "scram.h"

#define SCRAM_SESSION_CLIENT 0u
#define SCRAM_SESSION_SERVER 1u

typedef struct scram_session {
    uint32_t side;                        /* SCRAM_SESSION_CLIENT or _SERVER */
    uint32_t flags;                       /* the context attributes granted */
    uint8_t seal_send[SCRAM_HASH_LEN];
    uint8_t seal_recv[SCRAM_HASH_LEN];
    uint8_t sign_send[SCRAM_HASH_LEN];
    uint8_t sign_recv[SCRAM_HASH_LEN];
    uint64_t send_seq;                    /* the number the next sent message gets */
    uint64_t recv_seq;                    /* the number the next received one must have */
    uint32_t user_len;
    char user[SCRAM_MAX_NAME];            /* the authenticated user, UTF-8 */
} scram_session;

/* Derives the four keys for `side` from the handshake's ClientKey and SHA-256 of its
 * AuthMessage; counters start at 0. */
scram_result scram_session_derive(const scram_crypto *crypto, uint32_t side,
                                  const uint8_t client_key[SCRAM_HASH_LEN],
                                  const uint8_t auth_message_hash[SCRAM_HASH_LEN],
                                  const char *user, size_t user_len, uint32_t flags,
                                  scram_session *out);

/* The packed context: "SSUC", version 1, fixed size, then the session's fields in
 * little-endian order. unpack checks magic, version, size, side, and user length, and
 * returns -1 (with *out cleared) for anything else. */
#define SCRAM_SESSION_PACKED_SIZE (4 + 4 + 4 + 4 + 4 + 4 * SCRAM_HASH_LEN + 8 + 8 + 4 + SCRAM_MAX_NAME)
void scram_session_pack(const scram_session *s, uint8_t out[SCRAM_SESSION_PACKED_SIZE]);
int scram_session_unpack(const uint8_t *in, size_t len, scram_session *out);

/* The sequence number's 8 bytes as they travel (big-endian). */
void scram_session_put_seq(uint64_t seq, uint8_t out[8]);
uint64_t scram_session_get_seq(const uint8_t in[8]);

/* 0 when seq is the one expected next (and moves the counter on); -1 otherwise,
 * leaving the counter where it was. */
int scram_session_accept_seq(scram_session *s, uint64_t seq);

#endif
