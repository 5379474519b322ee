/* lsa_api_client.c - the LSA client API of sspkg_client.dll against lsahost serve,
 * linked with the DLL's import library as a program written for secur32 would be
 * (test/t/66-lsa-client-api.t runs it from build/ with SSPKG_PIPE set). TAP. */
#include "../../src/winapi.h"
#include "../../src/common/sspkg_call.h"
#include "../tap.h"

#include <string.h>

static LSA_STRING ansi(char *s)
{
    LSA_STRING l = { (USHORT)strlen(s), (USHORT)(strlen(s) + 1), s };
    return l;
}

int main(void)
{
    char right[] = SSPKG_PACKAGE_NAME_A, lower[] = "scram-sha-256", wrong[] = "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0";
    char process[] = "lsa_api_client", longer[200];
    LSA_STRING name = ansi(right), name_lower = ansi(lower), name_wrong = ansi(wrong);
    LSA_STRING process_name = ansi(process), too_long;
    LSA_OPERATIONAL_MODE mode = 7;
    HANDLE lsa = NULL, other = NULL, registered = (HANDLE)1, token = (HANDLE)1;
    ULONG package = 99, length = 1, profile_length = 1;
    NTSTATUS s, protocol = 1, sub = 1;
    void *response = NULL, *profile = (void *)1, *request, *heap;
    uint32_t request_length;
    LUID logon_id = { 1, 1 };
    QUOTA_LIMITS quotas;
    const SSPKG_STATUS_BLOCK *block;
    const char *text;
    size_t text_len;

    tap_start();
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = 0;
    too_long = ansi(longer);

    s = LsaConnectUntrusted(&lsa);
    ok(s == STATUS_SUCCESS && lsa, "LsaConnectUntrusted: STATUS_SUCCESS and a handle (0x%08lx)", s);
    ok(LsaConnectUntrusted(NULL) == STATUS_INVALID_PARAMETER,
       "LsaConnectUntrusted(NULL): STATUS_INVALID_PARAMETER");

    s = LsaLookupAuthenticationPackage(lsa, &name, &package);
    ok(s == STATUS_SUCCESS && package == 0, "LsaLookupAuthenticationPackage(\"%s\"): id 0 (0x%08lx, %lu)",
       right, s, package);
    package = 99;
    s = LsaLookupAuthenticationPackage(lsa, &name_lower, &package);
    ok(s == STATUS_SUCCESS && package == 0, "... \"%s\" too: names compared without case (0x%08lx)",
       lower, s);
    s = LsaLookupAuthenticationPackage(lsa, &name_wrong, &package);
    ok(s == STATUS_NO_SUCH_PACKAGE, "... \"%s\": STATUS_NO_SUCH_PACKAGE (0x%08lx)", wrong, s);
    s = LsaLookupAuthenticationPackage(lsa, &too_long, &package);
    ok(s == STATUS_NAME_TOO_LONG, "... a 199-byte name: STATUS_NAME_TOO_LONG (0x%08lx)", s);

    /* GET_STATUS: answered for untrusted callers. */
    request = sspkg_call_request(SSPKG_CALL_GET_STATUS, 0, 0, NULL, 0, NULL, 0, &request_length);
    s = LsaCallAuthenticationPackage(lsa, 0, request, request_length, &response, &length, &protocol);
    block = response;
    ok(s == STATUS_SUCCESS && protocol == STATUS_SUCCESS && length == sizeof(*block) && block &&
       block->Magic == SSPKG_STATUS_MAGIC && block->LayoutVersion == SSPKG_STATUS_LAYOUT_VERSION,
       "LsaCallAuthenticationPackage(GET_STATUS): STATUS_SUCCESS/STATUS_SUCCESS, a %u-byte "
       "status block (0x%08lx/0x%08lx, %lu bytes)", (unsigned)sizeof(*block), s, protocol, length);
    ok(LsaFreeReturnBuffer(response) == STATUS_SUCCESS, "LsaFreeReturnBuffer: STATUS_SUCCESS");
    ok(LsaFreeReturnBuffer(response) == STATUS_INVALID_PARAMETER,
       "... the same buffer again: STATUS_INVALID_PARAMETER, nothing freed twice");
    heap = HeapAlloc(GetProcessHeap(), 0, 16);
    ok(LsaFreeReturnBuffer(heap) == STATUS_INVALID_PARAMETER && HeapFree(GetProcessHeap(), 0, heap),
       "... a heap block it never returned: STATUS_INVALID_PARAMETER, left alone");
    ok(LsaFreeReturnBuffer(NULL) == STATUS_INVALID_PARAMETER, "... NULL: STATUS_INVALID_PARAMETER");

    s = LsaCallAuthenticationPackage(lsa, 1, request, request_length, &response, &length, &protocol);
    ok(s == STATUS_NO_SUCH_PACKAGE && !response && !length,
       "LsaCallAuthenticationPackage to package 1: STATUS_NO_SUCH_PACKAGE (0x%08lx)", s);
    sspkg_call_free(request, request_length);

    /* Managing users: the package refuses an untrusted caller, in ProtocolStatus. */
    request = sspkg_call_request(SSPKG_CALL_LIST_USERS, 0, 0, NULL, 0, NULL, 0, &request_length);
    s = LsaCallAuthenticationPackage(lsa, 0, request, request_length, &response, &length, &protocol);
    text = sspkg_call_error_text(response, length, &text_len);
    ok(s == STATUS_SUCCESS && protocol == STATUS_ACCESS_DENIED && text,
       "LIST_USERS untrusted: STATUS_SUCCESS, ProtocolStatus STATUS_ACCESS_DENIED with the "
       "package's sentence (0x%08lx/0x%08lx: %.*s)", s, protocol, text ? (int)text_len : 0,
       text ? text : "");
    LsaFreeReturnBuffer(response);
    sspkg_call_free(request, request_length);

    /* LsaRegisterLogonProcess: Wine's tokens lack SeTcbPrivilege. */
    s = LsaRegisterLogonProcess(&process_name, &registered, &mode);
    ok(s == STATUS_PORT_CONNECTION_REFUSED && !registered,
       "LsaRegisterLogonProcess without SeTcbPrivilege: STATUS_PORT_CONNECTION_REFUSED (0x%08lx)", s);
    s = LsaRegisterLogonProcess(&too_long, &registered, &mode);
    ok(s == STATUS_NAME_TOO_LONG, "... a 199-byte name: STATUS_NAME_TOO_LONG (0x%08lx)", s);

    /* LsaLogonUser without a submit buffer (logons themselves: 68-lsa-logon.t). */
    s = LsaLogonUser(lsa, &process_name, Network, 0, NULL, 0, NULL, NULL, &profile,
                     &profile_length, &logon_id, &token, &quotas, &sub);
    ok(s == STATUS_INVALID_PARAMETER && !profile && !profile_length && !token && !logon_id.LowPart,
       "LsaLogonUser without a submit buffer: STATUS_INVALID_PARAMETER, every output cleared (0x%08lx)", s);

    /* Handles: a second connection is its own; bad and stale ones are refused. */
    s = LsaConnectUntrusted(&other);
    ok(s == STATUS_SUCCESS && other && other != lsa, "a second LsaConnectUntrusted: another handle");
    ok(LsaDeregisterLogonProcess(other) == STATUS_SUCCESS, "LsaDeregisterLogonProcess: STATUS_SUCCESS");
    ok(LsaDeregisterLogonProcess(other) == STATUS_INVALID_HANDLE,
       "... the same handle again: STATUS_INVALID_HANDLE");
    ok(LsaLookupAuthenticationPackage(other, &name, &package) == STATUS_INVALID_HANDLE,
       "LsaLookupAuthenticationPackage on the deregistered handle: STATUS_INVALID_HANDLE");
    ok(LsaLookupAuthenticationPackage(NULL, &name, &package) == STATUS_INVALID_HANDLE &&
       LsaLookupAuthenticationPackage((HANDLE)(ULONG_PTR)0xdeadbeef, &name, &package) == STATUS_INVALID_HANDLE &&
       LsaLookupAuthenticationPackage(GetCurrentProcess(), &name, &package) == STATUS_INVALID_HANDLE,
       "... NULL, a made-up handle, a process handle: STATUS_INVALID_HANDLE");
    ok(LsaCallAuthenticationPackage((HANDLE)(ULONG_PTR)0x4c5300000001ull, 0, right, 4, &response,
                                    &length, &protocol) == STATUS_INVALID_HANDLE &&
       LsaLogonUser(other, &process_name, Network, 0, NULL, 0, NULL, NULL, &profile,
                    &profile_length, &logon_id, &token, &quotas, &sub) == STATUS_INVALID_HANDLE,
       "LsaCallAuthenticationPackage and LsaLogonUser on a forged or stale handle: STATUS_INVALID_HANDLE");
    ok(LsaDeregisterLogonProcess(NULL) == STATUS_INVALID_HANDLE,
       "LsaDeregisterLogonProcess(NULL): STATUS_INVALID_HANDLE");

    s = LsaLookupAuthenticationPackage(lsa, &name, &package);
    ok(s == STATUS_SUCCESS, "the first connection still works after the second went (0x%08lx)", s);
    ok(LsaDeregisterLogonProcess(lsa) == STATUS_SUCCESS &&
       LsaDeregisterLogonProcess(lsa) == STATUS_INVALID_HANDLE,
       "deregistered twice: STATUS_SUCCESS, then STATUS_INVALID_HANDLE");
    return done_testing();
}
