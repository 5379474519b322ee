/* entrypkg.c - a package that calls the LSA_SECPKG_FUNCTION_TABLE entries lsahost
 * implements past the identity set (AuditAccountLogon, CheckProtectedUserByToken,
 * QueryClientRequest, SetAppModeInfo / GetAppModeInfo) with good and malformed arguments,
 * the failure-reason ledger, and one it leaves unimplemented (OpenSamUser), in SpInitialize;
 * it prints every answer on stderr ("entrypkg: ...") for the test to check.
 *
 * Its LsaApLogonUserEx2 reports the submit buffer it got: the logon type, MessageType,
 * length and, for an MSV1_0_LM20_LOGON, every member (its pointers checked to lie inside
 * the client's buffer); then asks QueryClientRequest about the logon's client and
 * GetAppModeInfo about the call, and refuses the logon (STATUS_LOGON_FAILURE): it checks
 * what it was given, nothing more. */
#include "../../src/winapi.h"
#include "test_package_info.h"

#include <stdio.h>
#include <string.h>

/* Entries past MinGW-w64's structure, by position (ntsecpkg.h's prototypes). */
#define EXTENSION(n) (((void **)lsa)[52 + (n)])
typedef NTSTATUS(NTAPI check_protected_fn)(HANDLE, PBOOLEAN);
typedef NTSTATUS(NTAPI query_client_fn)(PLSA_CLIENT_REQUEST, ULONG, PVOID *);
typedef NTSTATUS(NTAPI get_app_mode_fn)(PULONG, PULONG_PTR, PULONG_PTR, PSecBuffer, PBOOLEAN);
typedef NTSTATUS(NTAPI set_app_mode_fn)(ULONG, ULONG_PTR, ULONG_PTR, PSecBuffer, BOOLEAN);
/* SECPKG_FAILURE_REASON: an NTSTATUS and a SECPKG_FAILURE_SPECIAL_REASON. */
typedef struct failure_reason { NTSTATUS Status; ULONG Reason; } failure_reason;
typedef NTSTATUS(NTAPI get_failure_reason_fn)(ULONG_PTR, failure_reason *);
typedef NTSTATUS(NTAPI set_failure_reason_fn)(failure_reason);
#define CheckProtectedUserByToken ((check_protected_fn *)EXTENSION(7))
#define QueryClientRequest ((query_client_fn *)EXTENSION(8))
#define GetAppModeInfo ((get_app_mode_fn *)EXTENSION(9))
#define SetAppModeInfo ((set_app_mode_fn *)EXTENSION(10))
#define GetSecpkgFailureReason ((get_failure_reason_fn *)EXTENSION(12))
#define SetSecpkgFailureReason ((set_failure_reason_fn *)EXTENSION(13))

/* Memory no user-mode pointer reaches. */
#define WILD ((void *)0x10)

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static const BOOLEAN read_only_flag = FALSE;

static void say(const char *what, NTSTATUS status)
{
    fprintf(stderr, "entrypkg: %s: 0x%08lx\n", what, (unsigned long)status);
    fflush(stderr);
}

static void audit_account_logon(void)
{
    UNICODE_STRING source = { 16, 16, L"entrypkg" }, client = { 26, 26, L"alice@EXAMPLE" },
                   mapped = { 10, 10, L"alice" };

    say("AuditAccountLogon", lsa->AuditAccountLogon(42, TRUE, &source, &client, &mapped,
                                                     STATUS_SUCCESS));
    say("AuditAccountLogon, unreadable Source", lsa->AuditAccountLogon(
            7, FALSE, WILD, NULL, NULL, STATUS_LOGON_FAILURE));
}

/* A token lsahost makes for the package, with `rid` as its one group in domain 1-2-3. */
static NTSTATUS make_token(LUID *logon, ULONG rid, HANDLE *out)
{
    static SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    TOKEN_SOURCE source = { "entrypkg", { 0, 0 } };
    LSA_TOKEN_INFORMATION_V2 info;
    struct { ULONG count; SID_AND_ATTRIBUTES group; } groups;
    PSID user = NULL, group = NULL;
    NTSTATUS status, sub;

    AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, 1001, 0, 0, 0, &user);
    AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, rid, 0, 0, 0, &group);
    groups.count = 1;
    groups.group.Sid = group;
    groups.group.Attributes = SE_GROUP_ENABLED | SE_GROUP_MANDATORY;
    memset(&info, 0, sizeof(info));
    info.User.User.Sid = user;
    info.Groups = (PTOKEN_GROUPS)&groups;
    info.PrimaryGroup.PrimaryGroup = user;
    status = lsa->CreateTokenEx(logon, &source, Network, SecurityImpersonation,
                                LsaTokenInformationV2, &info, NULL, NULL, NULL, NULL,
                                SecSessionPrimaryCred, out, &sub);
    FreeSid(user);
    FreeSid(group);
    return status;
}

static void check_protected(const char *what, HANDLE token, PBOOLEAN out)
{
    char line[160];
    BOOLEAN protected_user = 2;
    NTSTATUS status = CheckProtectedUserByToken(token, out ? out : &protected_user);

    snprintf(line, sizeof(line), "CheckProtectedUserByToken, %s (answer %u)", what,
             protected_user);
    say(line, status);
}

static void protected_users(void)
{
    HANDLE own = NULL, event = CreateEventW(NULL, TRUE, FALSE, NULL), member = NULL,
           other = NULL;
    LUID logon;

    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &own);
    check_protected("lsahost's own token", own, NULL);
    check_protected("NULL handle", NULL, NULL);
    check_protected("an event handle", event, NULL);
    check_protected("unwritable ProtectedUser", own, WILD);
    check_protected("read-only ProtectedUser", own, (PBOOLEAN)&read_only_flag);
    AllocateLocallyUniqueId(&logon);
    lsa->CreateLogonSession(&logon);
    say("CreateTokenEx with group S-1-5-21-1-2-3-525", make_token(&logon, 525, &member));
    say("CreateTokenEx with group S-1-5-21-1-2-3-513", make_token(&logon, 513, &other));
    check_protected("token with Protected Users", member, NULL);
    check_protected("token with Domain Users", other, NULL);
    CloseHandle(member);
    CloseHandle(other);
    lsa->DeleteLogonSession(&logon);
    CloseHandle(own);
    CloseHandle(event);
}

static void query_client(PLSA_CLIENT_REQUEST request, const char *when)
{
    PVOID reply = NULL;
    DWORD session = 0;
    char line[160];
    NTSTATUS status = QueryClientRequest(request, 1, &reply);

    ProcessIdToSessionId(GetCurrentProcessId(), &session);
    snprintf(line, sizeof(line), "QueryClientRequest PRELOGON_SESSION_ID %s (%s)", when,
             status ? "no reply"
             : *(ULONG *)reply == session ? "this process's session" : "another session");
    say(line, status);
    if (!status)
        lsa->FreeLsaHeap(reply);
}

static void query_client_malformed(void)
{
    PVOID reply = NULL;

    say("QueryClientRequest, query type 2", QueryClientRequest(NULL, 2, &reply));
    say("QueryClientRequest, unwritable ReplyBuffer", QueryClientRequest(NULL, 1, WILD));
    say("QueryClientRequest, a ClientRequest lsahost never gave",
        QueryClientRequest((PLSA_CLIENT_REQUEST)&reply, 1, &reply));
}

static DWORD WINAPI outside_a_call(LPVOID arg)
{
    ULONG function = 0;

    (void)arg;
    say("SetAppModeInfo outside a call", SetAppModeInfo(1, 0, 0, NULL, FALSE));
    say("GetAppModeInfo outside a call", GetAppModeInfo(&function, NULL, NULL, NULL, NULL));
    return 0;
}

static void app_mode(void)
{
    SecBuffer data = { 4, SECBUFFER_DATA, (PVOID)"data" }, got;
    ULONG function = 0;
    ULONG_PTR a1 = 0, a2 = 0;
    BOOLEAN back = FALSE;
    HANDLE thread;
    NTSTATUS status;

    say("SetAppModeInfo", SetAppModeInfo(7, 0x11, 0x22, &data, TRUE));
    status = GetAppModeInfo(&function, &a1, &a2, &got, &back);
    fprintf(stderr, "entrypkg: GetAppModeInfo: 0x%08lx, function %lu, arguments %#llx %#llx, "
            "user data %lu byte(s) at %s, ReturnToLsa %u\n", (unsigned long)status, function,
            (unsigned long long)a1, (unsigned long long)a2, got.cbBuffer,
            got.pvBuffer == data.pvBuffer ? "the package's buffer" : "another address", back);
    say("SetAppModeInfo, unreadable UserData", SetAppModeInfo(7, 0, 0, WILD, FALSE));
    say("GetAppModeInfo, unwritable Argument1",
        GetAppModeInfo(&function, WILD, NULL, NULL, NULL));
    thread = CreateThread(NULL, 0, outside_a_call, NULL, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
}

static void unimplemented(void)
{
    SECURITY_STRING name = { 10, 10, L"alice" };
    PVOID user = NULL;

    say("OpenSamUser", lsa->OpenSamUser(&name, SecNameSamCompatible, &name, FALSE, 0, &user));
}

/* Its own failure reason (LogonFailure, SecpkgFailureReason_Loopback 9), read back by
 * its id; then a reason past the enumeration and an unwritable output. */
static void failure_reason_ledger(ULONG_PTR id)
{
    failure_reason mine = { (NTSTATUS)0xc000006d, 9 }, bad = { 0, 11 }, got = { 1, 1 };
    NTSTATUS s;

    say("SetSecpkgFailureReason", SetSecpkgFailureReason(mine));
    s = GetSecpkgFailureReason(id, &got);
    fprintf(stderr, "entrypkg: GetSecpkgFailureReason of itself: 0x%08lx, status 0x%08lx, "
            "reason %lu\n", (unsigned long)s, (unsigned long)got.Status, got.Reason);
    say("SetSecpkgFailureReason, reason 11", SetSecpkgFailureReason(bad));
    say("GetSecpkgFailureReason, unwritable output",
        GetSecpkgFailureReason(id, (failure_reason *)WILD));
}

static NTSTATUS NTAPI entry_initialize(ULONG_PTR id, PSECPKG_PARAMETERS params,
                                       PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)params;
    lsa = table;
    audit_account_logon();
    protected_users();
    query_client(NULL, "in SpInitialize");
    query_client_malformed();
    app_mode();
    unimplemented();
    failure_reason_ledger(id);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI entry_shutdown(void)
{
    return STATUS_SUCCESS;
}

/* A string of the submit buffer, its Buffer a client address: inside the buffer? */
static const void *inside(const void *buffer, USHORT length, PVOID submit, PVOID client_base,
                          ULONG submit_length)
{
    ULONG_PTR at = (ULONG_PTR)buffer, base = (ULONG_PTR)client_base;

    if (!length)
        return NULL;
    if (at < base || at - base > submit_length || length > submit_length - (at - base))
        return WILD;
    return (const BYTE *)submit + (at - base);
}

static void print_bytes(const char *what, const STRING *s, PVOID submit, PVOID client_base,
                        ULONG length)
{
    const BYTE *p = inside(s->Buffer, s->Length, submit, client_base, length);

    fprintf(stderr, "entrypkg: %s %u byte(s)%s", what, s->Length,
            p == WILD ? " outside the buffer" : "");
    for (USHORT i = 0; p && p != WILD && i < s->Length; i++)
        fprintf(stderr, "%s%02x", i ? "" : ": ", p[i]);
    fprintf(stderr, "\n");
}

static void print_name(const char *what, const UNICODE_STRING *s, PVOID submit,
                       PVOID client_base, ULONG length)
{
    const WCHAR *p = inside(s->Buffer, s->Length, submit, client_base, length);

    if (p == WILD)
        fprintf(stderr, "entrypkg: %s outside the buffer\n", what);
    else
        fprintf(stderr, "entrypkg: %s \"%.*ls\"\n", what, (int)(s->Length / sizeof(WCHAR)),
                p ? p : L"");
}

static void report_network(const MSV1_0_LM20_LOGON *in, PVOID submit, PVOID client_base,
                           ULONG length)
{
    print_name("domain", &in->LogonDomainName, submit, client_base, length);
    print_name("user", &in->UserName, submit, client_base, length);
    print_name("workstation", &in->Workstation, submit, client_base, length);
    fprintf(stderr, "entrypkg: challenge ");
    for (int i = 0; i < MSV1_0_CHALLENGE_LENGTH; i++)
        fprintf(stderr, "%02x", in->ChallengeToClient[i]);
    fprintf(stderr, "\n");
    print_bytes("nt response", &in->CaseSensitiveChallengeResponse, submit, client_base,
                length);
    print_bytes("lm response", &in->CaseInsensitiveChallengeResponse, submit, client_base,
                length);
    fprintf(stderr, "entrypkg: parameter control %#lx\n", in->ParameterControl);
}

static NTSTATUS NTAPI entry_logon(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE type,
                                  PVOID submit, PVOID client_base, ULONG length,
                                  PVOID *profile, PULONG profile_length, PLUID logon_id,
                                  PNTSTATUS sub_status, PLSA_TOKEN_INFORMATION_TYPE info_type,
                                  PVOID *info, PUNICODE_STRING *account,
                                  PUNICODE_STRING *authority, PUNICODE_STRING *machine,
                                  PSECPKG_PRIMARY_CRED primary,
                                  PSECPKG_SUPPLEMENTAL_CRED_ARRAY *supplemental)
{
    ULONG message = length >= sizeof(ULONG) ? *(ULONG *)submit : 0, function = 99;

    (void)profile; (void)profile_length; (void)logon_id; (void)info_type; (void)info;
    (void)primary;
    *account = *authority = *machine = NULL;
    *supplemental = NULL;
    *sub_status = STATUS_SUCCESS;
    fprintf(stderr, "entrypkg: logon type %d, MessageType %lu, %lu byte(s)\n", (int)type,
            message, length);
    if (message == MsV1_0NetworkLogon && length >= sizeof(MSV1_0_LM20_LOGON))
        report_network(submit, submit, client_base, length);
    query_client(request, "in LsaApLogonUserEx2");
    /* SpInitialize set app-mode info; this is another call, which set none. */
    say("GetAppModeInfo in the logon", GetAppModeInfo(&function, NULL, NULL, NULL, NULL));
    fprintf(stderr, "entrypkg: app-mode function in the logon: %lu\n", function);
    fflush(stderr);
    return STATUS_LOGON_FAILURE;
}

static NTSTATUS NTAPI entry_getinfo(PSecPkgInfoW info)
{
    static WCHAR name[] = L"entrypkg", comment[] = L"calls the LSA table's newer entries";
    return test_package_info(info, name, comment);
}

static SECPKG_FUNCTION_TABLE table = {
    .Initialize = entry_initialize,
    .Shutdown = entry_shutdown,
    .GetInfo = entry_getinfo,
    .LogonUserEx2 = entry_logon,
};

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    return test_package_one_table(&table, PackageVersion, ppTables, pcTables);
}
