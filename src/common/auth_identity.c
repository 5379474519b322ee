/* auth_identity.c - SEC_WINNT_AUTH_IDENTITY_EX2 read from its bytes, and PackageList
 * (auth_identity.h; the layouts are the SEC_WINNT_AUTH_IDENTITY_EX2 and
 * SEC_WINNT_AUTH_PACKED_CREDENTIALS pages of sspi.h). */
#include "auth_identity.h"

#include <string.h>

/* SEC_WINNT_AUTH_DATA_TYPE_PASSWORD {28bfc32f-10f6-4738-98d1-1ac061df716a} as it lies in
 * memory: Data1, Data2, Data3 little-endian, then Data4's eight bytes. */
static const uint8_t password_type[16] = { 0x2f, 0xc3, 0xbf, 0x28, 0xf6, 0x10, 0x38, 0x47,
                                           0x98, 0xd1, 0x1a, 0xc0, 0x61, 0xdf, 0x71, 0x6a };

const char *auth_identity_text(auth_identity_result r)
{
    switch (r) {
    case AUTH_IDENTITY_OK: return "well formed";
    case AUTH_IDENTITY_E_SHORT: return "shorter than its header or its cbStructureLength";
    case AUTH_IDENTITY_E_VERSION: return "Version is not SEC_WINNT_AUTH_IDENTITY_VERSION_2";
    case AUTH_IDENTITY_E_HEADER: return "cbHeaderLength is not the header's 48 bytes";
    case AUTH_IDENTITY_E_LENGTH: return "cbStructureLength is not the structure's size";
    case AUTH_IDENTITY_E_RANGE: return "a string starts inside the header or ends past the structure";
    case AUTH_IDENTITY_E_ODD: return "a UTF-16 string has an odd number of bytes";
    case AUTH_IDENTITY_E_OVERLAP: return "two strings overlap";
    case AUTH_IDENTITY_E_PACKED: return "the packed credentials do not hold together";
    case AUTH_IDENTITY_E_ANSI: return "the ANSI flag is set, but EX2 strings are UTF-16";
    case AUTH_IDENTITY_E_CREDENTIAL_TYPE: return "the packed credentials are not a password";
    case AUTH_IDENTITY_E_ENCRYPTED: return "the strings are encrypted (SspiEncryptAuthIdentity)";
    }
    return "unknown result";
}

static uint32_t u16_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A span inside [start, end): an empty one anywhere up to end. 64-bit sums: an offset
 * near 4 GiB plus a length must not wrap. */
static int span_inside(auth_identity_span s, uint64_t start, uint64_t end)
{
    if (!s.length)
        return s.offset <= end;
    return s.offset >= start && (uint64_t)s.offset + s.length <= end;
}

static int spans_overlap(auth_identity_span a, auth_identity_span b)
{
    if (!a.length || !b.length)
        return 0;
    return (uint64_t)a.offset < (uint64_t)b.offset + b.length &&
           (uint64_t)b.offset < (uint64_t)a.offset + a.length;
}

/* The packed credentials at span p: its header, then the password inside it. */
static auth_identity_result read_packed(const uint8_t *blob, auth_identity_span p,
                                        auth_identity_span *password, int *is_password)
{
    const uint8_t *c = blob + p.offset;
    auth_identity_span data;

    if (p.length < AUTH_IDENTITY_PACKED_HEADER || u16_at(c) != AUTH_IDENTITY_PACKED_HEADER ||
        u16_at(c + 2) != p.length)
        return AUTH_IDENTITY_E_PACKED;
    data.offset = u32_at(c + 20);
    data.length = u16_at(c + 24);
    if (!span_inside(data, AUTH_IDENTITY_PACKED_HEADER, p.length))
        return AUTH_IDENTITY_E_PACKED;
    *is_password = !memcmp(c + 4, password_type, sizeof(password_type));
    /* A password is UTF-16 (SEC_WINNT_AUTH_DATA_PASSWORD's UnicodePassword). */
    if (*is_password && data.length % 2)
        return AUTH_IDENTITY_E_ODD;
    password->offset = p.offset + data.offset;
    password->length = data.length;
    return AUTH_IDENTITY_OK;
}

auth_identity_result auth_identity_ex2_parse(const uint8_t *blob, size_t size,
                                             auth_identity_ex2 *out)
{
    auth_identity_span s[4], password = { 0, 0 };
    auth_identity_result r;
    uint32_t flags;
    int is_password = 0;

    memset(out, 0, sizeof(*out));
    if (size < AUTH_IDENTITY_EX2_HEADER)
        return AUTH_IDENTITY_E_SHORT;
    if (u32_at(blob) != AUTH_IDENTITY_EX2_VERSION)
        return AUTH_IDENTITY_E_VERSION;
    if (u16_at(blob + 4) != AUTH_IDENTITY_EX2_HEADER)
        return AUTH_IDENTITY_E_HEADER;
    if (u32_at(blob + 8) != size || size > AUTH_IDENTITY_EX2_MAX)
        return u32_at(blob + 8) > size ? AUTH_IDENTITY_E_SHORT : AUTH_IDENTITY_E_LENGTH;
    /* user, domain, packed credentials, package list: each (offset u32, length u16). */
    for (int i = 0; i < 4; i++) {
        size_t at = 12 + 8 * (size_t)i + (i == 3 ? 4 : 0);
        s[i].offset = u32_at(blob + at);
        s[i].length = u16_at(blob + at + 4);
        if (!span_inside(s[i], AUTH_IDENTITY_EX2_HEADER, size))
            return AUTH_IDENTITY_E_RANGE;
        if (i != 2 && s[i].length % 2)
            return AUTH_IDENTITY_E_ODD;
    }
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (spans_overlap(s[i], s[j]))
                return AUTH_IDENTITY_E_OVERLAP;
    flags = u32_at(blob + 36);
    if (flags & AUTH_IDENTITY_FLAG_ANSI)
        return AUTH_IDENTITY_E_ANSI;
    if (s[2].length) {
        r = read_packed(blob, s[2], &password, &is_password);
        if (r != AUTH_IDENTITY_OK)
            return r;
    }
    if (flags & AUTH_IDENTITY_FLAGS_ENCRYPTED)
        return AUTH_IDENTITY_E_ENCRYPTED;
    if (s[2].length && !is_password)
        return AUTH_IDENTITY_E_CREDENTIAL_TYPE;
    out->user = s[0];
    out->domain = s[1];
    out->password = password;
    out->package_list = s[3];
    out->flags = flags;
    return AUTH_IDENTITY_OK;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Code unit i of a list of UTF-16LE (wide) or single-byte units. */
static uint32_t unit(const uint8_t *list, int wide, size_t i)
{
    return wide ? u16_at(list + 2 * i) : list[i];
}

/* Whether units [from, to) of the list spell name, ignoring ASCII case. */
static int names(const uint8_t *list, int wide, size_t from, size_t to, const char *name)
{
    size_t n = strlen(name);

    if (to - from != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = unit(list, wide, from + i);
        if (u > 0x7f || lower((int)u) != lower((unsigned char)name[i]))
            return 0;
    }
    return 1;
}

auth_identity_listed auth_identity_package_listed(const uint8_t *list, size_t bytes, int wide,
                                                  const char *name)
{
    size_t units = wide ? bytes / 2 : bytes, start = 0;
    int includes = 0, included = 0;

    while (start <= units) {
        size_t end = start, from, to;
        int exclude = 0;
        while (end < units && unit(list, wide, end) != ',')
            end++;
        from = start;
        to = end;
        while (from < to && unit(list, wide, from) == ' ')
            from++;
        while (to > from && unit(list, wide, to - 1) == ' ')
            to--;
        if (from < to && unit(list, wide, from) == '!') {
            exclude = 1;
            from++;
        }
        if (from < to) {
            int match = names(list, wide, from, to, name);
            if (exclude && match)
                return AUTH_IDENTITY_EXCLUDED;
            if (!exclude) {
                includes = 1;
                included |= match;
            }
        }
        start = end + 1;
    }
    return includes && !included ? AUTH_IDENTITY_NOT_LISTED : AUTH_IDENTITY_LISTED;
}
