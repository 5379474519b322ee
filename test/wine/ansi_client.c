/* ansi_client.c - a program built without UNICODE (the Makefile leaves the macro out), as
 * many SSPI programs are: it takes sspkg_client.dll's table through InitSecurityInterfaceA
 * and makes every call through the A table, against an lsahost serving sspkg
 * (SCRAM-SHA-256; users alice, "josé" and "łukasz", password pencil), authpkg and attrpkg.
 * Strings it passes and gets are in the system's ANSI code page, which this prefix has
 * as 1252. test/t/58-serve-ansi.t reads lsahost's log beside this. TAP. */
#define SECURITY_WIN32
#include <windows.h>
#include <sspi.h>
#include "../tap.h"

#include <string.h>

#ifdef UNICODE
#error "ansi_client.c is built without UNICODE: it is the ANSI caller"
#endif

static PSecurityFunctionTableA t;
static PSecurityFunctionTableW tw;

/* "josé" in code page 1252, and "łukasz" (no 1252 form) in UTF-16. */
static const char jose[] = "jos\xe9";
static const WCHAR lukasz[] = { 0x142, L'u', L'k', L'a', L's', L'z', 0 };

typedef struct pair {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
} pair;

/* A handshake through lsahost, both ends through the A table, the client's credential
 * made from identity (an _A or a _W one; the package reads its Flags): the status of
 * the last step. On success both contexts are kept in p; otherwise nothing is held. */
static SECURITY_STATUS handshake(void *identity, pair *p)
{
    SecBuffer to = { 0, SECBUFFER_TOKEN, NULL }, back = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc to_desc = { SECBUFFER_VERSION, 1, &to }, back_desc = { SECBUFFER_VERSION, 1, &back };
    ULONG attributes;
    TimeStamp expiry;
    SECURITY_STATUS s, cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    BOOL first = TRUE;

    s = t->AcquireCredentialsHandleA(NULL, (char *)"SCRAM-SHA-256", SECPKG_CRED_OUTBOUND, NULL,
                                     identity, NULL, NULL, &p->client_cred, &expiry);
    if (s != SEC_E_OK)
        return s;
    s = t->AcquireCredentialsHandleA(NULL, (char *)"scram-sha-256", SECPKG_CRED_INBOUND, NULL,
                                     NULL, NULL, NULL, &p->server_cred, &expiry);
    while (s == SEC_E_OK && cs == SEC_I_CONTINUE_NEEDED) {
        t->FreeContextBuffer(to.pvBuffer);
        to = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
        s = cs = t->InitializeSecurityContextA(&p->client_cred, first ? NULL : &p->client,
                                               (char *)"host/server.example",
                                               ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MUTUAL_AUTH |
                                                   ISC_REQ_CONFIDENTIALITY, 0, 0,
                                               first ? NULL : &back_desc, 0, &p->client, &to_desc,
                                               &attributes, &expiry);
        if (cs == SEC_I_CONTINUE_NEEDED)
            s = SEC_E_OK;
        if (s != SEC_E_OK || !to.cbBuffer)
            break;
        t->FreeContextBuffer(back.pvBuffer);
        back = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
        s = ss = t->AcceptSecurityContext(&p->server_cred, first ? NULL : &p->server, &to_desc,
                                          ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_MUTUAL_AUTH |
                                              ASC_REQ_CONFIDENTIALITY, 0, &p->server, &back_desc,
                                          &attributes, &expiry);
        if (ss == SEC_I_CONTINUE_NEEDED || ss == SEC_E_OK)
            s = SEC_E_OK;
        first = FALSE;
    }
    if (s == SEC_E_OK && (cs != SEC_E_OK || ss != SEC_E_OK))
        s = SEC_E_INTERNAL_ERROR;
    t->FreeContextBuffer(to.pvBuffer);
    t->FreeContextBuffer(back.pvBuffer);
    if (s != SEC_E_OK && !first) {
        t->DeleteSecurityContext(&p->client);
        t->DeleteSecurityContext(&p->server);
    }
    if (s != SEC_E_OK) {
        t->FreeCredentialHandle(&p->client_cred);
        t->FreeCredentialHandle(&p->server_cred);
    }
    return s;
}

static void end(pair *p)
{
    t->DeleteSecurityContext(&p->client);
    t->DeleteSecurityContext(&p->server);
    t->FreeCredentialHandle(&p->client_cred);
    t->FreeCredentialHandle(&p->server_cred);
}

static SEC_WINNT_AUTH_IDENTITY_A identity_a(const char *user, const char *password)
{
    return (SEC_WINNT_AUTH_IDENTITY_A){ (unsigned char *)user, (ULONG)strlen(user), NULL, 0,
                                        (unsigned char *)password, (ULONG)strlen(password),
                                        SEC_WINNT_AUTH_IDENTITY_ANSI };
}

/* A string's bytes in hex, for a TAP line that stays ASCII (one buffer: one use per line). */
static const char *hex(const char *a)
{
    static char text[2 * 64 + 1];

    text[0] = 0;
    for (int i = 0; a[i] && i < 64; i++)
        snprintf(text + 2 * i, 3, "%02x", (unsigned char)a[i]);
    return text;
}

/* w in code page 1252, for comparing with what the A table gave ("" when it has none). */
static const char *in_1252(const WCHAR *w, char *out, int room)
{
    BOOL lost = FALSE;

    if (!WideCharToMultiByte(1252, WC_NO_BEST_FIT_CHARS, w, -1, out, room, NULL, &lost) || lost)
        out[0] = 0;
    return out;
}

/* Each string attribute of a context, through both tables: the A answer is the W one in
 * the code page, in a block FreeContextBuffer frees. */
static void strings_agree(CtxtHandle *ctx, const char *side)
{
    SecPkgContext_NamesA na;
    SecPkgContext_NamesW nw;
    SecPkgContext_AuthorityA aa;
    SecPkgContext_AuthorityW aw;
    SecPkgContext_NativeNamesA ta;
    SecPkgContext_NativeNamesW tnw;
    SecPkgContext_KeyInfoA ka;
    SecPkgContext_KeyInfoW kw;
    char w1[256], w2[256];
    SECURITY_STATUS s;

    s = t->QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &na);
    ok(s == SEC_E_OK && tw->QueryContextAttributesW(ctx, SECPKG_ATTR_NAMES, &nw) == SEC_E_OK &&
           !strcmp(na.sUserName, in_1252(nw.sUserName, w1, sizeof(w1))),
       "%s: NAMES through the A table is the W answer in code page 1252 (0x%08lx, %s)", side,
       s, s == SEC_E_OK ? hex(na.sUserName) : "");
    ok(s == SEC_E_OK && t->FreeContextBuffer(na.sUserName) == SEC_E_OK &&
           tw->FreeContextBuffer(nw.sUserName) == SEC_E_OK,
       "%s: ... FreeContextBuffer frees both", side);
    s = t->QueryContextAttributesA(ctx, SECPKG_ATTR_AUTHORITY, &aa);
    ok(s == SEC_E_OK &&
           tw->QueryContextAttributesW(ctx, SECPKG_ATTR_AUTHORITY, &aw) == SEC_E_OK &&
           !strcmp(aa.sAuthorityName, in_1252(aw.sAuthorityName, w1, sizeof(w1))) &&
           t->FreeContextBuffer(aa.sAuthorityName) == SEC_E_OK &&
           tw->FreeContextBuffer(aw.sAuthorityName) == SEC_E_OK,
       "%s: AUTHORITY likewise (0x%08lx, %s)", side, s, s == SEC_E_OK ? hex(aa.sAuthorityName) : "");
    s = t->QueryContextAttributesA(ctx, SECPKG_ATTR_NATIVE_NAMES, &ta);
    ok(s == SEC_E_OK &&
           tw->QueryContextAttributesW(ctx, SECPKG_ATTR_NATIVE_NAMES, &tnw) == SEC_E_OK &&
           !strcmp(ta.sClientName, in_1252(tnw.sClientName, w1, sizeof(w1))) &&
           !strcmp(ta.sServerName, in_1252(tnw.sServerName, w2, sizeof(w2))) &&
           t->FreeContextBuffer(ta.sClientName) == SEC_E_OK &&
           t->FreeContextBuffer(ta.sServerName) == SEC_E_OK &&
           tw->FreeContextBuffer(tnw.sClientName) == SEC_E_OK &&
           tw->FreeContextBuffer(tnw.sServerName) == SEC_E_OK,
       "%s: NATIVE_NAMES likewise, both strings (0x%08lx)", side, s);
    s = t->QueryContextAttributesA(ctx, SECPKG_ATTR_KEY_INFO, &ka);
    ok(s == SEC_E_OK && tw->QueryContextAttributesW(ctx, SECPKG_ATTR_KEY_INFO, &kw) == SEC_E_OK &&
           !strcmp(ka.sSignatureAlgorithmName, "HMAC-SHA-256") &&
           !strcmp(ka.sEncryptAlgorithmName, "AES-256-GCM") && ka.KeySize == kw.KeySize &&
           ka.SignatureAlgorithm == kw.SignatureAlgorithm &&
           ka.EncryptAlgorithm == kw.EncryptAlgorithm &&
           t->FreeContextBuffer(ka.sSignatureAlgorithmName) == SEC_E_OK &&
           t->FreeContextBuffer(ka.sEncryptAlgorithmName) == SEC_E_OK &&
           tw->FreeContextBuffer(kw.sSignatureAlgorithmName) == SEC_E_OK &&
           tw->FreeContextBuffer(kw.sEncryptAlgorithmName) == SEC_E_OK,
       "%s: KEY_INFO's names in ANSI, its numbers as the W answer's (0x%08lx)", side, s);
}

static void packages(void)
{
    PSecPkgInfoA info = NULL, one = NULL;
    PSecPkgInfoW info_w = NULL;
    ULONG count = 99, count_w = 0;
    char comment[512];
    BOOL same = TRUE;
    SECURITY_STATUS s, s_w;

    s = t->EnumerateSecurityPackagesA(&count, &info);
    ok(s == SEC_E_OK && count == 4, "EnumerateSecurityPackagesA: the four packages lsahost "
       "serves (0x%08lx, %lu)", s, count);
    s_w = tw->EnumerateSecurityPackagesW(&count_w, &info_w);
    ok(s_w == SEC_E_OK && count_w == count, "... as many as the W table lists (0x%08lx, %lu)",
       s_w, count_w);
    for (ULONG i = 0; s == SEC_E_OK && i < count && i < count_w; i++)
        same = same && !strcmp(info[i].Name, in_1252(info_w[i].Name, comment, sizeof(comment))) &&
               !strcmp(info[i].Comment, in_1252(info_w[i].Comment, comment, sizeof(comment))) &&
               info[i].fCapabilities == info_w[i].fCapabilities &&
               info[i].wVersion == info_w[i].wVersion && info[i].wRPCID == info_w[i].wRPCID &&
               info[i].cbMaxToken == info_w[i].cbMaxToken;
    ok(s == SEC_E_OK && same, "... each the W one, its name and comment in ANSI");
    ok(s == SEC_E_OK && !strcmp(info[0].Name, "SCRAM-SHA-256") && !strcmp(info[1].Name, "authpkg") &&
           !strcmp(info[2].Name, "attrpkg"),
       "... in lsahost's order: SCRAM-SHA-256, authpkg, attrpkg (%s, %s, %s)",
       s == SEC_E_OK ? info[0].Name : "", s == SEC_E_OK ? info[1].Name : "",
       s == SEC_E_OK ? info[2].Name : "");
    ok(t->FreeContextBuffer(info) == SEC_E_OK && tw->FreeContextBuffer(info_w) == SEC_E_OK,
       "... one block each, which FreeContextBuffer frees");

    s = t->QuerySecurityPackageInfoA((char *)"scram-sha-256", &one);
    ok(s == SEC_E_OK && !strcmp(one->Name, "SCRAM-SHA-256") && one->cbMaxToken > 0 &&
           one->Comment && one->Comment[0],
       "QuerySecurityPackageInfoA, the name in lower case: SCRAM-SHA-256 (0x%08lx)", s);
    ok(s == SEC_E_OK && t->FreeContextBuffer(one) == SEC_E_OK, "... freed by FreeContextBuffer");
    one = (PSecPkgInfoA)1;
    s = t->QuerySecurityPackageInfoA((char *)"No-Such-Package", &one);
    ok(s == SEC_E_SECPKG_NOT_FOUND && !one, "a package lsahost does not serve: "
       "SEC_E_SECPKG_NOT_FOUND, no info (0x%08lx)", s);
    s = t->QuerySecurityPackageInfoA(NULL, &one);
    ok(s == SEC_E_SECPKG_NOT_FOUND, "no name: SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);
    s = t->QuerySecurityPackageInfoA((char *)"SCRAM-SHA-256", NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "no place for the info: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->EnumerateSecurityPackagesA(NULL, &info);
    ok(s == SEC_E_INVALID_PARAMETER, "EnumerateSecurityPackagesA without a count: "
       "SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->EnumerateSecurityPackagesA(&count, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "... without a place for the array: the same (0x%08lx)", s);
}

/* A handshake as josé (an _A identity in code page 1252) and what the A table says of it. */
static void as_jose(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(jose, "pencil");
    SecPkgContext_PackageInfoA package;
    SecPkgCredentials_NamesA cred_names;
    SecPkgContext_NamesA names;
    SecPkgContext_Sizes sizes;
    char message[] = "a message from an ANSI program";
    BYTE trailer[128];
    SecBuffer parts[2] = { { sizeof(message), SECBUFFER_DATA, message },
                           { sizeof(trailer), SECBUFFER_TOKEN, trailer } };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, parts };
    ULONG qop = 0;
    pair p;
    SECURITY_STATUS s;

    s = handshake(&id, &p);
    if (!ok(s == SEC_E_OK, "a handshake as \"jos\\xe9\" from a SEC_WINNT_AUTH_IDENTITY_A, both "
            "ends through the A table (0x%08lx)", s))
        return;
    s = t->QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &names);
    ok(s == SEC_E_OK && !strcmp(names.sUserName, jose), "the server's NAMES: \"jos\\xe9\", "
       "code page 1252 (0x%08lx, %s)", s, s == SEC_E_OK ? hex(names.sUserName) : "");
    t->FreeContextBuffer(s == SEC_E_OK ? names.sUserName : NULL);
    s = t->QueryCredentialsAttributesA(&p.client_cred, SECPKG_CRED_ATTR_NAMES, &cred_names);
    ok(s == SEC_E_OK && !strcmp(cred_names.sUserName, jose), "the client credential's NAMES: "
       "the same (0x%08lx)", s);
    ok(s == SEC_E_OK && t->FreeContextBuffer(cred_names.sUserName) == SEC_E_OK,
       "... freed by FreeContextBuffer");
    s = t->QueryContextAttributesA(&p.client, SECPKG_ATTR_PACKAGE_INFO, &package);
    ok(s == SEC_E_OK && !strcmp(package.PackageInfo->Name, "SCRAM-SHA-256") &&
           package.PackageInfo->Comment && package.PackageInfo->cbMaxToken > 0,
       "PACKAGE_INFO: SCRAM-SHA-256, in ANSI (0x%08lx, '%s')", s,
       s == SEC_E_OK ? package.PackageInfo->Name : "");
    ok(s == SEC_E_OK && t->FreeContextBuffer(package.PackageInfo) == SEC_E_OK,
       "... one block, freed by FreeContextBuffer");
    strings_agree(&p.server, "server");
    strings_agree(&p.client, "client");
    s = t->QueryContextAttributesA(&p.client, SECPKG_ATTR_SIZES, &sizes);
    ok(s == SEC_E_OK && sizes.cbSecurityTrailer && sizes.cbSecurityTrailer <= sizeof(trailer),
       "SIZES, which holds no string, as the W table gives it (0x%08lx, trailer %lu)", s,
       sizes.cbSecurityTrailer);
    parts[1].cbBuffer = sizes.cbSecurityTrailer;
    s = t->EncryptMessage(&p.client, 0, &desc, 0);
    if (s == SEC_E_OK)
        s = t->DecryptMessage(&p.server, &desc, 0, &qop);
    ok(s == SEC_E_OK && !strcmp(message, "a message from an ANSI program"),
       "EncryptMessage and DecryptMessage through the A table (0x%08lx)", s);
    s = t->QueryContextAttributesA(&p.client, SECPKG_ATTR_NEGOTIATION_INFO, &package);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "NEGOTIATION_INFO, an A form this DLL does not convert: "
       "SEC_E_UNSUPPORTED_FUNCTION (0x%08lx)", s);
    s = t->QueryContextAttributesA(&p.client, SECPKG_ATTR_NAMES, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "NAMES into NULL: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    end(&p);
    s = t->QueryContextAttributesA(&p.client, SECPKG_ATTR_NAMES, &names);
    ok(s == SEC_E_INVALID_HANDLE, "NAMES of a deleted context: SEC_E_INVALID_HANDLE (0x%08lx)", s);

    id = identity_a(jose, "wrong");
    s = handshake(&id, &p);
    ok(s == SEC_E_LOGON_DENIED, "\"jos\\xe9\" with a wrong password: SEC_E_LOGON_DENIED (0x%08lx)",
       s);
}

/* łukasz has no form in code page 1252: the W identity passes through the A table, and
 * the A table refuses to name him rather than name someone else. */
static void as_lukasz(void)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)lukasz, 6, NULL, 0,
                                     (unsigned short *)L"pencil", 6,
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    SecPkgContext_NamesA names = { (char *)1 };
    SecPkgContext_NamesW names_w;
    SecPkgCredentials_NamesA cred_names = { (char *)1 };
    pair p;
    SECURITY_STATUS s;

    s = handshake(&id, &p);
    if (!ok(s == SEC_E_OK, "a handshake as \"\\u0142ukasz\" from a SEC_WINNT_AUTH_IDENTITY_W "
            "given to AcquireCredentialsHandleA: the package reads its Flags (0x%08lx)", s))
        return;
    s = t->QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &names);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION && !names.sUserName, "the server's NAMES in code page "
       "1252: SEC_E_UNSUPPORTED_FUNCTION, no best-fit \"lukasz\" (0x%08lx)", s);
    s = t->QueryCredentialsAttributesA(&p.client_cred, SECPKG_CRED_ATTR_NAMES, &cred_names);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION && !cred_names.sUserName, "the credential's NAMES: the "
       "same (0x%08lx)", s);
    s = tw->QueryContextAttributesW(&p.server, SECPKG_ATTR_NAMES, &names_w);
    ok(s == SEC_E_OK && !wcscmp(names_w.sUserName, lukasz), "... while the W table names him "
       "(0x%08lx)", s);
    tw->FreeContextBuffer(s == SEC_E_OK ? names_w.sUserName : NULL);
    end(&p);
}

/* Strings no program should pass: refused before anything is sent. */
static void bad_strings(void)
{
    SYSTEM_INFO si;
    char *page, *big;
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out };
    ULONG attributes;
    DWORD old;
    SECURITY_STATUS s;

    GetSystemInfo(&si);
    /* Two pages: the first all 'A', no NUL; the second not readable. */
    page = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memset(page, 'A', si.dwPageSize);
    VirtualProtect(page + si.dwPageSize, si.dwPageSize, PAGE_NOACCESS, &old);
    big = HeapAlloc(GetProcessHeap(), 0, 40000);
    memset(big, 'B', 40000);

    s = t->AcquireCredentialsHandleA(NULL, page, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                     &cred, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "a package name that runs into an unreadable page: "
       "SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->AcquireCredentialsHandleA(NULL, page + si.dwPageSize, SECPKG_CRED_INBOUND, NULL, NULL,
                                     NULL, NULL, &cred, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "one in an unreadable page: the same (0x%08lx)", s);
    s = t->AcquireCredentialsHandleA(page, (char *)"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL,
                                     NULL, NULL, NULL, &cred, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "an unterminated principal, which the package would "
       "ignore: the same (0x%08lx)", s);
    big[32768] = 0;
    s = t->AcquireCredentialsHandleA(NULL, big, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                     &cred, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "a package name of 32768 bytes, past what a "
       "UNICODE_STRING holds: the same (0x%08lx)", s);
    big[32767] = 0;
    s = t->AcquireCredentialsHandleA(NULL, big, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                     &cred, NULL);
    ok(s == SEC_E_SECPKG_NOT_FOUND, "one of 32767 is converted, and not found: "
       "SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);
    s = t->AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                     &cred, NULL);
    ok(s == SEC_E_SECPKG_NOT_FOUND, "no package name: SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);

    s = t->AcquireCredentialsHandleA(NULL, (char *)"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL,
                                     NULL, NULL, NULL, &cred, NULL);
    ok(s == SEC_E_OK, "an inbound credential (0x%08lx)", s);
    s = t->InitializeSecurityContextA(&cred, NULL, page, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                      &ctx, &out_desc, &attributes, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "InitializeSecurityContextA with an unterminated target: "
       "SEC_E_INVALID_PARAMETER, before the package is asked (0x%08lx)", s);
    t->FreeCredentialHandle(&cred);
    s = t->ImportSecurityContextA(page, &out, NULL, &ctx);
    ok(s == SEC_E_INVALID_PARAMETER, "ImportSecurityContextA with an unterminated package "
       "name: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->QuerySecurityPackageInfoA(page, (PSecPkgInfoA *)&out.pvBuffer);
    ok(s == SEC_E_INVALID_PARAMETER, "QuerySecurityPackageInfoA with one: the same (0x%08lx)", s);
    HeapFree(GetProcessHeap(), 0, big);
    VirtualFree(page, 0, MEM_RELEASE);
}

/* ChangeAccountPasswordA for josé, and SetCredentialsAttributesA(NAMES) to attrpkg, which
 * says in lsahost's log which form of the name it was handed. */
static void passwords_and_names(void)
{
    DOMAIN_PASSWORD_INFORMATION policy;
    SecBuffer response = { sizeof(policy), SECBUFFER_CHANGE_PASS_RESPONSE, &policy };
    SecBufferDesc output = { SECBUFFER_VERSION, 1, &response };
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(jose, "ink");
    SecPkgCredentials_NamesA names = { (char *)jose };
    CredHandle cred;
    pair p;
    SECURITY_STATUS s;

    s = t->ChangeAccountPasswordA((char *)"SCRAM-SHA-256", NULL, (char *)jose, (char *)"pencil",
                                  (char *)"ink", FALSE, 0, &output);
    ok(s == SEC_E_OK, "ChangeAccountPasswordA for \"jos\\xe9\": SEC_E_OK (0x%08lx)", s);
    s = handshake(&id, &p);
    ok(s == SEC_E_OK, "... and a handshake with the new password (0x%08lx)", s);
    if (s == SEC_E_OK)
        end(&p);
    response.cbBuffer = sizeof(policy);
    s = t->ChangeAccountPasswordA((char *)"SCRAM-SHA-256", NULL, NULL, (char *)"ink",
                                  (char *)"pen", FALSE, 0, &output);
    ok(s == SEC_E_INVALID_PARAMETER, "no account: the W function's SEC_E_INVALID_PARAMETER "
       "(0x%08lx)", s);

    s = t->AcquireCredentialsHandleA(NULL, (char *)"attrpkg", SECPKG_CRED_OUTBOUND, NULL, NULL,
                                     NULL, NULL, &cred, NULL);
    ok(s == SEC_E_OK, "an attrpkg credential (0x%08lx)", s);
    s = t->SetCredentialsAttributesA(&cred, SECPKG_CRED_ATTR_NAMES, &names, sizeof(names));
    ok(s == SEC_E_OK, "SetCredentialsAttributesA(NAMES, \"jos\\xe9\"): SEC_E_OK (0x%08lx)", s);
    s = t->SetCredentialsAttributesA(&cred, SECPKG_CRED_ATTR_NAMES, &names, sizeof(names) - 1);
    ok(s == SEC_E_INVALID_PARAMETER, "... with a size short of the structure: "
       "SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->SetCredentialsAttributesA(&cred, 77, (void *)"\x01\x02\x03", 3);
    ok(s == SEC_E_OK, "another attribute goes as bytes (0x%08lx)", s);
    t->FreeCredentialHandle(&cred);
}

int main(void)
{
    tap_start();
    ok(GetACP() == 1252, "the system's ANSI code page is 1252, as this test's strings are "
       "(%u)", GetACP());
    if (!ok((t = InitSecurityInterfaceA()) != NULL && (tw = InitSecurityInterfaceW()) != NULL,
            "sspkg_client.dll gives both tables"))
        return done_testing();
    ok(t->dwVersion == SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 && t->ChangeAccountPasswordA &&
           t->SetCredentialsAttributesA && t->SetContextAttributesA && t->ImportSecurityContextA,
       "the A table: version 4, with the entries up to ChangeAccountPasswordA (version %lu)",
       t->dwVersion);
    ok(t == InitSecurityInterfaceA(), "... the same table on every call");
    ok(t->FreeContextBuffer == tw->FreeContextBuffer && t->MakeSignature == tw->MakeSignature &&
           t->AcceptSecurityContext == tw->AcceptSecurityContext,
       "entries without strings are the W table's own");
    packages();
    bad_strings();
    as_jose();
    as_lukasz();
    passwords_and_names();
    return done_testing();
}
