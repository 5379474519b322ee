/* pw_client.c - a client process changing passwords through sspkg_client.dll's
 * ChangeAccountPasswordW, against an lsahost serving sspkg (SCRAM-SHA-256, package 0,
 * whose store has alice with password pencil), authpkg (no such entry) and
 * test/packages/attrpkg.c (which refuses every change and writes its password policy).
 * test/t/57-serve-change-password.t reads lsahost's log beside this. TAP. */
#include "../../src/winapi.h"
#include "../tap.h"

#include <string.h>

static PSecurityFunctionTableW t;
static DOMAIN_PASSWORD_INFORMATION policy;
static SecBuffer response = { sizeof(policy), SECBUFFER_CHANGE_PASS_RESPONSE, &policy };
static SecBufferDesc output = { SECBUFFER_VERSION, 1, &response };

/* ChangeAccountPasswordW for alice of SCRAM-SHA-256 with `output` reset (its buffer full
 * of 0xcc, to see what the DLL writes). */
static SECURITY_STATUS change(const WCHAR *package, const WCHAR *user, const WCHAR *old_password,
                              const WCHAR *new_password)
{
    memset(&policy, 0xcc, sizeof(policy));
    response = (SecBuffer){ sizeof(policy), SECBUFFER_CHANGE_PASS_RESPONSE, &policy };
    output = (SecBufferDesc){ SECBUFFER_VERSION, 1, &response };
    return t->ChangeAccountPasswordW((WCHAR *)package, NULL, (WCHAR *)user, (WCHAR *)old_password,
                                     (WCHAR *)new_password, FALSE, 0, &output);
}

static BOOL policy_empty(void)
{
    static const DOMAIN_PASSWORD_INFORMATION zero;
    return response.cbBuffer == 0 && !memcmp(&policy, &zero, sizeof(zero));
}

/* A handshake through lsahost, both ends here, as `user` with `password`: the status of
 * the last step. */
static SECURITY_STATUS handshake(const WCHAR *user, const WCHAR *password)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)user, (ULONG)wcslen(user), NULL, 0,
                                     (unsigned short *)password, (ULONG)wcslen(password),
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    SecBuffer to = { 0, SECBUFFER_TOKEN, NULL }, back = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc to_desc = { SECBUFFER_VERSION, 1, &to }, back_desc = { SECBUFFER_VERSION, 1, &back };
    ULONG attributes;
    TimeStamp expiry;
    SECURITY_STATUS s, cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    BOOL first = TRUE;

    s = t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_OUTBOUND, NULL,
                                     &id, NULL, NULL, &client_cred, &expiry);
    if (s != SEC_E_OK)
        return s;
    s = t->AcquireCredentialsHandleW(NULL, (WCHAR *)L"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL,
                                     NULL, NULL, NULL, &server_cred, &expiry);
    while (s == SEC_E_OK && cs == SEC_I_CONTINUE_NEEDED) {
        t->FreeContextBuffer(to.pvBuffer);
        to = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
        s = cs = t->InitializeSecurityContextW(&client_cred, first ? NULL : &client, NULL,
                                               ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MUTUAL_AUTH, 0,
                                               0, first ? NULL : &back_desc, 0, &client,
                                               &to_desc, &attributes, &expiry);
        if (cs == SEC_I_CONTINUE_NEEDED)
            s = SEC_E_OK;
        if (s != SEC_E_OK || !to.cbBuffer)
            break;
        t->FreeContextBuffer(back.pvBuffer);
        back = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
        s = ss = t->AcceptSecurityContext(&server_cred, first ? NULL : &server, &to_desc,
                                          ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_MUTUAL_AUTH, 0,
                                          &server, &back_desc, &attributes, &expiry);
        if (ss == SEC_I_CONTINUE_NEEDED || ss == SEC_E_OK)
            s = SEC_E_OK;
        first = FALSE;
    }
    if (s == SEC_E_OK && (cs != SEC_E_OK || ss != SEC_E_OK))
        s = SEC_E_INTERNAL_ERROR;
    t->FreeContextBuffer(to.pvBuffer);
    t->FreeContextBuffer(back.pvBuffer);
    if (!first) {
        t->DeleteSecurityContext(&client);
        t->DeleteSecurityContext(&server);
    }
    t->FreeCredentialsHandle(&client_cred);
    t->FreeCredentialsHandle(&server_cred);
    return s;
}

/* Malformed calls: refused by the DLL before anything is sent. */
static void bad_arguments(void)
{
    static WCHAR long_password[1026];
    DOMAIN_PASSWORD_INFORMATION two[2];
    SecBuffer pair[2] = { { sizeof(policy), SECBUFFER_CHANGE_PASS_RESPONSE, &two[0] },
                          { sizeof(policy), SECBUFFER_CHANGE_PASS_RESPONSE, &two[1] } };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, pair };
    SECURITY_STATUS s;

    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 1, &output);
    ok(s == SEC_E_INVALID_PARAMETER, "dwReserved 1: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = change(L"SCRAM-SHA-256", NULL, L"pencil", L"ink");
    ok(s == SEC_E_INVALID_PARAMETER, "a NULL account: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = change(L"SCRAM-SHA-256", L"alice", NULL, L"ink");
    ok(s == SEC_E_INVALID_PARAMETER, "a NULL old password: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = change(L"SCRAM-SHA-256", L"alice", L"pencil", NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "a NULL new password: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, NULL);
    ok(s == SEC_E_INVALID_PARAMETER, "no pOutput: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, &desc);
    ok(s == SEC_E_INVALID_PARAMETER, "pOutput with two buffers: SEC_E_INVALID_PARAMETER "
       "(0x%08lx)", s);
    desc.cBuffers = 1;
    pair[0].BufferType = SECBUFFER_TOKEN;
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, &desc);
    ok(s == SEC_E_INVALID_PARAMETER, "a SECBUFFER_TOKEN buffer: SEC_E_INVALID_PARAMETER "
       "(0x%08lx)", s);
    pair[0].BufferType = SECBUFFER_CHANGE_PASS_RESPONSE;
    desc.ulVersion = 1;
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, &desc);
    ok(s == SEC_E_INVALID_PARAMETER, "a SecBufferDesc of version 1: SEC_E_INVALID_PARAMETER "
       "(0x%08lx)", s);
    desc.ulVersion = SECBUFFER_VERSION;
    pair[0].pvBuffer = NULL;
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, &desc);
    ok(s == SEC_E_INVALID_PARAMETER, "a NULL pvBuffer: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    pair[0].pvBuffer = &two[0];
    pair[0].cbBuffer = sizeof(policy) - 1;
    s = t->ChangeAccountPasswordW((WCHAR *)L"SCRAM-SHA-256", NULL, (WCHAR *)L"alice",
                                  (WCHAR *)L"pencil", (WCHAR *)L"ink", FALSE, 0, &desc);
    ok(s == SEC_E_BUFFER_TOO_SMALL, "a buffer of 23 bytes: SEC_E_BUFFER_TOO_SMALL (0x%08lx)", s);
    for (int i = 0; i < 1025; i++)
        long_password[i] = L'a' + i % 26;
    s = change(L"SCRAM-SHA-256", L"alice", long_password, L"ink");
    ok(s == SEC_E_INVALID_PARAMETER, "an old password of 1025 characters, more than lsahost "
       "takes: SEC_E_INVALID_PARAMETER (0x%08lx)", s);
    long_password[1024] = 0;
    s = change(L"SCRAM-SHA-256", L"alice", long_password, L"ink");
    ok(s == SEC_E_LOGON_DENIED, "one of 1024 characters goes to the package: wrong, "
       "SEC_E_LOGON_DENIED (0x%08lx)", s);
    s = change(L"No-Such-Package", L"alice", L"pencil", L"ink");
    ok(s == SEC_E_SECPKG_NOT_FOUND, "a package lsahost does not serve: SEC_E_SECPKG_NOT_FOUND "
       "(0x%08lx)", s);
    s = change(NULL, L"alice", L"pencil", L"ink");
    ok(s == SEC_E_SECPKG_NOT_FOUND, "no package name: SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);
}

int main(void)
{
    static const DOMAIN_PASSWORD_INFORMATION attrpkg_policy = {
        12, 24, DOMAIN_PASSWORD_COMPLEX, { .QuadPart = -42 * 864000000000LL },
        { .QuadPart = -864000000000LL }
    };
    static const WCHAR bell[] = { L'a', 7, L'b', 0 };
    SECURITY_STATUS s;

    tap_start();
    if (!ok((t = InitSecurityInterfaceW()) != NULL, "sspkg_client.dll gives its table"))
        return done_testing();
    ok(t->dwVersion == SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 && t->ChangeAccountPasswordW,
       "table version 4, with ChangeAccountPasswordW (version %lu)", t->dwVersion);
    bad_arguments();

    s = change(L"SCRAM-SHA-256", L"alice", L"wrong", L"ink");
    ok(s == SEC_E_LOGON_DENIED, "a wrong old password: SEC_E_LOGON_DENIED (0x%08lx)", s);
    ok(policy_empty(), "... no policy: the buffer zeroed, cbBuffer 0 (%lu)", response.cbBuffer);
    s = change(L"SCRAM-SHA-256", L"nobody", L"wrong", L"ink");
    ok(s == SEC_E_LOGON_DENIED, "an unknown user: the same, SEC_E_LOGON_DENIED (0x%08lx)", s);
    s = change(L"SCRAM-SHA-256", L"alice", L"pencil", bell);
    ok(s == STATUS_ILL_FORMED_PASSWORD, "a new password SASLprep prohibits: the package's "
       "STATUS_ILL_FORMED_PASSWORD, which SSPI has no word for (0x%08lx)", s);
    s = change(L"authpkg", L"alice", L"pencil", L"ink");
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "authpkg, without the entry: SEC_E_UNSUPPORTED_FUNCTION "
       "(0x%08lx)", s);
    s = change(L"attrpkg-null", L"alice", L"pencil", L"ink");
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "attrpkg-null, its entry NULL: the same (0x%08lx)", s);

    memset(&policy, 0xcc, sizeof(policy));
    response.cbBuffer = sizeof(policy) + 8;
    s = t->ChangeAccountPasswordW((WCHAR *)L"attrpkg", (WCHAR *)L"REALM", (WCHAR *)L"carol",
                                  (WCHAR *)L"old", (WCHAR *)L"new", TRUE, 0, &output);
    ok(s == STATUS_PASSWORD_RESTRICTION, "attrpkg refuses the change: its "
       "STATUS_PASSWORD_RESTRICTION (0x%08lx)", s);
    ok(response.cbBuffer == sizeof(policy) && !memcmp(&policy, &attrpkg_policy, sizeof(policy)),
       "... with its policy in the caller's buffer, exactly, and cbBuffer 24 (%lu; minimum "
       "length %u, history %u)", response.cbBuffer, policy.MinPasswordLength,
       policy.PasswordHistoryLength);

    s = change(L"scram-sha-256", L"alice", L"pencil", L"ink");
    ok(s == SEC_E_OK, "the right old password, the package named in lower case: SEC_E_OK "
       "(0x%08lx)", s);
    ok(policy_empty(), "... sspkg writes no policy (cbBuffer %lu)", response.cbBuffer);
    s = handshake(L"alice", L"ink");
    ok(s == SEC_E_OK, "a handshake through lsahost with the new password (0x%08lx)", s);
    s = handshake(L"alice", L"pencil");
    ok(s == SEC_E_LOGON_DENIED, "... the old one is refused (0x%08lx)", s);
    s = change(L"SCRAM-SHA-256", L"alice", L"pencil", L"again");
    ok(s == SEC_E_LOGON_DENIED, "... and changes nothing any more (0x%08lx)", s);
    return done_testing();
}
