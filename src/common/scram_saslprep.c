/* scram_saslprep.c - SASLprep, RFC 4013 over RFC 3454 (see scram_saslprep.h). */
#include "scram_saslprep.h"
#include "scram_util.h"

typedef struct range {
    uint32_t first, last;
} range;

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* RFC 3454 table C.1.2: non-ASCII space characters (RFC 4013 maps them to U+0020). */
static const range non_ascii_space[] = {
    { 0x00a0, 0x00a0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200b }, { 0x202f, 0x202f },
    { 0x205f, 0x205f }, { 0x3000, 0x3000 },
};

/* RFC 3454 table B.1: commonly mapped to nothing. */
static const range mapped_to_nothing[] = {
    { 0x00ad, 0x00ad }, { 0x034f, 0x034f }, { 0x1806, 0x1806 }, { 0x180b, 0x180d },
    { 0x200b, 0x200d }, { 0x2060, 0x2060 }, { 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff },
};

/* RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.5, C.6, C.7, C.8 and C.9
 * of RFC 3454. C.4 (non-characters) is the rule in prohibited() below. */
static const range prohibited_ranges[] = {
    { 0x0000, 0x001f }, { 0x007f, 0x009f }, { 0x00a0, 0x00a0 }, { 0x0340, 0x0341 },
    { 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x1680, 0x1680 }, { 0x180e, 0x180e },
    { 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x2063 }, { 0x206a, 0x206f },
    { 0x2ff0, 0x2ffb }, { 0x3000, 0x3000 }, { 0xd800, 0xf8ff }, { 0xfdd0, 0xfdef },
    { 0xfeff, 0xfeff }, { 0xfff9, 0xfffd }, { 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 },
    { 0xe0020, 0xe007f }, { 0xf0000, 0xffffd }, { 0x100000, 0x10fffd },
};

static int in_table(const range *t, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < t[mid].first)
            hi = mid;
        else if (cp > t[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

static int prohibited(uint32_t cp)
{
    /* C.4: U+FDD0..U+FDEF (in the table) and the last two code points of every plane. */
    if ((cp & 0xfffe) == 0xfffe)
        return 1;
    return cp > 0x10ffff || in_table(prohibited_ranges, COUNT(prohibited_ranges), cp);
}

const char *scram_saslprep_text(scram_saslprep_result r)
{
    switch (r) {
    case SCRAM_SASLPREP_OK: return "success";
    case SCRAM_SASLPREP_EMPTY: return "empty after SASLprep";
    case SCRAM_SASLPREP_PROHIBITED: return "contains a character SASLprep prohibits";
    case SCRAM_SASLPREP_BIDI: return "mixes right-to-left and left-to-right text";
    case SCRAM_SASLPREP_TOO_LONG: return "too long";
    case SCRAM_SASLPREP_NORMALIZE: return "cannot be normalised (NFKC)";
    }
    return "unknown result";
}

/* Appends cp as UTF-8; -1 when it does not fit. */
static int put_utf8(uint32_t cp, char *out, size_t cap, size_t *used)
{
    unsigned char b[4];
    size_t n;

    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xc0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xe0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xf0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    if (n > cap - *used)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[(*used)++] = (char)b[i];
    return 0;
}

scram_saslprep_result scram_saslprep(const scram_unicode *u, const uint32_t *in, size_t n,
                                     char *out, size_t cap, size_t *out_len)
{
    uint32_t mapped[SCRAM_SASLPREP_MAX], norm[SCRAM_SASLPREP_MAX];
    size_t m = 0, used = 0;
    long k;
    int has_ral = 0, has_l = 0;
    scram_saslprep_result r = SCRAM_SASLPREP_OK;

    *out_len = 0;
    if (n > SCRAM_SASLPREP_MAX)
        return SCRAM_SASLPREP_TOO_LONG;

    /* 2.1 Mapping. */
    for (size_t i = 0; i < n; i++) {
        if (in_table(mapped_to_nothing, COUNT(mapped_to_nothing), in[i]))
            continue;
        mapped[m++] = in_table(non_ascii_space, COUNT(non_ascii_space), in[i]) ? 0x20 : in[i];
    }
    if (m == 0)
        return SCRAM_SASLPREP_EMPTY;

    /* 2.2 Normalisation: form KC. */
    k = u->nfkc(u->context, mapped, m, norm, COUNT(norm));
    if (k <= 0) {
        r = k == 0 ? SCRAM_SASLPREP_EMPTY : SCRAM_SASLPREP_NORMALIZE;
        goto done;
    }

    /* 2.3 Prohibited output, and what 2.4 needs to know. */
    for (long i = 0; i < k; i++) {
        int cls;
        if (prohibited(norm[i])) {
            r = SCRAM_SASLPREP_PROHIBITED;
            goto done;
        }
        cls = u->bidi(u->context, norm[i]);
        has_ral |= cls == SCRAM_BIDI_RAL;
        has_l |= cls == SCRAM_BIDI_L;
    }

    /* 2.4 Bidirectional characters (RFC 3454 section 6): text with any RandALCat
     * character has no LCat character, and starts and ends with RandALCat. */
    if (has_ral && (has_l || u->bidi(u->context, norm[0]) != SCRAM_BIDI_RAL ||
                    u->bidi(u->context, norm[k - 1]) != SCRAM_BIDI_RAL)) {
        r = SCRAM_SASLPREP_BIDI;
        goto done;
    }

    for (long i = 0; i < k; i++) {
        if (put_utf8(norm[i], out, cap, &used)) {
            r = SCRAM_SASLPREP_TOO_LONG;
            goto done;
        }
    }
    *out_len = used;
done:
    /* Passwords pass through here. */
    scram_wipe(mapped, sizeof(mapped));
    scram_wipe(norm, sizeof(norm));
    if (r)
        scram_wipe(out, used);
    return r;
}
