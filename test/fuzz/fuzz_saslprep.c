/* fuzz_saslprep.c - SASLprep (scram_saslprep.c) with simple Unicode data.
 *
 * The input is UTF-8, read leniently so that every code point up to 0x1FFFFF can be
 * written (surrogates, values past U+10FFFF); a byte that starts no sequence stands
 * for itself. The NFKC and bidi classes below know a handful of code points: enough to
 * grow, shrink, compose and refuse text, and to mix directions. A prepared string is
 * valid UTF-8, prepares to itself again, and a failure leaves nothing of the input in
 * the output buffer (passwords pass through here). */
#include "fuzz.h"
#include "../../src/common/scram_msg.h"
#include "../../src/common/scram_saslprep.h"

#include <string.h>

#define OUT_CAP (4 * SCRAM_SASLPREP_MAX)

static long put(uint32_t *out, size_t cap, size_t *k, const uint32_t *cps, size_t n)
{
    if (n > cap - *k)
        return -1;
    memcpy(out + *k, cps, n * sizeof(*cps));
    *k += n;
    return 0;
}

static long fake_nfkc(void *context, const uint32_t *in, size_t n, uint32_t *out, size_t cap)
{
    static const uint32_t a[] = { 'a' }, ix[] = { 'I', 'X' }, fi[] = { 'f', 'i' },
                          a_ring[] = { 0xc5 }, e_acute[] = { 0xe9 },
                          ligature[18] = { 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
                                           'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x' };
    size_t k = 0;
    long r = 0;

    (void)context;
    for (size_t i = 0; i < n && r == 0; i++) {
        uint32_t cp = in[i];
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return -1;                                    /* not text: refused */
        if (cp == 0x00aa)
            r = put(out, cap, &k, a, 1);                  /* FEMININE ORDINAL -> a */
        else if (cp == 0x2168)
            r = put(out, cap, &k, ix, 2);                 /* ROMAN NUMERAL NINE -> IX */
        else if (cp == 0xfb01)
            r = put(out, cap, &k, fi, 2);                 /* LIGATURE FI -> fi */
        else if (cp == 0x212b)
            r = put(out, cap, &k, a_ring, 1);             /* ANGSTROM SIGN -> U+00C5 */
        else if (cp == 0xfdfa)
            r = put(out, cap, &k, ligature, 18);          /* an 18-character ligature */
        else if (cp == 'e' && i + 1 < n && in[i + 1] == 0x0301) {
            r = put(out, cap, &k, e_acute, 1);            /* e + COMBINING ACUTE -> U+00E9 */
            i++;
        } else
            r = put(out, cap, &k, &cp, 1);
    }
    return r ? -1 : (long)k;
}

static int fake_bidi(void *context, uint32_t cp)
{
    (void)context;
    if ((cp >= 0x0590 && cp <= 0x08ff) || (cp >= 0xfb1d && cp <= 0xfdff) ||
        (cp >= 0xfe70 && cp <= 0xfeff))
        return SCRAM_BIDI_RAL;                            /* Hebrew, Arabic */
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
        (cp >= 0x00c0 && cp <= 0x024f) || (cp >= 0x0370 && cp <= 0x03ff))
        return SCRAM_BIDI_L;                              /* Latin, Greek */
    return SCRAM_BIDI_OTHER;
}

static const scram_unicode unicode = { NULL, fake_nfkc, fake_bidi };

/* Lenient UTF-8 to code points: lead bytes up to 0xF7, no check of what they encode. */
static size_t decode(const uint8_t *p, size_t size, uint32_t *cps, size_t cap)
{
    size_t n = 0, i = 0;

    while (i < size && n < cap) {
        uint8_t c = p[i];
        size_t more = c >= 0xf0 && c <= 0xf7 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc0 && c < 0xe0 ? 1 : 0;
        uint32_t cp = more ? c & (0x3fu >> more) : c;
        size_t k;
        for (k = 1; k <= more && i + k < size && (p[i + k] & 0xc0) == 0x80; k++)
            cp = (cp << 6) | (p[i + k] & 0x3fu);
        if (k <= more) {
            cp = c;                                       /* a broken sequence: the byte */
            k = 1;
        }
        cps[n++] = cp;
        i += k;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t cps[SCRAM_SASLPREP_MAX + 2], again[SCRAM_SASLPREP_MAX + 2];
    static char out[OUT_CAP], out2[OUT_CAP];
    size_t n = decode(data, size, cps, SCRAM_SASLPREP_MAX + 1), len, len2, m;
    scram_saslprep_result r;

    memset(out, 0xff, sizeof(out));
    r = scram_saslprep(&unicode, cps, n, out, sizeof(out), &len);
    if (r != SCRAM_SASLPREP_OK) {
        FUZZ_CHECK(len == 0);
        FUZZ_CHECK(n <= SCRAM_SASLPREP_MAX || r == SCRAM_SASLPREP_TOO_LONG);
        for (size_t i = 0; i < sizeof(out); i++)
            FUZZ_CHECK(out[i] == 0 || out[i] == (char)0xff);
        return 0;
    }
    FUZZ_CHECK(n <= SCRAM_SASLPREP_MAX && len >= 1 && len <= sizeof(out));
    FUZZ_CHECK(scram_utf8_valid(out, len));

    /* Prepared text prepares to itself. */
    m = decode((const uint8_t *)out, len, again, SCRAM_SASLPREP_MAX + 1);
    FUZZ_CHECK(scram_saslprep(&unicode, again, m, out2, sizeof(out2), &len2) ==
                   SCRAM_SASLPREP_OK &&
               len2 == len && !memcmp(out2, out, len));

    /* One byte less room is refused as too long. */
    FUZZ_CHECK(scram_saslprep(&unicode, cps, n, out2, len - 1, &len2) ==
                   SCRAM_SASLPREP_TOO_LONG && len2 == 0);
    return 0;
}
