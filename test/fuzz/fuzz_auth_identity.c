/* fuzz_auth_identity.c - SEC_WINNT_AUTH_IDENTITY_EX2 and PackageList (auth_identity.c)
 * on whatever an application passes: an accepted EX2 has every string after the header
 * and inside the blob, UTF-16 strings of even lengths, no two regions sharing a byte, and
 * no ANSI or encryption flag; a refused one gives nothing back; PackageList's answer is
 * one of its three and the same for the list read as ANSI bytes twice. */
#include "fuzz.h"
#include "../../src/common/auth_identity.h"

#include <string.h>

static int inside(auth_identity_span s, size_t size)
{
    return !s.length || ((uint64_t)s.offset >= AUTH_IDENTITY_EX2_HEADER &&
                         (uint64_t)s.offset + s.length <= size);
}

static int apart(auth_identity_span a, auth_identity_span b)
{
    return !a.length || !b.length || (uint64_t)a.offset + a.length <= b.offset ||
           (uint64_t)b.offset + b.length <= a.offset;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auth_identity_ex2 id;
    auth_identity_result r = auth_identity_ex2_parse(data, size, &id);
    auth_identity_listed a, b;

    if (r == AUTH_IDENTITY_OK) {
        FUZZ_CHECK(inside(id.user, size) && inside(id.domain, size) &&
                   inside(id.password, size) && inside(id.package_list, size));
        FUZZ_CHECK(id.user.length % 2 == 0 && id.domain.length % 2 == 0 &&
                   id.password.length % 2 == 0 && id.package_list.length % 2 == 0);
        FUZZ_CHECK(apart(id.user, id.domain) && apart(id.user, id.password) &&
                   apart(id.user, id.package_list) && apart(id.domain, id.password) &&
                   apart(id.domain, id.package_list) && apart(id.password, id.package_list));
        FUZZ_CHECK(!(id.flags & (AUTH_IDENTITY_FLAG_ANSI | AUTH_IDENTITY_FLAGS_ENCRYPTED)));
        a = auth_identity_package_listed(data + id.package_list.offset, id.package_list.length,
                                         1, "SCRAM-SHA-256");
        FUZZ_CHECK(a <= AUTH_IDENTITY_NOT_LISTED);
    } else {
        static const auth_identity_ex2 none;
        FUZZ_CHECK(!memcmp(&id, &none, sizeof(id)));
        FUZZ_CHECK(r <= AUTH_IDENTITY_E_ENCRYPTED);
    }
    a = auth_identity_package_listed(data, size, 0, "SCRAM-SHA-256");
    b = auth_identity_package_listed(data, size, 0, "scram-sha-256");
    FUZZ_CHECK(a == b && a <= AUTH_IDENTITY_NOT_LISTED);
    return 0;
}
