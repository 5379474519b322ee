/* test_sspkg_call.c - the package's CallPackage messages as sspkg-user builds and reads
 * them (src/common/sspkg_call.c), natively (ASan/UBSan): a request's layout, and list
 * and error responses that do not hold together refused, whatever is damaged. */
#include "../../src/common/sspkg_call.h"
#include "../tap.h"

#include <string.h>

static const uint16_t bob[] = { 'b', 'o', 'b' };

static void test_request(void)
{
    uint32_t length = 0;
    uint8_t *r = sspkg_call_request(SSPKG_CALL_SET_USER, 0, 8192, bob, 3, "p\0w\0", 4, &length);
    SSPKG_CALL_REQUEST h;

    memcpy(&h, r, sizeof(h));
    ok(r && length == sizeof(h) + 6 + 4, "SET_USER request: header, name, secret (%u bytes)", length);
    ok(h.MessageType == SSPKG_CALL_SET_USER && h.Iterations == 8192 && h.NameOffset == 32 &&
       h.NameLength == 6 && h.SecretOffset == 38 && h.SecretLength == 4 && !h.AccountLength,
       "... its fields point at the name and the secret");
    ok(!memcmp(r + 32, bob, 6) && !memcmp(r + 38, "p\0w\0", 4), "... which are there");
    sspkg_call_free(r, length);
    r = sspkg_call_request_account(SSPKG_CALL_SET_USER, SSPKG_SET_USER_VERIFIER, 0, bob, 3,
                                   "V", 1, bob, 2, &length);
    memcpy(&h, r, sizeof(h));
    ok(r && length == sizeof(h) + 6 + 1 + 4 && h.Flags == (SSPKG_SET_USER_VERIFIER |
       SSPKG_SET_USER_ACCOUNT) && h.AccountLength == 4 && !memcmp(r + length - 4, bob, 4),
       "SET_USER with an account: the flag, and the account's 4 bytes last (at an odd offset "
       "after a 1-byte verifier)");
    sspkg_call_free(r, length);
    r = sspkg_call_request_account(SSPKG_CALL_SET_USER, 0, 0, bob, 3, "p\0", 2, bob, 0, &length);
    memcpy(&h, r, sizeof(h));
    ok(r && h.Flags == SSPKG_SET_USER_ACCOUNT && h.AccountLength == 0,
       "... an empty account: the flag alone (unmap)");
    sspkg_call_free(r, length);
    r = sspkg_call_request(SSPKG_CALL_LIST_USERS, 0, 0, NULL, 0, NULL, 0, &length);
    ok(r && length == sizeof(SSPKG_CALL_REQUEST), "LIST_USERS request: the header alone");
    sspkg_call_free(r, length);
}

/* A list response of two users, "bob" (8192, mapped to S-1-5-7) and "al" (4096). */
static size_t list(uint8_t *buf)
{
    SSPKG_LIST_RESPONSE head = { SSPKG_CALL_LIST_USERS, 2 };
    SSPKG_USER_ENTRY e[2] = { { 40, 6, 8192, 14 }, { 60, 4, 4096, 0 } };

    memcpy(buf, &head, sizeof(head));
    memcpy(buf + 8, e, sizeof(e));
    memcpy(buf + 40, bob, 6);
    memcpy(buf + 46, "S\0-\0" "1\0-\0" "5\0-\0" "7\0", 14);
    memcpy(buf + 60, "a\0l\0", 4);
    return 64;
}

static void test_list(void)
{
    uint8_t buf[80];
    size_t n = list(buf), units, bad = 0;
    const uint16_t *name;
    uint32_t iterations;

    ok(sspkg_call_list_count(buf, n) == 2, "a list response of two users: 2");
    sspkg_call_list_user(buf, 1, &name, &units, &iterations);
    ok(units == 2 && name[0] == 'a' && iterations == 4096, "... the second is al, 4096");
    sspkg_call_list_account(buf, 0, &name, &units);
    ok(units == 7 && name[0] == 'S' && name[6] == '7', "... the first maps to S-1-5-7");
    sspkg_call_list_account(buf, 1, &name, &units);
    ok(units == 0, "... the second to no account");
    /* Every shorter length cuts off a name or an entry. */
    for (size_t len = 0; len < n; len++)
        bad += sspkg_call_list_count(buf, len) < 0;
    ok(bad == n, "every truncation refused (%zu of %zu)", bad, n);
    buf[4] = 200;
    ok(sspkg_call_list_count(buf, n) == -1, "a count larger than the entries that fit: refused");
    n = list(buf);
    buf[8 + 16 + 4] = 3;         /* the second entry's NameLength: odd, inside */
    ok(sspkg_call_list_count(buf, n) == -1, "a name of an odd number of bytes: refused");
    n = list(buf);
    buf[8 + 12] = 15;            /* the first entry's AccountLength: odd */
    ok(sspkg_call_list_count(buf, n) == -1, "an account of an odd number of bytes: refused");
    n = list(buf);
    buf[8 + 12] = 26;            /* the first entry's account: past the end */
    ok(sspkg_call_list_count(buf, n) == -1, "an account reaching past the response: refused");
    n = list(buf);
    buf[8] = 0xff;               /* the first entry's NameOffset: past the end */
    ok(sspkg_call_list_count(buf, n) == -1, "a name outside the response: refused");
    n = list(buf);
    buf[0] = SSPKG_CALL_GET_STATUS;
    ok(sspkg_call_list_count(buf, n) == -1, "another message type: refused");
    ok(sspkg_call_list_count(NULL, 0) == -1, "no response: refused");
}

static void test_error(void)
{
    uint8_t buf[32];
    SSPKG_ERROR_RESPONSE head = { SSPKG_CALL_ERROR, 5 };
    size_t len = 0;
    const char *text;

    memcpy(buf, &head, sizeof(head));
    memcpy(buf + 8, "nope!", 5);
    text = sspkg_call_error_text(buf, 13, &len);
    ok(text && len == 5 && !memcmp(text, "nope!", 5), "an error response: its sentence");
    ok(!sspkg_call_error_text(buf, 12, &len), "... one byte short: refused");
    ok(!sspkg_call_error_text(buf, 7, &len) && !sspkg_call_error_text(NULL, 0, &len),
       "... shorter than its header, or none: refused");
}

int main(void)
{
    tap_start();
    test_request();
    test_list();
    test_error();
    return done_testing();
}
