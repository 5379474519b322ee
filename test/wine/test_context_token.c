/* test_context_token.c - what a server context yields through lsahost: a logon session
 * and a token (CreateLogonSession, CreateTokenEx) for the Windows account the user maps
 * to, handed to the caller's process in the packed context; SpGetContextToken and
 * SECPKG_ATTR_ACCESS_TOKEN in the user-mode half; impersonating and reverting with it;
 * NATIVE_NAMES, AUTHORITY, KEY_INFO and SESSION_KEY; the fallback for unmapped users
 * (ANONYMOUS LOGON, or refused); and the token and session gone with the context, with
 * nothing left at unload, however many handshakes came before. lsahost's tokens are emulated (docs/architecture.md,
 * "Identity"): the token is lsahost's own, and lsahost records the identity it stands
 * for, which this test reads with host_token_identity_of. */
#include "../package_host.h"
#include "../../src/host/lsa/host_identity.h"
#include "../../src/common/sspkg_call.h"

#include <sddl.h>
#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;
static LSAHOST_SECPKG_FUNCTION_TABLE *t;
static PSECPKG_USER_FUNCTION_TABLE u;
static LSA_SEC_HANDLE scred;

/* A whole handshake as user/password; the contexts in *cctx and *sctx. */
static SECURITY_STATUS handshake_as(const WCHAR *user, const WCHAR *password, LSA_SEC_HANDLE *cctx,
                                    LSA_SEC_HANDLE *sctx, SECURITY_STATUS *server)
{
    LSA_SEC_HANDLE cc = 0;
    SECURITY_STATUS s;

    if (host_sspi_acquire(pkg, user, password, &cc) != SEC_E_OK)
        return SEC_E_INTERNAL_ERROR;
    s = package_handshake(pkg, cc, scred, cctx, sctx, server);
    host_sspi_free_credentials(pkg, cc);
    return s;
}

/* The SID string of the token's user, as Windows reads the token. */
static void token_user(HANDLE token, char *out, size_t size)
{
    BYTE buf[256];
    DWORD got;
    char *text = NULL;

    snprintf(out, size, "(none)");
    if (GetTokenInformation(token, TokenUser, buf, sizeof(buf), &got) &&
        ConvertSidToStringSidA(((TOKEN_USER *)buf)->User.Sid, &text)) {
        snprintf(out, size, "%s", text);
        LocalFree(text);
    }
}

static void test_mapped_user(void)
{
    LSA_SEC_HANDLE cctx, sctx;
    SECURITY_STATUS cs, ss;
    HANDLE token = NULL, thread_token = NULL, own = NULL;
    host_token_identity id;
    char seen[128], mine[128];
    SecPkgContext_AccessToken access;
    LUID logon;

    cs = handshake_as(L"alice", L"pencil", &cctx, &sctx, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "handshake as alice (mapped to Administrators)");
    ok(u->GetContextToken(sctx, &token) == SEC_E_OK && token,
       "SpGetContextToken (user-mode half): the server context's token %p", (void *)token);
    memset(&id, 0, sizeof(id));
    ok(host_token_identity_of(token, &id) && !strcmp(id.user, "S-1-5-32-544"),
       "lsahost made it for S-1-5-32-544 (got %s)", id.user);
    ok(id.logon_type == Network && id.level == SecurityImpersonation &&
           !memcmp(id.source, "SCRAM256", 8) && !strcmp(id.primary_group, "S-1-5-32-544"),
       "... a network logon, impersonation level, source \"SCRAM256\", primary group the user "
       "(got type %d, level %d, source \"%.8s\")", (int)id.logon_type, (int)id.level, id.source);
    ok(id.groups == 4 && id.privileges == 0,
       "... Everyone, Authenticated Users, NETWORK and the logon SID (Administrators is an "
       "alias: no local groups), no privileges (got %lu groups, %lu privileges)", id.groups,
       id.privileges);
    logon = id.logon_id;
    ok(host_logon_session_exists(&logon), "... in a logon session lsahost holds");
    ok(u->QueryContextAttributes(sctx, SECPKG_ATTR_ACCESS_TOKEN, &access) == SEC_E_OK &&
           access.AccessToken == token, "SECPKG_ATTR_ACCESS_TOKEN: the same handle");
    ok(u->GetContextToken(cctx, &thread_token) == SEC_E_NO_IMPERSONATION && !thread_token,
       "a client context has no token: SEC_E_NO_IMPERSONATION");

    /* Impersonate, read the thread's token user, revert. */
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &own);
    token_user(own, mine, sizeof(mine));
    ok(SetThreadToken(NULL, token), "the thread impersonates with the token");
    ok(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token),
       "... and has a thread token");
    token_user(thread_token, seen, sizeof(seen));
    ok(!strcmp(seen, mine), "... whose user is lsahost's own (%s; emulated, standing for "
       "S-1-5-32-544)", seen);
    CloseHandle(thread_token);
    thread_token = NULL;
    ok(SetThreadToken(NULL, NULL) &&
           !OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread_token) &&
           GetLastError() == ERROR_NO_TOKEN,
       "reverted: the thread has no token again");
    CloseHandle(own);

    /* The token dies with the context. */
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    ok(!host_logon_session_exists(&logon), "DeleteContext ended the logon session");
    {
        DWORD flags;
        ok(!GetHandleInformation(token, &flags), "... and closed the context's token handle");
    }
}

/* The strings of the new attributes, and a session key both sides agree on. */
static void test_attributes(void)
{
    LSA_SEC_HANDLE cctx, sctx;
    SECURITY_STATUS cs, ss;
    void *buf;
    SecPkgContext_NativeNamesW names;
    SecPkgContext_AuthorityW authority;
    SecPkgContext_KeyInfoW key_info;
    SecPkgContext_SessionKey ck, sk;
    WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;

    cs = handshake_as(L"alice", L"pencil", &cctx, &sctx, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "another handshake as alice");
    host_AllocateClientBuffer(NULL, 64, &buf);
    ok(t->QueryContextAttributes(sctx, SECPKG_ATTR_NATIVE_NAMES, buf) == SEC_E_OK,
       "NATIVE_NAMES");
    memcpy(&names, buf, sizeof(names));
    ok(!wcscmp(names.sClientName, L"alice") && !wcscmp(names.sServerName, L""),
       "... client alice, no server name (SCRAM names none)");
    host_FreeClientBuffer(NULL, names.sClientName);
    host_FreeClientBuffer(NULL, names.sServerName);
    GetComputerNameW(computer, &n);
    ok(t->QueryContextAttributes(sctx, SECPKG_ATTR_AUTHORITY, buf) == SEC_E_OK, "AUTHORITY");
    memcpy(&authority, buf, sizeof(authority));
    ok(!wcscmp(authority.sAuthorityName, computer), "... the server's: this computer, %ls",
       authority.sAuthorityName);
    host_FreeClientBuffer(NULL, authority.sAuthorityName);
    ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_KEY_INFO, buf) == SEC_E_OK, "KEY_INFO");
    memcpy(&key_info, buf, sizeof(key_info));
    ok(!wcscmp(key_info.sSignatureAlgorithmName, L"HMAC-SHA-256") &&
           !wcscmp(key_info.sEncryptAlgorithmName, L"AES-256-GCM") && key_info.KeySize == 256 &&
           key_info.EncryptAlgorithm == CALG_AES_256,
       "... HMAC-SHA-256, AES-256-GCM, 256 bits");
    host_FreeClientBuffer(NULL, key_info.sSignatureAlgorithmName);
    host_FreeClientBuffer(NULL, key_info.sEncryptAlgorithmName);
    ok(t->QueryContextAttributes(cctx, SECPKG_ATTR_SESSION_KEY, buf) == SEC_E_OK, "SESSION_KEY (client)");
    memcpy(&ck, buf, sizeof(ck));
    ok(t->QueryContextAttributes(sctx, SECPKG_ATTR_SESSION_KEY, buf) == SEC_E_OK, "SESSION_KEY (server)");
    memcpy(&sk, buf, sizeof(sk));
    ok(ck.SessionKeyLength == 32 && sk.SessionKeyLength == 32 &&
           !memcmp(ck.SessionKey, sk.SessionKey, 32),
       "... 32 bytes, the same on both sides");
    {
        static const BYTE zero[32];
        ok(memcmp(ck.SessionKey, zero, 32), "... and not zero");
    }
    host_FreeClientBuffer(NULL, ck.SessionKey);
    host_FreeClientBuffer(NULL, sk.SessionKey);
    host_FreeClientBuffer(NULL, buf);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
}

static void test_unmapped_users(void)
{
    LSA_SEC_HANDLE cctx, sctx;
    SECURITY_STATUS cs, ss;
    HANDLE token = NULL;
    host_token_identity id;

    cs = handshake_as(L"bob", L"pw", &cctx, &sctx, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "handshake as bob (unmapped; UnmappedUsers unset)");
    memset(&id, 0, sizeof(id));
    ok(u->GetContextToken(sctx, &token) == SEC_E_OK && host_token_identity_of(token, &id) &&
           !strcmp(id.user, "S-1-5-7") && id.groups == 2,
       "... a token for ANONYMOUS LOGON (S-1-5-7) with NETWORK and the logon SID only (got "
       "%s, %lu groups)", id.user, id.groups);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
}

/* UnmappedUsers=refuse is read at SpInitialize: a package started with it. */
static void test_refused(void)
{
    LSA_SEC_HANDLE cctx, sctx;
    SECURITY_STATUS cs, ss;

    cs = handshake_as(L"bob", L"pw", &cctx, &sctx, &ss);
    ok(ss == SEC_E_LOGON_DENIED && cs == SEC_E_LOGON_DENIED,
       "UnmappedUsers=refuse: bob's server context SEC_E_LOGON_DENIED, and the client is told "
       "(e=other-error): SEC_E_LOGON_DENIED (got server %#lx, client %#lx)", ss, cs);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    cs = handshake_as(L"alice", L"pencil", &cctx, &sctx, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK, "... while alice, mapped, logs on");
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    cs = handshake_as(L"bob", L"wrong", &cctx, &sctx, &ss);
    ok(ss == SEC_E_LOGON_DENIED, "... and a wrong password is refused as before");
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
}

/* More server handshakes than lsahost's token table has records (1024), one by one, while
 * one context stays open: each token is forgotten once its context has gone, so none is
 * refused, and the open context's token keeps its identity. lsahost serve used to refuse
 * every token after its 1024th handshake. */
static void test_many_tokens(void)
{
    LSA_SEC_HANDLE held_c, held_s, cctx, sctx, cc = 0;
    SECURITY_STATUS cs, ss;
    HANDLE held = NULL;
    host_token_identity id;
    int failed = -1;

    cs = handshake_as(L"alice", L"pencil", &held_c, &held_s, &ss);
    ok(cs == SEC_E_OK && ss == SEC_E_OK && u->GetContextToken(held_s, &held) == SEC_E_OK,
       "a context held open as alice");
    host_sspi_acquire(pkg, L"bob", L"pw", &cc);
    for (int i = 0; i < 1100 && failed < 0; i++) {
        cs = package_handshake(pkg, cc, scred, &cctx, &sctx, &ss);
        if (cs != SEC_E_OK || ss != SEC_E_OK)
            failed = i;
        host_sspi_delete(pkg, cctx);
        host_sspi_delete(pkg, sctx);
    }
    host_sspi_free_credentials(pkg, cc);
    ok(failed < 0, "1100 handshakes as bob, each with its token (the first refused: %d)", failed);
    memset(&id, 0, sizeof(id));
    ok(host_token_identity_of(held, &id) && !strcmp(id.user, "S-1-5-32-544"),
       "... and the held context's token still stands for S-1-5-32-544 (got %s)", id.user);
    host_sspi_delete(pkg, held_c);
    host_sspi_delete(pkg, held_s);
}

/* alice, password pencil, mapped to account (a name or a SID string). */
static void add_alice(const WCHAR *account)
{
    uint32_t n = 0;
    void *response = NULL;
    ULONG rlen;
    NTSTATUS protocol = STATUS_UNSUCCESSFUL;
    void *r = sspkg_call_request_account(SSPKG_CALL_SET_USER, 0, 0, (const uint16_t *)L"alice", 5,
                                         L"pencil", 12, (const uint16_t *)account,
                                         wcslen(account), &n);

    ok(r && host_sspi_call_package(pkg, r, n, &response, &rlen, &protocol) == STATUS_SUCCESS &&
           protocol == STATUS_SUCCESS, "alice added, mapped to %ls", account);
    if (response)
        host_FreeClientBuffer(NULL, response);
    sspkg_call_free(r, n);
}

static const host_resource kinds[] = { HOST_RES_LSA_HEAP, HOST_RES_PRIVATE_HEAP,
                                       HOST_RES_CLIENT_BUFFER, HOST_RES_LOGON_SESSION,
                                       HOST_RES_TOKEN };

static int start(void)
{
    if (!start_sspkg(&pkg, L"context-token-store.txt"))
        return 0;
    t = host_secpkg_table(pkg);
    u = pkg->dll->user_table;
    return ok(host_sspi_acquire(pkg, NULL, NULL, &scred) == SEC_E_OK, "server credential");
}

int main(void)
{
    tap_start();
    SetEnvironmentVariableW(L"SSPKG_UNMAPPED_USERS", NULL);
    if (!start())
        return done_testing();
    add_user_password(pkg, L"bob", L"pw");
    /* By its name, as user add --account=Administrators does. */
    add_alice(L"Administrators");
    test_mapped_user();
    test_attributes();
    test_unmapped_users();
    test_many_tokens();
    t->FreeCredentialsHandle(scred);
    unload_clean(kinds, sizeof(kinds) / sizeof(kinds[0]));

    SetEnvironmentVariableW(L"SSPKG_UNMAPPED_USERS", L"refuse");
    /* The store is emptied by start_sspkg: the users again. */
    if (!start())
        return done_testing();
    add_user_password(pkg, L"bob", L"pw");
    add_alice(L"S-1-5-32-544");
    test_refused();
    t->FreeCredentialsHandle(scred);
    unload_clean(kinds, sizeof(kinds) / sizeof(kinds[0]));
    return done_testing();
}
