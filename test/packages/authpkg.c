/* authpkg.c - an authentication package that does, in SpInitialize, what an AP does at
 * logon: creates a logon session and a token for it (CreateTokenEx, V2 information),
 * adds a credential and gets it back, registers a notification, audits the logon; and,
 * in SpShutdown, undoes it all. It prints what it saw on stderr ("authpkg: ...") so the
 * test can check the LSA's answers. AUTHPKG_MODE changes one thing:
 *
 *   ok           cleans up everything
 *   leak-token   never closes its token (lsahost must report it)
 *   malformed    also calls CreateTokenEx with a group count of 2^31-1 and a user SID
 *                in unreadable memory (lsahost must refuse, not crash)
 *   stay-impersonating
 *                never reverts after ImpersonateClient (lsahost must revert for it)
 *
 * Its LsaApLogonUserEx2 takes an MSV1_0_INTERACTIVE_LOGON-shaped submit buffer: user
 * alice, password pencil, gets a logon session, V2 token information in one LSA heap
 * block, a 16-byte profile, the account name and a credential; anything else is refused.
 * It first impersonates the client (ImpersonateClient) and says at which level.
 */
#include "../../src/winapi.h"
#include "test_package_info.h"

#include <stdio.h>
#include <string.h>

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static char mode[32];
static LUID logon;
static HANDLE token, notification, fired;
static DWORD init_thread;

static void say(const char *what, NTSTATUS status)
{
    fprintf(stderr, "authpkg: %s: 0x%08lx\n", what, (unsigned long)status);
    fflush(stderr);
}

static DWORD WINAPI on_notify(LPVOID arg)
{
    fprintf(stderr, "authpkg: notification ran on %s thread\n",
            GetCurrentThreadId() == init_thread ? "the caller's" : "another");
    fflush(stderr);
    SetEvent((HANDLE)arg);
    return 0;
}

static NTSTATUS make_token(PSID user, PTOKEN_GROUPS groups, HANDLE *out)
{
    TOKEN_SOURCE source = { "authpkg", { 0, 0 } };
    LSA_TOKEN_INFORMATION_V2 info;
    NTSTATUS sub;

    memset(&info, 0, sizeof(info));
    info.User.User.Sid = user;
    info.Groups = groups;
    info.PrimaryGroup.PrimaryGroup = user;
    return lsa->CreateTokenEx(&logon, &source, Interactive, SecurityImpersonation,
                              LsaTokenInformationV2, &info, NULL, NULL, NULL, NULL,
                              SecSessionPrimaryCred, out, &sub);
}

static NTSTATUS NTAPI auth_initialize(ULONG_PTR id, PSECPKG_PARAMETERS parameters,
                                      PLSA_SECPKG_FUNCTION_TABLE table)
{
    static SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    char key_text[] = "alice", value_text[] = "alice's secret";
    LSA_STRING key = { 5, 5, key_text }, value = { 14, 14, value_text }, got = { 0, 0, NULL };
    UNICODE_STRING account = { 10, 10, L"alice" };
    TOKEN_SOURCE source = { "authpkg", { 0, 0 } };
    ULONG context = 0;
    PSID user = NULL;

    (void)parameters;
    lsa = table;
    init_thread = GetCurrentThreadId();
    if (!GetEnvironmentVariableA("AUTHPKG_MODE", mode, sizeof(mode)))
        strcpy(mode, "ok");
    AllocateLocallyUniqueId(&logon);
    AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, 1001, 0, 0, 0, &user);
    say("CreateLogonSession", lsa->CreateLogonSession(&logon));
    say("CreateTokenEx", make_token(user, NULL, &token));
    if (!strcmp(mode, "malformed")) {
        struct { DWORD count; SID_AND_ATTRIBUTES one; } huge = { 0x7fffffff, { user, 0 } };
        HANDLE none = NULL;
        say("CreateTokenEx with 2^31-1 groups", make_token(user, (PTOKEN_GROUPS)&huge, &none));
        say("CreateTokenEx with an unreadable user SID",
            make_token((PSID)(ULONG_PTR)0x10, NULL, &none));
    }
    say("AddCredential", lsa->AddCredential(&logon, (ULONG)id, &key, &value));
    say("GetCredentials", lsa->GetCredentials(&logon, (ULONG)id, &context, FALSE, &key, NULL, &got));
    fprintf(stderr, "authpkg: credential is \"%.*s\"\n", got.Length, got.Buffer ? got.Buffer : "");
    if (got.Buffer)
        lsa->FreeLsaHeap(got.Buffer);
    fired = CreateEventW(NULL, TRUE, FALSE, NULL);
    notification = lsa->RegisterNotification(on_notify, fired, NOTIFIER_TYPE_IMMEDIATE, 0, 0, 0,
                                             NULL);
    say("RegisterNotification", notification ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
    /* It runs on a thread of lsahost's, so this thread may wait for it. */
    if (notification)
        WaitForSingleObject(fired, INFINITE);
    CloseHandle(fired);
    lsa->AuditLogon(STATUS_SUCCESS, STATUS_SUCCESS, &account, NULL, NULL, user, Interactive,
                    &source, &logon);
    FreeSid(user);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI auth_shutdown(void)
{
    say("CancelNotification", lsa->CancelNotification(notification));
    if (strcmp(mode, "leak-token"))
        CloseHandle(token);
    say("DeleteLogonSession", lsa->DeleteLogonSession(&logon));
    return STATUS_SUCCESS;
}

/* A string of the submit buffer: its pointer is the client's; it must lie inside. */
static BOOL relocate(UNICODE_STRING *s, BYTE *copy, BYTE *client, ULONG length)
{
    ULONG_PTR at = (ULONG_PTR)s->Buffer - (ULONG_PTR)client;

    if (!s->Length) {
        s->Buffer = NULL;
        return TRUE;
    }
    if ((ULONG_PTR)s->Buffer < (ULONG_PTR)client || at > length || s->Length > length - at)
        return FALSE;
    s->Buffer = (PWSTR)(copy + at);
    return TRUE;
}

static BOOL equals(const UNICODE_STRING *s, const WCHAR *text)
{
    return s->Length == wcslen(text) * sizeof(WCHAR) && !memcmp(s->Buffer, text, s->Length);
}

/* ImpersonateClient, then what the thread's token says, then RevertToSelf. */
static void impersonate_client(void)
{
    NTSTATUS status = lsa->ImpersonateClient();
    SECURITY_IMPERSONATION_LEVEL level = SecurityAnonymous;
    HANDLE token;
    DWORD got;

    if (status == STATUS_SUCCESS && OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof(level), &got);
        CloseHandle(token);
    }
    fprintf(stderr, "authpkg: ImpersonateClient: 0x%08lx, level %d\n", (unsigned long)status,
            (int)level);
    fflush(stderr);
    if (strcmp(mode, "stay-impersonating"))
        RevertToSelf();
}

static NTSTATUS NTAPI auth_logon(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE type,
                                 PVOID submit, PVOID client_base, ULONG length, PVOID *profile,
                                 PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                                 PLSA_TOKEN_INFORMATION_TYPE info_type, PVOID *info,
                                 PUNICODE_STRING *account, PUNICODE_STRING *authority,
                                 PUNICODE_STRING *machine, PSECPKG_PRIMARY_CRED primary,
                                 PSECPKG_SUPPLEMENTAL_CRED_ARRAY *supplemental)
{
    static SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
    MSV1_0_INTERACTIVE_LOGON *in = submit;
    char key_text[] = "alice", value_text[] = "alice's secret";
    LSA_STRING key = { 5, 5, key_text }, value = { 14, 14, value_text };
    struct { LSA_TOKEN_INFORMATION_V2 v2; BYTE sid[SECURITY_MAX_SID_SIZE]; } *block;
    PSID sid = NULL;

    (void)type;
    (void)primary;
    impersonate_client();
    *supplemental = NULL;
    *authority = *machine = NULL;
    *sub_status = STATUS_SUCCESS;
    if (length < sizeof(*in) || !relocate(&in->UserName, submit, client_base, length) ||
        !relocate(&in->Password, submit, client_base, length) ||
        !relocate(&in->LogonDomainName, submit, client_base, length))
        return STATUS_INVALID_PARAMETER;
    if (!equals(&in->UserName, L"alice") || !equals(&in->Password, L"pencil")) {
        *sub_status = STATUS_WRONG_PASSWORD;
        return STATUS_LOGON_FAILURE;
    }
    AllocateLocallyUniqueId(logon_id);
    lsa->CreateLogonSession(logon_id);
    lsa->AddCredential(logon_id, 0, &key, &value);
    /* V2: everything in one LSA heap block, freed by the LSA in one FreeLsaHeap. */
    block = lsa->AllocateLsaHeap(sizeof(*block));
    AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, 1001, 0, 0, 0, &sid);
    CopySid(sizeof(block->sid), block->sid, sid);
    FreeSid(sid);
    block->v2.User.User.Sid = block->sid;
    block->v2.PrimaryGroup.PrimaryGroup = block->sid;
    *info_type = LsaTokenInformationV2;
    *info = block;
    *account = lsa->AllocateLsaHeap(sizeof(UNICODE_STRING));
    (*account)->Buffer = lsa->AllocateLsaHeap(10);
    memcpy((*account)->Buffer, L"alice", 10);
    (*account)->Length = (*account)->MaximumLength = 10;
    *profile_length = 16;
    lsa->AllocateClientBuffer(request, 16, profile);
    lsa->CopyToClientBuffer(request, 16, *profile, "authpkg profile");
    return STATUS_SUCCESS;
}

static VOID NTAPI auth_logon_terminated(PLUID logon_id)
{
    fprintf(stderr, "authpkg: LsaApLogonTerminated(%08lx:%08lx)\n",
            (unsigned long)logon_id->HighPart, logon_id->LowPart);
    fflush(stderr);
}

static NTSTATUS NTAPI auth_getinfo(PSecPkgInfoW info)
{
    static WCHAR name[] = L"authpkg", comment[] = L"an AP's identity calls, for lsahost's tests";
    return test_package_info(info, name, comment);
}

static SECPKG_FUNCTION_TABLE table = {
    .Initialize = auth_initialize,
    .Shutdown = auth_shutdown,
    .GetInfo = auth_getinfo,
    .LogonUserEx2 = auth_logon,
    .LogonTerminated = auth_logon_terminated,
};

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
