/* scram_msg.c - attribute-value pairs, nonces and saslnames (RFC 5802 section 7). */
#include "scram_msg.h"
#include "scram_util.h"

#include <string.h>

int scram_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned cp;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        /* Overlong three- and four-byte forms, surrogates, and past U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return 0;
        i += n + 1;
    }
    return 1;
}

int scram_cursor_next(scram_cursor *c, scram_attr *attr)
{
    const char *start, *comma;
    size_t rest, n;

    if (c->pos >= c->len)
        return 0;
    start = c->text + c->pos;
    rest = c->len - c->pos;
    comma = memchr(start, ',', rest);
    n = comma ? (size_t)(comma - start) : rest;
    /* name, '=', and at least one value character */
    if (n < 3 || start[1] != '=')
        return -1;
    if (!((start[0] >= 'a' && start[0] <= 'z') || (start[0] >= 'A' && start[0] <= 'Z')))
        return -1;
    if (!scram_utf8_valid(start + 2, n - 2))
        return -1;
    /* A ',' must introduce another attribute. */
    if (comma && (size_t)(comma - c->text) + 1 == c->len)
        return -1;
    attr->name = start[0];
    attr->value = start + 2;
    attr->value_len = n - 2;
    c->pos += n + (comma ? 1 : 0);
    return 1;
}

scram_result scram_step_bind(const scram_step *s, int initial, scram_binding *to,
                             const scram_binding *from)
{
    scram_binding checked;
    scram_result r = scram_step_check(s, initial);

    if (r)
        return r;
    if (scram_binding_set(&checked, from->type, from->type_len, from->data, from->data_len))
        return SCRAM_E_INVALID;
    *to = checked;
    return SCRAM_OK;
}

int scram_cursor_expect(scram_cursor *c, char name, scram_attr *attr)
{
    int r = scram_cursor_next(c, attr);
    if (r == 1 && attr->name != name)
        return -1;
    return r;
}

int scram_nonce_valid(const char *nonce, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)nonce[i];
        if (ch < 0x21 || ch > 0x7e || ch == ',')
            return 0;
    }
    return 1;
}

int scram_append(char *out, size_t cap, size_t *used, const char *s, size_t n)
{
    if (n > cap - *used)
        return -1;
    memcpy(out + *used, s, n);
    *used += n;
    return 0;
}

size_t scram_name_escape(const char *name, size_t len, char *out, size_t cap)
{
    size_t used = 0;

    for (size_t i = 0; i < len; i++) {
        int r;
        if (name[i] == ',')
            r = scram_append(out, cap, &used, "=2C", 3);
        else if (name[i] == '=')
            r = scram_append(out, cap, &used, "=3D", 3);
        else
            r = scram_append(out, cap, &used, name + i, 1);
        if (r)
            return (size_t)-1;
    }
    return used;
}

size_t scram_name_unescape(const char *text, size_t len, char *out, size_t cap)
{
    size_t used = 0;

    if (len == 0 || !scram_utf8_valid(text, len))
        return (size_t)-1;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == ',')
            return (size_t)-1;
        if (ch == '=') {
            /* Only the two escapes exist (RFC 5802 section 5.1); anything else after
             * '=' means the name is not a saslname. */
            if (len - i < 3)
                return (size_t)-1;
            if (text[i + 1] == '2' && text[i + 2] == 'C')
                ch = ',';
            else if (text[i + 1] == '3' && text[i + 2] == 'D')
                ch = '=';
            else
                return (size_t)-1;
            i += 2;
        }
        if (scram_append(out, cap, &used, &ch, 1))
            return (size_t)-1;
    }
    return used;
}

scram_result scram_skip_extensions(scram_cursor *c)
{
    scram_attr a;
    int r;

    while ((r = scram_cursor_next(c, &a)) == 1)
        if (a.name == 'm')
            return SCRAM_E_EXTENSION;
    return r < 0 ? SCRAM_E_INVALID : SCRAM_OK;
}

scram_result scram_step_fail(scram_step *s, scram_result r)
{
    if (s->state != SCRAM_STEP_FAILED) {
        s->state = SCRAM_STEP_FAILED;
        s->error = r;
    }
    return s->error;
}

scram_result scram_step_check(const scram_step *s, int want)
{
    if (s->state == want)
        return SCRAM_OK;
    return s->state == SCRAM_STEP_FAILED ? s->error : SCRAM_E_STATE;
}

void scram_step_reset(void *context, size_t size, scram_step *s, const scram_crypto *crypto)
{
    scram_wipe(context, size);
    s->crypto = crypto;
}

int scram_step_forget(void *context, size_t size, scram_step *s, int done_state,
                      const void *keep, size_t keep_len)
{
    uint8_t *p = context;
    size_t from = (size_t)((const uint8_t *)keep - p), to = from + keep_len;
    scram_step step = *s;

    if (step.state != done_state && step.state != SCRAM_STEP_FAILED)
        return 0;
    scram_wipe(p, from);
    scram_wipe(p + to, size - to);
    *s = step;
    return 1;
}

size_t scram_auth_message(char *out, const char *first_bare, size_t first_bare_len,
                          const char *server_first, size_t server_first_len,
                          const char *without_proof, size_t without_proof_len)
{
    size_t used = 0;

    /* Each part is at most SCRAM_MAX_MESSAGE bytes, so this always fits. */
    scram_append(out, SCRAM_AUTH_MESSAGE_MAX, &used, first_bare, first_bare_len);
    scram_append(out, SCRAM_AUTH_MESSAGE_MAX, &used, ",", 1);
    scram_append(out, SCRAM_AUTH_MESSAGE_MAX, &used, server_first, server_first_len);
    scram_append(out, SCRAM_AUTH_MESSAGE_MAX, &used, ",", 1);
    scram_append(out, SCRAM_AUTH_MESSAGE_MAX, &used, without_proof, without_proof_len);
    return used;
}
