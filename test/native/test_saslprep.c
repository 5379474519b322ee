/* test_saslprep.c - SASLprep's mapping, prohibition and bidi rules, natively.
 *
 * Normalisation and bidirectional classes are Unicode data the package takes from
 * Windows; here a small stand-in knows exactly the code points these tests use, so
 * what is checked is this project's code. The same RFC 4013 examples run under Wine
 * with Windows' own data in test/wine/test_scram_package.c. */
#include "../../src/common/scram_saslprep.h"
#include "../tap.h"

#include <string.h>

/* NFKC for the code points below; everything else is left as it is. */
static long fake_nfkc(void *ctx, const uint32_t *in, size_t n, uint32_t *out, size_t cap)
{
    size_t k = 0;

    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == 0x00aa) {                /* FEMININE ORDINAL INDICATOR -> a */
            if (k + 1 > cap)
                return -1;
            out[k++] = 'a';
        } else if (in[i] == 0x2168) {         /* ROMAN NUMERAL NINE -> IX */
            if (k + 2 > cap)
                return -1;
            out[k++] = 'I';
            out[k++] = 'X';
        } else if (in[i] == 0xffff0) {        /* stands for text Windows refuses */
            return -1;
        } else {
            if (k + 1 > cap)
                return -1;
            out[k++] = in[i];
        }
    }
    return (long)k;
}

static int fake_bidi(void *ctx, uint32_t cp)
{
    (void)ctx;
    if (cp >= 0x0590 && cp <= 0x06ff)         /* Hebrew and Arabic blocks */
        return SCRAM_BIDI_RAL;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp >= 0x00c0)
        return SCRAM_BIDI_L;
    return SCRAM_BIDI_OTHER;
}

static const scram_unicode uni = { NULL, fake_nfkc, fake_bidi };

static void check(const uint32_t *in, size_t n, scram_saslprep_result want,
                  const char *want_text, const char *what)
{
    char out[64];
    size_t len;
    scram_saslprep_result r = scram_saslprep(&uni, in, n, out, sizeof(out), &len);

    if (want == SCRAM_SASLPREP_OK)
        ok(r == want && len == strlen(want_text) && !memcmp(out, want_text, len),
           "%s: got %s '%.*s', wanted '%s'", what, scram_saslprep_text(r), (int)len, out,
           want_text);
    else
        ok(r == want && len == 0, "%s: got '%s', wanted '%s'", what, scram_saslprep_text(r),
           scram_saslprep_text(want));
}

#define CHECK(want, text, what, ...)                                                     \
    do {                                                                                 \
        static const uint32_t in_[] = { __VA_ARGS__ };                                   \
        check(in_, sizeof(in_) / sizeof(in_[0]), want, text, what);                      \
    } while (0)

int main(void)
{
    tap_start();
    /* RFC 4013 section 3, examples 1 to 7. */
    CHECK(SCRAM_SASLPREP_OK, "IX", "RFC 4013 #1: SOFT HYPHEN mapped to nothing", 'I', 0xad, 'X');
    CHECK(SCRAM_SASLPREP_OK, "user", "RFC 4013 #2: no transformation", 'u', 's', 'e', 'r');
    CHECK(SCRAM_SASLPREP_OK, "USER", "RFC 4013 #3: case preserved", 'U', 'S', 'E', 'R');
    CHECK(SCRAM_SASLPREP_OK, "a", "RFC 4013 #4: output is NFKC", 0xaa);
    CHECK(SCRAM_SASLPREP_OK, "IX", "RFC 4013 #5: output is NFKC", 0x2168);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "RFC 4013 #6: prohibited character", 0x07);
    CHECK(SCRAM_SASLPREP_BIDI, "", "RFC 4013 #7: bidirectional check", 0x0627, '1');

    CHECK(SCRAM_SASLPREP_OK, "a b", "NO-BREAK SPACE mapped to SPACE", 'a', 0xa0, 'b');
    CHECK(SCRAM_SASLPREP_OK, "a b", "IDEOGRAPHIC SPACE mapped to SPACE", 'a', 0x3000, 'b');
    CHECK(SCRAM_SASLPREP_OK, "ab", "ZERO WIDTH SPACE mapped to nothing", 'a', 0x200b, 'b');
    CHECK(SCRAM_SASLPREP_OK, "\xc3\xa9t\xc3\xa9", "non-ASCII letters pass as UTF-8", 0xe9, 't', 0xe9);
    CHECK(SCRAM_SASLPREP_OK, "\xf0\x9f\x98\x80", "supplementary plane as 4-byte UTF-8", 0x1f600);
    CHECK(SCRAM_SASLPREP_OK, "\xd7\x90\x31\xd7\x91", "right-to-left text with digits inside",
          0x05d0, '1', 0x05d1);
    CHECK(SCRAM_SASLPREP_BIDI, "", "right-to-left mixed with left-to-right", 0x05d0, 'a', 0x05d1);
    CHECK(SCRAM_SASLPREP_EMPTY, "", "only characters mapped to nothing", 0xad, 0xfeff);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "DELETE (C.2.1)", 'a', 0x7f);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "private use (C.3)", 0xe000);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "non-character U+FFFE (C.4)", 'a', 0xfffe);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "non-character U+1FFFF (C.4)", 0x1ffff);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "non-character U+FDD0 (C.4)", 0xfdd0);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "surrogate code point (C.5)", 0xd800);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "LEFT-TO-RIGHT MARK (C.8)", 'a', 0x200e);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "LANGUAGE TAG (C.9)", 0xe0001);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "IDEOGRAPHIC DESCRIPTION (C.7)", 0x2ff0);
    CHECK(SCRAM_SASLPREP_PROHIBITED, "", "past U+10FFFF", 0x110000);
    CHECK(SCRAM_SASLPREP_NORMALIZE, "", "normaliser failure reported", 'a', 0xffff0);
    {
        uint32_t many[SCRAM_SASLPREP_MAX + 1];
        char out[8];
        size_t len;
        for (size_t i = 0; i < SCRAM_SASLPREP_MAX + 1; i++)
            many[i] = 'a';
        ok(scram_saslprep(&uni, many, SCRAM_SASLPREP_MAX + 1, out, sizeof(out), &len) ==
               SCRAM_SASLPREP_TOO_LONG, "input past the limit refused");
        ok(scram_saslprep(&uni, many, 9, out, sizeof(out), &len) == SCRAM_SASLPREP_TOO_LONG &&
               len == 0, "output past cap refused");
    }
    return done_testing();
}
