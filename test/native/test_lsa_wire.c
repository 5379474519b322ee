/* test_lsa_wire.c - the pipe messages' writer and reader, natively (ASan/UBSan): round
 * trips, every kind of malformed message, every truncation, and random damage. */
#include "../../src/common/lsa_wire.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

static uint8_t buf[LSA_WIRE_MAX_MESSAGE];

/* An INIT answer with one field of each kind. */
static size_t sample(void)
{
    lsa_wire_writer w;
    static const char token[] = "n,,n=alice,r=abcdef";

    lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_INIT | LSA_WIRE_ANSWER, 42);
    lsa_wire_put_u32(&w, LSA_FIELD_STATUS, 0x00090312);
    lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, 0x0200000001000003ull);
    lsa_wire_put_bytes(&w, LSA_FIELD_TOKEN, token, sizeof(token) - 1);
    return lsa_wire_finish(&w);
}

static void test_round_trip(void)
{
    lsa_wire_message m;
    size_t n = sample(), size, len;
    uint32_t status;
    uint64_t ctx;
    const uint8_t *token;

    ok(n == 16 + 12 + 16 + 8 + 20, "message length: header, u32, u64, 19 bytes padded to 20 (got %zu)", n);
    ok(lsa_wire_message_size(buf, 16, &size) == LSA_WIRE_OK && size == n,
       "the header alone tells the whole size");
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK && m.type == (LSA_WIRE_INIT | LSA_WIRE_ANSWER) &&
           m.call == 42, "parses: type and call number");
    ok(lsa_wire_get_u32(&m, LSA_FIELD_STATUS, &status) == LSA_WIRE_OK && status == 0x00090312,
       "u32 field");
    ok(lsa_wire_get_u64(&m, LSA_FIELD_CONTEXT, &ctx) == LSA_WIRE_OK &&
           ctx == 0x0200000001000003ull, "u64 field");
    ok(lsa_wire_get_bytes(&m, LSA_FIELD_TOKEN, 100, &token, &len) == LSA_WIRE_OK && len == 19 &&
           !memcmp(token, "n,,n=alice,r=abcdef", 19), "bytes field");
    ok(lsa_wire_get_bytes(&m, LSA_FIELD_TOKEN, 10, &token, &len) == LSA_WIRE_TOO_BIG && !token,
       "bytes field above the reader's limit refused");
    ok(lsa_wire_get_u32(&m, LSA_FIELD_FLAGS, &status) == LSA_WIRE_MISSING && status == 0,
       "absent field: missing, output cleared");
    ok(lsa_wire_get_u64(&m, LSA_FIELD_STATUS, &ctx) == LSA_WIRE_MISSING,
       "asking for the wrong kind finds nothing");
}

static void test_malformed(void)
{
    lsa_wire_message m;
    size_t n;

    n = sample();
    buf[0] ^= 1;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_HEADER, "bad magic");
    n = sample();
    buf[4] = 2;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_HEADER, "unknown version");
    n = sample();
    buf[6] = 99;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_HEADER, "unknown type");
    n = sample();
    buf[12] = 0xff;
    buf[13] = 0xff;
    buf[14] = 0xff;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_HEADER, "length above the limit");
    n = sample();
    ok(lsa_wire_parse(buf, n + 4, &m) == LSA_WIRE_BAD_HEADER, "bytes after the message");
    n = sample();
    buf[16] = 200;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "unknown tag");
    n = sample();
    buf[18] = LSA_KIND_BYTES;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "a tag with the wrong kind");
    n = sample();
    buf[20] = 5;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "a u32 of 5 bytes");
    n = sample();
    buf[n - 1] = 1;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD && m.type == 0,
       "non-zero padding, and nothing half-parsed is left");
    /* Found by the lsa_wire fuzz target: four bytes left over, too few for a field
     * header, were refused but left the type and the fields read so far. */
    n = sample();
    memset(buf + n, 0, 4);
    buf[12] += 4;
    ok(lsa_wire_parse(buf, n + 4, &m) == LSA_WIRE_BAD_FIELD && m.type == 0 && m.call == 0 &&
           m.fields[LSA_FIELD_STATUS].kind == 0,
       "bytes too few for a field header, and nothing half-parsed is left");
    n = sample();
    buf[16 + 12 + 16 + 4] = 0xff;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "a field longer than the message");
    {
        lsa_wire_writer w;
        lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_DELETE, 1);
        lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, 1);
        lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, 2);
        n = lsa_wire_finish(&w);
        ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "a repeated field");
        lsa_wire_begin(&w, buf, 40, LSA_WIRE_ACQUIRE, 1);
        lsa_wire_put_bytes(&w, LSA_FIELD_USER, "0123456789012345678901234567890", 31);
        ok(lsa_wire_finish(&w) == 0 && w.error == LSA_WIRE_TOO_BIG,
           "writer: a field past its buffer fails the whole message");
        lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_ACQUIRE, 1);
        lsa_wire_put_u64(&w, LSA_FIELD_USE, 1);
        ok(lsa_wire_finish(&w) == 0 && w.error == LSA_WIRE_BAD_FIELD,
           "writer: a tag written with the wrong kind is refused");
    }
}

static int all_zero(const lsa_wire_message *m)
{
    static const lsa_wire_message zero;
    return !memcmp(m, &zero, sizeof(zero));
}

/* A refused message leaves nothing of itself in the output, whichever check refused it:
 * the reader's contract is all or nothing. */
static void test_failure_leaves_nothing(void)
{
    lsa_wire_message m;
    size_t n = sample(), len;
    uint32_t u32 = 7;
    uint64_t u64 = 7;
    const uint8_t *data = buf;

    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK && !all_zero(&m), "a good message parses first");
    /* Four bytes after the last field: too short for a field header, caught after the
     * good fields before it were read. */
    buf[12] = (uint8_t)(n - 16 + 4);
    memset(buf + n, 0, 4);
    ok(lsa_wire_parse(buf, n + 4, &m) == LSA_WIRE_BAD_FIELD && all_zero(&m),
       "a field header cut short after good fields: refused, and no type, call or field left");
    n = sample();
    lsa_wire_parse(buf, n, &m);
    ok(lsa_wire_parse(buf, n - 1, &m) == LSA_WIRE_SHORT && all_zero(&m),
       "an incomplete message leaves nothing");
    lsa_wire_parse(buf, n, &m);
    ok(lsa_wire_parse(buf, n + 4, &m) == LSA_WIRE_BAD_HEADER && all_zero(&m),
       "bytes past the message leave nothing");
    lsa_wire_parse(buf, n, &m);
    ok(lsa_wire_get_u32(&m, LSA_FIELD_CONTEXT, &u32) == LSA_WIRE_MISSING && u32 == 0 &&
           lsa_wire_get_u64(&m, LSA_FIELD_STATUS, &u64) == LSA_WIRE_MISSING && u64 == 0,
       "getters of the wrong kind leave 0");
    len = 5;
    ok(lsa_wire_get_bytes(&m, LSA_FIELD_TOKEN, 4, &data, &len) == LSA_WIRE_TOO_BIG && !data &&
           len == 0, "a bytes field over the limit leaves NULL and 0");
    len = 5;
    data = buf;
    ok(lsa_wire_get_bytes(&m, LSA_FIELD_USER, 100, &data, &len) == LSA_WIRE_MISSING && !data &&
           len == 0, "an absent bytes field leaves NULL and 0");
}

static void test_truncation_and_damage(void)
{
    lsa_wire_message m;
    size_t n = sample();
    int all = 1, crashes_none = 1, refused_clean = 1;
    unsigned seed = 12345;
    uint8_t copy[256];

    for (size_t len = 0; len < n; len++) {
        lsa_wire_result r = lsa_wire_parse(buf, len, &m);
        if (r != LSA_WIRE_SHORT) {
            diag("prefix of %zu bytes: %s", len, lsa_wire_result_text(r));
            all = 0;
        }
    }
    ok(all, "every truncation is incomplete, never accepted");

    /* Random bytes changed: the parser must never read out of bounds (ASan watches), and
     * whatever it accepts must be self-consistent. */
    memcpy(copy, buf, n);
    for (int i = 0; i < 200000; i++) {
        uint8_t damaged[256];
        memcpy(damaged, copy, n);
        for (int k = 0; k < 1 + i % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            damaged[(seed >> 8) % n] = (uint8_t)(seed >> 20);
        }
        if (lsa_wire_parse(damaged, n, &m) != LSA_WIRE_OK) {
            refused_clean &= all_zero(&m);
        } else {
            for (int t = 1; t <= LSA_FIELD_LAST; t++)
                if (m.fields[t].kind &&
                    (m.fields[t].value < damaged || m.fields[t].value + m.fields[t].size >
                                                        damaged + n))
                    crashes_none = 0;
        }
    }
    ok(crashes_none, "200,000 randomly damaged messages: every accepted field lies inside");
    ok(refused_clean, "... and every refused one leaves the output all zero");
}

/* SET_ATTRIBUTES: a context or credential, an attribute and its value, up to
 * LSA_WIRE_MAX_ATTRIBUTE bytes, which fits a message with room to spare. */
static size_t set_attributes(uint16_t handle_tag, size_t value_len)
{
    static uint8_t value[LSA_WIRE_MAX_ATTRIBUTE + 1];
    lsa_wire_writer w;

    for (size_t i = 0; i < sizeof(value); i++)
        value[i] = (uint8_t)(i * 7 + 1);
    lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_SET_ATTRIBUTES, 9);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, 2);
    lsa_wire_put_u64(&w, handle_tag, 0x0200000001000003ull);
    lsa_wire_put_u32(&w, LSA_FIELD_ATTRIBUTE, 0x80000010u);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, value, value_len);
    return lsa_wire_finish(&w);
}

static void test_set_attributes(void)
{
    lsa_wire_message m;
    size_t n = set_attributes(LSA_FIELD_CONTEXT, 5), len;
    uint32_t attribute, package;
    uint64_t handle;
    const uint8_t *value;
    int all = 1;

    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK && m.type == LSA_WIRE_SET_ATTRIBUTES &&
           m.call == 9, "SET_ATTRIBUTES round trip: type and call");
    ok(lsa_wire_get_u32(&m, LSA_FIELD_PACKAGE, &package) == LSA_WIRE_OK && package == 2 &&
           lsa_wire_get_u64(&m, LSA_FIELD_CONTEXT, &handle) == LSA_WIRE_OK &&
           handle == 0x0200000001000003ull &&
           lsa_wire_get_u32(&m, LSA_FIELD_ATTRIBUTE, &attribute) == LSA_WIRE_OK &&
           attribute == 0x80000010u, "... package, context and attribute");
    ok(lsa_wire_get_bytes(&m, LSA_FIELD_VALUE, LSA_WIRE_MAX_ATTRIBUTE, &value, &len) ==
           LSA_WIRE_OK && len == 5 && !memcmp(value, "\x01\x08\x0f\x16\x1d", 5),
       "... and its 5-byte value");
    n = set_attributes(LSA_FIELD_CREDENTIAL, 0);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK &&
           lsa_wire_get_u64(&m, LSA_FIELD_CREDENTIAL, &handle) == LSA_WIRE_OK &&
           lsa_wire_get_bytes(&m, LSA_FIELD_VALUE, LSA_WIRE_MAX_ATTRIBUTE, &value, &len) ==
               LSA_WIRE_OK && len == 0, "a credential's attribute with an empty value");
    n = set_attributes(LSA_FIELD_CONTEXT, LSA_WIRE_MAX_ATTRIBUTE);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK &&
           lsa_wire_get_bytes(&m, LSA_FIELD_VALUE, LSA_WIRE_MAX_ATTRIBUTE, &value, &len) ==
               LSA_WIRE_OK && len == LSA_WIRE_MAX_ATTRIBUTE && value[65535] == (uint8_t)(65535 * 7 + 1),
       "a value of LSA_WIRE_MAX_ATTRIBUTE bytes fits one message");
    n = set_attributes(LSA_FIELD_CONTEXT, LSA_WIRE_MAX_ATTRIBUTE + 1);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK &&
           lsa_wire_get_bytes(&m, LSA_FIELD_VALUE, LSA_WIRE_MAX_ATTRIBUTE, &value, &len) ==
               LSA_WIRE_TOO_BIG && !value && len == 0,
       "one byte more is refused by the reader's limit, leaving NULL and 0");
    n = set_attributes(LSA_FIELD_CONTEXT, 300);
    for (size_t cut = 0; cut < n; cut++)
        all &= lsa_wire_parse(buf, cut, &m) == LSA_WIRE_SHORT;
    ok(all, "every truncation of a SET_ATTRIBUTES is incomplete");
    buf[16 + 12 + 16 + 12 + 4] ^= 0x40;
    ok(lsa_wire_parse(buf, n, &m) != LSA_WIRE_OK && all_zero(&m),
       "a value whose length runs past the message is refused, leaving nothing");
    n = set_attributes(LSA_FIELD_CONTEXT, 3);
    buf[n - 1] = 0xee;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "... and so is non-zero padding after it");
    n = set_attributes(LSA_FIELD_CONTEXT, 4);
    buf[6] = LSA_WIRE_TYPE_LAST + 1;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_HEADER, "a type past the last does not exist");
}

/* CHANGE_PASSWORD: package, the four strings as UTF-16LE bytes of `chars` units each
 * (the domain `domain_chars`), the impersonating flag. */
static size_t change_password(size_t domain_chars, size_t chars, uint32_t impersonating)
{
    static uint8_t text[2 * (LSA_WIRE_MAX_PASSWORD_STRING + 1)];
    lsa_wire_writer w;

    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (uint8_t)(i % 2 ? 0 : 'a' + i / 2 % 26);
    lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_CHANGE_PASSWORD, 11);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, 1);
    lsa_wire_put_bytes(&w, LSA_FIELD_DOMAIN, text, 2 * domain_chars);
    lsa_wire_put_bytes(&w, LSA_FIELD_USER, text, 2 * chars);
    lsa_wire_put_bytes(&w, LSA_FIELD_PASSWORD, text, 2 * chars);
    lsa_wire_put_bytes(&w, LSA_FIELD_NEW_PASSWORD, text, 2 * chars);
    lsa_wire_put_u32(&w, LSA_FIELD_IMPERSONATING, impersonating);
    return lsa_wire_finish(&w);
}

/* Each of the four strings read as the server reads it, under the cap. */
static int strings_are(const lsa_wire_message *m, size_t domain_chars, size_t chars)
{
    static const uint16_t tags[] = { LSA_FIELD_DOMAIN, LSA_FIELD_USER, LSA_FIELD_PASSWORD,
                                     LSA_FIELD_NEW_PASSWORD };
    const uint8_t *v;
    size_t len;

    for (size_t i = 0; i < 4; i++) {
        size_t want = 2 * (i ? chars : domain_chars);
        if (lsa_wire_get_bytes(m, tags[i], 2 * LSA_WIRE_MAX_PASSWORD_STRING, &v, &len) !=
                LSA_WIRE_OK || len != want || (len && (v[0] != 'a' || v[len - 2] !=
                                                       'a' + (len / 2 - 1) % 26)))
            return 0;
    }
    return 1;
}

static void test_change_password(void)
{
    static const uint8_t info[LSA_WIRE_PASSWORD_INFO_SIZE] = { 8, 0, 24, 0, 1, 0, 0, 0, 0xff };
    lsa_wire_message m;
    lsa_wire_writer w;
    size_t n = change_password(6, 5, 1), len;
    uint32_t package, flag;
    const uint8_t *v;
    int all = 1;

    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK && m.type == LSA_WIRE_CHANGE_PASSWORD &&
           m.call == 11, "CHANGE_PASSWORD round trip: type and call");
    ok(lsa_wire_get_u32(&m, LSA_FIELD_PACKAGE, &package) == LSA_WIRE_OK && package == 1 &&
           lsa_wire_get_u32(&m, LSA_FIELD_IMPERSONATING, &flag) == LSA_WIRE_OK && flag == 1,
       "... package and impersonating flag");
    ok(strings_are(&m, 6, 5), "... and its four strings");
    n = change_password(0, 0, 0);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK && strings_are(&m, 0, 0),
       "four empty strings are four present, empty fields");
    n = change_password(LSA_WIRE_MAX_PASSWORD_STRING, LSA_WIRE_MAX_PASSWORD_STRING, 0);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK &&
           strings_are(&m, LSA_WIRE_MAX_PASSWORD_STRING, LSA_WIRE_MAX_PASSWORD_STRING),
       "four strings of LSA_WIRE_MAX_PASSWORD_STRING units fit one message");
    n = change_password(2, LSA_WIRE_MAX_PASSWORD_STRING + 1, 0);
    ok(n && lsa_wire_parse(buf, n, &m) == LSA_WIRE_OK &&
           lsa_wire_get_bytes(&m, LSA_FIELD_NEW_PASSWORD, 2 * LSA_WIRE_MAX_PASSWORD_STRING,
                              &v, &len) == LSA_WIRE_TOO_BIG && !v && !len,
       "one unit more is refused by the reader's limit, leaving NULL and 0");
    n = change_password(3, 4, 0);
    for (size_t cut = 0; cut < n; cut++)
        all &= lsa_wire_parse(buf, cut, &m) == LSA_WIRE_SHORT;
    ok(all, "every truncation of a CHANGE_PASSWORD is incomplete");
    /* The domain's size field: header, PACKAGE (12), then the tag and kind (4). */
    buf[16 + 12 + 4 + 2] ^= 0x40;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD && all_zero(&m),
       "a domain whose length runs past the message is refused, leaving nothing");
    n = change_password(3, 4, 0);
    buf[16 + 12 + 8 + 6] = 0x01;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD, "non-zero padding after the domain");
    n = change_password(3, 4, 0);
    /* IMPERSONATING, the last field, retagged as a second PASSWORD of kind U32. */
    buf[n - 12] = LSA_FIELD_PASSWORD;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD && all_zero(&m),
       "a password field of the wrong kind is refused");
    n = change_password(3, 4, 0);
    buf[n - 12] = LSA_FIELD_NEW_PASSWORD;
    buf[n - 10] = LSA_KIND_BYTES;
    ok(lsa_wire_parse(buf, n, &m) == LSA_WIRE_BAD_FIELD && all_zero(&m),
       "a second new password is refused");

    lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_CHANGE_PASSWORD | LSA_WIRE_ANSWER, 11);
    lsa_wire_put_u32(&w, LSA_FIELD_STATUS, 0xc000006au);
    lsa_wire_put_bytes(&w, LSA_FIELD_PASSWORD_INFO, info, sizeof(info));
    n = lsa_wire_finish(&w);
    ok(n == 16 + 12 + 8 + LSA_WIRE_PASSWORD_INFO_SIZE && lsa_wire_parse(buf, n, &m) ==
           LSA_WIRE_OK && lsa_wire_get_bytes(&m, LSA_FIELD_PASSWORD_INFO,
                                             LSA_WIRE_PASSWORD_INFO_SIZE, &v, &len) ==
           LSA_WIRE_OK && len == sizeof(info) && !memcmp(v, info, len),
       "the answer: a status and the 24-byte DOMAIN_PASSWORD_INFORMATION, exactly");
    all = 1;
    for (size_t cut = 0; cut < n; cut++)
        all &= lsa_wire_parse(buf, cut, &m) == LSA_WIRE_SHORT;
    ok(all, "... every truncation of it incomplete");
}

int main(void)
{
    tap_start();
    test_round_trip();
    test_set_attributes();
    test_change_password();
    test_malformed();
    test_failure_leaves_nothing();
    test_truncation_and_damage();
    return done_testing();
}
