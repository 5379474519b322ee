/* multi_client.c - a client process of an lsahost serving two packages, authpkg
 * (package 0) and SCRAM-SHA-256 (package 1): through sspkg_client.dll's SSPI table and
 * its LSA client API (linked with its import library), it sees both and reaches each
 * (test/t/69-serve-multi.t runs it from build/ with SSPKG_PIPE set). TAP. */
#include "../../src/winapi.h"
#include "../../src/common/sspkg_call.h"
#include "../tap.h"

#include <string.h>
#include <wchar.h>

static LSA_STRING ansi(char *s)
{
    LSA_STRING l = { (USHORT)strlen(s), (USHORT)(strlen(s) + 1), s };
    return l;
}

/* EnumerateSecurityPackagesW, QuerySecurityPackageInfoW and AcquireCredentialsHandleW
 * by name. */
static void sspi(PSecurityFunctionTableW t)
{
    SecPkgInfoW *all = NULL, *one = NULL;
    ULONG count = 0;
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS s;

    s = t->EnumerateSecurityPackagesW(&count, &all);
    ok(s == SEC_E_OK && count == 2, "EnumerateSecurityPackagesW: both packages (0x%08lx, %lu)",
       s, count);
    ok(all && count == 2 && !wcscmp(all[0].Name, L"authpkg") &&
           !wcscmp(all[1].Name, L"SCRAM-SHA-256"),
       "... in lsahost's order: authpkg, then SCRAM-SHA-256 (%ls, %ls)",
       all && count > 0 ? all[0].Name : L"-", all && count > 1 ? all[1].Name : L"-");
    ok(all && count == 2 && all[0].cbMaxToken == 16 && all[1].cbMaxToken == 4096,
       "... each with its own cbMaxToken (%lu, %lu)", all && count ? all[0].cbMaxToken : 0,
       all && count > 1 ? all[1].cbMaxToken : 0);
    t->FreeContextBuffer(all);

    s = t->QuerySecurityPackageInfoW(L"AUTHPKG", &one);
    ok(s == SEC_E_OK && one && !wcscmp(one->Name, L"authpkg"),
       "QuerySecurityPackageInfoW(\"AUTHPKG\"): authpkg's (0x%08lx)", s);
    t->FreeContextBuffer(one);
    s = t->QuerySecurityPackageInfoW(L"no-such-package", &one);
    ok(s == SEC_E_SECPKG_NOT_FOUND, "QuerySecurityPackageInfoW(\"no-such-package\"): "
       "SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);

    /* authpkg has no SpAcquireCredentialsHandle: lsahost says so, which only authpkg
     * would. */
    s = t->AcquireCredentialsHandleW(NULL, L"authpkg", SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                     NULL, &cred, &expiry);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "AcquireCredentialsHandleW(\"authpkg\") reaches authpkg: "
       "SEC_E_UNSUPPORTED_FUNCTION (0x%08lx)", s);
    s = t->AcquireCredentialsHandleW(NULL, L"SCRAM-SHA-256", SECPKG_CRED_INBOUND, NULL, NULL,
                                     NULL, NULL, &cred, &expiry);
    ok(s == SEC_E_OK, "AcquireCredentialsHandleW(\"SCRAM-SHA-256\") reaches package 1 (0x%08lx)", s);
    ok(t->FreeCredentialsHandle(&cred) == SEC_E_OK, "... and its credential is freed there");
    s = t->AcquireCredentialsHandleW(NULL, L"no-such-package", SECPKG_CRED_INBOUND, NULL, NULL,
                                     NULL, NULL, &cred, &expiry);
    ok(s == SEC_E_SECPKG_NOT_FOUND, "AcquireCredentialsHandleW(\"no-such-package\"): "
       "SEC_E_SECPKG_NOT_FOUND (0x%08lx)", s);
}

/* LsaLookupAuthenticationPackage and LsaCallAuthenticationPackage with each id. */
static void lsa_api(void)
{
    char auth[] = "authpkg", scram[] = SSPKG_PACKAGE_NAME_A, hello[] = "hello";
    char origin_text[] = "multi_client";
    LSA_STRING auth_name = ansi(auth), scram_name = ansi(scram), origin = ansi(origin_text);
    BYTE submit[64] = { 2 };
    void *profile = NULL;
    ULONG profile_length = 0;
    LUID logon_id;
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS sub = 0;
    HANDLE lsa = NULL;
    ULONG id = 99, length = 0;
    NTSTATUS s, protocol = 1;
    void *response = NULL, *request;
    uint32_t request_length;

    s = LsaConnectUntrusted(&lsa);
    ok(s == STATUS_SUCCESS, "LsaConnectUntrusted (0x%08lx)", s);
    s = LsaLookupAuthenticationPackage(lsa, &auth_name, &id);
    ok(s == STATUS_SUCCESS && id == 0, "LsaLookupAuthenticationPackage(\"authpkg\"): 0 (%lu)", id);
    s = LsaLookupAuthenticationPackage(lsa, &scram_name, &id);
    ok(s == STATUS_SUCCESS && id == 1, "LsaLookupAuthenticationPackage(\"%s\"): 1 (%lu)", scram, id);

    s = LsaCallAuthenticationPackage(lsa, 0, hello, 5, &response, &length, &protocol);
    ok(s == STATUS_SUCCESS && protocol == STATUS_SUCCESS && response && length > 20 &&
           !memcmp(response, "authpkg untrusted got 5 bytes \"hello\"", length < 37 ? length : 37),
       "LsaCallAuthenticationPackage(0) reaches authpkg's LsaApCallPackageUntrusted "
       "(0x%08lx, \"%.*s\")", s, response ? (int)length : 0, response ? (char *)response : "");
    LsaFreeReturnBuffer(response);
    response = NULL;

    request = sspkg_call_request(SSPKG_CALL_GET_STATUS, 0, 0, NULL, 0, NULL, 0, &request_length);
    s = LsaCallAuthenticationPackage(lsa, 1, request, request_length, &response, &length,
                                     &protocol);
    ok(s == STATUS_SUCCESS && protocol == STATUS_SUCCESS && response &&
           length == sizeof(SSPKG_STATUS_BLOCK) &&
           ((SSPKG_STATUS_BLOCK *)response)->Magic == SSPKG_STATUS_MAGIC,
       "LsaCallAuthenticationPackage(1) reaches sspkg: its status block (0x%08lx, 0x%08lx, %lu)",
       s, protocol, length);
    LsaFreeReturnBuffer(response);
    sspkg_call_free(request, request_length);

    s = LsaCallAuthenticationPackage(lsa, 2, hello, 5, &response, &length, &protocol);
    ok(s == STATUS_NO_SUCH_PACKAGE, "LsaCallAuthenticationPackage(2): STATUS_NO_SUCH_PACKAGE "
       "(0x%08lx)", s);

    /* LsaLogonUser names its package too: sspkg reads the submit buffer as its own logon
     * structure (include/sspkg.h) and refuses zeros; id 2 is no package. */
    s = LsaLogonUser(lsa, &origin, Interactive, 1, submit, sizeof(submit), NULL, NULL, &profile,
                     &profile_length, &logon_id, &token, &quotas, &sub);
    ok(s == STATUS_INVALID_PARAMETER, "LsaLogonUser(package 1) reaches sspkg, which refuses a "
       "submit buffer of zeros: STATUS_INVALID_PARAMETER (0x%08lx)", s);
    s = LsaLogonUser(lsa, &origin, Interactive, 2, submit, sizeof(submit), NULL, NULL, &profile,
                     &profile_length, &logon_id, &token, &quotas, &sub);
    ok(s == STATUS_NO_SUCH_PACKAGE, "LsaLogonUser(package 2): STATUS_NO_SUCH_PACKAGE (0x%08lx)", s);
    LsaDeregisterLogonProcess(lsa);
}

int main(void)
{
    HMODULE dll;
    INIT_SECURITY_INTERFACE_W init;

    tap_start();
    dll = LoadLibraryW(L"sspkg_client.dll");
    init = dll ? (INIT_SECURITY_INTERFACE_W)(void *)GetProcAddress(dll, "InitSecurityInterfaceW")
               : NULL;
    ok(init != NULL, "sspkg_client.dll gives InitSecurityInterfaceW");
    if (init)
        sspi(init());
    lsa_api();
    return done_testing();
}
