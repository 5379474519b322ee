/* test_json_writer.c - the JSON writer natively (ASan/UBSan): exact output for nesting,
 * escapes of every kind, text that is not UTF-8, and each misuse as a sticky error. */
#include "../../src/common/json_writer.h"
#include "../tap.h"

#include <string.h>

static char out[4096];
static size_t used;

static void sink(void *ctx, const char *bytes, size_t n)
{
    (void)ctx;
    if (used + n < sizeof(out)) {
        memcpy(out + used, bytes, n);
        used += n;
        out[used] = 0;
    }
}

static void start(json_writer *w)
{
    used = 0;
    out[0] = 0;
    json_init(w, sink, NULL);
}

/* One string value on its own, as written. */
static const char *string_alone(const char *s)
{
    json_writer w;
    start(&w);
    json_string(&w, s);
    json_finish(&w);
    if (used && out[used - 1] == '\n')
        out[--used] = 0; /* the document's final newline, so a failure prints one line */
    return out;
}

static void test_document(void)
{
    json_writer w;
    static const char want[] =
        "{\n"
        "  \"name\": \"sspkg\",\n"
        "  \"count\": -3,\n"
        "  \"big\": 9223372036854775807,\n"
        "  \"ok\": true,\n"
        "  \"none\": null,\n"
        "  \"list\": [\n"
        "    1,\n"
        "    {\n"
        "      \"a\": false\n"
        "    },\n"
        "    []\n"
        "  ],\n"
        "  \"empty\": {}\n"
        "}\n";

    start(&w);
    json_object_begin(&w);
    json_key(&w, "name");
    json_string(&w, "sspkg");
    json_key(&w, "count");
    json_int(&w, -3);
    json_key(&w, "big");
    json_int(&w, INT64_MAX);
    json_key(&w, "ok");
    json_bool(&w, 1);
    json_key(&w, "none");
    json_string(&w, NULL);
    json_key(&w, "list");
    json_array_begin(&w);
    json_int(&w, 1);
    json_object_begin(&w);
    json_key(&w, "a");
    json_bool(&w, 0);
    json_object_end(&w);
    json_array_begin(&w);
    json_array_end(&w);
    json_array_end(&w);
    json_key(&w, "empty");
    json_object_begin(&w);
    json_object_end(&w);
    json_object_end(&w);
    ok(json_finish(&w) == 0, "a nested document finishes cleanly");
    if (!ok(!strcmp(out, want), "written exactly, two spaces a level"))
        printf("# got:\n%s", out);
}

static void test_escapes(void)
{
    ok(!strcmp(string_alone("say \"hi\" \\ there"), "\"say \\\"hi\\\" \\\\ there\""),
       "quotes and backslashes escaped (got %s)", out);
    ok(!strcmp(string_alone("a\nb\rc\td"), "\"a\\nb\\rc\\td\""),
       "newline, return and tab as short escapes (got %s)", out);
    ok(!strcmp(string_alone("\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\""),
       "other control characters as \\u00XX; DEL needs none (got %s)", out);
    ok(!strcmp(string_alone("Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x94\x91"),
               "\"Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x94\x91\""),
       "well-formed UTF-8 of 2, 3 and 4 bytes passes through (got %s)", out);
    ok(!strcmp(string_alone(""), "\"\""), "the empty string (got %s)", out);
}

static void test_not_utf8(void)
{
    static const struct { const char *in, *want, *what; } cases[] = {
        { "a\xff" "b", "\"a\\ufffdb\"", "a byte that starts nothing" },
        { "\x80", "\"\\ufffd\"", "a lone continuation byte" },
        { "\xc3", "\"\\ufffd\"", "a sequence cut off at the end" },
        { "\xc3(", "\"\\ufffd(\"", "a sequence cut off by ASCII" },
        { "\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong '/'" },
        { "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", "a three-byte overlong" },
        { "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a UTF-16 surrogate (U+D800)" },
        { "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "past U+10FFFF" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ok(!strcmp(string_alone(cases[i].in), cases[i].want), "not UTF-8, %s: U+FFFD (got %s)",
           cases[i].what, out);
}

static void test_keys_escaped(void)
{
    json_writer w;
    start(&w);
    json_object_begin(&w);
    json_key(&w, "k\"\n");
    json_int(&w, 1);
    json_object_end(&w);
    ok(json_finish(&w) == 0 && !strcmp(out, "{\n  \"k\\\"\\n\": 1\n}\n"),
       "keys are escaped as strings are");
}

static size_t count_of(char c)
{
    size_t n = 0;
    for (const char *p = out; *p; p++)
        n += *p == c;
    return n;
}

static void test_misuse(void)
{
    json_writer w;

    start(&w);
    json_object_begin(&w);
    json_int(&w, 1);
    ok(json_finish(&w) != 0, "a member without a key is an error");

    start(&w);
    json_array_begin(&w);
    json_key(&w, "k");
    ok(json_finish(&w) != 0, "a key inside an array is an error");

    start(&w);
    json_array_begin(&w);
    json_object_end(&w);
    ok(json_finish(&w) != 0, "closing an array as an object is an error");

    start(&w);
    json_object_begin(&w);
    json_key(&w, "k");
    json_object_end(&w);
    ok(json_finish(&w) != 0, "a key without its value is an error");

    start(&w);
    json_int(&w, 1);
    json_int(&w, 2);
    ok(json_finish(&w) != 0 && !strcmp(out, "1"), "a second top-level value is an error, "
       "and nothing after it is written (got %s)", out);

    start(&w);
    json_object_begin(&w);
    ok(json_finish(&w) != 0, "an object left open is an error");

    start(&w);
    for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
        json_array_begin(&w);
    ok(json_finish(&w) != 0 && count_of('[') == JSON_MAX_DEPTH,
       "nesting past JSON_MAX_DEPTH is an error, and stops the output (%zu '[')", count_of('['));

    start(&w);
    ok(json_finish(&w) != 0, "an empty document is an error");
}

int main(void)
{
    tap_start();
    test_document();
    test_escapes();
    test_not_utf8();
    test_keys_escaped();
    test_misuse();
    return done_testing();
}
