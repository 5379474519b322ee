/* scram.h - the SCRAM-SHA-256 protocol core (RFC 5802, RFC 7677): keys, the four
 * messages, and the client and server state machines.
 *
 * The core calls no Windows API and allocates nothing. Crypto is injected
 * (scram_crypto), nonces and verifiers are inputs, and every output goes to a buffer
 * the caller supplies, so the same code runs in the package (BCrypt, the system RNG)
 * and natively under test (fixed nonces, known answers, sanitizers, fuzzers).
 *
 * Names and passwords arrive already prepared (SASLprep, scram_saslprep.h) as UTF-8;
 * the core does the `=2C`/`=3D` escaping of names on the wire.
 *
 * Errors are sticky: once a step fails the context is in SCRAM_FAILED and every later
 * step returns the first error again. A step called in the wrong state returns
 * SCRAM_E_STATE and leaves the context exactly as it was.
 */
#ifndef SSPKG_SCRAM_H
#define SSPKG_SCRAM_H

#include "scram_binding.h"

#include <stddef.h>
#include <stdint.h>

#define SCRAM_HASH_LEN 32          /* SHA-256 */
#define SCRAM_MAX_MESSAGE 4096     /* largest message built or accepted */
#define SCRAM_MAX_NAME 512         /* largest prepared user name, bytes of UTF-8 */
#define SCRAM_MAX_SALT 128         /* largest salt accepted, decoded bytes */
#define SCRAM_MIN_ITERATIONS 4096  /* RFC 7677 section 4: the floor a client accepts */
/* The ceiling a client accepts, built in; a caller may lower it per context
 * (scram_client_limit_iterations), never raise it. The count is work the server
 * chooses and the client does: PBKDF2 costs about 4.4 ms per 4096 iterations under
 * Wine (docs/benchmarks.md), so 100000 is about 0.11 s, six times the highest default
 * of common servers (PostgreSQL 4096, MongoDB 15000), where ten million (what one
 * hostile server-first may ask) is over ten seconds of a thread. */
#define SCRAM_CLIENT_MAX_ITERATIONS 100000u
/* The largest count the package puts in a verifier it makes or imports: the server
 * side pays it once, when the user is set, and other implementations' clients may
 * accept more than sspkg's do. */
#define SCRAM_MAX_ITERATIONS 10000000u

/* Results. Every non-zero value is a failure; the package maps each to one
 * SECURITY_STATUS (docs/protocol.md has the table). */
typedef enum scram_result {
    SCRAM_OK = 0,
    SCRAM_E_STATE,            /* step called in the wrong state; context unchanged */
    SCRAM_E_BUFFER,           /* output buffer too small */
    SCRAM_E_INVALID,          /* malformed message: grammar, base64, attribute order */
    SCRAM_E_NONCE,            /* server nonce does not extend the client's */
    SCRAM_E_ITERATIONS,       /* iteration count below the floor (SCRAM_MIN_ITERATIONS) */
    SCRAM_E_EXTENSION,        /* mandatory extension (m=) that we do not support */
    SCRAM_E_CHANNEL_BINDING,  /* c= does not carry the header and binding it must */
    SCRAM_E_PROOF,            /* the client's proof does not verify (server side) */
    SCRAM_E_SERVER_SIGNATURE, /* the server's signature does not verify (client side) */
    SCRAM_E_SERVER_ERROR,     /* the server sent e=...; see scram_client.server_error */
    SCRAM_E_CRYPTO,           /* an injected crypto function failed */
    SCRAM_E_ITERATIONS_CEILING, /* iteration count above the client's ceiling */
    /* The gs2 header's channel-binding flag, refused (RFC 5802 sections 6 and 7): */
    SCRAM_E_BINDING_DOWNGRADE,  /* "y" to a server that has a binding */
    SCRAM_E_BINDING_NOT_SUPPORTED, /* "p=" to a server that has none */
    SCRAM_E_BINDING_TYPE        /* "p=" naming another type than the server's */
} scram_result;

/* Human-readable name of a result, for messages and traces. */
const char *scram_result_text(scram_result r);

/* ---- Crypto, injected ----------------------------------------------------------- */

/* Each function returns 0 on success, non-zero on failure; outputs are 32 bytes. */
typedef struct scram_crypto {
    void *context;
    int (*hash)(void *context, const uint8_t *data, size_t len, uint8_t *out);
    int (*hmac)(void *context, const uint8_t *key, size_t key_len, const uint8_t *data,
                size_t len, uint8_t *out);
    int (*pbkdf2)(void *context, const uint8_t *password, size_t password_len,
                  const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out);
} scram_crypto;

/* ---- Keys (RFC 5802 section 3) --------------------------------------------------- */

/* What a client needs once it knows the salt and iteration count: ClientKey and
 * ServerKey. A client may cache them per (salt, iterations) to skip PBKDF2 on a repeat
 * handshake, as RFC 5802 section 5.1 allows. */
typedef struct scram_client_keys {
    uint8_t client_key[SCRAM_HASH_LEN];
    uint8_t server_key[SCRAM_HASH_LEN];
} scram_client_keys;

/* What a server stores for a user: never the password. */
typedef struct scram_verifier {
    uint32_t iterations;
    uint32_t salt_len;
    uint8_t salt[SCRAM_MAX_SALT];
    uint8_t stored_key[SCRAM_HASH_LEN];
    uint8_t server_key[SCRAM_HASH_LEN];
} scram_verifier;

/* SaltedPassword = Hi(password, salt, i); ClientKey = HMAC(SaltedPassword, "Client
 * Key"); ServerKey = HMAC(SaltedPassword, "Server Key"). SaltedPassword is wiped. */
scram_result scram_keys_derive(const scram_crypto *crypto, const uint8_t *password,
                               size_t password_len, const uint8_t *salt, size_t salt_len,
                               uint32_t iterations, scram_client_keys *out);

/* A verifier for password with the given salt (1..SCRAM_MAX_SALT bytes) and count. */
scram_result scram_verifier_make(const scram_crypto *crypto, const uint8_t *password,
                                 size_t password_len, const uint8_t *salt, size_t salt_len,
                                 uint32_t iterations, scram_verifier *out);

/* PostgreSQL's text form: SCRAM-SHA-256$<iter>:<base64 salt>$<base64 StoredKey>:
 * <base64 ServerKey>. format returns the length written (NUL-terminated) or 0 when cap
 * is too small; parse returns 0, or -1 for anything not in exactly that form. */
#define SCRAM_VERIFIER_TEXT_MAX 320
size_t scram_verifier_format(const scram_verifier *v, char *out, size_t cap);
int scram_verifier_parse(const char *text, size_t len, scram_verifier *out);

/* Where an exchange is, kept the same way by both sides: state is a scram_client_state
 * or a scram_server_state; error is the sticky first failure; crypto is what the
 * context computes with. */
/* Both sides' failed state has this value, so the bookkeeping can be shared. */
#define SCRAM_STEP_FAILED (-1)

typedef struct scram_step {
    int state;
    scram_result error;
    const scram_crypto *crypto;
} scram_step;

/* ---- Client ------------------------------------------------------------------------
 *
 * States:
 *   SCRAM_CLIENT_INITIAL     nothing sent.
 *   SCRAM_CLIENT_SENT_FIRST  client-first sent; first_bare holds its bare part, nonce
 *                            the client nonce.
 *   SCRAM_CLIENT_GOT_FIRST   server-first accepted; salt and iterations are known and
 *                            the caller must supply keys; server_first holds it.
 *   SCRAM_CLIENT_SENT_FINAL  client-final sent; expected_signature is ServerSignature.
 *   SCRAM_CLIENT_DONE        the server proved it knows the verifier.
 *   SCRAM_CLIENT_FAILED      error holds the first failure.
 */
typedef enum scram_client_state {
    SCRAM_CLIENT_INITIAL = 0,
    SCRAM_CLIENT_SENT_FIRST,
    SCRAM_CLIENT_GOT_FIRST,
    SCRAM_CLIENT_SENT_FINAL,
    SCRAM_CLIENT_DONE,
    SCRAM_CLIENT_FAILED = SCRAM_STEP_FAILED
} scram_client_state;

/* The gs2 header: "n,," or "p=<type>,," (the longest). */
#define SCRAM_MAX_GS2_HEADER (2 + SCRAM_MAX_BINDING_TYPE + 2)

typedef struct scram_client {
    scram_step step;
    scram_binding binding;            /* data_len 0: none, the header is "n,," */
    char gs2_header[SCRAM_MAX_GS2_HEADER];
    size_t gs2_header_len;
    char first_bare[SCRAM_MAX_MESSAGE];
    size_t first_bare_len;
    size_t nonce_len;                 /* the client nonce is at first_bare + nonce_at */
    size_t nonce_at;
    char server_first[SCRAM_MAX_MESSAGE];
    size_t server_first_len;
    uint8_t salt[SCRAM_MAX_SALT];
    size_t salt_len;
    uint32_t iterations;
    uint32_t max_iterations;          /* the ceiling: SCRAM_MIN_ITERATIONS..
                                         SCRAM_CLIENT_MAX_ITERATIONS */
    uint8_t expected_signature[SCRAM_HASH_LEN];
    uint8_t client_key[SCRAM_HASH_LEN];   /* kept for message protection after DONE */
    uint8_t auth_message_hash[SCRAM_HASH_LEN];
    char server_error[64];            /* e= value when error is SCRAM_E_SERVER_ERROR */
} scram_client;

/* The ceiling starts at SCRAM_CLIENT_MAX_ITERATIONS. */
void scram_client_init(scram_client *c, const scram_crypto *crypto);

/* Lowers the ceiling: the largest iteration count scram_client_read_server_first
 * accepts. A value above SCRAM_CLIENT_MAX_ITERATIONS leaves the built-in ceiling, one
 * below SCRAM_MIN_ITERATIONS gives the floor: no setting makes the client do more work
 * than built in, or refuse every server. Returns the ceiling now in force. */
uint32_t scram_client_limit_iterations(scram_client *c, uint32_t max_iterations);

/* Binds the exchange to a channel (SCRAM-SHA-256-PLUS): client-first then says
 * "p=<type>" and client-final's c= carries the binding's data. Only before
 * scram_client_first (SCRAM_E_STATE, or the sticky error, otherwise, changing nothing);
 * SCRAM_E_INVALID, changing nothing, for a binding scram_binding_set would refuse. */
scram_result scram_client_bind(scram_client *c, const scram_binding *binding);

/* Builds client-first "n,,n=<escaped user>,r=<nonce>" ("p=<type>,," when bound). user is the prepared UTF-8
 * name (1..SCRAM_MAX_NAME bytes, no NUL); nonce is printable ASCII other than ','
 * (RFC 5802 section 7), which the caller draws from a strong RNG. */
scram_result scram_client_first(scram_client *c, const char *user, size_t user_len,
                                const char *nonce, size_t nonce_len, char *out,
                                size_t cap, size_t *out_len);

/* Reads server-first. On success c->salt, c->salt_len and c->iterations tell the
 * caller which keys to supply to scram_client_final. A count below the floor is
 * SCRAM_E_ITERATIONS, one above the ceiling SCRAM_E_ITERATIONS_CEILING (found while
 * the digits are read, so no length of digits costs more). */
scram_result scram_client_read_server_first(scram_client *c, const char *msg, size_t len);

/* Builds client-final "c=<base64 of the gs2 header and any binding data>,r=<nonce>,
 * p=<proof>" from keys for c's salt and count. */
scram_result scram_client_final(scram_client *c, const scram_client_keys *keys, char *out,
                                size_t cap, size_t *out_len);

/* Reads server-final: v= must match ServerSignature (in constant time); e= becomes
 * SCRAM_E_SERVER_ERROR with the value in c->server_error. */
scram_result scram_client_read_server_final(scram_client *c, const char *msg, size_t len);

/* Wipes every secret and resets c to SCRAM_CLIENT_INITIAL, ceiling included. */
void scram_client_wipe(scram_client *c);

/* Once the exchange has ended (DONE or FAILED) and the caller has taken what it needs
 * (the session keys, from client_key and auth_message_hash): wipes all but the state,
 * the error and server_error, so later calls still answer as before. Does nothing in
 * any other state. */
void scram_client_forget(scram_client *c);

/* ---- Server ------------------------------------------------------------------------
 *
 * States:
 *   SCRAM_SERVER_INITIAL     nothing received.
 *   SCRAM_SERVER_GOT_FIRST   client-first accepted; user holds the unescaped name and
 *                            the caller must look up its verifier.
 *   SCRAM_SERVER_SENT_FIRST  server-first sent; verifier and nonce are fixed.
 *   SCRAM_SERVER_DONE        the client's proof verified; server-final sent.
 *   SCRAM_SERVER_FAILED      error holds the first failure. When the failure came from
 *                            client-final, the step still wrote server-final "e=...".
 */
typedef enum scram_server_state {
    SCRAM_SERVER_INITIAL = 0,
    SCRAM_SERVER_GOT_FIRST,
    SCRAM_SERVER_SENT_FIRST,
    SCRAM_SERVER_DONE,
    SCRAM_SERVER_FAILED = SCRAM_STEP_FAILED
} scram_server_state;

typedef struct scram_server {
    scram_step step;
    scram_binding binding;            /* the server's channel; data_len 0: none */
    scram_result header_error;        /* the gs2 header's flag, refused in server-final */
    char user[SCRAM_MAX_NAME + 1];    /* unescaped, NUL-terminated */
    size_t user_len;
    char gs2_header[SCRAM_MAX_MESSAGE];
    size_t gs2_header_len;
    char first_bare[SCRAM_MAX_MESSAGE];
    size_t first_bare_len;
    size_t client_nonce_len;          /* the client nonce is at first_bare + ..._at */
    size_t client_nonce_at;
    char server_first[SCRAM_MAX_MESSAGE];
    size_t server_first_len;
    size_t nonce_at, nonce_len;       /* the combined nonce inside server_first */
    scram_verifier verifier;
    int user_known;                   /* 0: verifier is a decoy; the proof must fail */
    uint8_t client_key[SCRAM_HASH_LEN];
    uint8_t auth_message_hash[SCRAM_HASH_LEN];
} scram_server;

void scram_server_init(scram_server *s, const scram_crypto *crypto);

/* The channel the server's end of the exchange runs over; only before
 * scram_server_read_client_first (as scram_client_bind otherwise). With
 * one, a client that says "y" is refused (a downgrade) and one that says "p=<type>"
 * must name its type and carry its data in c=; without one, "p=" is refused. */
scram_result scram_server_bind(scram_server *s, const scram_binding *binding);

/* Reads client-first; on success s->user is the name to look up. A channel-binding
 * flag the server must refuse is not a failure yet: it is kept in header_error and
 * answered in server-final with its e= value, so the client learns why (server-first
 * has no way to say it). */
scram_result scram_server_read_client_first(scram_server *s, const char *msg, size_t len);

/* Builds server-first "r=<client nonce><server nonce>,s=<salt>,i=<count>". verifier is
 * the user's; for a user that does not exist pass a decoy (same shape, salt derived
 * from a server secret and the name) with user_known 0, so the exchange looks the same
 * and fails only at the proof. server_nonce: printable, no ',', at least one char. */
scram_result scram_server_first(scram_server *s, const scram_verifier *verifier,
                                int user_known, const char *server_nonce,
                                size_t server_nonce_len, char *out, size_t cap,
                                size_t *out_len);

/* Reads client-final and always writes server-final when the message parsed far enough
 * to answer: "v=<signature>" when the proof verifies (SCRAM_OK), else "e=<error>" with
 * the failure returned: header_error first, then a c= that is not the gs2 header and
 * the server's binding data (SCRAM_E_CHANNEL_BINDING, e=channel-bindings-dont-match),
 * then the nonce and the proof. *out_len is 0 when there is nothing to send. */
scram_result scram_server_final(scram_server *s, const char *msg, size_t len, char *out,
                                size_t cap, size_t *out_len);

void scram_server_wipe(scram_server *s);

/* The server's scram_client_forget: once DONE or FAILED, wipes all but the state, the
 * error and the user's name (which the package still reports). */
void scram_server_forget(scram_server *s);

#endif
