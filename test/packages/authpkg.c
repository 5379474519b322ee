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
 *   leak-return  (with AUTHPKG_CALLER) never frees its first CallPackage return buffer
 *   bad-credentials
 *                its logon's primary credentials name another logon session
 *   bad-supplemental
 *                its logon's supplemental array counts more entries than its block holds
 *   static-password
 *                its logon's primary Password points at a string constant (read-only
 *                memory, no LSA heap block): the LSA may neither wipe nor free it
 *   repoint-credentials
 *                its SpAcceptCredentials repoints the Password and the account name it
 *                is handed at its own string constants
 *   unload-in-logon
 *                its LsaApLogonUserEx2 calls UnloadPackage, then returns what a logon
 *                returns, all from the LSA heap
 *
 * Its LsaApLogonUserEx2 takes an MSV1_0_INTERACTIVE_LOGON-shaped submit buffer: user
 * alice, password pencil, gets a logon session, V2 token information in one LSA heap
 * block, a 16-byte profile, the account name and a credential; anything else is refused.
 * It first impersonates the client (ImpersonateClient) and says at which level. It
 * returns primary credentials (alice, her clear password) and a supplemental array with
 * one entry, for authpkg2; its SpAcceptCredentials prints what another package's logon
 * handed it.
 *
 * Packages calling packages: its LsaApCallPackage, LsaApCallPackageUntrusted and
 * LsaApCallPackagePassthrough answer with a sentence in a client buffer ("authpkg
 * trusted got 5 bytes "hello""). Built again as authpkg2.dll (AUTHPKG_NAME, named
 * authpkg2), so two of it can be loaded. The one whose name AUTHPKG_CALLER gives calls,
 * at the end of its SpInitialize, the package AUTHPKG_CALL names through CallPackage,
 * CallPackageEx and CallPackagePassthrough, prints each answer and frees it with
 * FreeReturnBuffer; then calls a package that does not exist, and with hostile
 * arguments (a name at an unreadable address, a name whose Length runs past its buffer
 * into an unreadable page, an odd Length, an unreadable request), and frees a pointer
 * that no CallPackage returned.
 */
#include "../../src/winapi.h"
#include "test_package_info.h"

#include <stdio.h>
#include <string.h>

#ifndef AUTHPKG_NAME
#define AUTHPKG_NAME "authpkg"
#endif
#define WIDEN2(s) L##s
#define WIDEN(s) WIDEN2(s)

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static ULONG package_id;            /* from SpInitialize: its credentials are kept under it */
static char mode[32];
static LUID logon;
static HANDLE token, notification, fired;
static DWORD init_thread;

static void say(const char *what, NTSTATUS status)
{
    fprintf(stderr, AUTHPKG_NAME ": %s: 0x%08lx\n", what, (unsigned long)status);
    fflush(stderr);
}

static DWORD WINAPI on_notify(LPVOID arg)
{
    fprintf(stderr, AUTHPKG_NAME ": notification ran on %s thread\n",
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

/* One answer of a CallPackage*: its status, the target's, and the text it returned. */
static void say_answer(const char *how, NTSTATUS status, NTSTATUS protocol, const char *ret,
                       ULONG length)
{
    fprintf(stderr, AUTHPKG_NAME ": %s: 0x%08lx, protocol 0x%08lx, answer \"%.*s\"\n", how,
            (unsigned long)status, (unsigned long)protocol, ret ? (int)length : 0,
            ret ? ret : "");
    fflush(stderr);
}

/* AUTHPKG_CALLER: calls the package AUTHPKG_CALL names, each way, then badly. */
static void call_another(void)
{
    char caller[32], hello[] = "hello from " AUTHPKG_NAME;
    WCHAR target[64];
    ULONG n = GetEnvironmentVariableW(L"AUTHPKG_CALL", target, 64), length = 0;
    UNICODE_STRING name = { (USHORT)(n * sizeof(WCHAR)), (USHORT)(n * sizeof(WCHAR)), target };
    UNICODE_STRING unknown = { 30, 30, L"no-such-package" }, odd = { 7, 8, target }, past;
    NTSTATUS protocol = STATUS_SUCCESS, status;
    PVOID ret = NULL;
    BYTE *pages;

    if (!GetEnvironmentVariableA("AUTHPKG_CALLER", caller, sizeof(caller)) ||
        strcmp(caller, AUTHPKG_NAME) || !n || n >= 64)
        return;
    status = lsa->CallPackage(&name, hello, sizeof(hello) - 1, &ret, &length, &protocol);
    say_answer("CallPackage", status, protocol, ret, length);
    if (strcmp(mode, "leak-return"))
        lsa->FreeReturnBuffer(ret);
    ret = NULL;
    status = lsa->CallPackageEx(&name, hello, hello, sizeof(hello) - 1, &ret, &length, &protocol);
    say_answer("CallPackageEx", status, protocol, ret, length);
    lsa->FreeReturnBuffer(ret);
    ret = NULL;
    status = lsa->CallPackagePassthrough(&name, hello, hello, sizeof(hello) - 1, &ret, &length,
                                         &protocol);
    say_answer("CallPackagePassthrough", status, protocol, ret, length);
    lsa->FreeReturnBuffer(ret);

    say("CallPackage to no-such-package",
        lsa->CallPackage(&unknown, hello, 5, &ret, &length, &protocol));
    say("CallPackage with the name at an unreadable address",
        lsa->CallPackage((PUNICODE_STRING)(ULONG_PTR)0x10, hello, 5, &ret, &length, &protocol));
    /* Four characters at the end of a page, the next page unreadable, Length 64. */
    pages = VirtualAlloc(NULL, 8192, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (pages && VirtualProtect(pages + 4096, 4096, PAGE_NOACCESS, &(DWORD){ 0 })) {
        memcpy(pages + 4096 - 8, L"auth", 8);
        past.Buffer = (PWSTR)(pages + 4096 - 8);
        past.Length = past.MaximumLength = 64;
        say("CallPackage with a name running past its buffer",
            lsa->CallPackage(&past, hello, 5, &ret, &length, &protocol));
    }
    if (pages)
        VirtualFree(pages, 0, MEM_RELEASE);
    say("CallPackage with an odd name length",
        lsa->CallPackage(&odd, hello, 5, &ret, &length, &protocol));
    say("CallPackage with an unreadable request",
        lsa->CallPackage(&name, (PVOID)(ULONG_PTR)0x10, 16, &ret, &length, &protocol));
    lsa->FreeReturnBuffer(hello);
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
    package_id = (ULONG)id;
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
    fprintf(stderr, AUTHPKG_NAME ": credential is \"%.*s\"\n", got.Length, got.Buffer ? got.Buffer : "");
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
    call_another();
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
    fprintf(stderr, AUTHPKG_NAME ": ImpersonateClient: 0x%08lx, level %d\n", (unsigned long)status,
            (int)level);
    fflush(stderr);
    if (strcmp(mode, "stay-impersonating"))
        RevertToSelf();
}

/* An LSA heap copy of `text` as a UNICODE_STRING's members. */
static void lsa_unicode(PUNICODE_STRING out, const WCHAR *text)
{
    out->Length = out->MaximumLength = (USHORT)(wcslen(text) * sizeof(WCHAR));
    out->Buffer = lsa->AllocateLsaHeap(out->Length);
    memcpy(out->Buffer, text, out->Length);
}

/* What the LSA hands the other packages: the primary credentials, and the supplemental
 * array in one LSA heap block (the entry, then its name and bytes). */
static void return_credentials(const LUID *logon_id, PSECPKG_PRIMARY_CRED primary,
                               PSECPKG_SUPPLEMENTAL_CRED_ARRAY *supplemental)
{
    static const WCHAR for_whom[] = L"authpkg2";
    struct {
        SECPKG_SUPPLEMENTAL_CRED_ARRAY array;
        WCHAR name[8];
        UCHAR bytes[4];
    } *block = lsa->AllocateLsaHeap(sizeof(*block));

    primary->LogonId = *logon_id;
    if (!strcmp(mode, "bad-credentials"))
        primary->LogonId.LowPart ^= 1;
    lsa_unicode(&primary->DownlevelName, L"alice");
    lsa_unicode(&primary->Password, L"pencil");
    if (!strcmp(mode, "static-password")) {
        lsa->FreeLsaHeap(primary->Password.Buffer);
        primary->Password.Buffer = (PWSTR)L"pencil";
    }
    primary->Flags = PRIMARY_CRED_CLEAR_PASSWORD;
    block->array.CredentialCount = strcmp(mode, "bad-supplemental") ? 1 : 1000;
    memcpy(block->name, for_whom, sizeof(block->name));
    block->array.Credentials[0].PackageName.Buffer = block->name;
    block->array.Credentials[0].PackageName.Length = sizeof(block->name);
    block->array.Credentials[0].PackageName.MaximumLength = sizeof(block->name);
    memcpy(block->bytes, "sup!", 4);
    block->array.Credentials[0].CredentialSize = 4;
    block->array.Credentials[0].Credentials = block->bytes;
    *supplemental = &block->array;
}

static NTSTATUS NTAPI auth_accept_credentials(SECURITY_LOGON_TYPE type, PUNICODE_STRING account,
                                              PSECPKG_PRIMARY_CRED primary,
                                              PSECPKG_SUPPLEMENTAL_CRED supplemental)
{
    fprintf(stderr, AUTHPKG_NAME ": SpAcceptCredentials(type %d, account %.*ls, logon "
            "%08lx:%08lx, user %.*ls, password %u bytes, flags 0x%lx, supplemental ",
            (int)type, account->Length / 2, account->Buffer,
            (unsigned long)primary->LogonId.HighPart, primary->LogonId.LowPart,
            primary->DownlevelName.Length / 2, primary->DownlevelName.Buffer,
            primary->Password.Length, primary->Flags);
    if (supplemental)
        fprintf(stderr, "%.*ls \"%.*s\")\n", supplemental->PackageName.Length / 2,
                supplemental->PackageName.Buffer, (int)supplemental->CredentialSize,
                (const char *)supplemental->Credentials);
    else
        fprintf(stderr, "NULL)\n");
    fflush(stderr);
    if (!strcmp(mode, "repoint-credentials")) {
        /* A package that "takes" what it is handed: the LSA's pointers are not its own. */
        static const WCHAR mine[] = L"mine";
        primary->Password.Buffer = account->Buffer = (PWSTR)mine;
        primary->Password.Length = primary->Password.MaximumLength = sizeof(mine) - 2;
        account->Length = account->MaximumLength = sizeof(mine) - 2;
    }
    return STATUS_SUCCESS;
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
    lsa->AddCredential(logon_id, package_id, &key, &value);
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
    return_credentials(logon_id, primary, supplemental);
    if (!strcmp(mode, "unload-in-logon"))
        say("UnloadPackage in LsaApLogonUserEx2", lsa->UnloadPackage());
    *profile_length = 16;
    lsa->AllocateClientBuffer(request, 16, profile);
    lsa->CopyToClientBuffer(request, 16, *profile, "authpkg profile");
    return STATUS_SUCCESS;
}

static VOID NTAPI auth_logon_terminated(PLUID logon_id)
{
    fprintf(stderr, AUTHPKG_NAME ": LsaApLogonTerminated(%08lx:%08lx)\n",
            (unsigned long)logon_id->HighPart, logon_id->LowPart);
    fflush(stderr);
}

/* The sentence every CallPackage entry answers with, in a client buffer. */
static NTSTATUS answer(const char *how, PLSA_CLIENT_REQUEST request, PVOID submit,
                       ULONG length, PVOID *ret, PULONG ret_length, PNTSTATUS protocol)
{
    SECPKG_CALL_INFO info;
    char text[160];
    int n;
    NTSTATUS status;

    memset(&info, 0, sizeof(info));
    lsa->GetCallInfo(&info);
    n = snprintf(text, sizeof(text), AUTHPKG_NAME " %s got %lu bytes \"%.*s\"%s", how, length,
                 (int)(length < 48 ? length : 48), (const char *)submit,
                 (info.Attributes & SECPKG_CALL_RECURSIVE) ? ", recursive" : "");
    *protocol = STATUS_SUCCESS;
    *ret_length = (ULONG)n;
    status = lsa->AllocateClientBuffer(request, (ULONG)n, ret);
    if (status == STATUS_SUCCESS)
        status = lsa->CopyToClientBuffer(request, (ULONG)n, *ret, text);
    return status;
}

static NTSTATUS NTAPI auth_call(PLSA_CLIENT_REQUEST request, PVOID submit, PVOID client_base,
                                ULONG length, PVOID *ret, PULONG ret_length,
                                PNTSTATUS protocol)
{
    (void)client_base;
    return answer("trusted", request, submit, length, ret, ret_length, protocol);
}

static NTSTATUS NTAPI auth_call_untrusted(PLSA_CLIENT_REQUEST request, PVOID submit,
                                          PVOID client_base, ULONG length, PVOID *ret,
                                          PULONG ret_length, PNTSTATUS protocol)
{
    (void)client_base;
    return answer("untrusted", request, submit, length, ret, ret_length, protocol);
}

static NTSTATUS NTAPI auth_call_passthrough(PLSA_CLIENT_REQUEST request, PVOID submit,
                                            PVOID client_base, ULONG length, PVOID *ret,
                                            PULONG ret_length, PNTSTATUS protocol)
{
    (void)client_base;
    return answer("passthrough", request, submit, length, ret, ret_length, protocol);
}

static NTSTATUS NTAPI auth_getinfo(PSecPkgInfoW info)
{
    static WCHAR name[] = WIDEN(AUTHPKG_NAME), comment[] = L"an AP's identity calls, for lsahost's tests";
    return test_package_info(info, name, comment);
}

static SECPKG_FUNCTION_TABLE table = {
    .Initialize = auth_initialize,
    .Shutdown = auth_shutdown,
    .GetInfo = auth_getinfo,
    .LogonUserEx2 = auth_logon,
    .LogonTerminated = auth_logon_terminated,
    .AcceptCredentials = auth_accept_credentials,
    .CallPackage = auth_call,
    .CallPackageUntrusted = auth_call_untrusted,
    .CallPackagePassthrough = auth_call_passthrough,
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
