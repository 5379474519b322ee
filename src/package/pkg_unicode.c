/* pkg_unicode.c - SASLprep for the package: UTF-16 in, UTF-8 out, with Windows'
 * Unicode data (NormalizeString for NFKC, GetStringTypeW CT_CTYPE2 for bidi classes)
 * behind the portable rules of scram_saslprep.c. */
#include "pkg.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

/* Code points to UTF-16; -1 when it does not fit. */
static long to_utf16(const uint32_t *in, size_t n, WCHAR *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t cp = in[i];
        if (cp >= 0x10000) {
            if (k + 2 > cap)
                return -1;
            cp -= 0x10000;
            out[k++] = (WCHAR)(0xd800 | (cp >> 10));
            out[k++] = (WCHAR)(0xdc00 | (cp & 0x3ff));
        } else {
            if (k + 1 > cap)
                return -1;
            out[k++] = (WCHAR)cp;
        }
    }
    return (long)k;
}

/* UTF-16 to code points; -1 for an unpaired surrogate or when it does not fit. */
static long from_utf16(const WCHAR *in, size_t n, uint32_t *out, size_t cap)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c >= 0xd800 && c <= 0xdbff) {
            if (i + 1 == n || in[i + 1] < 0xdc00 || in[i + 1] > 0xdfff)
                return -1;
            c = 0x10000 + ((c - 0xd800) << 10) + (uint32_t)(in[++i] - 0xdc00);
        } else if (c >= 0xdc00 && c <= 0xdfff) {
            return -1;
        }
        if (k == cap)
            return -1;
        out[k++] = c;
    }
    return (long)k;
}

static long nfkc(void *context, const uint32_t *in, size_t n, uint32_t *out, size_t cap)
{
    WCHAR src[2 * SCRAM_SASLPREP_MAX], dst[4 * SCRAM_SASLPREP_MAX];
    long len = to_utf16(in, n, src, sizeof(src) / sizeof(src[0])), r = -1;
    int got;

    (void)context;
    if (len > 0) {
        got = NormalizeString(NormalizationKC, src, (int)len, dst, sizeof(dst) / sizeof(dst[0]));
        if (got > 0)
            r = from_utf16(dst, (size_t)got, out, cap);
        else if (got == 0 && GetLastError() == ERROR_SUCCESS)
            r = 0;
    }
    scram_wipe(src, sizeof(src));
    scram_wipe(dst, sizeof(dst));
    return r;
}

static int bidi(void *context, uint32_t cp)
{
    WCHAR w[2];
    WORD type[2] = { 0, 0 };
    long n = to_utf16(&cp, 1, w, 2);

    (void)context;
    if (n <= 0 || !GetStringTypeW(CT_CTYPE2, w, (int)n, type))
        return SCRAM_BIDI_OTHER;
    /* Windows files classes R and AL both under C2_RIGHTTOLEFT. */
    if (type[0] == C2_RIGHTTOLEFT)
        return SCRAM_BIDI_RAL;
    if (type[0] == C2_LEFTTORIGHT)
        return SCRAM_BIDI_L;
    return SCRAM_BIDI_OTHER;
}

static const scram_unicode windows_unicode = { NULL, nfkc, bidi };

int pkg_saslprep(const WCHAR *text, ULONG length, char *out, size_t cap, size_t *out_len)
{
    uint32_t cps[SCRAM_SASLPREP_MAX];
    long n;
    int r;

    *out_len = 0;
    if (length > SCRAM_SASLPREP_MAX)
        return SCRAM_SASLPREP_TOO_LONG;
    n = from_utf16(text, length, cps, SCRAM_SASLPREP_MAX);
    if (n < 0)
        return SCRAM_SASLPREP_NORMALIZE;
    r = scram_saslprep(&windows_unicode, cps, (size_t)n, out, cap, out_len);
    scram_wipe(cps, sizeof(cps));
    return r;
}

ULONG pkg_utf8_to_utf16(const char *text, size_t len, WCHAR *out, ULONG cap)
{
    int n;

    if (len > INT_MAX || cap > INT_MAX)
        return 0;
    n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, (int)len, out, (int)cap);
    return n > 0 ? (ULONG)n : 0;
}
