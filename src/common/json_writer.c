/* json_writer.c - JSON text per RFC 8259 (see json_writer.h). */
#include "json_writer.h"

#include <stdio.h>
#include <string.h>

enum { JSON_ERR_NESTING = 1, JSON_ERR_NO_KEY, JSON_ERR_KEY_OUTSIDE_OBJECT, JSON_ERR_UNBALANCED,
       JSON_ERR_AFTER_END };

static void put(json_writer *w, const char *s, size_t n)
{
    if (!w->error)
        w->sink(w->ctx, s, n);
}

static void puts_(json_writer *w, const char *s)
{
    put(w, s, strlen(s));
}

static void fail(json_writer *w, int why)
{
    if (!w->error)
        w->error = why;
}

static void newline_indent(json_writer *w, int depth)
{
    static const char spaces[] = "                                ";
    put(w, "\n", 1);
    for (int i = 0; i < depth; i++)
        put(w, spaces, 2);
}

void json_init(json_writer *w, json_sink sink, void *ctx)
{
    memset(w, 0, sizeof(*w));
    w->sink = sink;
    w->ctx = ctx;
}

/* Before any value: the separator and indentation its place asks for, and whether a
 * value may stand there at all (inside an object only after its key). */
static void before_value(json_writer *w)
{
    if (w->done) {
        fail(w, JSON_ERR_AFTER_END);
        return;
    }
    if (w->depth == 0)
        return;
    if (w->open[w->depth - 1] == '{') {
        if (!w->have_key)
            fail(w, JSON_ERR_NO_KEY);
        w->have_key = 0;
        return;
    }
    if (!w->empty[w->depth - 1])
        put(w, ",", 1);
    w->empty[w->depth - 1] = 0;
    newline_indent(w, w->depth);
}

/* After a value: at depth 0 the document is complete. */
static void after_value(json_writer *w)
{
    if (w->depth == 0)
        w->done = 1;
}

static void begin(json_writer *w, char open)
{
    before_value(w);
    if (w->depth == JSON_MAX_DEPTH) {
        fail(w, JSON_ERR_NESTING);
        return;
    }
    put(w, &open, 1);
    w->open[w->depth] = open;
    w->empty[w->depth] = 1;
    w->depth++;
}

static void end(json_writer *w, char open)
{
    if (w->depth == 0 || w->open[w->depth - 1] != open || w->have_key) {
        fail(w, JSON_ERR_UNBALANCED);
        return;
    }
    w->depth--;
    if (!w->empty[w->depth])
        newline_indent(w, w->depth);
    put(w, open == '{' ? "}" : "]", 1);
    after_value(w);
}

void json_object_begin(json_writer *w)
{
    begin(w, '{');
}

void json_object_end(json_writer *w)
{
    end(w, '{');
}

void json_array_begin(json_writer *w)
{
    begin(w, '[');
}

void json_array_end(json_writer *w)
{
    end(w, '[');
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

static void string_body(json_writer *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    put(w, "\"", 1);
    while (n) {
        size_t run = 0, len;
        char esc[8];

        /* Bytes that need nothing are written as one run. */
        while (run < n && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' &&
               (len = utf8_sequence(p + run, n - run)) != 0)
            run += len;
        put(w, (const char *)p, run);
        p += run;
        n -= run;
        if (!n)
            break;
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(w, esc, 2);
        } else if (*p == '\n') {
            puts_(w, "\\n");
        } else if (*p == '\r') {
            puts_(w, "\\r");
        } else if (*p == '\t') {
            puts_(w, "\\t");
        } else if (*p < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", *p);
            puts_(w, esc);
        } else {
            /* Not UTF-8: one replacement character per byte that starts no sequence. */
            puts_(w, "\\ufffd");
        }
        p++;
        n--;
    }
    put(w, "\"", 1);
}

void json_key(json_writer *w, const char *key)
{
    if (w->depth == 0 || w->open[w->depth - 1] != '{' || w->have_key) {
        fail(w, JSON_ERR_KEY_OUTSIDE_OBJECT);
        return;
    }
    if (!w->empty[w->depth - 1])
        put(w, ",", 1);
    w->empty[w->depth - 1] = 0;
    newline_indent(w, w->depth);
    string_body(w, key);
    put(w, ": ", 2);
    w->have_key = 1;
}

void json_string(json_writer *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    before_value(w);
    string_body(w, s);
    after_value(w);
}

void json_int(json_writer *w, int64_t v)
{
    char text[24];

    before_value(w);
    snprintf(text, sizeof(text), "%lld", (long long)v);
    puts_(w, text);
    after_value(w);
}

void json_bool(json_writer *w, int v)
{
    before_value(w);
    puts_(w, v ? "true" : "false");
    after_value(w);
}

void json_null(json_writer *w)
{
    before_value(w);
    puts_(w, "null");
    after_value(w);
}

int json_finish(json_writer *w)
{
    if (!w->done)
        fail(w, JSON_ERR_UNBALANCED);
    put(w, "\n", 1);
    return w->error ? -1 : 0;
}
