/* test_client_dll.c - sspkg_client.dll's SSPI conventions, against a running lsahost
 * serve (SSPKG_PIPE): package enumeration, NULL, stale and foreign handles, caller
 * buffers, FreeContextBuffer, and what is not supported said as such. */
#define SECURITY_WIN32
#include <windows.h>
#include <sspi.h>
#include "../tap.h"

#include <string.h>

static PSecurityFunctionTableW t;

static void handshake(CredHandle *cc, CredHandle *sc, CtxtHandle *c, CtxtHandle *s,
                      SECURITY_STATUS *cs, SECURITY_STATUS *ss)
{
    BYTE a[4096], b[4096];
    ULONG attrs;
    int first = 1;

    *cs = SEC_I_CONTINUE_NEEDED;
    *ss = SEC_E_INTERNAL_ERROR;
    SecBuffer ab = { 0, SECBUFFER_TOKEN, a }, bb = { 0, SECBUFFER_TOKEN, b };
    SecBufferDesc ad = { SECBUFFER_VERSION, 1, &ab }, bd = { SECBUFFER_VERSION, 1, &bb };
    ab.cbBuffer = sizeof(a);
    *cs = t->InitializeSecurityContextW(cc, NULL, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0, c,
                                        &ad, &attrs, NULL);
    while (*cs == SEC_I_CONTINUE_NEEDED) {
        bb.cbBuffer = sizeof(b);
        *ss = t->AcceptSecurityContext(sc, first ? NULL : s, &ad, ASC_REQ_CONFIDENTIALITY, 0, s,
                                       &bd, &attrs, NULL);
        first = 0;
        if (!bb.cbBuffer)
            break;
        ab.cbBuffer = sizeof(a);
        *cs = t->InitializeSecurityContextW(NULL, c, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, &bd, 0,
                                            c, &ad, &attrs, NULL);
    }
}

/* A mark only this process's token carries: an ACE for BUILTIN\\Remote Desktop Users
 * (S-1-5-32-555) in its default DACL, which a duplicate of the token keeps. */
static BOOL mark_own_token(void)
{
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    BYTE acl_bytes[256];
    PACL acl = (PACL)acl_bytes;
    TOKEN_DEFAULT_DACL dacl = { acl };
    PSID marker = NULL;
    HANDLE own;
    BOOL done = FALSE;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_DEFAULT, &own))
        return FALSE;
    if (AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, 555, 0, 0, 0, 0, 0, 0,
                                 &marker) &&
        InitializeAcl(acl, sizeof(acl_bytes), ACL_REVISION) &&
        AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, marker))
        done = SetTokenInformation(own, TokenDefaultDacl, &dacl, sizeof(dacl));
    FreeSid(marker);
    CloseHandle(own);
    return done;
}

static BOOL token_is_marked(HANDLE token)
{
    union {
        TOKEN_DEFAULT_DACL dacl;
        BYTE bytes[1024];
    } got;
    SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    PSID marker = NULL;
    DWORD n;
    BOOL found = FALSE;
    ACCESS_ALLOWED_ACE *ace;

    if (!GetTokenInformation(token, TokenDefaultDacl, &got, sizeof(got), &n) ||
        !got.dacl.DefaultDacl ||
        !AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, 555, 0, 0, 0, 0, 0, 0,
                                  &marker))
        return FALSE;
    for (DWORD i = 0; !found && i < got.dacl.DefaultDacl->AceCount; i++)
        found = GetAce(got.dacl.DefaultDacl, i, (void **)&ace) &&
                ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
                EqualSid((PSID)&ace->SidStart, marker);
    FreeSid(marker);
    return found;
}

int main(void)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)L"alice", 5, NULL, 0,
                                     (unsigned short *)L"pencil", 6,
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    INIT_SECURITY_INTERFACE_W init;
    HMODULE dll;
    ULONG count;
    PSecPkgInfoW info;
    CredHandle cc, sc, bogus = { 0x1234, 0x5678 };
    CtxtHandle c, s, stale;
    SECURITY_STATUS cs, ss, r;
    SecPkgContext_Sizes sizes;

    tap_start();
    dll = LoadLibraryW(L"sspkg_client.dll");
    init = dll ? (INIT_SECURITY_INTERFACE_W)(void *)GetProcAddress(dll, "InitSecurityInterfaceW") : NULL;
    if (!ok(init && (t = init()) != NULL, "InitSecurityInterfaceW gives a table"))
        return done_testing();

    ok(t->EnumerateSecurityPackagesW(&count, &info) == SEC_E_OK && count == 1 &&
           !wcscmp(info->Name, L"SCRAM-SHA-256") && info->cbMaxToken == 4096 &&
           (info->fCapabilities & SECPKG_FLAG_PRIVACY) && (info->fCapabilities & SECPKG_FLAG_MUTUAL_AUTH),
       "EnumerateSecurityPackagesW: one package, SCRAM-SHA-256, honest capabilities");
    ok(t->FreeContextBuffer(info) == SEC_E_OK, "FreeContextBuffer of the package list");
    ok(t->QuerySecurityPackageInfoW((WCHAR *)L"Kerberos", &info) == SEC_E_SECPKG_NOT_FOUND && !info,
       "QuerySecurityPackageInfoW of another package: SEC_E_SECPKG_NOT_FOUND");
    ok(t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                    NULL, &cc, NULL) == SEC_E_SECPKG_NOT_FOUND,
       "AcquireCredentialsHandleW for another package: SEC_E_SECPKG_NOT_FOUND");
    ok(t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_OUTBOUND, NULL,
                                    NULL, NULL, NULL, &cc, NULL) == SEC_E_NO_CREDENTIALS,
       "outbound credentials without an identity: SEC_E_NO_CREDENTIALS");
    ok(t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"scram-sha-256", SECPKG_CRED_OUTBOUND, NULL,
                                    &id, NULL, NULL, &cc, NULL) == SEC_E_OK,
       "client credentials (the package name is case-insensitive)");
    ok(t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL,
                                    NULL, NULL, NULL, &sc, NULL) == SEC_E_OK, "server credentials");

    handshake(&cc, &sc, &c, &s, &cs, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "handshake with caller-supplied token buffers");
    stale = c;
    ok(t->QueryContextAttributesW(&c, SECPKG_ATTR_SIZES, &sizes) == SEC_E_OK &&
           sizes.cbSecurityTrailer == 24 && sizes.cbMaxSignature == 40,
       "QueryContextAttributesW(SIZES): trailer %lu, signature %lu", sizes.cbSecurityTrailer,
       sizes.cbMaxSignature);
    {
        SecPkgContext_Lifespan life;
        ok(t->QueryContextAttributesW(&s, SECPKG_ATTR_LIFESPAN, &life) == SEC_E_OK &&
               life.tsExpiry.QuadPart == MAXLONGLONG, "QueryContextAttributesW(LIFESPAN) through lsahost");
    }
    {
        SecPkgCredentials_NamesW names;
        ok(t->QueryCredentialsAttributesW(&cc, SECPKG_CRED_ATTR_NAMES, &names) == SEC_E_OK &&
               names.sUserName && !wcscmp(names.sUserName, L"alice"),
           "QueryCredentialsAttributesW(NAMES): alice");
        ok(t->FreeContextBuffer(names.sUserName) == SEC_E_OK,
           "FreeContextBuffer of memory lsahost allocated in this process");
    }
    {
        /* The client context moves (here, within one process) and goes on where it was:
         * a message sealed by the import opens on the server's context. */
        SecBuffer pk = { 0, 0, NULL };
        CtxtHandle moved;
        char m[8] = "moved!";
        BYTE tr[24];
        SecBuffer bufs[2] = { { 6, SECBUFFER_DATA, m }, { 24, SECBUFFER_TOKEN, tr } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, bufs };
        ULONG qop;
        ok(t->ExportSecurityContext(&c, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &pk, NULL) == SEC_E_OK &&
               pk.cbBuffer == 680, "ExportSecurityContext (delete old): %lu-byte blob", pk.cbBuffer);
        ok(t->QueryContextAttributesW(&c, SECPKG_ATTR_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
           "the exported context is gone");
        ok(t->ImportSecurityContextW((WCHAR *)L"SCRAM-SHA-256", &pk, NULL, &moved) == SEC_E_OK,
           "ImportSecurityContextW");
        t->FreeContextBuffer(pk.pvBuffer);
        ok(t->EncryptMessage(&moved, 0, &d, 0) == SEC_E_OK &&
               t->DecryptMessage(&s, &d, 0, &qop) == SEC_E_OK && !memcmp(m, "moved!", 6),
           "the imported context seals, and the server opens it");
        ok(t->DeleteSecurityContext(&moved) == SEC_E_OK, "the imported context deletes");
        pk.pvBuffer = m;
        pk.cbBuffer = 6;
        ok(t->ImportSecurityContextW((WCHAR *)L"SCRAM-SHA-256", &pk, NULL, &moved) ==
               SEC_E_INVALID_TOKEN, "importing something that is not an export: SEC_E_INVALID_TOKEN");
        c = stale;
    }

    /* The server context's token (alice is unmapped: ANONYMOUS LOGON, emulated by
     * lsahost as a copy of this process's own token) handed to this process: queried,
     * impersonated, reverted. */
    {
        CtxtHandle c2, s2;
        HANDLE token = NULL, thread_token = NULL;
        SecPkgContext_AccessToken access = { NULL };
        SecPkgContext_SessionKey ck = { 0, NULL }, sk = { 0, NULL };
        SecPkgContext_NativeNamesW names = { NULL, NULL };
        SecPkgContext_KeyInfoW key_info;
        SecPkgContext_AuthorityW authority = { NULL };
        TOKEN_STATISTICS stats;
        DWORD got;

        /* lsahost may run as another account (SYSTEM, on Windows): the token it gives
         * must be a copy of this process's own, never lsahost's (whose rights this
         * process would then have). The mark tells them apart under Wine, where both
         * run as the same user. */
        ok(mark_own_token(), "this process's token marked (its default DACL)");
        handshake(&cc, &sc, &c2, &s2, &cs, &ss);
        ok(cs == SEC_E_OK && ss == SEC_E_OK, "another handshake");
        ok(t->QuerySecurityContextToken(&s2, &token) == SEC_E_OK && token &&
               GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &got) &&
               stats.TokenType == TokenImpersonation,
           "QuerySecurityContextToken: an impersonation token");
        ok(token && token_is_marked(token),
           "... a copy of this process's own token, not lsahost's");
        CloseHandle(token);
        ok(t->QuerySecurityContextToken(&c2, &token) == SEC_E_NO_IMPERSONATION,
           "... a client context has none: SEC_E_NO_IMPERSONATION");
        ok(t->QueryContextAttributesW(&s2, SECPKG_ATTR_ACCESS_TOKEN, &access) == SEC_E_OK &&
               access.AccessToken, "SECPKG_ATTR_ACCESS_TOKEN");
        ok(t->ImpersonateSecurityContext(&s2) == SEC_E_OK &&
               OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token),
           "ImpersonateSecurityContext: the thread has the token");
        CloseHandle(thread_token);
        thread_token = NULL;
        ok(t->RevertSecurityContext(&s2) == SEC_E_OK &&
               !OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token),
           "RevertSecurityContext: no thread token again");
        ok(t->QueryContextAttributesW(&c2, SECPKG_ATTR_SESSION_KEY, &ck) == SEC_E_OK &&
               t->QueryContextAttributesW(&s2, SECPKG_ATTR_SESSION_KEY, &sk) == SEC_E_OK &&
               ck.SessionKeyLength == 32 && sk.SessionKeyLength == 32 &&
               !memcmp(ck.SessionKey, sk.SessionKey, 32),
           "SESSION_KEY: 32 bytes, the same on both sides");
        ok(t->QueryContextAttributesW(&s2, SECPKG_ATTR_NATIVE_NAMES, &names) == SEC_E_OK &&
               !wcscmp(names.sClientName, L"alice") && !names.sServerName[0],
           "NATIVE_NAMES: alice, no server name");
        ok(t->QueryContextAttributesW(&s2, SECPKG_ATTR_KEY_INFO, &key_info) == SEC_E_OK &&
               !wcscmp(key_info.sEncryptAlgorithmName, L"AES-256-GCM"), "KEY_INFO");
        ok(t->QueryContextAttributesW(&s2, SECPKG_ATTR_AUTHORITY, &authority) == SEC_E_OK &&
               authority.sAuthorityName[0], "AUTHORITY: %ls", authority.sAuthorityName);
        ok(t->FreeContextBuffer(ck.SessionKey) == SEC_E_OK &&
               t->FreeContextBuffer(sk.SessionKey) == SEC_E_OK &&
               t->FreeContextBuffer(names.sClientName) == SEC_E_OK &&
               t->FreeContextBuffer(names.sServerName) == SEC_E_OK &&
               t->FreeContextBuffer(key_info.sSignatureAlgorithmName) == SEC_E_OK &&
               t->FreeContextBuffer(key_info.sEncryptAlgorithmName) == SEC_E_OK &&
               t->FreeContextBuffer(authority.sAuthorityName) == SEC_E_OK,
           "... each string and key freed with FreeContextBuffer");
        ok(t->DeleteSecurityContext(&c2) == SEC_E_OK && t->DeleteSecurityContext(&s2) == SEC_E_OK,
           "both contexts deleted");
        ok(!GetHandleInformation(access.AccessToken, &got),
           "... and the token handle went with the server context");
    }

    /* Handles that are not (or no longer) handles. */
    ok(t->DeleteSecurityContext(&stale) == SEC_E_INVALID_HANDLE,
       "deleting the exported-and-deleted context: SEC_E_INVALID_HANDLE");
    ok(t->QueryContextAttributesW(&stale, SECPKG_ATTR_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
       "a deleted context queried: SEC_E_INVALID_HANDLE");
    {
        char m[4] = "abc";
        BYTE tr[24];
        SecBuffer bufs[2] = { { 3, SECBUFFER_DATA, m }, { 24, SECBUFFER_TOKEN, tr } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, bufs };
        ok(t->EncryptMessage(&stale, 0, &d, 0) == SEC_E_INVALID_HANDLE,
           "EncryptMessage on a deleted context: SEC_E_INVALID_HANDLE");
        ok(t->EncryptMessage(NULL, 0, &d, 0) == SEC_E_INVALID_HANDLE,
           "EncryptMessage with a NULL handle: SEC_E_INVALID_HANDLE");
        ok(t->MakeSignature((CtxtHandle *)&bogus, 0, &d, 0) == SEC_E_INVALID_HANDLE,
           "MakeSignature with a made-up handle: SEC_E_INVALID_HANDLE");
    }
    ok(t->DeleteSecurityContext(NULL) == SEC_E_INVALID_HANDLE, "DeleteSecurityContext(NULL)");
    ok(t->FreeCredentialsHandle(&bogus) == SEC_E_INVALID_HANDLE, "FreeCredentialsHandle of a made-up handle");
    ok(t->FreeContextBuffer(NULL) == SEC_E_OK, "FreeContextBuffer(NULL)");
    ok(t->DeleteSecurityContext(&s) == SEC_E_OK, "server context deleted");

    /* A token buffer too small for the first message, without ALLOCATE_MEMORY. */
    {
        BYTE small[8];
        SecBuffer ob = { sizeof(small), SECBUFFER_TOKEN, small };
        SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
        ULONG attrs;
        r = t->InitializeSecurityContextW(&cc, NULL, NULL, 0, 0, 0, NULL, 0, &c, &od, &attrs, NULL);
        ok(r == SEC_E_BUFFER_TOO_SMALL, "an 8-byte token buffer: SEC_E_BUFFER_TOO_SMALL (got 0x%08lx)",
           (unsigned long)r);
        t->DeleteSecurityContext(&c);
    }
    ok(t->FreeCredentialsHandle(&cc) == SEC_E_OK && t->FreeCredentialsHandle(&sc) == SEC_E_OK,
       "credentials freed");
    ok(t->FreeCredentialsHandle(&cc) == SEC_E_INVALID_HANDLE, "freed twice: SEC_E_INVALID_HANDLE");
    return done_testing();
}
