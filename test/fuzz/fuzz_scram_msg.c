/* fuzz_scram_msg.c - the attribute parser and saslnames (scram_msg.c).
 *
 * The input is walked as "a=value,b=value,...": every attribute must lie inside the
 * input and obey the grammar, and a walk that ends cleanly must account for every
 * byte. It is also read as a saslname (unescaping and escaping again gives the same
 * text) and as a name to escape (which unescapes back). */
#include "fuzz.h"
#include "../../src/common/scram_msg.h"

#include <stdlib.h>
#include <string.h>

static void walk_attributes(const char *text, size_t len)
{
    scram_cursor cur = { text, len, 0 }, again = { text, len, 0 };
    scram_attr a;
    size_t covered = 0, count = 0;
    int r, saw_m = 0;
    scram_result want;

    while ((r = scram_cursor_next(&cur, &a)) == 1) {
        FUZZ_CHECK(a.value > text && a.value + a.value_len <= text + len);
        FUZZ_CHECK(a.value[-2] == a.name && a.value[-1] == '=' && a.value_len >= 1);
        FUZZ_CHECK((a.name >= 'a' && a.name <= 'z') || (a.name >= 'A' && a.name <= 'Z'));
        FUZZ_CHECK(!memchr(a.value, ',', a.value_len) && scram_utf8_valid(a.value, a.value_len));
        /* Attributes are consecutive, separated by exactly one ','. */
        FUZZ_CHECK((size_t)(a.value - 2 - text) == covered + (count ? 1 : 0));
        covered = (size_t)(a.value + a.value_len - text);
        count++;
        saw_m |= a.name == 'm';
    }
    FUZZ_CHECK(cur.pos <= len);
    if (r == 0)
        FUZZ_CHECK(covered == len);
    /* Read as extensions, the same text fails at the first m= or where the walk did. */
    want = saw_m ? SCRAM_E_EXTENSION : r < 0 ? SCRAM_E_INVALID : SCRAM_OK;
    FUZZ_CHECK(scram_skip_extensions(&again) == want);
}

static void saslname_round_trips(const char *text, size_t len)
{
    char *plain = malloc(len + 1), *escaped = malloc(3 * len + 1);
    size_t n, m;

    n = scram_name_unescape(text, len, plain, len);
    if (n != (size_t)-1) {
        FUZZ_CHECK(n >= 1 && n <= len && scram_utf8_valid(plain, n));
        FUZZ_CHECK(scram_name_escape(plain, n, escaped, 3 * len) == len &&
                   !memcmp(escaped, text, len));
    }
    m = scram_name_escape(text, len, escaped, 3 * len);
    FUZZ_CHECK(m >= len && m <= 3 * len && !memchr(escaped, ',', m));
    if (len > 0 && m > 0)
        FUZZ_CHECK(scram_name_escape(text, len, escaped, m - 1) == (size_t)-1);
    n = scram_name_unescape(escaped, m, plain, len);
    if (len > 0 && scram_utf8_valid(text, len))
        FUZZ_CHECK(n == len && !memcmp(plain, text, len));
    else
        FUZZ_CHECK(n == (size_t)-1);
    free(plain);
    free(escaped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    walk_attributes(text, size);
    saslname_round_trips(text, size);
    if (scram_nonce_valid(text, size))
        FUZZ_CHECK(size > 0 && !memchr(text, ',', size) && scram_utf8_valid(text, size));
    return 0;
}
