/* test_hex.c - base-16 decoding natively (ASan/UBSan): RFC 4648 section 10's vector, both
 * cases, and each kind of bad input with where it was found. */
#include "../../src/common/hex.h"
#include "../tap.h"

#include <string.h>

static hex_result decode(const char *text, uint8_t *out, size_t size, size_t *n, size_t *bad)
{
    return hex_decode(text, strlen(text), out, size, n, bad);
}

int main(void)
{
    uint8_t out[8];
    size_t n, bad;
    hex_result r;

    tap_start();
    /* RFC 4648 section 10: BASE16("foobar") = "666F6F626172". */
    r = decode("666F6F626172", out, sizeof(out), &n, &bad);
    ok(r == HEX_OK && n == 6 && !memcmp(out, "foobar", 6), "RFC 4648 vector: got %d, %zu bytes", r, n);
    r = decode("666f6f626172", out, sizeof(out), &n, &bad);
    ok(r == HEX_OK && n == 6 && !memcmp(out, "foobar", 6), "lower case: got %d", r);
    r = decode("", out, sizeof(out), &n, &bad);
    ok(r == HEX_OK && n == 0, "empty text: no bytes (got %d, %zu)", r, n);
    r = decode("0102030405060708", out, sizeof(out), &n, &bad);
    ok(r == HEX_OK && n == 8 && out[7] == 8, "exactly the output size: got %d", r);
    r = decode("010203040506070809", out, sizeof(out), &n, &bad);
    ok(r == HEX_TOO_LONG && n == 0, "one byte more than the output: HEX_TOO_LONG (got %d)", r);
    r = decode("abc", out, sizeof(out), &n, &bad);
    ok(r == HEX_ODD_LENGTH && n == 0, "three digits: HEX_ODD_LENGTH (got %d)", r);
    r = decode("01g2", out, sizeof(out), &n, &bad);
    ok(r == HEX_BAD_DIGIT && bad == 2, "a 'g': HEX_BAD_DIGIT at 2 (got %d at %zu)", r, bad);
    r = decode("0x12", out, sizeof(out), &n, &bad);
    ok(r == HEX_BAD_DIGIT && bad == 1, "a 0x prefix is not hex: at 1 (got %d at %zu)", r, bad);
    r = decode("12 34", out, sizeof(out), &n, &bad);
    ok(r == HEX_BAD_DIGIT && bad == 2, "a space: at 2 (got %d at %zu)", r, bad);
    ok(!strcmp(hex_result_text(HEX_ODD_LENGTH), "an odd number of hex digits"),
       "the odd-length sentence: %s", hex_result_text(HEX_ODD_LENGTH));
    return done_testing();
}
