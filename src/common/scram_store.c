/* scram_store.c - parsing and formatting the verifier store's lines (scram_store.h). */
#include "scram_store.h"
#include "scram_base64.h"
#include "scram_msg.h"
#include "scram_util.h"

#include <string.h>

static const char secret_tag[] = "@secret ";

static int parse_user(const char *line, size_t len, scram_store_entry *e, const char **why)
{
    const char *tab = memchr(line, '\t', len);
    size_t n;

    if (!tab) {
        *why = "expected <name><TAB><verifier>";
        return -1;
    }
    n = scram_name_unescape(line, (size_t)(tab - line), e->name, SCRAM_MAX_NAME);
    if (n == (size_t)-1) {
        *why = "the name is not valid (UTF-8, =2C/=3D escapes, at most 512 bytes)";
        return -1;
    }
    e->name[n] = '\0';
    e->name_len = n;
    if (scram_verifier_parse(tab + 1, len - (size_t)(tab + 1 - line), &e->verifier)) {
        *why = "the verifier is not SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>";
        return -1;
    }
    return 0;
}

int scram_store_parse(const char *text, size_t len, const scram_store_visitor *visitor,
                      size_t *bad_line, const char **why)
{
    static const size_t tag_len = sizeof(secret_tag) - 1;
    scram_store_entry e;
    size_t pos = 0, line_no = 0;
    int r = 0;

    *bad_line = 0;
    *why = NULL;
    while (pos < len && r == 0) {
        const char *line = text + pos, *lf = memchr(line, '\n', len - pos);
        size_t n = lf ? (size_t)(lf - line) : len - pos;

        pos += n + (lf ? 1 : 0);
        line_no++;
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', n)) {
            *why = "the line holds a NUL byte";
            r = -1;
        } else if (n > tag_len && !memcmp(line, secret_tag, tag_len)) {
            uint8_t secret[SCRAM_STORE_SECRET_LEN + 3];
            size_t got;
            if (scram_base64_decode(line + tag_len, n - tag_len, secret, sizeof(secret), &got) ||
                got != SCRAM_STORE_SECRET_LEN) {
                *why = "@secret needs the base64 of 32 bytes";
                r = -1;
            } else {
                r = visitor->secret(visitor->context, secret, why);
            }
            scram_wipe(secret, sizeof(secret));
        } else if (parse_user(line, n, &e, why)) {
            r = -1;
        } else {
            r = visitor->user(visitor->context, &e, why);
        }
        if (r == -1 && *why)
            *bad_line = line_no;
    }
    scram_wipe(&e, sizeof(e));
    return r;
}

size_t scram_store_format_user(const char *name, size_t name_len, const scram_verifier *v,
                               char *out, size_t cap)
{
    size_t n = scram_name_escape(name, name_len, out, cap), k;

    if (n == (size_t)-1 || n == 0 || cap - n < 2)
        return 0;
    out[n++] = '\t';
    k = scram_verifier_format(v, out + n, cap - n);
    if (k == 0 || cap - n - k < 1)
        return 0;
    n += k;
    out[n++] = '\n';
    return n;
}

size_t scram_store_format_secret(const uint8_t secret[SCRAM_STORE_SECRET_LEN], char *out,
                                 size_t cap)
{
    static const size_t tag_len = sizeof(secret_tag) - 1;
    size_t k;

    if (cap < tag_len + SCRAM_BASE64_LEN(SCRAM_STORE_SECRET_LEN) + 2)
        return 0;
    memcpy(out, secret_tag, tag_len);
    k = scram_base64_encode(secret, SCRAM_STORE_SECRET_LEN, out + tag_len, cap - tag_len);
    out[tag_len + k] = '\n';
    return tag_len + k + 1;
}
