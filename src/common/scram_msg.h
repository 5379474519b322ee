/* scram_msg.h - the pieces of RFC 5802 section 7's grammar that all four messages
 * share: attribute-value pairs, printable nonces, and saslname escaping. Internal to
 * the protocol core (scram_client.c, scram_server.c). Nothing here allocates. */
#ifndef SSPKG_SCRAM_MSG_H
#define SSPKG_SCRAM_MSG_H

#include "scram.h"

#include <stddef.h>

/* A cursor over "a=value,b=value,...". pos is where the next attribute starts. */
typedef struct scram_cursor {
    const char *text;
    size_t len;
    size_t pos;
} scram_cursor;

/* One attr-val: a single ALPHA name, '=', one or more value-chars (well-formed UTF-8,
 * no NUL, no ','). */
typedef struct scram_attr {
    char name;
    const char *value;
    size_t value_len;
} scram_attr;

/* 1: *attr holds the next attribute; 0: the text is used up; -1: malformed (an empty
 * attribute, a name that is not one letter, no '=', an empty value, a bad character,
 * or a trailing ','). */
int scram_cursor_next(scram_cursor *c, scram_attr *attr);

/* Reads the next attribute and requires its name to be `name`: 0 or -1 as above, and
 * -1 too when the name differs. */
int scram_cursor_expect(scram_cursor *c, char name, scram_attr *attr);

/* 1 when every byte of the nonce is printable (%x21-2B / %x2D-7E) and len > 0. */
int scram_nonce_valid(const char *nonce, size_t len);

/* 1 when s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF) and contains no NUL. */
int scram_utf8_valid(const char *s, size_t len);

/* saslname escaping: ',' becomes "=2C" and '=' becomes "=3D". Return the length
 * written, or (size_t)-1 when cap is too small (escape) or the text is not a valid
 * saslname (unescape: '=' not followed by "2C"/"3D", a raw ',', bad UTF-8, empty).
 * Neither writes a terminator. */
size_t scram_name_escape(const char *name, size_t len, char *out, size_t cap);
size_t scram_name_unescape(const char *text, size_t len, char *out, size_t cap);

/* Optional extensions at the end of a message: unknown ones are ignored (RFC 5802
 * section 7), but the reserved m= must fail the exchange (section 5.1). */
scram_result scram_skip_extensions(scram_cursor *c);

/* The step bookkeeping both sides share. fail records the first failure and moves to
 * SCRAM_STEP_FAILED; check returns SCRAM_OK when the step is in `want`, the sticky
 * error when it has failed, and SCRAM_E_STATE (changing nothing) otherwise; reset
 * wipes the whole context (size bytes) and leaves it initial, computing with crypto. */
scram_result scram_step_fail(scram_step *s, scram_result r);
scram_result scram_step_check(const scram_step *s, int want);
void scram_step_reset(void *context, size_t size, scram_step *s, const scram_crypto *crypto);
/* Once the step is done_state or failed: wipes the whole context (size bytes) but for
 * the step and the keep_len bytes at keep (inside it), in place; returns 1. Otherwise
 * changes nothing and returns 0. */
int scram_step_forget(void *context, size_t size, scram_step *s, int done_state,
                      const void *keep, size_t keep_len);

/* Both sides' scram_*_bind: in `initial` only (else the step's answer, changing
 * nothing), a binding scram_binding_set accepts (else SCRAM_E_INVALID, changing
 * nothing) is copied to *to. */
scram_result scram_step_bind(const scram_step *s, int initial, scram_binding *to,
                             const scram_binding *from);

/* AuthMessage = client-first-message-bare "," server-first-message ","
 * client-final-message-without-proof (RFC 5802 section 3), into out, which holds
 * SCRAM_AUTH_MESSAGE_MAX bytes. Returns its length. */
#define SCRAM_AUTH_MESSAGE_MAX (3 * SCRAM_MAX_MESSAGE + 2)
size_t scram_auth_message(char *out, const char *first_bare, size_t first_bare_len,
                          const char *server_first, size_t server_first_len,
                          const char *without_proof, size_t without_proof_len);

/* Appends n bytes at out[*used], failing (return -1) rather than overflow cap. */
int scram_append(char *out, size_t cap, size_t *used, const char *s, size_t n);

#endif
