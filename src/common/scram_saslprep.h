/* scram_saslprep.h - SASLprep (RFC 4013), the stringprep profile (RFC 3454) that RFC
 * 5802 applies to user names and passwords before they are used.
 *
 * The steps are RFC 4013 section 2: map (non-ASCII spaces to U+0020, table B.1 to
 * nothing), normalise (NFKC), prohibit (tables C.1.2 and C.2.1 to C.9), and check
 * bidirectional text (RFC 3454 section 6). Unicode's own data (NFKC and each code
 * point's bidirectional class) is injected: the package uses Windows' NormalizeString
 * and GetStringTypeW, so this file stays portable and allocates nothing.
 *
 * Strings are treated as queries: unassigned code points (table A.1) are let through,
 * because the Unicode version Windows normalises with is not Unicode 3.2. */
#ifndef SSPKG_SCRAM_SASLPREP_H
#define SSPKG_SCRAM_SASLPREP_H

#include <stddef.h>
#include <stdint.h>

enum { SCRAM_BIDI_OTHER = 0, SCRAM_BIDI_L, SCRAM_BIDI_RAL };

typedef struct scram_unicode {
    void *context;
    /* NFKC of in[0..n) into out (room for cap code points). Returns the number written,
     * or -1 when the text cannot be normalised or does not fit. */
    long (*nfkc)(void *context, const uint32_t *in, size_t n, uint32_t *out, size_t cap);
    /* SCRAM_BIDI_RAL for bidirectional classes R and AL, SCRAM_BIDI_L for L, else
     * SCRAM_BIDI_OTHER. */
    int (*bidi)(void *context, uint32_t cp);
} scram_unicode;

typedef enum scram_saslprep_result {
    SCRAM_SASLPREP_OK = 0,
    SCRAM_SASLPREP_EMPTY,       /* nothing left after mapping: not a usable name */
    SCRAM_SASLPREP_PROHIBITED,  /* a prohibited code point (control, private use ...) */
    SCRAM_SASLPREP_BIDI,        /* mixed or badly placed right-to-left text */
    SCRAM_SASLPREP_TOO_LONG,    /* does not fit the caller's buffer */
    SCRAM_SASLPREP_NORMALIZE    /* the normaliser failed (invalid code points) */
} scram_saslprep_result;

/* The longest input, in code points, that scram_saslprep handles. */
#define SCRAM_SASLPREP_MAX 1024

const char *scram_saslprep_text(scram_saslprep_result r);

/* Prepares in[0..n) and writes it as UTF-8 to out (cap bytes, not terminated). */
scram_saslprep_result scram_saslprep(const scram_unicode *u, const uint32_t *in, size_t n,
                                     char *out, size_t cap, size_t *out_len);

#endif
