/* test_sso.c - credentials that follow a logon, through lsahost: LsaApLogonUserEx2 keeps
 * the user and password as the session's credential; AcquireCredentialsHandle(OUTBOUND)
 * with no identity and that session takes it (a trusted caller names the session),
 * and the handshake succeeds without a password passed; a session without one, and the
 * caller's own (Wine's 0:0), give SEC_E_NO_CREDENTIALS; LsaApLogonTerminated takes it
 * away; SpAcceptCredentials takes a clear password from another package's logon. */
#include "../package_host.h"
#include "../../src/host/lsa/host_identity.h"

#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;
static LSAHOST_SECPKG_FUNCTION_TABLE *t;
static LSA_SEC_HANDLE scred;

/* LsaApLogonUserEx2 as lsass drives it (the submit buffer staged through client memory);
 * everything it returns freed as lsass frees it. The logon id in *logon. */
static NTSTATUS logon_user(const WCHAR *user, const WCHAR *password, LUID *logon)
{
    BYTE submit[512];
    SSPKG_INTERACTIVE_LOGON *s = (SSPKG_INTERACTIVE_LOGON *)submit;
    ULONG ul = (ULONG)(wcslen(user) * 2), pl = (ULONG)(wcslen(password) * 2);
    ULONG size = sizeof(*s) + ul + pl;
    BYTE *client = NULL, *copy = host_AllocateLsaHeap(size);
    PVOID profile = NULL, info = NULL;
    ULONG profile_length = 0;
    NTSTATUS status, sub;
    LSA_TOKEN_INFORMATION_TYPE type;
    PUNICODE_STRING names[3] = { NULL, NULL, NULL };
    SECPKG_PRIMARY_CRED primary;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental = NULL;

    memset(submit, 0, sizeof(submit));
    memset(&primary, 0, sizeof(primary));
    host_AllocateClientBuffer(NULL, size, (void **)&client);
    s->MessageType = SSPKG_INTERACTIVE_LOGON_TYPE;
    s->UserName.Length = s->UserName.MaximumLength = (uint16_t)ul;
    s->UserName.Buffer = (uint16_t *)(client + sizeof(*s));
    s->Password.Length = s->Password.MaximumLength = (uint16_t)pl;
    s->Password.Buffer = (uint16_t *)(client + sizeof(*s) + ul);
    memcpy(submit + sizeof(*s), user, ul);
    memcpy(submit + sizeof(*s) + ul, password, pl);
    host_CopyToClientBuffer(NULL, size, client, submit);
    host_CopyFromClientBuffer(NULL, size, copy, client);
    host_call_begin(pkg->id, "LsaApLogonUserEx2");
    status = t->LogonUserEx2(NULL, Interactive, copy, client, size, &profile, &profile_length,
                             logon, &sub, &type, &info, &names[0], &names[1], &names[2],
                             &primary, &supplemental);
    host_call_end();
    for (int i = 0; i < 3; i++)
        if (names[i]) {
            host_FreeLsaHeap(names[i]->Buffer);
            host_FreeLsaHeap(names[i]);
        }
    host_FreeLsaHeap(primary.DownlevelName.Buffer);
    if (primary.Password.Buffer)
        SecureZeroMemory(primary.Password.Buffer, primary.Password.Length);
    host_FreeLsaHeap(primary.Password.Buffer);
    host_FreeLsaHeap(info);
    host_FreeLsaHeap(copy);
    if (profile)
        host_FreeClientBuffer(NULL, profile);
    host_FreeClientBuffer(NULL, client);
    return status;
}

/* AcquireCredentialsHandle(OUTBOUND) without an identity, as a trusted caller naming
 * logon (NULL: the caller's own). */
static SECURITY_STATUS acquire_from(LUID *logon, LSA_SEC_HANDLE *cred)
{
    TimeStamp e;
    SECURITY_STATUS s;

    *cred = 0;
    host_call_begin(pkg->id, "AcquireCredentialsHandle");
    s = t->AcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, logon, NULL, NULL, NULL, cred, &e);
    host_call_end();
    return s;
}

/* One TAP line: a handshake with the credential succeeds, as user. */
static void authenticates(LSA_SEC_HANDLE cred, const WCHAR *user, const char *what)
{
    LSA_SEC_HANDLE cctx, sctx;
    SECURITY_STATUS ss, cs = package_handshake(pkg, cred, scred, &cctx, &sctx, &ss);
    SecPkgContext_NamesW names = { NULL };
    void *buf = NULL;

    host_AllocateClientBuffer(NULL, sizeof(names), &buf);
    if (cs == SEC_E_OK && t->QueryContextAttributes(sctx, SECPKG_ATTR_NAMES, buf) == SEC_E_OK)
        memcpy(&names, buf, sizeof(names));
    ok(cs == SEC_E_OK && ss == SEC_E_OK && names.sUserName && !wcscmp(names.sUserName, user),
       "%s: the handshake succeeds as %ls (client %#lx, server %#lx)", what, user, cs, ss);
    if (names.sUserName)
        host_FreeClientBuffer(NULL, names.sUserName);
    host_FreeClientBuffer(NULL, buf);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
}

static void test_logon_then_sso(void)
{
    LUID logon = { 0, 0 }, none = { 0, 0 };
    LSA_SEC_HANDLE cred;

    ok(logon_user(L"alice", L"pencil", &logon) == STATUS_SUCCESS, "alice logs on (LsaApLogonUserEx2)");
    ok(acquire_from(&logon, &cred) == SEC_E_OK && cred,
       "AcquireCredentialsHandle(OUTBOUND) with no identity and alice's logon session");
    authenticates(cred, L"alice", "single sign-on");
    host_sspi_free_credentials(pkg, cred);
    ok(acquire_from(&none, &cred) == SEC_E_NO_CREDENTIALS && !cred,
       "the caller's own logon session (Wine's 0:0, which lsahost has not): SEC_E_NO_CREDENTIALS");
    host_call_begin(pkg->id, "LsaApLogonTerminated");
    t->LogonTerminated(&logon);
    host_call_end();
    ok(acquire_from(&logon, &cred) == SEC_E_NO_CREDENTIALS,
       "after LsaApLogonTerminated the session's credential is gone: SEC_E_NO_CREDENTIALS");
    host_DeleteLogonSession(&logon);
    ok(logon_user(L"alice", L"wrong", &logon) == STATUS_LOGON_FAILURE && !logon.LowPart &&
           !logon.HighPart, "a wrong password logs nobody on, and leaves no session");
}

static void test_accept_credentials(void)
{
    LUID logon;
    LSA_SEC_HANDLE cred;
    SECPKG_PRIMARY_CRED primary;
    WCHAR user[] = L"alice", password[] = L"pencil";
    NTSTATUS status;

    AllocateLocallyUniqueId(&logon);
    host_CreateLogonSession(&logon);
    memset(&primary, 0, sizeof(primary));
    primary.LogonId = logon;
    primary.DownlevelName.Buffer = user;
    primary.DownlevelName.Length = primary.DownlevelName.MaximumLength = 10;
    primary.Password.Buffer = password;
    primary.Password.Length = primary.Password.MaximumLength = 12;
    ok(acquire_from(&logon, &cred) == SEC_E_NO_CREDENTIALS,
       "another package's logon session, before SpAcceptCredentials: SEC_E_NO_CREDENTIALS");
    host_call_begin(pkg->id, "SpAcceptCredentials");
    status = t->AcceptCredentials(Interactive, NULL, &primary, NULL);
    host_call_end();
    ok(status == STATUS_SUCCESS && acquire_from(&logon, &cred) == SEC_E_NO_CREDENTIALS,
       "SpAcceptCredentials without PRIMARY_CRED_CLEAR_PASSWORD keeps nothing");
    primary.Flags = PRIMARY_CRED_CLEAR_PASSWORD;
    host_call_begin(pkg->id, "SpAcceptCredentials");
    status = t->AcceptCredentials(Interactive, NULL, &primary, NULL);
    host_call_end();
    ok(status == STATUS_SUCCESS && acquire_from(&logon, &cred) == SEC_E_OK,
       "SpAcceptCredentials with a clear password: the session's credential serves");
    authenticates(cred, L"alice", "another package's logon");
    host_sspi_free_credentials(pkg, cred);
    host_DeleteLogonSession(&logon);
}

int main(void)
{
    static const host_resource kinds[] = { HOST_RES_LSA_HEAP, HOST_RES_PRIVATE_HEAP,
                                           HOST_RES_CLIENT_BUFFER, HOST_RES_LOGON_SESSION,
                                           HOST_RES_TOKEN };

    tap_start();
    if (!start_sspkg(&pkg, L"sso-store.txt"))
        return done_testing();
    t = host_secpkg_table(pkg);
    ok(host_sspi_acquire(pkg, NULL, NULL, &scred) == SEC_E_OK, "server credential");
    add_user_password(pkg, L"alice", L"pencil");
    test_logon_then_sso();
    test_accept_credentials();
    t->FreeCredentialsHandle(scred);
    unload_clean(kinds, sizeof(kinds) / sizeof(kinds[0]));
    return done_testing();
}
