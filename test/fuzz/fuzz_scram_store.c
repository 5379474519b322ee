/* fuzz_scram_store.c - the verifier store's text (scram_store.c) and the verifier's
 * PostgreSQL form (scram_keys.c).
 *
 * A text that parses is written back line by line (scram_store_format_user and
 * _secret) and parsed again: the second parse must see the same secrets and users in
 * the same order. A text that does not parse names a line that exists and says why.
 * The input is also read as one verifier: what parses formats back to the same text. */
#include "fuzz.h"
#include "../../src/common/scram_store.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 64

/* What a parse saw, in order: a user entry, or a secret (name_len 0). */
typedef struct seen {
    size_t count;
    scram_store_entry item[MAX_ITEMS];
} seen;

static int see_user(void *context, const scram_store_entry *e, const char **why)
{
    seen *s = context;

    (void)why;
    FUZZ_CHECK(e->name_len >= 1 && e->name_len <= SCRAM_MAX_NAME &&
               e->name[e->name_len] == '\0');
    FUZZ_CHECK(e->verifier.salt_len >= 1 && e->verifier.salt_len <= SCRAM_MAX_SALT &&
               e->verifier.iterations >= 1);
    if (s->count == MAX_ITEMS)
        return 1;
    s->item[s->count++] = *e;
    return 0;
}

static int see_secret(void *context, const uint8_t secret[SCRAM_STORE_SECRET_LEN],
                      const char **why)
{
    seen *s = context;

    (void)why;
    if (s->count == MAX_ITEMS)
        return 1;
    memset(&s->item[s->count], 0, sizeof(s->item[0]));
    memcpy(s->item[s->count].verifier.salt, secret, SCRAM_STORE_SECRET_LEN);
    s->count++;
    return 0;
}

/* Writes what was seen as a store text; returns its length. */
static size_t write_store(const seen *s, char *text)
{
    size_t used = 0;

    for (size_t i = 0; i < s->count; i++) {
        const scram_store_entry *e = &s->item[i];
        size_t n = e->name_len
                       ? scram_store_format_user(e->name, e->name_len, &e->verifier, e->account,
                                                 e->account_len,
                                                 text + used, SCRAM_STORE_LINE_MAX)
                       : scram_store_format_secret(e->verifier.salt, text + used,
                                                   SCRAM_STORE_LINE_MAX);
        FUZZ_CHECK(n > 0 && text[used + n - 1] == '\n');
        used += n;
    }
    return used;
}

static int same_items(const seen *a, const seen *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++) {
        const scram_store_entry *x = &a->item[i], *y = &b->item[i];
        if (x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) ||
            memcmp(&x->verifier, &y->verifier, sizeof(x->verifier)) ||
            x->account_len != y->account_len || memcmp(x->account, y->account, x->account_len))
            return 0;
    }
    return 1;
}

static void store_round_trip(const char *text, size_t len)
{
    static seen first, second;
    static char written[MAX_ITEMS * SCRAM_STORE_LINE_MAX];
    const scram_store_visitor v1 = { &first, see_user, see_secret };
    const scram_store_visitor v2 = { &second, see_user, see_secret };
    size_t bad, lines = 1, n;
    const char *why;
    int r;

    first.count = second.count = 0;
    memset(first.item, 0, sizeof(first.item));
    memset(second.item, 0, sizeof(second.item));
    r = scram_store_parse(text, len, &v1, &bad, &why);
    if (r == -1) {
        for (size_t i = 0; i + 1 < len; i++)
            lines += text[i] == '\n';
        FUZZ_CHECK(why != NULL && bad >= 1 && bad <= lines);
        return;
    }
    FUZZ_CHECK(bad == 0 && (r == 0 || (r == 1 && first.count == MAX_ITEMS)));
    n = write_store(&first, written);
    FUZZ_CHECK(scram_store_parse(written, n, &v2, &bad, &why) == 0);
    FUZZ_CHECK(same_items(&first, &second));
}

static void verifier_round_trip(const char *text, size_t len)
{
    scram_verifier v;
    char again[SCRAM_VERIFIER_TEXT_MAX];
    size_t n;

    if (scram_verifier_parse(text, len, &v) != 0)
        return;
    n = scram_verifier_format(&v, again, sizeof(again));
    FUZZ_CHECK(n == len && !memcmp(again, text, len));
    /* Room for all but the terminator is too little. */
    FUZZ_CHECK(scram_verifier_format(&v, again, n) == 0 && again[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store_round_trip((const char *)data, size);
    verifier_round_trip((const char *)data, size);
    return 0;
}
