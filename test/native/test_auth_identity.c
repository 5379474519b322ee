/* test_auth_identity.c - SEC_WINNT_AUTH_IDENTITY_EX2 read by src/common/auth_identity.c,
 * natively (ASan/UBSan): a well-formed blob, every malformed shape refused with its
 * reason, every truncation, random damage (what is accepted lies inside the blob), and
 * PackageList's syntax. Each blob is parsed from a heap copy of exactly its size, so a
 * read one byte past it is an AddressSanitizer report. */
#include "../../src/common/auth_identity.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

/* ASCII text as UTF-16LE at p; returns the bytes written. */
static uint32_t wide(uint8_t *p, const char *text)
{
    uint32_t n = (uint32_t)strlen(text);
    for (uint32_t i = 0; i < n; i++)
        put16(p + 2 * i, (uint8_t)text[i]);
    return 2 * n;
}

static const uint8_t password_guid[16] = { 0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                           0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a };

/* Field offsets in the EX2 header. */
enum { VERSION = 0, HEADER = 4, STRUCTURE = 8, USER = 12, DOMAIN = 20, PACKED = 28, FLAGS = 36,
       LIST = 40 };

/* The blob SspiEncodeStringsAsAuthIdentity would make for alice / WORKGROUP / pencil,
 * with PackageList "SCRAM-SHA-256": header, user, domain, packed credentials (its header,
 * then the password), package list. Returns its size. */
static uint32_t good(uint8_t *b)
{
    uint32_t at = AUTH_IDENTITY_EX2_HEADER, n, packed;

    memset(b, 0, 512);
    put32(b + VERSION, AUTH_IDENTITY_EX2_VERSION);
    put16(b + HEADER, AUTH_IDENTITY_EX2_HEADER);
    n = wide(b + at, "alice");
    put32(b + USER, at);
    put16(b + USER + 4, n);
    at += n;
    n = wide(b + at, "WORKGROUP");
    put32(b + DOMAIN, at);
    put16(b + DOMAIN + 4, n);
    at += n;
    packed = at;
    n = wide(b + packed + AUTH_IDENTITY_PACKED_HEADER, "pencil");
    put16(b + packed, AUTH_IDENTITY_PACKED_HEADER);
    put16(b + packed + 2, AUTH_IDENTITY_PACKED_HEADER + n);
    memcpy(b + packed + 4, password_guid, 16);
    put32(b + packed + 20, AUTH_IDENTITY_PACKED_HEADER);
    put16(b + packed + 24, n);
    put32(b + PACKED, packed);
    put16(b + PACKED + 4, AUTH_IDENTITY_PACKED_HEADER + n);
    at += AUTH_IDENTITY_PACKED_HEADER + n;
    put32(b + FLAGS, AUTH_IDENTITY_FLAG_UNICODE | 0x4 /* MARSHALLED */);
    n = wide(b + at, "SCRAM-SHA-256");
    put32(b + LIST, at);
    put16(b + LIST + 4, n);
    at += n;
    put32(b + STRUCTURE, at);
    return at;
}

/* Parses the first size bytes of b from a heap copy of exactly that size. */
static auth_identity_result parse(const uint8_t *b, size_t size, auth_identity_ex2 *out)
{
    uint8_t *copy = malloc(size ? size : 1);
    auth_identity_result r;

    memcpy(copy, b, size);
    r = auth_identity_ex2_parse(copy, size, out);
    free(copy);
    return r;
}

static int span_is(const uint8_t *b, auth_identity_span s, const char *text)
{
    uint8_t w[64];
    uint32_t n = wide(w, text);
    return s.length == n && !memcmp(b + s.offset, w, n);
}

static void test_good(void)
{
    uint8_t b[512];
    uint32_t size = good(b);
    auth_identity_ex2 id;
    auth_identity_result r = parse(b, size, &id);

    ok(r == AUTH_IDENTITY_OK, "a well-formed EX2 parses (%s)", auth_identity_text(r));
    ok(span_is(b, id.user, "alice") && span_is(b, id.domain, "WORKGROUP") &&
           span_is(b, id.password, "pencil") && span_is(b, id.package_list, "SCRAM-SHA-256"),
       "... user, domain, password and package list where they are");
    ok(id.flags == (AUTH_IDENTITY_FLAG_UNICODE | 0x4), "... flags %#x", id.flags);

    /* No packed credentials, no domain, no list: a user alone. */
    put16(b + DOMAIN + 4, 0);
    put16(b + PACKED + 4, 0);
    put16(b + LIST + 4, 0);
    r = parse(b, size, &id);
    ok(r == AUTH_IDENTITY_OK && id.password.length == 0 && id.domain.length == 0,
       "absent strings (length 0) are absent (%s)", auth_identity_text(r));
}

typedef struct damage {
    const char *what;
    uint32_t field, value, width;   /* the field changed (width 2 or 4 bytes) */
    auth_identity_result want;
    int user_length;                /* UserLength set too; -1: left alone */
} damage;

static void test_malformed(void)
{
    uint8_t b[512];
    uint32_t size = good(b), packed = b[PACKED] | b[PACKED + 1] << 8;
    uint32_t pw = packed + AUTH_IDENTITY_PACKED_HEADER;
    auth_identity_ex2 id;
    auth_identity_result r;

    const damage cases[] = {
        { "Version 0x200 (an EXW's)", VERSION, 0x200, 4, AUTH_IDENTITY_E_VERSION, -1 },
        { "Version 0x202", VERSION, 0x202, 4, AUTH_IDENTITY_E_VERSION, -1 },
        { "cbHeaderLength 44", HEADER, 44, 2, AUTH_IDENTITY_E_HEADER, -1 },
        { "cbHeaderLength 64", HEADER, 64, 2, AUTH_IDENTITY_E_HEADER, -1 },
        { "cbStructureLength one more than the blob", STRUCTURE, size + 1, 4, AUTH_IDENTITY_E_SHORT, -1 },
        { "cbStructureLength one less than the blob", STRUCTURE, size - 1, 4, AUTH_IDENTITY_E_LENGTH, -1 },
        { "UserOffset past the end", USER, size, 4, AUTH_IDENTITY_E_RANGE, -1 },
        { "UserOffset so the user ends one byte past the end", USER, size - 9, 4, AUTH_IDENTITY_E_RANGE, 10 },
        { "UserOffset inside the header", USER, 40, 4, AUTH_IDENTITY_E_RANGE, -1 },
        { "UserOffset near 4 GiB (offset + length wraps)", USER, 0xfffffffc, 4, AUTH_IDENTITY_E_RANGE, -1 },
        { "UserLength odd", USER + 4, 9, 2, AUTH_IDENTITY_E_ODD, -1 },
        { "DomainLength odd", DOMAIN + 4, 17, 2, AUTH_IDENTITY_E_ODD, -1 },
        { "PackageListLength odd", LIST + 4, 25, 2, AUTH_IDENTITY_E_ODD, -1 },
        { "the domain over the user", DOMAIN, 50, 4, AUTH_IDENTITY_E_OVERLAP, -1 },
        { "the package list over the packed credentials", LIST, pw, 4, AUTH_IDENTITY_E_OVERLAP, -1 },
        { "the user inside the password", USER, pw + 2, 4, AUTH_IDENTITY_E_OVERLAP, -1 },
        { "an empty user's offset past the end", USER, size + 1, 4, AUTH_IDENTITY_E_RANGE, 0 },
        { "PackedCredentialsLength under its header", PACKED + 4, 20, 2, AUTH_IDENTITY_E_PACKED, -1 },
        { "the packed cbHeaderLength 24", packed, 24, 2, AUTH_IDENTITY_E_PACKED, -1 },
        { "the packed cbStructureLength not its length", packed + 2, 30, 2, AUTH_IDENTITY_E_PACKED, -1 },
        { "the password's offset inside the packed header", packed + 20, 8, 4, AUTH_IDENTITY_E_PACKED, -1 },
        { "the password past the packed credentials", packed + 20, 30, 4, AUTH_IDENTITY_E_PACKED, -1 },
        { "the password's offset near 4 GiB", packed + 20, 0xfffffff0, 4, AUTH_IDENTITY_E_PACKED, -1 },
        { "the password's length odd", packed + 24, 11, 2, AUTH_IDENTITY_E_ODD, -1 },
        { "the ANSI flag", FLAGS, AUTH_IDENTITY_FLAG_ANSI, 4, AUTH_IDENTITY_E_ANSI, -1 },
        { "encrypted by SspiEncryptAuthIdentity (0x10)", FLAGS, 0x12, 4, AUTH_IDENTITY_E_ENCRYPTED, -1 },
        { "a certificate, not a password", packed + 4, 0x235f69ad, 4, AUTH_IDENTITY_E_CREDENTIAL_TYPE, -1 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const damage *c = &cases[i];
        good(b);
        if (c->user_length >= 0)
            put16(b + USER + 4, (uint32_t)c->user_length);
        if (c->width == 2)
            put16(b + c->field, c->value);
        else
            put32(b + c->field, c->value);
        r = parse(b, size, &id);
        ok(r == c->want, "%s: %s (got %s)", c->what, auth_identity_text(c->want),
           auth_identity_text(r));
        ok(id.user.length == 0 && id.password.length == 0 && id.flags == 0,
           "... and nothing comes back");
    }
}

static void test_truncations(void)
{
    uint8_t b[512];
    uint32_t size = good(b);
    auth_identity_ex2 id;
    int refused = 1;

    /* Each prefix, with cbStructureLength still claiming the whole: too short. */
    for (uint32_t n = 0; n < size; n++)
        refused &= parse(b, n, &id) != AUTH_IDENTITY_OK;
    ok(refused, "every one of the %u truncations is refused", size);
}

static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static int inside(auth_identity_span s, uint32_t size)
{
    return !s.length || ((uint64_t)s.offset >= AUTH_IDENTITY_EX2_HEADER &&
                         (uint64_t)s.offset + s.length <= size);
}

static void test_random_damage(void)
{
    uint8_t b[512];
    uint32_t size = good(b), seed = 0x5eed1234, accepted = 0;
    auth_identity_ex2 id;
    int sound = 1;

    for (int round = 0; round < 200000; round++) {
        good(b);
        for (int k = 1 + next_random(&seed) % 4; k > 0; k--)
            b[next_random(&seed) % size] = (uint8_t)next_random(&seed);
        if (parse(b, size, &id) != AUTH_IDENTITY_OK)
            continue;
        accepted++;
        sound &= inside(id.user, size) && inside(id.domain, size) && inside(id.password, size) &&
                 inside(id.package_list, size) && id.user.length % 2 == 0 &&
                 id.password.length % 2 == 0;
    }
    ok(sound, "200000 damaged blobs: the %u accepted have every string inside, even", accepted);
}

static auth_identity_listed listed(const char *list, int as_wide)
{
    uint8_t w[256];
    if (!as_wide)
        return auth_identity_package_listed((const uint8_t *)list, strlen(list), 0, "SCRAM-SHA-256");
    return auth_identity_package_listed(w, wide(w, list), 1, "SCRAM-SHA-256");
}

static void test_package_list(void)
{
    static const struct {
        const char *list;
        auth_identity_listed want;
    } cases[] = {
        { "", AUTH_IDENTITY_LISTED },
        { " , ,", AUTH_IDENTITY_LISTED },
        { "SCRAM-SHA-256", AUTH_IDENTITY_LISTED },
        { "scram-sha-256", AUTH_IDENTITY_LISTED },
        { "Kerberos, NTLM", AUTH_IDENTITY_NOT_LISTED },
        { "Kerberos, scram-sha-256 ", AUTH_IDENTITY_LISTED },
        { "!NTLM", AUTH_IDENTITY_LISTED },
        { "!SCRAM-SHA-256", AUTH_IDENTITY_EXCLUDED },
        { "SCRAM-SHA-256,!SCRAM-SHA-256", AUTH_IDENTITY_EXCLUDED },
        { "NTLM, ! scram-sha-256", AUTH_IDENTITY_NOT_LISTED },
        { "SCRAM-SHA-2560", AUTH_IDENTITY_NOT_LISTED },
        { "SCRAM-SHA-25", AUTH_IDENTITY_NOT_LISTED },
        { "!", AUTH_IDENTITY_LISTED },
    };
    static const char *names[] = { "listed", "excluded", "not listed" };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (int w = 0; w < 2; w++) {
            auth_identity_listed got = listed(cases[i].list, w);
            ok(got == cases[i].want, "PackageList \"%s\" (%s): %s (got %s)", cases[i].list,
               w ? "UTF-16" : "ANSI", names[cases[i].want], names[got]);
        }
    {
        /* A non-ASCII unit that folds to nothing ASCII never matches. */
        uint8_t w[32];
        uint32_t n = wide(w, "SCRAM-SHA-256");
        put16(w, 0x0153);
        ok(auth_identity_package_listed(w, n, 1, "SCRAM-SHA-256") == AUTH_IDENTITY_NOT_LISTED,
           "a name with a non-ASCII unit is another package");
        ok(auth_identity_package_listed(w, 3, 1, "SCRAM-SHA-256") == AUTH_IDENTITY_NOT_LISTED,
           "an odd byte count reads whole units only");
    }
}

int main(void)
{
    test_good();
    test_malformed();
    test_truncations();
    test_random_damage();
    test_package_list();
    return done_testing();
}
