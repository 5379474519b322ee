/* test_identity_forms.c - every identity form an application passes to
 * AcquireCredentialsHandle, through lsahost's client memory: SEC_WINNT_AUTH_IDENTITY_A
 * (the system's ANSI code page), _EXW and _EXA with PackageList, the marshalled _EX2
 * (built with sspi.h's own structures), and malformed ones. An accepted identity must
 * authenticate (a whole handshake); a refused one gets its documented status and no
 * handle. Each identity lies in a client buffer of exactly its size, and lsahost counts
 * copies refused for reaching outside client buffers: a package that read past an
 * identity would show there. */
#define _SEC_WINNT_AUTH_TYPES
#include "../package_host.h"
#include "../../src/host/lsa/host_account.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;
static LSAHOST_SECPKG_FUNCTION_TABLE *t;
static LSA_SEC_HANDLE server_cred;

/* bytes in a client buffer of exactly that size. */
static BYTE *in_client(const void *bytes, ULONG size)
{
    void *client = NULL;
    host_AllocateClientBuffer(NULL, size, &client);
    memcpy(client, bytes, size);
    return client;
}

/* AcquireCredentialsHandle(OUTBOUND) with the identity at client; on success, a whole
 * handshake must succeed with it. Returns the status. */
static SECURITY_STATUS acquire_and_authenticate(void *client, int *authenticated)
{
    LSA_SEC_HANDLE h = 0, cctx, sctx;
    SECURITY_STATUS s, cs, ss;
    TimeStamp e;

    *authenticated = 0;
    s = t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, client, NULL, NULL, &h, &e);
    if (s != SEC_E_OK)
        return h ? SEC_E_INTERNAL_ERROR : s;
    cs = package_handshake(pkg, h, server_cred, &cctx, &sctx, &ss);
    *authenticated = cs == SEC_E_OK && ss == SEC_E_OK;
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    t->FreeCredentialsHandle(h);
    return s;
}

/* One TAP line: the identity's status is want, and with SEC_E_OK it authenticates; no
 * copy reached outside client memory. */
static void expect(void *client, SECURITY_STATUS want, const char *what)
{
    LONG refused = host_client_copies_refused();
    int authenticated;
    SECURITY_STATUS s = acquire_and_authenticate(client, &authenticated);

    ok(s == want && (want != SEC_E_OK || authenticated) &&
           host_client_copies_refused() == refused,
       "%s: %#lx%s (got %#lx%s, %ld copies outside client memory)", what, want,
       want == SEC_E_OK ? " and a handshake" : "", s,
       s == SEC_E_OK && !authenticated ? " but no handshake" : "",
       host_client_copies_refused() - refused);
}

/* A SEC_WINNT_AUTH_IDENTITY_A with its strings, all in one client buffer. */
static BYTE *identity_a(const char *user, const char *password, ULONG flags)
{
    BYTE buf[256];
    SEC_WINNT_AUTH_IDENTITY_A id = { 0 };
    ULONG ul = (ULONG)strlen(user), pl = (ULONG)strlen(password);
    BYTE *client = NULL;

    host_AllocateClientBuffer(NULL, sizeof(id) + ul + pl, (void **)&client);
    id.User = (unsigned char *)client + sizeof(id);
    id.UserLength = ul;
    id.Password = (unsigned char *)client + sizeof(id) + ul;
    id.PasswordLength = pl;
    id.Flags = flags;
    memcpy(buf, &id, sizeof(id));
    memcpy(buf + sizeof(id), user, ul);
    memcpy(buf + sizeof(id) + ul, password, pl);
    memcpy(client, buf, sizeof(id) + ul + pl);
    return client;
}

/* A SEC_WINNT_AUTH_IDENTITY_EXW (wide) or _EXA with its strings in one client buffer:
 * user, password and package list as ASCII, widened for _EXW. */
static BYTE *identity_ex(BOOL wide, const char *user, const char *password, const char *list,
                         ULONG flags)
{
    BYTE buf[512];
    SEC_WINNT_AUTH_IDENTITY_EXW id = { 0 };
    const char *text[3] = { user, password, list };
    ULONG at = sizeof(id), unit = wide ? 2 : 1, len[3], offset[3];
    BYTE *client = NULL;

    memset(buf, 0, sizeof(buf));
    for (int i = 0; i < 3; i++) {
        len[i] = (ULONG)strlen(text[i]);
        offset[i] = at;
        for (ULONG k = 0; k < len[i]; k++)
            buf[at + k * unit] = (BYTE)text[i][k];
        at += len[i] * unit;
    }
    host_AllocateClientBuffer(NULL, at, (void **)&client);
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof(id);
    id.User = (unsigned short *)(client + offset[0]);
    id.UserLength = len[0];
    id.Password = (unsigned short *)(client + offset[1]);
    id.PasswordLength = len[1];
    id.PackageList = len[2] ? (unsigned short *)(client + offset[2]) : NULL;
    id.PackageListLength = len[2];
    id.Flags = flags;
    memcpy(buf, &id, sizeof(id));
    memcpy(client, buf, at);
    return client;
}

static void test_ansi_and_ex(void)
{
    char creme[16];
    BYTE *c;

    expect(c = identity_a("alice", "pencil", SEC_WINNT_AUTH_IDENTITY_ANSI), SEC_E_OK,
           "SEC_WINNT_AUTH_IDENTITY_A");
    host_FreeClientBuffer(NULL, c);
    /* "crème" in the system's ANSI code page (anna's password, set in UTF-16). */
    strcpy(creme, GetACP() == CP_UTF8 ? "cr\xc3\xa8me" : "cr\xe8me");
    expect(c = identity_a("anna", creme, SEC_WINNT_AUTH_IDENTITY_ANSI), SEC_E_OK,
           "SEC_WINNT_AUTH_IDENTITY_A with a non-ASCII password, converted from the ANSI "
           "code page");
    host_FreeClientBuffer(NULL, c);
    expect(c = identity_a("alice", "pencil", 0), SEC_E_UNKNOWN_CREDENTIALS,
           "Flags neither ANSI nor Unicode");
    host_FreeClientBuffer(NULL, c);
    expect(c = identity_a("alice", "pencil", 3), SEC_E_UNKNOWN_CREDENTIALS,
           "Flags both ANSI and Unicode");
    host_FreeClientBuffer(NULL, c);
    expect(c = identity_a("alice", "pencil", SEC_WINNT_AUTH_IDENTITY_ANSI | 0x10),
           SEC_E_UNKNOWN_CREDENTIALS, "Flags saying the strings are encrypted for a process");
    host_FreeClientBuffer(NULL, c);

    static const struct {
        const char *list;
        SECURITY_STATUS want;
    } lists[] = {
        { "", SEC_E_OK },
        { "SCRAM-SHA-256", SEC_E_OK },
        { "Kerberos, scram-sha-256", SEC_E_OK },
        { "!NTLM", SEC_E_OK },
        { "Kerberos,!SCRAM-SHA-256", SEC_E_UNKNOWN_CREDENTIALS },
        { "NTLM", SEC_E_UNKNOWN_CREDENTIALS },
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        for (int wide = 1; wide >= 0; wide--) {
            char what[128];
            snprintf(what, sizeof(what), "SEC_WINNT_AUTH_IDENTITY_EX%s, PackageList \"%s\"",
                     wide ? "W" : "A", lists[i].list);
            c = identity_ex(wide, "alice", "pencil", lists[i].list,
                            wide ? SEC_WINNT_AUTH_IDENTITY_UNICODE : SEC_WINNT_AUTH_IDENTITY_ANSI);
            expect(c, lists[i].want, what);
            host_FreeClientBuffer(NULL, c);
        }
    {
        SEC_WINNT_AUTH_IDENTITY_EXW short_ex;
        memset(&short_ex, 0, sizeof(short_ex));
        short_ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
        short_ex.Length = sizeof(short_ex) - 8;
        expect(c = in_client(&short_ex, sizeof(short_ex)), SEC_E_INVALID_TOKEN,
               "an _EX whose Length is less than the structure");
        host_FreeClientBuffer(NULL, c);
    }
}

/* An EX2 as SspiEncodeStringsAsAuthIdentity lays it out, from sspi.h's structures:
 * the header, user, domain, packed credentials (header, then the password), list. */
typedef struct ex2_blob {
    BYTE b[512];
    ULONG size;
    SEC_WINNT_AUTH_IDENTITY_EX2 *h;
    SEC_WINNT_AUTH_PACKED_CREDENTIALS *p;
} ex2_blob;

static ULONG put_wide(BYTE *at, const WCHAR *text)
{
    ULONG n = (ULONG)(wcslen(text) * sizeof(WCHAR));
    memcpy(at, text, n);
    return n;
}

static void ex2(ex2_blob *x, const WCHAR *user, const WCHAR *domain, const WCHAR *password,
                const WCHAR *list)
{
    ULONG at = sizeof(*x->h), n;

    memset(x, 0, sizeof(*x));
    x->h = (SEC_WINNT_AUTH_IDENTITY_EX2 *)x->b;
    x->h->Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    x->h->cbHeaderLength = sizeof(*x->h);
    x->h->UserOffset = at;
    at += x->h->UserLength = (unsigned short)put_wide(x->b + at, user);
    x->h->DomainOffset = at;
    at += x->h->DomainLength = (unsigned short)put_wide(x->b + at, domain);
    x->h->PackedCredentialsOffset = at;
    x->p = (SEC_WINNT_AUTH_PACKED_CREDENTIALS *)(x->b + at);
    n = put_wide(x->b + at + sizeof(*x->p), password);
    x->p->cbHeaderLength = sizeof(*x->p);
    x->p->cbStructureLength = (unsigned short)(sizeof(*x->p) + n);
    x->p->AuthData.CredType = SEC_WINNT_AUTH_DATA_TYPE_PASSWORD;
    x->p->AuthData.CredData.ByteArrayOffset = sizeof(*x->p);
    x->p->AuthData.CredData.ByteArrayLength = (unsigned short)n;
    x->h->PackedCredentialsLength = x->p->cbStructureLength;
    at += x->p->cbStructureLength;
    x->h->Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED;
    x->h->PackageListOffset = at;
    at += x->h->PackageListLength = (unsigned short)put_wide(x->b + at, list);
    x->h->cbStructureLength = x->size = at;
}

static void expect_ex2(const ex2_blob *x, SECURITY_STATUS want, const char *what)
{
    BYTE *c = in_client(x->b, x->size);
    expect(c, want, what);
    host_FreeClientBuffer(NULL, c);
}

static void test_ex2(void)
{
    ex2_blob x;
    ULONG end;

    ok(sizeof(SEC_WINNT_AUTH_IDENTITY_EX2) == 48 && sizeof(SEC_WINNT_AUTH_PACKED_CREDENTIALS) == 28 &&
           offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListLength) == 44,
       "sspi.h's EX2 is the 48-byte layout the package reads (packed credentials 28)");
    ex2(&x, L"alice", L"", L"pencil", L"");
    expect_ex2(&x, SEC_E_OK, "SEC_WINNT_AUTH_IDENTITY_EX2");
    ex2(&x, L"alice", L"WORKGROUP", L"pencil", L"Negotiate,SCRAM-SHA-256");
    expect_ex2(&x, SEC_E_OK, "EX2 with a domain (ignored) and a PackageList naming the package");
    ex2(&x, L"alice", L"", L"pencil", L"!SCRAM-SHA-256");
    expect_ex2(&x, SEC_E_UNKNOWN_CREDENTIALS, "EX2 whose PackageList excludes SCRAM-SHA-256");
    ex2(&x, L"alice", L"", L"pencil", L"Kerberos");
    expect_ex2(&x, SEC_E_UNKNOWN_CREDENTIALS, "EX2 whose PackageList names only Kerberos");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.p->AuthData.CredType = SEC_WINNT_AUTH_DATA_TYPE_CERT;
    expect_ex2(&x, SEC_E_UNKNOWN_CREDENTIALS, "EX2 holding a certificate, not a password");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->Flags |= SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    expect_ex2(&x, SEC_E_UNKNOWN_CREDENTIALS, "EX2 encrypted by SspiEncryptAuthIdentity");
    ex2(&x, L"alice", L"", L"", L"");
    x.h->PackedCredentialsLength = 0;
    expect_ex2(&x, SEC_E_NO_CREDENTIALS, "EX2 without packed credentials: no password");

    /* Malformed: each refused with SEC_E_INVALID_TOKEN, nothing read outside it. */
    ex2(&x, L"alice", L"", L"pencil", L"");
    end = x.size;
    x.h->UserOffset = end;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: UserOffset at the end (the user past it)");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->UserOffset = 0xfffffff8;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: UserOffset near 4 GiB");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->UserLength = 9;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: an odd UserLength");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.p->AuthData.CredData.ByteArrayLength = 11;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: an odd password length");
    ex2(&x, L"alice", L"WG", L"pencil", L"");
    x.h->DomainOffset = x.h->UserOffset + 2;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: the domain overlapping the user");
    ex2(&x, L"alice", L"", L"pencil", L"SCRAM-SHA-256");
    x.h->UserOffset = x.h->PackedCredentialsOffset + sizeof(*x.p);
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: the user inside the packed credentials");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.p->AuthData.CredData.ByteArrayOffset = x.p->cbStructureLength;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: the password past its packed credentials");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->cbHeaderLength = 40;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: cbHeaderLength 40");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->cbStructureLength = x.size - 2;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: cbStructureLength short of the strings");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->cbStructureLength = 0x7fffffff;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2: cbStructureLength of 2 GiB");
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    expect_ex2(&x, SEC_E_INVALID_TOKEN, "EX2 saying ANSI");
    /* Another version is not EX2, and read as SEC_WINNT_AUTH_IDENTITY_W its Flags (the
     * EX2's PackageListLength, 0) say neither ANSI nor Unicode. */
    ex2(&x, L"alice", L"", L"pencil", L"");
    x.h->Version = 0x202;
    expect_ex2(&x, SEC_E_UNKNOWN_CREDENTIALS, "EX2 of version 0x202: not an identity");

    /* cbStructureLength past the client's memory: the LSA refuses the copy (counted), the
     * package says so. */
    {
        LONG refused = host_client_copies_refused();
        LSA_SEC_HANDLE h = 0;
        TimeStamp e;
        BYTE *c;
        ex2(&x, L"alice", L"", L"pencil", L"");
        x.h->cbStructureLength = x.size + 1;
        c = in_client(x.b, x.size);
        ok(t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, c, NULL, NULL, &h, &e) ==
                   SEC_E_INVALID_TOKEN && h == 0 && host_client_copies_refused() == refused + 1,
           "EX2: cbStructureLength one past its client buffer: SEC_E_INVALID_TOKEN, and the "
           "one copy that reached past it refused by the LSA");
        host_FreeClientBuffer(NULL, c);
    }
}

/* Every prefix of a good EX2 whose header still claims the whole, in a buffer of the
 * prefix's size: refused, and the only copy refused is the package's one copy of the
 * claimed length. */
static void test_ex2_truncations(void)
{
    ex2_blob x;
    int right = 1;

    ex2(&x, L"alice", L"", L"pencil", L"SCRAM-SHA-256");
    for (ULONG n = 4; n < x.size; n++) {
        LONG refused = host_client_copies_refused();
        LSA_SEC_HANDLE h = 0;
        TimeStamp e;
        BYTE *c = in_client(x.b, n);
        SECURITY_STATUS s =
            t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, NULL, c, NULL, NULL, &h, &e);
        if (s != SEC_E_INVALID_TOKEN || h || host_client_copies_refused() != refused + 1) {
            diag("%lu bytes: %#lx, %ld copies refused", n, s, host_client_copies_refused() - refused);
            right = 0;
        }
        host_FreeClientBuffer(NULL, c);
    }
    ok(right, "each of the %lu truncations of an EX2: SEC_E_INVALID_TOKEN, only the claimed "
       "length's copy refused", x.size - 4);
}

int main(void)
{
    WCHAR creme[16];
    static const host_resource kinds[] = { HOST_RES_LSA_HEAP, HOST_RES_PRIVATE_HEAP,
                                           HOST_RES_CLIENT_BUFFER };
    int n;

    tap_start();
    if (!start_sspkg(&pkg, L"identity-forms-store.txt"))
        return done_testing();
    t = host_secpkg_table(pkg);
    ok(host_sspi_acquire(pkg, NULL, NULL, &server_cred) == SEC_E_OK, "server credential");
    add_user_password(pkg, L"alice", L"pencil");
    n = MultiByteToWideChar(CP_ACP, 0, GetACP() == CP_UTF8 ? "cr\xc3\xa8me" : "cr\xe8me", -1,
                            creme, 16);
    ok(n == 6 && creme[2] == 0x00e8, "the ANSI code page %u reads \"crème\"", GetACP());
    add_user_password(pkg, L"anna", creme);
    test_ansi_and_ex();
    test_ex2();
    test_ex2_truncations();
    t->FreeCredentialsHandle(server_cred);
    unload_clean(kinds, sizeof(kinds) / sizeof(kinds[0]));
    return done_testing();
}
