/* scram_base64.c - RFC 4648 section 4 base64, strict on input (see scram_base64.h). */
#include "scram_base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t scram_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;

    if (cap < SCRAM_BASE64_LEN(n) + 1) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t left = n - i;
        if (left > 1)
            v |= (uint32_t)in[i + 1] << 8;
        if (left > 2)
            v |= in[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = left > 1 ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = left > 2 ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* Value of one alphabet character, or -1. */
static int value_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int scram_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap,
                        size_t *out_len)
{
    size_t o = 0;

    *out_len = 0;
    if (len % 4)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int last = i + 4 == len;
        int pad = 0;
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int d;
            if (in[i + j] == '=') {
                /* Padding only in the last quantum, only in its last two places, and
                 * nothing but padding after it. */
                if (!last || j < 2)
                    return -1;
                pad++;
                d = 0;
            } else {
                if (pad)
                    return -1;
                d = value_of(in[i + j]);
                if (d < 0)
                    return -1;
            }
            v = (v << 6) | (uint32_t)d;
        }
        /* Canonical form: the bits the padding leaves over must be zero. */
        if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
            return -1;
        if (o + 3 - (size_t)pad > cap)
            return -1;
        out[o++] = (uint8_t)(v >> 16);
        if (pad < 2)
            out[o++] = (uint8_t)(v >> 8);
        if (pad < 1)
            out[o++] = (uint8_t)v;
    }
    *out_len = o;
    return 0;
}
