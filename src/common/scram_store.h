/* scram_store.h - the text of the verifier store: one user per line.
 *
 *   # comments and blank lines are ignored
 *   @secret <base64 of 32 bytes>        the server secret for decoy salts (optional)
 *   <name><TAB><verifier>[<TAB><account>]
 *                                        the name UTF-8 and escaped (below); the verifier
 *                                        in PostgreSQL's text form; the account, when the
 *                                        user is mapped to a Windows account, its SID as a
 *                                        string (S-1-5-21-...)
 *
 * Stores written before accounts existed have no third field and read the same: their
 * users are unmapped.
 * In a name, "=XX" (two upper-case hex digits) is the byte 0xXX. The writer escapes ','
 * and '=' (=2C and =3D, as in a saslname), control characters (TAB, LF, CR...), and a
 * '#' or '@' in first place (=23, =40), so every name it is given reads back the same;
 * the reader refuses any other '=' and a bare ','. A line with a TAB is a user line
 * whatever its first character, so files written before '@' was escaped read the same.
 * Lines end in LF (a CR before it is allowed). Portable C17; the parser allocates
 * nothing and hands each line to the caller. */
#ifndef SSPKG_SCRAM_STORE_H
#define SSPKG_SCRAM_STORE_H

#include "scram.h"

#define SCRAM_STORE_SECRET_LEN 32

/* The longest SID string: "S-1-", a 48-bit authority (15 digits) and 15 sub-authorities
 * of up to 10 digits, each after a '-'. */
#define SCRAM_STORE_ACCOUNT_MAX 184

typedef struct scram_store_entry {
    char name[SCRAM_MAX_NAME + 1];     /* unescaped, NUL-terminated */
    size_t name_len;
    scram_verifier verifier;
    char account[SCRAM_STORE_ACCOUNT_MAX + 1]; /* a SID string, NUL-terminated; "" unmapped */
    size_t account_len;
} scram_store_entry;

/* Whether text is a SID string as the store keeps it: "S-1-", the identifier authority
 * (decimal below 2^32, or 0x and 12 hex digits, as ConvertSidToStringSid writes larger
 * ones), then up to 15 sub-authorities, each '-' and a decimal below 2^32; no leading
 * zeros, nothing else. */
int scram_store_sid_valid(const char *text, size_t len);

typedef struct scram_store_visitor {
    void *context;
    /* Each user line, in file order, and the @secret line. Non-zero stops the parse
     * and is returned; -1 with *why set marks the line malformed (a repeated name). */
    int (*user)(void *context, const scram_store_entry *entry, const char **why);
    int (*secret)(void *context, const uint8_t secret[SCRAM_STORE_SECRET_LEN],
                  const char **why);
} scram_store_visitor;

/* Parses the whole text. Returns 0, a visitor's non-zero result, or -1 for a malformed
 * line: then *bad_line is its number (from 1) and *why says what is wrong. */
int scram_store_parse(const char *text, size_t len, const scram_store_visitor *visitor,
                      size_t *bad_line, const char **why);

/* Formats one user line (with its LF) or the @secret line into out. Returns the length,
 * or 0 when cap is too small, the name is not 1..SCRAM_MAX_NAME bytes of UTF-8 or the
 * account (account_len 0: none) is not a SID string. */
#define SCRAM_STORE_LINE_MAX (3 * SCRAM_MAX_NAME + SCRAM_VERIFIER_TEXT_MAX + SCRAM_STORE_ACCOUNT_MAX + 3)
size_t scram_store_format_user(const char *name, size_t name_len, const scram_verifier *v,
                               const char *account, size_t account_len, char *out, size_t cap);
size_t scram_store_format_secret(const uint8_t secret[SCRAM_STORE_SECRET_LEN], char *out,
                                 size_t cap);

#endif
