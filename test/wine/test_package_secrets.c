/* test_package_secrets.c - what sspkg still holds once a handshake is over, in lsahost's
 * LSA. The RFC 7677 user (its verifier imported, password "pencil") authenticates with
 * both contexts and both credentials still open; then every live heap block of the
 * process is searched (test/secrets.h) for the exchange's secrets. Neither LSA-mode
 * context may hold ClientKey or the AuthMessage hash once the user-mode context has been
 * packed, and the client credential keeps its password and its cache of derived keys
 * under LsaProtectMemory, so SaltedPassword, ClientKey and the password itself are
 * nowhere in the clear. What the contexts still answer (names) must survive the wipe,
 * and the protected key cache must still serve a second handshake. A failed exchange
 * (wrong password) must leave nothing behind either. */
#include "../package_host.h"
#include "../secrets.h"

#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;

/* A whole handshake as the RFC 7677 user with this password, from a credential of
 * each side (*cc, *sc: made here when 0); the contexts are left open. am_hash is the
 * exchange's AuthMessage hash, worked out from the three messages. */
static SECURITY_STATUS handshake(const WCHAR *password, LSA_SEC_HANDLE *cc, LSA_SEC_HANDLE *sc,
                                 LSA_SEC_HANDLE *cctx, LSA_SEC_HANDLE *sctx,
                                 SECURITY_STATUS *ss, BYTE am_hash[32])
{
    host_token *a = HeapAlloc(GetProcessHeap(), 0, sizeof(*a));
    host_token *b = HeapAlloc(GetProcessHeap(), 0, sizeof(*b));
    exchange_record *x = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*x));
    SECURITY_STATUS cs;
    ULONG attr;
    int nth = 0;

    if (!*cc)
        host_sspi_acquire(pkg, L"user", password, cc);
    if (!*sc)
        host_sspi_acquire(pkg, NULL, NULL, sc);
    *cctx = *sctx = 0;
    *ss = SEC_E_INTERNAL_ERROR;
    cs = host_sspi_init(pkg, *cc, cctx, NULL, a, &attr);
    while (cs == SEC_I_CONTINUE_NEEDED && a->length) {
        exchange_keep(x, nth, a->data, a->length);
        *ss = host_sspi_accept(pkg, *sc, sctx, a, b, &attr);
        exchange_keep(x, nth + 1, b->data, b->length);
        nth += 2;
        if (!b->length)
            break;
        cs = host_sspi_init(pkg, *cc, cctx, b, a, &attr);
    }
    if (!exchange_auth_message_hash(x, am_hash))
        cs = SEC_E_INTERNAL_ERROR;
    HeapFree(GetProcessHeap(), 0, a);
    HeapFree(GetProcessHeap(), 0, b);
    HeapFree(GetProcessHeap(), 0, x);
    return cs;
}

/* The server context's user name, through SpQueryContextAttributes. */
static int server_knows(LSA_SEC_HANDLE sctx, const WCHAR *user)
{
    SecPkgContext_NamesW *names;
    void *buf;
    int same;

    host_AllocateClientBuffer(NULL, sizeof(*names), &buf);
    if (host_secpkg_table(pkg)->QueryContextAttributes(sctx, SECPKG_ATTR_NAMES, buf) != SEC_E_OK) {
        host_FreeClientBuffer(NULL, buf);
        return 0;
    }
    names = buf;
    same = !wcscmp(names->sUserName, user);
    host_FreeClientBuffer(NULL, names->sUserName);
    host_FreeClientBuffer(NULL, buf);
    return same;
}

static void test_after_success(void)
{
    LSA_SEC_HANDLE cc = 0, sc = 0, cctx, sctx;
    SECURITY_STATUS cs, ss;
    BYTE am_hash[32];

    cs = handshake(L"pencil", &cc, &sc, &cctx, &sctx, &ss, am_hash);
    ok(cs == SEC_E_OK && ss == SEC_E_OK,
       "handshake as the RFC 7677 user (client %#lx, server %#lx)", cs, ss);
    /* The check can fail: it finds the secrets while the contexts keep them. */
    ok(live_heap_blocks_holding(rfc7677_client_key, 32) == 0,
       "after the handshake, no live heap block holds ClientKey (%d do)",
       live_heap_blocks_holding(rfc7677_client_key, 32));
    ok(live_heap_blocks_holding(am_hash, 32) == 0,
       "... nor the AuthMessage hash (%d do)", live_heap_blocks_holding(am_hash, 32));
    ok(live_heap_blocks_holding(rfc7677_salted_password, 32) == 0,
       "... nor SaltedPassword (%d do)", live_heap_blocks_holding(rfc7677_salted_password, 32));
    ok(live_heap_blocks_holding("pencil", 6) == 0,
       "... nor the prepared password in the clear (%d do)", live_heap_blocks_holding("pencil", 6));
    ok(server_knows(sctx, L"user"), "the server context still names its user");
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);

    /* The protected cache serves the next handshake of the same credential. */
    cs = handshake(L"pencil", &cc, &sc, &cctx, &sctx, &ss, am_hash);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "a second handshake from the protected key cache");
    ok(live_heap_blocks_holding(rfc7677_client_key, 32) == 0,
       "... and ClientKey is still nowhere in the clear (%d blocks)",
       live_heap_blocks_holding(rfc7677_client_key, 32));
    close_handshake(pkg, cctx, sctx, cc, sc);
}

static void test_after_failure(void)
{
    LSA_SEC_HANDLE cc = 0, sc = 0, cctx, sctx;
    SECURITY_STATUS cs, ss;
    BYTE am_hash[32];

    cs = handshake(L"wrong", &cc, &sc, &cctx, &sctx, &ss, am_hash);
    ok(ss == SEC_E_LOGON_DENIED && cs == SEC_E_LOGON_DENIED,
       "wrong password: SEC_E_LOGON_DENIED on both sides (client %#lx, server %#lx)", cs, ss);
    ok(live_heap_blocks_holding(rfc7677_wrong_client_key, 32) == 0,
       "after the failure, no live heap block holds the client's ClientKey (%d do)",
       live_heap_blocks_holding(rfc7677_wrong_client_key, 32));
    ok(live_heap_blocks_holding(am_hash, 32) == 0, "... nor the AuthMessage hash (%d do)",
       live_heap_blocks_holding(am_hash, 32));
    close_handshake(pkg, cctx, sctx, cc, sc);
}

int main(void)
{
    tap_start();
    if (!start_sspkg(&pkg, L"package-secrets-store.txt"))
        return done_testing();
    add_user_verifier(pkg, "user", RFC7677_VERIFIER);
    test_after_success();
    test_after_failure();
    host_packages_unload();
    return done_testing();
}
