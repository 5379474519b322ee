/* test_secur32.c - sspkg under Wine's own secur32 (installed by scripts/install-wine.sh):
 * the package as secur32 lists it, a handshake with both ends in this process, message
 * protection with its failure statuses, a wrong password, stale handles, and what the
 * package still holds after a handshake without an LSA (the store has the RFC 7677
 * user, "user" with password "pencil"). */
#define SECURITY_WIN32
#include <windows.h>
#include <sspi.h>
#include "../secrets.h"
#include "../tap.h"

#include <string.h>

/* The messages go in *x. */
static SECURITY_STATUS handshake(const WCHAR *user, const WCHAR *password, CredHandle *cc,
                                 CredHandle *sc, CtxtHandle *c, CtxtHandle *s,
                                 SECURITY_STATUS *ss, exchange_record *x)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)user, (ULONG)wcslen(user), NULL, 0,
                                     (unsigned short *)password, (ULONG)wcslen(password),
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    BYTE a[4096], b[4096];
    SecBuffer ab = { sizeof(a), SECBUFFER_TOKEN, a }, bb = { sizeof(b), SECBUFFER_TOKEN, b };
    SecBufferDesc ad = { SECBUFFER_VERSION, 1, &ab }, bd = { SECBUFFER_VERSION, 1, &bb };
    ULONG attrs;
    SECURITY_STATUS cs;
    int first = 1, nth = 0;

    *ss = SEC_E_INTERNAL_ERROR;
    memset(x, 0, sizeof(*x));
    if (AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_OUTBOUND, NULL, &id,
                                  NULL, NULL, cc, NULL) != SEC_E_OK ||
        AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL, NULL,
                                  NULL, NULL, sc, NULL) != SEC_E_OK)
        return SEC_E_NO_CREDENTIALS;
    cs = InitializeSecurityContextW(cc, NULL, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0, c, &ad,
                                    &attrs, NULL);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        bb.cbBuffer = sizeof(b);
        exchange_keep(x, nth++, a, ab.cbBuffer);
        *ss = AcceptSecurityContext(sc, first ? NULL : s, &ad, ASC_REQ_CONFIDENTIALITY, 0, s, &bd,
                                    &attrs, NULL);
        exchange_keep(x, nth++, b, bb.cbBuffer);
        first = 0;
        if (!bb.cbBuffer)
            break;
        ab.cbBuffer = sizeof(a);
        cs = InitializeSecurityContextW(cc, c, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, &bd, 0, c, &ad,
                                        &attrs, NULL);
    }
    return cs;
}

static SECURITY_STATUS seal(CtxtHandle *ctx, char *data, ULONG len, BYTE *trailer)
{
    SecBuffer b[2] = { { 24, SECBUFFER_TOKEN, trailer }, { len, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    return EncryptMessage(ctx, 0, &d, 0);
}

static SECURITY_STATUS unseal(CtxtHandle *ctx, char *data, ULONG len, BYTE *trailer)
{
    SecBuffer b[2] = { { 24, SECBUFFER_TOKEN, trailer }, { len, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop;
    return DecryptMessage(ctx, &d, 0, &qop);
}

int main(void)
{
    PSecPkgInfoW list;
    ULONG count, i;
    int found = 0;
    CredHandle cc, sc;
    CtxtHandle c, s;
    SECURITY_STATUS cs, ss, r;
    char m1[16] = "first message", keep[16];
    BYTE t1[24], keep_t[24], am_hash[32];
    static exchange_record x;

    tap_start();
    ok(EnumerateSecurityPackagesW(&count, &list) == SEC_E_OK, "EnumerateSecurityPackagesW");
    for (i = 0; i < count; i++) {
        if (wcscmp(list[i].Name, L"SCRAM-SHA-256"))
            continue;
        found = 1;
        ok(list[i].cbMaxToken == 4096 && list[i].wRPCID == SECPKG_ID_NONE &&
               (list[i].fCapabilities & (SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MUTUAL_AUTH |
                                         SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY)) ==
                   (SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_INTEGRITY |
                    SECPKG_FLAG_PRIVACY) && list[i].Comment && wcsstr(list[i].Comment, L"RFC 5802"),
           "SCRAM-SHA-256 listed with its capabilities, MaxToken 4096, and its comment");
    }
    ok(found, "the package is among the %lu secur32 lists", count);
    FreeContextBuffer(list);

    cs = handshake(L"alice", L"pencil", &cc, &sc, &c, &s, &ss, &x);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "handshake, both ends in this process (0x%08lx, 0x%08lx)",
       (unsigned long)cs, (unsigned long)ss);
    r = seal(&c, m1, 13, t1);
    ok(r == SEC_E_OK, "EncryptMessage on secur32's handle (the LSA-mode one)");
    memcpy(keep, m1, sizeof(m1));
    memcpy(keep_t, t1, sizeof(t1));
    m1[2] ^= 1;
    ok(unseal(&s, m1, 13, t1) == SEC_E_MESSAGE_ALTERED, "a flipped bit: SEC_E_MESSAGE_ALTERED");
    memcpy(m1, keep, sizeof(m1));
    ok(unseal(&s, m1, 13, t1) == SEC_E_OK && !memcmp(m1, "first message", 13),
       "the genuine message opens");
    memcpy(m1, keep, sizeof(m1));
    ok(unseal(&s, m1, 13, keep_t) == SEC_E_OUT_OF_SEQUENCE, "replayed: SEC_E_OUT_OF_SEQUENCE");
    ok(DeleteSecurityContext(&c) == SEC_E_OK && DeleteSecurityContext(&s) == SEC_E_OK,
       "both contexts deleted");
    r = seal(&c, m1, 13, t1);
    ok(r == SEC_E_INVALID_HANDLE, "EncryptMessage on a deleted context: SEC_E_INVALID_HANDLE (0x%08lx)",
       (unsigned long)r);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);

    cs = handshake(L"alice", L"wrong", &cc, &sc, &c, &s, &ss, &x);
    ok(cs == SEC_E_LOGON_DENIED && ss == SEC_E_LOGON_DENIED,
       "wrong password: SEC_E_LOGON_DENIED on both ends (0x%08lx, 0x%08lx)", (unsigned long)cs,
       (unsigned long)ss);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);

    /* Without an LSA both halves live here, and the credential is under the package's
     * own mask: the search covers everything the package holds. */
    cs = handshake(L"user", L"pencil", &cc, &sc, &c, &s, &ss, &x);
    ok(cs == SEC_E_OK && ss == SEC_E_OK && exchange_auth_message_hash(&x, am_hash),
       "handshake as the RFC 7677 user");
    ok(live_heap_blocks_holding(rfc7677_client_key, 32) == 0 &&
           live_heap_blocks_holding(am_hash, 32) == 0 &&
           live_heap_blocks_holding(rfc7677_salted_password, 32) == 0 &&
           live_heap_blocks_holding("pencil", 6) == 0,
       "after it, no live heap block holds ClientKey (%d), the AuthMessage hash (%d), "
       "SaltedPassword (%d) or the password (%d)",
       live_heap_blocks_holding(rfc7677_client_key, 32), live_heap_blocks_holding(am_hash, 32),
       live_heap_blocks_holding(rfc7677_salted_password, 32),
       live_heap_blocks_holding("pencil", 6));
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return done_testing();
}
