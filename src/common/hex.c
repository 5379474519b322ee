/* hex.c - base-16 decoding (hex.h). */
#include "hex.h"

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

hex_result hex_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                      size_t *out_len, size_t *bad_at)
{
    *out_len = 0;
    *bad_at = 0;
    for (size_t i = 0; i < text_len; i++)
        if (digit_value(text[i]) < 0) {
            *bad_at = i;
            return HEX_BAD_DIGIT;
        }
    if (text_len % 2)
        return HEX_ODD_LENGTH;
    if (text_len / 2 > out_size)
        return HEX_TOO_LONG;
    for (size_t i = 0; i < text_len; i += 2)
        out[i / 2] = (uint8_t)(digit_value(text[i]) << 4 | digit_value(text[i + 1]));
    *out_len = text_len / 2;
    return HEX_OK;
}

const char *hex_result_text(hex_result r)
{
    switch (r) {
    case HEX_OK:
        return "valid hex";
    case HEX_ODD_LENGTH:
        return "an odd number of hex digits";
    case HEX_BAD_DIGIT:
        return "a character that is not a hex digit";
    case HEX_TOO_LONG:
        return "more bytes than the field holds";
    }
    return "unknown result";
}
