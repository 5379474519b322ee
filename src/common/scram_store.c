/* scram_store.c - parsing and formatting the verifier store's lines (scram_store.h). */
#include "scram_store.h"
#include "scram_base64.h"
#include "scram_msg.h"
#include "scram_util.h"

#include <string.h>

static const char secret_tag[] = "@secret ";
static const char hex_digits[] = "0123456789ABCDEF";

/* The byte a name is written with as "=XX": the saslname escapes (',' and '='),
 * control characters (TAB is the separator, LF ends the line), and a '#' or '@' in
 * first place (a comment, a directive). */
static int needs_escape(unsigned char ch, size_t at)
{
    return ch == ',' || ch == '=' || ch < 0x20 || ch == 0x7f ||
           (at == 0 && (ch == '#' || ch == '@'));
}

static size_t name_escape(const char *name, size_t len, char *out, size_t cap)
{
    size_t used = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        char esc[3] = { '=', hex_digits[ch >> 4], hex_digits[ch & 15] };
        int r = needs_escape(ch, i) ? scram_append(out, cap, &used, esc, 3)
                                    : scram_append(out, cap, &used, name + i, 1);
        if (r)
            return 0;
    }
    return used;
}

static int hex_value(char c)
{
    const char *at = c ? strchr(hex_digits, c) : NULL;
    return at ? (int)(at - hex_digits) : -1;
}

/* The name field of a user line back to the name: out holds SCRAM_MAX_NAME + 1 bytes.
 * Returns the length, or 0 with *why set. */
static size_t name_unescape(const char *text, size_t len, char *out, const char **why)
{
    size_t used = 0;

    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == ',') {
            *why = "a ',' in the name must be written =2C";
            return 0;
        }
        if (ch == '=') {
            int hi = i + 2 < len ? hex_value(text[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
            if (lo < 0) {
                *why = "a '=' in the name must start an escape =XX (two upper-case hex digits)";
                return 0;
            }
            ch = (char)(hi << 4 | lo);
            i += 2;
        }
        if (scram_append(out, SCRAM_MAX_NAME, &used, &ch, 1)) {
            *why = "the name is longer than 512 bytes";
            return 0;
        }
    }
    if (used == 0 || !scram_utf8_valid(out, used)) {
        *why = used ? "the name is not UTF-8 (or holds a NUL)" : "the name is empty";
        return 0;
    }
    out[used] = '\0';
    return used;
}

/* A decimal below 2^32 with no leading zero, from text[*at]; moves *at past it. */
static int sid_number(const char *text, size_t len, size_t *at)
{
    uint64_t v = 0;
    size_t start = *at;

    while (*at < len && text[*at] >= '0' && text[*at] <= '9') {
        v = v * 10 + (uint64_t)(text[*at] - '0');
        if (v > UINT32_MAX)
            return 0;
        (*at)++;
    }
    return *at > start && (*at - start == 1 || text[start] != '0');
}

int scram_store_sid_valid(const char *text, size_t len)
{
    size_t at = 4;
    int subs = 0;

    if (len < 5 || len > SCRAM_STORE_ACCOUNT_MAX || memcmp(text, "S-1-", 4))
        return 0;
    if (len - at >= 14 && text[at] == '0' && text[at + 1] == 'x') {
        for (at += 2; at < 18; at++)
            if (!strchr(hex_digits, text[at]) || !text[at])
                return 0;
    } else if (!sid_number(text, len, &at)) {
        return 0;
    }
    while (at < len) {
        if (text[at++] != '-' || ++subs > 15 || !sid_number(text, len, &at))
            return 0;
    }
    return 1;
}

static int parse_user(const char *line, size_t len, scram_store_entry *e, const char **why)
{
    const char *tab = memchr(line, '\t', len), *verifier = tab + 1, *end = line + len;
    const char *account = memchr(verifier, '\t', (size_t)(end - verifier));

    e->name_len = name_unescape(line, (size_t)(tab - line), e->name, why);
    if (e->name_len == 0)
        return -1;
    if (scram_verifier_parse(verifier, (size_t)((account ? account : end) - verifier),
                             &e->verifier)) {
        *why = "the verifier is not SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>";
        return -1;
    }
    e->account_len = 0;
    e->account[0] = '\0';
    if (account) {
        size_t n = (size_t)(end - account - 1);
        if (!scram_store_sid_valid(account + 1, n)) {
            *why = "the account is not a SID string (S-1-<authority>-<sub-authority>...)";
            return -1;
        }
        memcpy(e->account, account + 1, n);
        e->account[n] = '\0';
        e->account_len = n;
    }
    return 0;
}

static int parse_secret(const char *line, size_t len, const scram_store_visitor *visitor,
                        const char **why)
{
    static const size_t tag_len = sizeof(secret_tag) - 1;
    uint8_t secret[SCRAM_STORE_SECRET_LEN + 3];
    size_t got;
    int r;

    if (len <= tag_len || memcmp(line, secret_tag, tag_len)) {
        *why = "expected <name><TAB><verifier>";
        return -1;
    }
    if (scram_base64_decode(line + tag_len, len - tag_len, secret, sizeof(secret), &got) ||
        got != SCRAM_STORE_SECRET_LEN) {
        *why = "@secret needs the base64 of 32 bytes";
        r = -1;
    } else {
        r = visitor->secret(visitor->context, secret, why);
    }
    scram_wipe(secret, sizeof(secret));
    return r;
}

int scram_store_parse(const char *text, size_t len, const scram_store_visitor *visitor,
                      size_t *bad_line, const char **why)
{
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
        /* A user line is told by its TAB (no @secret value holds one), so names written
         * before a leading '@' was escaped, such as "@secret x", read as those users. */
        if (memchr(line, '\0', n)) {
            *why = "the line holds a NUL byte";
            r = -1;
        } else if (!memchr(line, '\t', n)) {
            r = parse_secret(line, n, visitor, why);
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
                               const char *account, size_t account_len, char *out, size_t cap)
{
    size_t n, k;

    /* Only what the parser reads back: a name of 1..512 bytes of UTF-8, a SID string. */
    if (name_len == 0 || name_len > SCRAM_MAX_NAME || !scram_utf8_valid(name, name_len) ||
        (account_len && !scram_store_sid_valid(account, account_len)))
        return 0;
    n = name_escape(name, name_len, out, cap);
    if (n == 0 || cap - n < 2)
        return 0;
    out[n++] = '\t';
    k = scram_verifier_format(v, out + n, cap - n);
    if (k == 0 || cap - n - k < 1)
        return 0;
    n += k;
    if (account_len) {
        if (cap - n < account_len + 2)
            return 0;
        out[n++] = '\t';
        memcpy(out + n, account, account_len);
        n += account_len;
    }
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
