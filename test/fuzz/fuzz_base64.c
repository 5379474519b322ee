/* fuzz_base64.c - base64 (scram_base64.c) both ways.
 *
 * The input is read as base64 text (decoding must be canonical: what decodes encodes
 * back to the same text) and as bytes (whatever is encoded decodes back, and neither
 * direction writes past the room it is given). */
#include "fuzz.h"
#include "../../src/common/scram_base64.h"

#include <stdlib.h>
#include <string.h>

static void text_round_trip(const char *text, size_t len)
{
    size_t cap = len / 4 * 3, n;
    uint8_t *bytes = malloc(cap + 1);
    char *again = malloc(len + 1);

    if (!scram_base64_decode(text, len, bytes, cap, &n)) {
        FUZZ_CHECK(len % 4 == 0 && n <= cap && n + 2 >= cap);
        FUZZ_CHECK(scram_base64_encode(bytes, n, again, len + 1) == len &&
                   !memcmp(again, text, len) && again[len] == '\0');
        /* One byte less room than the result needs is refused. */
        if (n > 0)
            FUZZ_CHECK(scram_base64_decode(text, len, bytes, n - 1, &n) == -1);
    }
    free(bytes);
    free(again);
}

static void bytes_round_trip(const uint8_t *data, size_t size)
{
    size_t len = SCRAM_BASE64_LEN(size), n;
    char *text = malloc(len + 1);
    uint8_t *back = malloc(size + 1);

    /* Without room for the terminator nothing is written but an empty string. */
    if (len > 0)
        FUZZ_CHECK(scram_base64_encode(data, size, text, len) == 0 && text[0] == '\0');
    FUZZ_CHECK(scram_base64_encode(data, size, text, len + 1) == len && text[len] == '\0');
    FUZZ_CHECK(scram_base64_decode(text, len, back, size, &n) == 0 && n == size &&
               (size == 0 || !memcmp(back, data, size)));
    free(text);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    text_round_trip((const char *)data, size);
    bytes_round_trip(data, size);
    return 0;
}
