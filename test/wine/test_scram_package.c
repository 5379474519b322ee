/* test_scram_package.c - sspkg's SSPI entries through lsahost's LSA side: the
 * handshake's statuses and flags, out-of-order calls, stale and wrong handles,
 * credential and context lifetimes, context attributes, caller-supplied buffers, many
 * contexts from several threads, and a leak-free shutdown. */
#include "../../src/host/lsa/host_account.h"
#include "../../src/host/lsa/host_callbacks.h"
#include "../../src/host/lsa/host_heap.h"
#include "../../src/host/packages/host_packages.h"
#include "../../src/host/shm/host_shm.h"
#include "../../src/host/packages/host_sspi.h"
#include "../../include/sspkg.h"
#include "../../src/common/scram.h"
#include "../package_host.h"

#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;
static LSAHOST_SECPKG_FUNCTION_TABLE *t;

static SECURITY_STATUS handshake(LSA_SEC_HANDLE ccred, LSA_SEC_HANDLE scred,
                                 LSA_SEC_HANDLE *cctx, LSA_SEC_HANDLE *sctx,
                                 SECURITY_STATUS *server_status)
{
    return package_handshake(pkg, ccred, scred, cctx, sctx, server_status);
}

static LSA_SEC_HANDLE client_cred(const WCHAR *user, const WCHAR *password)
{
    LSA_SEC_HANDLE h = 0;
    ok(host_sspi_acquire(pkg, user, password, &h) == SEC_E_OK && h, "client credential for %ls", user);
    return h;
}

static void test_handshake_and_order(void)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil"), sc = 0, cctx, sctx, again;
    SECURITY_STATUS ss, cs;
    host_token *tok = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*tok));
    ULONG attr;

    ok(host_sspi_acquire(pkg, NULL, NULL, &sc) == SEC_E_OK, "server credential");
    cs = handshake(cc, sc, &cctx, &sctx, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "handshake: client %#lx, server %#lx", cs, ss);

    /* Out of order: another step on finished contexts. */
    again = cctx;
    tok->length = 4;
    memcpy(tok->data, "v=AA", 4);
    cs = host_sspi_init(pkg, cc, &again, tok, tok, &attr);
    ok(cs == SEC_E_OUT_OF_SEQUENCE, "ISC after SEC_E_OK: SEC_E_OUT_OF_SEQUENCE (got %#lx)", cs);
    again = sctx;
    cs = host_sspi_accept(pkg, sc, &again, tok, tok, &attr);
    ok(cs == SEC_E_OUT_OF_SEQUENCE, "ASC after SEC_E_OK: SEC_E_OUT_OF_SEQUENCE (got %#lx)", cs);
    {
        void *buf;
        SecPkgContext_Sizes sizes;
        host_AllocateClientBuffer(NULL, sizeof(sizes), &buf);
        ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_SIZES, buf) == SEC_E_OK,
           "the context still answers after the out-of-order call");
        memcpy(&sizes, buf, sizeof(sizes));
        ok(sizes.cbMaxToken == SSPKG_MAX_TOKEN && sizes.cbMaxSignature == SSPKG_SIGNATURE_SIZE &&
               sizes.cbSecurityTrailer == SSPKG_SEAL_TRAILER_SIZE && sizes.cbBlockSize == 1,
           "SIZES: MaxToken %lu, MaxSignature %lu, trailer %lu, block %lu", sizes.cbMaxToken,
           sizes.cbMaxSignature, sizes.cbSecurityTrailer, sizes.cbBlockSize);
        host_FreeClientBuffer(NULL, buf);
    }

    /* Handles of the wrong kind, side, or life. */
    again = sctx;
    ok(host_sspi_init(pkg, cc, &again, tok, tok, &attr) == SEC_E_INVALID_HANDLE,
       "a server context given to ISC: SEC_E_INVALID_HANDLE");
    again = cc;
    ok(host_sspi_init(pkg, cc, &again, tok, tok, &attr) == SEC_E_INVALID_HANDLE,
       "a credential handle given as a context: SEC_E_INVALID_HANDLE");
    again = 0x1234;
    ok(host_sspi_init(pkg, cc, &again, tok, tok, &attr) == SEC_E_INVALID_HANDLE,
       "a forged handle: SEC_E_INVALID_HANDLE");
    ok(host_sspi_delete(pkg, cctx) == SEC_E_OK, "DeleteContext");
    ok(host_sspi_delete(pkg, cctx) == SEC_E_INVALID_HANDLE, "DeleteContext twice: SEC_E_INVALID_HANDLE");
    again = cctx;
    ok(host_sspi_init(pkg, cc, &again, tok, tok, &attr) == SEC_E_INVALID_HANDLE,
       "a deleted context: SEC_E_INVALID_HANDLE");
    host_sspi_delete(pkg, sctx);

    /* Credentials: the wrong side, none at all, freed while a context uses them. */
    again = 0;
    ok(host_sspi_init(pkg, sc, &again, NULL, tok, &attr) == SEC_E_WRONG_CREDENTIAL_HANDLE,
       "an inbound credential for ISC: SEC_E_WRONG_CREDENTIAL_HANDLE");
    again = 0;
    ok(host_sspi_accept(pkg, cc, &again, tok, tok, &attr) == SEC_E_WRONG_CREDENTIAL_HANDLE,
       "an outbound credential for ASC: SEC_E_WRONG_CREDENTIAL_HANDLE");
    {
        LSA_SEC_HANDLE h = 0;
        TimeStamp e;
        ok(t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h,
                                       &e) == SEC_E_NO_CREDENTIALS && h == 0,
           "outbound without an identity: SEC_E_NO_CREDENTIALS");
    }
    cctx = 0;
    host_sspi_init(pkg, cc, &cctx, NULL, tok, &attr);
    ok(host_sspi_free_credentials(pkg, cc) == SEC_E_OK, "credential freed mid-handshake");
    ok(host_sspi_free_credentials(pkg, cc) == SEC_E_INVALID_HANDLE,
       "freed twice: SEC_E_INVALID_HANDLE");
    {
        host_token *reply = HeapAlloc(GetProcessHeap(), 0, sizeof(*reply));
        sctx = 0;
        ss = host_sspi_accept(pkg, sc, &sctx, tok, reply, &attr);
        cs = host_sspi_init(pkg, 0, &cctx, reply, tok, &attr);
        ss = host_sspi_accept(pkg, sc, &sctx, tok, reply, &attr);
        cs = host_sspi_init(pkg, 0, &cctx, reply, tok, &attr);
        ok(cs == SEC_E_OK && ss == SEC_E_OK,
           "the context finishes with its credential handle gone (it holds a reference)");
        HeapFree(GetProcessHeap(), 0, reply);
    }
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    host_sspi_free_credentials(pkg, sc);
    HeapFree(GetProcessHeap(), 0, tok);
}

static void test_wrong_password(void)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil!"), sc, cctx, sctx;
    SECURITY_STATUS ss, cs;

    host_sspi_acquire(pkg, NULL, NULL, &sc);
    cs = handshake(cc, sc, &cctx, &sctx, &ss);
    ok(cs == SEC_E_LOGON_DENIED && ss == SEC_E_LOGON_DENIED,
       "wrong password: SEC_E_LOGON_DENIED on both sides (client %#lx, server %#lx)", cs, ss);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
}

static void test_identity_forms(void)
{
    SEC_WINNT_AUTH_IDENTITY_A ansi = { (unsigned char *)"alice", 5, NULL, 0,
                                       (unsigned char *)"pencil", 6,
                                       SEC_WINNT_AUTH_IDENTITY_ANSI };
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    BYTE *client;
    LSA_SEC_HANDLE h = 0;
    TimeStamp e;
    SECURITY_STATUS s;

    host_AllocateClientBuffer(NULL, 512, (void **)&client);
    memcpy(client, &ansi, sizeof(ansi));
    s = t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, client, NULL, NULL, &h, &e);
    ok(s == SEC_E_INVALID_PARAMETER && h == 0,
       "an identity in client memory whose strings are not: SEC_E_INVALID_PARAMETER (got "
       "%#lx; every form is in test_identity_forms.c)", s);

    memset(&ex, 0, sizeof(ex));
    ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    ex.Length = sizeof(ex);
    ex.User = (unsigned short *)(client + sizeof(ex));
    ex.UserLength = 5;
    ex.Password = (unsigned short *)(client + sizeof(ex) + 12);
    ex.PasswordLength = 6;
    ex.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    memcpy(client, &ex, sizeof(ex));
    memcpy(client + sizeof(ex), L"alice", 12);
    memcpy(client + sizeof(ex) + 12, L"pencil", 14);
    s = t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, client, NULL, NULL, &h, &e);
    ok(s == SEC_E_OK && h, "SEC_WINNT_AUTH_IDENTITY_EXW accepted");
    {
        void *buf;
        SecPkgCredentials_NamesW names;
        host_AllocateClientBuffer(NULL, sizeof(names), &buf);
        ok(t->QueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, buf) == SEC_E_OK,
           "QueryCredentialsAttributes(NAMES)");
        memcpy(&names, buf, sizeof(names));
        ok(names.sUserName && !wcscmp(names.sUserName, L"alice"), "credential name '%ls'",
           names.sUserName ? names.sUserName : L"(null)");
        host_FreeClientBuffer(NULL, names.sUserName);
        host_FreeClientBuffer(NULL, buf);
    }
    t->FreeCredentialsHandle(h);

    /* A pointer outside client memory: CopyFromClientBuffer refuses, nothing crashes. */
    s = t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, (void *)&ansi, NULL,
                                    NULL, &h, &e);
    ok(s == SEC_E_INVALID_PARAMETER, "an identity outside client memory: SEC_E_INVALID_PARAMETER");
    host_FreeClientBuffer(NULL, client);
}

/* The caller's own output buffer (no ALLOCATE_MEMORY): too small, then large enough. */
static void test_caller_buffers(void)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil"), ctx = 0;
    char small[8], big[512];
    SecBuffer out = { sizeof(small), SECBUFFER_TOKEN, small };
    SecBufferDesc desc = { SECBUFFER_VERSION, 1, &out };
    ULONG attr;
    TimeStamp e;
    BOOLEAN mapped;
    SecBuffer data = { 0, 0, NULL };
    SECURITY_STATUS s;

    s = t->InitLsaModeContext(cc, 0, NULL, ISC_REQ_MUTUAL_AUTH, 0, NULL, &ctx, &desc, &attr, &e,
                              &mapped, &data);
    ok(s == SEC_E_BUFFER_TOO_SMALL && ctx == 0,
       "an 8-byte output buffer: SEC_E_BUFFER_TOO_SMALL and no context (got %#lx)", s);
    out.cbBuffer = sizeof(big);
    out.pvBuffer = big;
    s = t->InitLsaModeContext(cc, 0, NULL, ISC_REQ_MUTUAL_AUTH, 0, NULL, &ctx, &desc, &attr, &e,
                              &mapped, &data);
    ok(s == SEC_I_CONTINUE_NEEDED && out.cbBuffer > 10 && !memcmp(big, "n,,n=alice,r=", 13),
       "a 512-byte buffer gets client-first (%lu bytes)", out.cbBuffer);
    ok(!(attr & ISC_RET_ALLOCATED_MEMORY) && (attr & ISC_RET_MUTUAL_AUTH),
       "attributes: mutual authentication, not allocated (0x%08lx)", attr);
    t->DeleteContext(ctx);
    t->FreeCredentialsHandle(cc);
}

/* A server that is not a real server: what the client does with bad answers. */
static SECURITY_STATUS client_against(const char *server_first_tail, const char *server_final)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil"), ctx = 0;
    host_token *in = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*in));
    host_token *out = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*out));
    SECURITY_STATUS s;
    ULONG attr;
    const char *nonce;

    s = host_sspi_init(pkg, cc, &ctx, NULL, out, &attr);
    /* client-first is "n,,n=alice,r=<nonce>": answer with that nonce extended. */
    out->data[out->length] = 0;
    nonce = strstr((char *)out->data, ",r=") + 3;
    in->length = (ULONG)snprintf((char *)in->data, sizeof(in->data), "r=%sSRV%s", nonce,
                                 server_first_tail);
    s = host_sspi_init(pkg, cc, &ctx, in, out, &attr);
    if (s == SEC_I_CONTINUE_NEEDED && server_final) {
        in->length = (ULONG)strlen(server_final);
        memcpy(in->data, server_final, in->length);
        s = host_sspi_init(pkg, cc, &ctx, in, out, &attr);
    }
    if (ctx)
        host_sspi_delete(pkg, ctx);
    host_sspi_free_credentials(pkg, cc);
    HeapFree(GetProcessHeap(), 0, in);
    HeapFree(GetProcessHeap(), 0, out);
    return s;
}

static void test_client_checks(void)
{
    SECURITY_STATUS s;

    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000", NULL);
    ok(s == SEC_E_ALGORITHM_MISMATCH, "iteration count 1000: SEC_E_ALGORITHM_MISMATCH (got %#lx)", s);
    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,m=x", NULL);
    ok(s == SEC_E_INVALID_TOKEN, "m= in server-first: SEC_E_INVALID_TOKEN (got %#lx)", s);
    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                       "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    ok(s == SEC_E_MUTUAL_AUTH_FAILED,
       "a server signature that does not verify: SEC_E_MUTUAL_AUTH_FAILED (got %#lx)", s);
    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "e=unknown-user");
    ok(s == SEC_E_LOGON_DENIED, "e=unknown-user: SEC_E_LOGON_DENIED (got %#lx)", s);
    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "e=channel-bindings-dont-match");
    ok(s == SEC_E_BAD_BINDINGS, "e=channel-bindings-dont-match: SEC_E_BAD_BINDINGS (got %#lx)", s);
    s = client_against(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "v=6rriTRBi23WpRR");
    ok(s == SEC_E_INVALID_TOKEN, "a truncated server-final: SEC_E_INVALID_TOKEN (got %#lx)", s);
}

/* Names, lifespan and package information of a finished context. */
static void test_context_attributes(void)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil"), sc, cctx, sctx;
    SECURITY_STATUS ss, cs;
    void *buf;
    FILETIME now;

    host_sspi_acquire(pkg, NULL, NULL, &sc);
    cs = handshake(cc, sc, &cctx, &sctx, &ss);
    host_AllocateClientBuffer(NULL, 64, &buf);
    {
        SecPkgContext_NamesW names;
        ok(t->QueryContextAttributes(sctx, SECPKG_ATTR_NAMES, buf) == SEC_E_OK,
           "server context: NAMES");
        memcpy(&names, buf, sizeof(names));
        ok(names.sUserName && !wcscmp(names.sUserName, L"alice"),
           "the server knows the authenticated user: '%ls'", names.sUserName);
        host_FreeClientBuffer(NULL, names.sUserName);
    }
    {
        SecPkgContext_Lifespan life;
        GetSystemTimeAsFileTime(&now);
        ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_LIFESPAN, buf) == SEC_E_OK,
           "client context: LIFESPAN");
        memcpy(&life, buf, sizeof(life));
        ok(life.tsStart.QuadPart > 0 &&
               life.tsStart.QuadPart <= (LONGLONG)(((ULONGLONG)now.dwHighDateTime << 32) |
                                                   now.dwLowDateTime) &&
               life.tsExpiry.QuadPart == MAXLONGLONG,
           "start in the past, no expiry");
    }
    {
        SecPkgContext_PackageInfoW info;
        ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_PACKAGE_INFO, buf) == SEC_E_OK,
           "client context: PACKAGE_INFO");
        memcpy(&info, buf, sizeof(info));
        ok(info.PackageInfo && !wcscmp(info.PackageInfo->Name, SSPKG_PACKAGE_NAME_W) &&
               info.PackageInfo->cbMaxToken == SSPKG_MAX_TOKEN,
           "package info names SCRAM-SHA-256 (in one client buffer)");
        host_FreeClientBuffer(NULL, info.PackageInfo);
    }
    ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_DCE_INFO, buf) == SEC_E_UNSUPPORTED_FUNCTION,
       "an attribute the package does not have: SEC_E_UNSUPPORTED_FUNCTION");
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "(the handshake succeeded)");
    host_FreeClientBuffer(NULL, buf);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
}

/* Signing and sealing after a handshake, and every way a message can go wrong. */
static void test_protection(void)
{
    LSA_SEC_HANDLE cc = client_cred(L"alice", L"pencil"), sc, c, sv;
    SECURITY_STATUS ss, cs, s;
    char m1[32], m2[32], keep1[32], keep2[32];
    BYTE t1[64], t2[64], keep_t1[64];
    ULONG n1 = sizeof(t1), n2 = sizeof(t2), len = 20;
    PSECPKG_USER_FUNCTION_TABLE u = pkg->dll->user_table;

    host_sspi_acquire(pkg, NULL, NULL, &sc);
    cs = handshake(cc, sc, &c, &sv, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK && u, "handshake, and the user-mode half is loaded");

    memcpy(m1, "first message  12345", len);
    s = host_sspi_seal(pkg, c, m1, len, t1, &n1);
    ok(s == SEC_E_OK && n1 == SSPKG_SEAL_TRAILER_SIZE && memcmp(m1, "first message", 13),
       "client seals: trailer %lu bytes, data encrypted in place", n1);
    memcpy(keep1, m1, len);
    memcpy(keep_t1, t1, n1);
    memcpy(m2, "second message 12345", len);
    s = host_sspi_seal(pkg, c, m2, len, t2, &n2);
    memcpy(keep2, m2, len);

    s = host_sspi_unseal(pkg, c, m1, len, t1, n1);
    ok(s == SEC_E_MESSAGE_ALTERED, "a message reflected to its sender: SEC_E_MESSAGE_ALTERED");
    s = host_sspi_unseal(pkg, sv, m2, len, t2, n2);
    ok(s == SEC_E_OUT_OF_SEQUENCE && !memcmp(m2, keep2, len),
       "the second message first: SEC_E_OUT_OF_SEQUENCE, buffer untouched");
    m1[3] ^= 1;
    s = host_sspi_unseal(pkg, sv, m1, len, t1, n1);
    ok(s == SEC_E_MESSAGE_ALTERED, "one bit flipped in the data: SEC_E_MESSAGE_ALTERED");
    /* A message that fails its check leaves the data undefined: start again from what
     * was sent. */
    memcpy(m1, keep1, len);
    t1[SSPKG_SEAL_TRAILER_SIZE - 1] ^= 1;
    s = host_sspi_unseal(pkg, sv, m1, len, t1, n1);
    ok(s == SEC_E_MESSAGE_ALTERED, "one bit flipped in the tag: SEC_E_MESSAGE_ALTERED");
    t1[SSPKG_SEAL_TRAILER_SIZE - 1] ^= 1;
    memcpy(m1, keep1, len);
    t1[2] ^= 0x80;
    s = host_sspi_unseal(pkg, sv, m1, len, t1, n1);
    ok(s == SEC_E_MESSAGE_ALTERED, "sequence number changed: SEC_E_MESSAGE_ALTERED");
    t1[2] ^= 0x80;
    ok(!memcmp(m1, keep1, len), "a message with a changed sequence number is left as it was");
    s = host_sspi_unseal(pkg, sv, m1, len, t1, n1 - 1);
    ok(s == SEC_E_INVALID_TOKEN, "a truncated trailer: SEC_E_INVALID_TOKEN");
    s = host_sspi_unseal(pkg, sv, m1, len, t1, n1);
    ok(s == SEC_E_OK && !memcmp(m1, "first message  12345", len),
       "the genuine first message still opens after all that: '%.*s'", (int)len, m1);
    s = host_sspi_unseal(pkg, sv, m2, len, t2, n2);
    ok(s == SEC_E_OK && !memcmp(m2, "second message 12345", len), "then the second");
    memcpy(m1, keep1, len);
    s = host_sspi_unseal(pkg, sv, m1, len, keep_t1, n1);
    ok(s == SEC_E_OUT_OF_SEQUENCE, "the first one replayed: SEC_E_OUT_OF_SEQUENCE");

    /* The other direction, with a signature. */
    memcpy(m1, "signed by the server", len);
    n1 = sizeof(t1);
    s = host_sspi_sign(pkg, sv, m1, len, t1, &n1);
    ok(s == SEC_E_OK && n1 == SSPKG_SIGNATURE_SIZE, "server signs: %lu-byte signature", n1);
    m1[0] ^= 1;
    ok(host_sspi_verify(pkg, c, m1, len, t1, n1) == SEC_E_MESSAGE_ALTERED,
       "changed data: SEC_E_MESSAGE_ALTERED");
    m1[0] ^= 1;
    ok(host_sspi_verify(pkg, c, m1, len, t1, n1) == SEC_E_OK, "the genuine message verifies");
    ok(host_sspi_verify(pkg, c, m1, len, t1, n1) == SEC_E_OUT_OF_SEQUENCE,
       "the same signature again: SEC_E_OUT_OF_SEQUENCE");
    n1 = 8;
    ok(host_sspi_sign(pkg, sv, m1, len, t1, &n1) == SEC_E_BUFFER_TOO_SMALL,
       "an 8-byte signature buffer: SEC_E_BUFFER_TOO_SMALL");

    /* Two data buffers sealed as one message. */
    {
        char a[8] = "abcdefgh", b[5] = "12345";
        BYTE tr[SSPKG_SEAL_TRAILER_SIZE];
        SecBuffer bufs[3] = { { 8, SECBUFFER_DATA, a }, { sizeof(tr), SECBUFFER_TOKEN, tr },
                              { 5, SECBUFFER_DATA, b } };
        SecBufferDesc d = { SECBUFFER_VERSION, 3, bufs };
        ULONG qop;
        ok(u->SealMessage(sv, 0, &d, 0) == SEC_E_OK && memcmp(a, "abcdefgh", 8),
           "two data buffers sealed");
        ok(u->UnsealMessage(c, &d, 0, &qop) == SEC_E_OK && !memcmp(a, "abcdefgh", 8) &&
               !memcmp(b, "12345", 5), "and unsealed");
        ok(u->SealMessage(sv, SECQOP_WRAP_NO_ENCRYPT, &d, 0) == SEC_E_QOP_NOT_SUPPORTED,
           "SECQOP_WRAP_NO_ENCRYPT: SEC_E_QOP_NOT_SUPPORTED");
    }
    {
        BYTE junk[SCRAM_MAX_NAME];
        SecBuffer packed = { 100, SECBUFFER_TOKEN, junk };
        memset(junk, 0x41, sizeof(junk));
        ok(u->InitUserModeContext(0x77, &packed) == SEC_E_INVALID_TOKEN,
           "a packed context that is not one: SEC_E_INVALID_TOKEN");
        ok(junk[0] == 0 && junk[99] == 0, "... and it is wiped anyway");
    }
    host_sspi_delete(pkg, c);
    n1 = sizeof(t1);
    ok(host_sspi_seal(pkg, c, m1, len, t1, &n1) == SEC_E_INVALID_HANDLE,
       "sealing on a deleted context: SEC_E_INVALID_HANDLE");
    host_sspi_delete(pkg, sv);
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
}

/* Several threads, each with its own credential, many handshakes each. */
#define THREADS 6
#define ROUNDS 4
static volatile LONG thread_failures;

static DWORD WINAPI worker(void *arg)
{
    LSA_SEC_HANDLE cc = 0, sc = 0, cctx, sctx;
    SECURITY_STATUS cs, ss;
    int wrong = (int)(ULONG_PTR)arg % 2;

    host_sspi_acquire(pkg, L"alice", wrong ? L"nope" : L"pencil", &cc);
    host_sspi_acquire(pkg, NULL, NULL, &sc);
    for (int i = 0; i < ROUNDS; i++) {
        cs = handshake(cc, sc, &cctx, &sctx, &ss);
        if (wrong ? (cs != SEC_E_LOGON_DENIED || ss != SEC_E_LOGON_DENIED)
                  : (cs != SEC_E_OK || ss != SEC_E_OK))
            InterlockedIncrement(&thread_failures);
        host_sspi_delete(pkg, cctx);
        host_sspi_delete(pkg, sctx);
    }
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
    return 0;
}

static void test_threads(void)
{
    HANDLE h[THREADS];

    for (ULONG_PTR i = 0; i < THREADS; i++)
        h[i] = CreateThread(NULL, 0, worker, (void *)i, 0, NULL);
    WaitForMultipleObjects(THREADS, h, TRUE, INFINITE);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(h[i]);
    ok(thread_failures == 0, "%d threads x %d handshakes (half with a wrong password): "
       "%ld wrong outcomes", THREADS, ROUNDS, thread_failures);
}

int main(void)
{
    static const host_resource kinds[] = { HOST_RES_LSA_HEAP, HOST_RES_PRIVATE_HEAP,
                                           HOST_RES_CLIENT_BUFFER, HOST_RES_SHM_BLOCK,
                                           HOST_RES_SHM_SECTION };

    tap_start();
    if (!start_sspkg(&pkg, L"scram-package-store.txt"))
        return done_testing();
    t = host_secpkg_table(pkg);
    add_user_password(pkg, L"alice", L"pencil");
    test_handshake_and_order();
    test_wrong_password();
    test_identity_forms();
    test_caller_buffers();
    test_client_checks();
    test_context_attributes();
    test_protection();
    test_threads();
    unload_clean(kinds, sizeof(kinds) / sizeof(kinds[0]));
    return done_testing();
}
