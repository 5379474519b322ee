/* test_identity.c - the LSA's identity callbacks under lsahost, called one by one:
 * CreateToken/Ex with good and malformed token information, OpenTokenByLogonId,
 * DuplicateTokenHandle, ImpersonateClient, credentials per logon session, audit,
 * notifications, GetClientInfoEx, GetExtendedCallFlags, and the token leak report. */
#include "../../src/host/lsa/host_callbacks.h"
#include "../../src/host/lsa/host_heap.h"
#include "../../src/host/lsa/host_identity.h"
#include "../host_live.h"
#include "../tap.h"

#include <string.h>

static LSA_SECPKG_FUNCTION_TABLE *lsa;
static host_lsa_table *table;

static SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };

/* A V2 token information with a user, two groups, a privilege, an owner and a DACL. */
typedef struct good_info {
    LSA_TOKEN_INFORMATION_V2 v2;
    PSID user, users, admins;
    struct { DWORD count; SID_AND_ATTRIBUTES g[2]; } groups;
    TOKEN_PRIVILEGES privileges;
    BYTE acl[64];
} good_info;

static void make_good(good_info *t)
{
    memset(t, 0, sizeof(*t));
    AllocateAndInitializeSid(&nt, 5, 21, 1, 2, 3, 1001, 0, 0, 0, &t->user);
    AllocateAndInitializeSid(&nt, 2, 32, 545, 0, 0, 0, 0, 0, 0, &t->users);
    AllocateAndInitializeSid(&nt, 2, 32, 544, 0, 0, 0, 0, 0, 0, &t->admins);
    t->groups.count = 2;
    t->groups.g[0].Sid = t->users;
    t->groups.g[1].Sid = t->admins;
    t->privileges.PrivilegeCount = 1;
    LookupPrivilegeValueW(NULL, SE_CHANGE_NOTIFY_NAME, &t->privileges.Privileges[0].Luid);
    InitializeAcl((PACL)t->acl, sizeof(t->acl), ACL_REVISION);
    t->v2.User.User.Sid = t->user;
    t->v2.Groups = (PTOKEN_GROUPS)&t->groups;
    t->v2.PrimaryGroup.PrimaryGroup = t->users;
    t->v2.Privileges = &t->privileges;
    t->v2.Owner.Owner = t->user;
    t->v2.DefaultDacl.DefaultDacl = (PACL)t->acl;
}

static void free_good(good_info *t)
{
    FreeSid(t->user);
    FreeSid(t->users);
    FreeSid(t->admins);
}

static NTSTATUS create(LUID *id, ULONG type, void *info, HANDLE *token)
{
    TOKEN_SOURCE source = { "testpkg", { 0, 0 } };
    NTSTATUS sub = 1;
    NTSTATUS status = lsa->CreateToken(id, &source, Interactive, SecurityImpersonation,
                                       (LSA_TOKEN_INFORMATION_TYPE)type, info, NULL, NULL, NULL,
                                       NULL, NULL, token, &sub);
    return status == sub ? status : (NTSTATUS)0xdeadbeef;
}

static void test_tokens(void)
{
    good_info t;
    LUID id, unknown;
    HANDLE token = NULL, again = NULL, dup = NULL;
    TOKEN_STATISTICS stats;
    DWORD got;
    BYTE unreadable_info[sizeof(LSA_TOKEN_INFORMATION_V1)];
    LSA_TOKEN_INFORMATION_NULL anonymous = { { { 0, 0 } }, NULL };
    host_lsa_token_information_v3 v3;
    void *noaccess = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);

    make_good(&t);
    AllocateLocallyUniqueId(&id);
    AllocateLocallyUniqueId(&unknown);
    ok(create(&id, LsaTokenInformationV2, &t.v2, &token) == STATUS_NO_SUCH_LOGON_SESSION,
       "CreateToken for a logon session never created: STATUS_NO_SUCH_LOGON_SESSION");
    lsa->CreateLogonSession(&id);
    ok(create(&id, LsaTokenInformationV2, &t.v2, &token) == STATUS_SUCCESS && token,
       "CreateToken with V2 information: a token handle");
    ok(GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &got),
       "the handle is a real token (emulated: lsahost's own)");
    ok(live(HOST_RES_TOKEN) == 1, "the token is counted");
    ok(create(&id, LsaTokenInformationNull, &anonymous, &again) == STATUS_SUCCESS,
       "CreateToken with NULL information (anonymous)");
    CloseHandle(again);

    memcpy(&v3, &t.v2, sizeof(t.v2));
    v3.UserClaims.UserClaims = NULL;
    v3.DeviceClaims.DeviceClaims = NULL;
    v3.DeviceGroups = (PTOKEN_GROUPS)noaccess;
    ok(create(&id, HOST_LSA_TOKEN_INFORMATION_V3, &v3, &again) == STATUS_ACCESS_VIOLATION,
       "V3 with DeviceGroups in unreadable memory: STATUS_ACCESS_VIOLATION");
    v3.DeviceGroups = NULL;
    ok(create(&id, HOST_LSA_TOKEN_INFORMATION_V3, &v3, &again) == STATUS_SUCCESS, "V3 accepted");
    CloseHandle(again);

    /* Malformed token information: a status, never a crash. */
    ok(create(&id, LsaTokenInformationV1, NULL, &again) == STATUS_INVALID_PARAMETER,
       "NULL token information: STATUS_INVALID_PARAMETER");
    ok(create(&id, LsaTokenInformationV1, noaccess, &again) == STATUS_ACCESS_VIOLATION,
       "token information in unreadable memory: STATUS_ACCESS_VIOLATION");
    ok(create(&id, 9, &t.v2, &again) == STATUS_INVALID_INFO_CLASS,
       "an unknown information type: STATUS_INVALID_INFO_CLASS");
    memset(unreadable_info, 0, sizeof(unreadable_info));
    t.v2.User.User.Sid = noaccess;
    ok(create(&id, LsaTokenInformationV2, &t.v2, &again) == STATUS_ACCESS_VIOLATION,
       "a user SID in unreadable memory: STATUS_ACCESS_VIOLATION");
    t.v2.User.User.Sid = unreadable_info; /* zeros: revision 0 */
    ok(create(&id, LsaTokenInformationV2, &t.v2, &again) == STATUS_INVALID_SID,
       "a malformed user SID: STATUS_INVALID_SID");
    t.v2.User.User.Sid = t.user;
    t.groups.count = 0x7fffffff;
    ok(create(&id, LsaTokenInformationV2, &t.v2, &again) == STATUS_INVALID_PARAMETER,
       "a group count of 2^31-1: STATUS_INVALID_PARAMETER");
    t.groups.count = 2;
    t.v2.PrimaryGroup.PrimaryGroup = NULL;
    ok(create(&id, LsaTokenInformationV2, &t.v2, &again) == STATUS_INVALID_PARAMETER,
       "no primary group (required): STATUS_INVALID_PARAMETER");
    t.v2.PrimaryGroup.PrimaryGroup = t.users;
    ((ACL *)t.acl)->AclRevision = 77;
    ok(create(&id, LsaTokenInformationV2, &t.v2, &again) == STATUS_INVALID_ACL,
       "a malformed default DACL: STATUS_INVALID_ACL");
    ok(live(HOST_RES_TOKEN) == 3, "refused requests made no token (3 made, counted until unload)");

    ok(lsa->OpenTokenByLogonId(&id, &again) == STATUS_SUCCESS && again,
       "OpenTokenByLogonId of a session with a token");
    CloseHandle(again);
    ok(lsa->OpenTokenByLogonId(&unknown, &again) == STATUS_NO_SUCH_LOGON_SESSION,
       "OpenTokenByLogonId of an unknown LUID: STATUS_NO_SUCH_LOGON_SESSION");
    ok(host_DuplicateTokenHandle(token, &dup) == STATUS_SUCCESS && dup && dup != token,
       "DuplicateTokenHandle");
    CloseHandle(dup);
    again = CreateEventW(NULL, FALSE, FALSE, NULL);
    ok(host_DuplicateTokenHandle(again, &dup) == STATUS_OBJECT_TYPE_MISMATCH,
       "DuplicateTokenHandle of an event: STATUS_OBJECT_TYPE_MISMATCH");
    CloseHandle(again);
    ok(host_DuplicateTokenHandle((HANDLE)(ULONG_PTR)0xbadc0de0, &dup) == STATUS_INVALID_HANDLE,
       "DuplicateTokenHandle of garbage: STATUS_INVALID_HANDLE");

    /* The token is still open: the sweep at unload names it. */
    host_tokens_sweep();
    ok(live(HOST_RES_TOKEN) == 1, "the unclosed token is a leak at unload; the closed ones are not");
    host_tokens_release_all();
    ok(live(HOST_RES_TOKEN) == 0, "released after the report");
    lsa->DeleteLogonSession(&id);
    ok(lsa->OpenTokenByLogonId(&id, &again) == STATUS_NO_SUCH_LOGON_SESSION,
       "after DeleteLogonSession, no token for it");
    free_good(&t);
    VirtualFree(noaccess, 0, MEM_RELEASE);
}

static void test_impersonation(void)
{
    HANDLE token;

    ok(lsa->ImpersonateClient() == STATUS_NO_TOKEN, "ImpersonateClient outside a call: STATUS_NO_TOKEN");
    host_call_begin(0, "test");
    ok(lsa->ImpersonateClient() == STATUS_SUCCESS, "ImpersonateClient in-process");
    ok(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token),
       "the thread now has a token");
    CloseHandle(token);
    RevertToSelf();
    host_call_end();
}

static LSA_STRING lsa_string(const char *text)
{
    LSA_STRING s = { (USHORT)strlen(text), (USHORT)strlen(text), (PCHAR)text };
    return s;
}

static void test_credentials(void)
{
    LUID id, unknown;
    LSA_STRING key1 = lsa_string("alice"), key2 = lsa_string("bob"), v1 = lsa_string("secret-1"),
               v2 = lsa_string("secret-2"), out;
    char key_buffer[16];
    LSA_STRING key_out = { 0, 2, key_buffer };
    ULONG context = 0, key_length = 0;

    AllocateLocallyUniqueId(&id);
    AllocateLocallyUniqueId(&unknown);
    lsa->CreateLogonSession(&id);
    ok(lsa->AddCredential(&unknown, 7, &key1, &v1) == STATUS_NO_SUCH_LOGON_SESSION,
       "AddCredential to an unknown LUID: STATUS_NO_SUCH_LOGON_SESSION");
    ok(lsa->AddCredential(&id, 7, NULL, &v1) == STATUS_INVALID_PARAMETER,
       "AddCredential with no key: STATUS_INVALID_PARAMETER");
    ok(lsa->AddCredential(&id, 7, &key1, &v1) == STATUS_SUCCESS &&
       lsa->AddCredential(&id, 7, &key2, &v2) == STATUS_SUCCESS &&
       lsa->AddCredential(&id, 8, &key1, &v2) == STATUS_SUCCESS, "AddCredential, three times");

    ok(lsa->GetCredentials(&id, 7, &context, FALSE, &key2, NULL, &out) == STATUS_SUCCESS &&
       out.Length == 8 && !memcmp(out.Buffer, "secret-2", 8), "GetCredentials by primary key");
    lsa->FreeLsaHeap(out.Buffer);
    ok(lsa->GetCredentials(&id, 7, &context, FALSE, &key2, NULL, &out) == STATUS_NO_MORE_ENTRIES,
       "and then no more: STATUS_NO_MORE_ENTRIES");

    context = 0;
    ok(lsa->GetCredentials(&id, 7, &context, TRUE, &key_out, &key_length, &out) ==
           STATUS_MORE_ENTRIES && key_length == 5 && context == 0,
       "enumerating with a key buffer too small: STATUS_MORE_ENTRIES, length 5, context unchanged");
    key_out.MaximumLength = sizeof(key_buffer);
    ok(lsa->GetCredentials(&id, 7, &context, TRUE, &key_out, &key_length, &out) == STATUS_SUCCESS &&
       key_out.Length == 5 && !memcmp(key_buffer, "alice", 5) && !memcmp(out.Buffer, "secret-1", 8),
       "enumeration: the first credential and its key");
    lsa->FreeLsaHeap(out.Buffer);
    ok(lsa->GetCredentials(&id, 7, &context, TRUE, &key_out, &key_length, &out) == STATUS_SUCCESS &&
       !memcmp(key_buffer, "bob", 3), "the second, in order added");
    lsa->FreeLsaHeap(out.Buffer);
    ok(lsa->GetCredentials(&id, 7, &context, TRUE, &key_out, &key_length, &out) ==
           STATUS_NO_MORE_ENTRIES, "the other package's credential is not enumerated");
    ok(live(HOST_RES_LSA_HEAP) == 0, "every returned credential was LSA heap, freed");

    ok(lsa->DeleteCredential(&id, 7, &key1) == STATUS_SUCCESS, "DeleteCredential");
    ok(lsa->DeleteCredential(&id, 7, &key1) == STATUS_NOT_FOUND, "deleting it again: STATUS_NOT_FOUND");
    ok(lsa->DeleteCredential(&unknown, 7, &key1) == STATUS_NO_SUCH_LOGON_SESSION,
       "DeleteCredential in an unknown session: STATUS_NO_SUCH_LOGON_SESSION");
    ok(host_credentials_count(&id) == 2, "two credentials left in the session");
    lsa->DeleteLogonSession(&id);
    ok(host_credentials_count(&id) == 0, "deleting the logon session deletes its credentials");
    context = 0;
    ok(lsa->GetCredentials(&id, 7, &context, FALSE, &key2, NULL, &out) ==
           STATUS_NO_SUCH_LOGON_SESSION, "GetCredentials afterwards: STATUS_NO_SUCH_LOGON_SESSION");
}

static void test_audit(void)
{
    UNICODE_STRING account = { 10, 10, L"alice" };
    TOKEN_SOURCE source = { "testpkg", { 0, 0 } };
    LUID id = { 0x1234, 0 };

    char text[2048] = "";
    FILE *f;
    size_t n;

    DeleteFileW(L"test_identity_audit.txt");
    ok(host_audit_open(L"test_identity_audit.txt"), "--audit=FILE opens the file");
    lsa->AuditLogon(STATUS_SUCCESS, STATUS_SUCCESS, &account, NULL, NULL, NULL, Interactive,
                    &source, &id);
    ((void (NTAPI *)(NTSTATUS, NTSTATUS, PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING,
                     PSID, SECURITY_LOGON_TYPE, SECURITY_IMPERSONATION_LEVEL, PTOKEN_SOURCE,
                     PLUID))table->Extension[HOST_LSA_EXT_AUDIT_LOGON_EX])(
        STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD, (PUNICODE_STRING)(ULONG_PTR)0x10, NULL,
        NULL, (PSID)(ULONG_PTR)0x10, Network, SecurityIdentification, NULL, NULL);
    host_audit_close();
    f = fopen("test_identity_audit.txt", "rb");
    n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    ok(strstr(text, "logon succeeded: status STATUS_SUCCESS") && strstr(text, "account \"alice\"") &&
       strstr(text, "type Interactive") && strstr(text, "source \"testpkg\"") &&
       strstr(text, "logon id 00000000:00001234"), "AuditLogon: one line with what the package said");
    ok(strstr(text, "logon failed:") && strstr(text, "account \"(unreadable)\"") &&
       strstr(text, "unreadable)") && strstr(text, "impersonation Identification"),
       "AuditLogonEx with unreadable pointers: a line naming them, no crash");
    ok(strchr(text, '\n') && strchr(strchr(text, '\n') + 1, '\n') &&
       !strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n'), "two events, two lines:\n%s", text);
}

static volatile LONG ticks, waits;

static DWORD WINAPI on_tick(LPVOID arg)
{
    (void)arg;
    InterlockedIncrement(&ticks);
    return 0;
}

static DWORD WINAPI on_event(LPVOID arg)
{
    InterlockedIncrement(&waits);
    SetEvent((HANDLE)arg);
    return 0;
}

static void test_notifications(void)
{
    HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL), done = CreateEventW(NULL, FALSE, FALSE, NULL);
    HANDLE timer, waiter, once;
    LONG seen;

    timer = lsa->RegisterNotification(on_tick, NULL, NOTIFIER_TYPE_INTERVAL, 0,
                                      NOTIFIER_FLAG_SECONDS, 1, NULL);
    ok(timer != NULL, "an interval notification, every second");
    while (InterlockedCompareExchange(&ticks, 0, 0) < 2)
        Sleep(50);
    ok(lsa->CancelNotification(timer) == STATUS_SUCCESS, "it fired twice; cancelled");
    seen = ticks;
    Sleep(1500);
    ok(ticks == seen, "a cancelled notification never fires again (%ld, %ld)", seen, ticks);
    ok(lsa->CancelNotification(timer) == STATUS_INVALID_HANDLE, "cancel twice: STATUS_INVALID_HANDLE");

    waiter = lsa->RegisterNotification(on_event, done, NOTIFIER_TYPE_HANDLE_WAIT, 0, 0, 0, event);
    ok(waiter != NULL, "a handle-wait notification");
    SetEvent(event);
    ok(WaitForSingleObject(done, 10000) == WAIT_OBJECT_0 && waits == 1, "it fires when the event is set");
    SetEvent(event);
    ok(WaitForSingleObject(done, 10000) == WAIT_OBJECT_0 && waits == 2, "and again");

    once = lsa->RegisterNotification(on_tick, NULL, NOTIFIER_TYPE_IMMEDIATE, 0, 0, 0, NULL);
    ok(once != NULL, "an immediate notification");
    ok(lsa->RegisterNotification(NULL, NULL, NOTIFIER_TYPE_INTERVAL, 0, 0, 1, NULL) == NULL,
       "no start function: NULL");
    ok(lsa->RegisterNotification(on_tick, NULL, NOTIFIER_TYPE_INTERVAL, 0, 0, 0, NULL) == NULL,
       "an interval of 0: NULL");
    ok(lsa->RegisterNotification(on_tick, NULL, NOTIFIER_TYPE_HANDLE_WAIT, 0, 0, 0, NULL) == NULL,
       "a handle wait with no handle: NULL");
    ok(lsa->CancelNotification((HANDLE)(ULONG_PTR)0x1234) == STATUS_INVALID_HANDLE,
       "cancelling a handle never registered: STATUS_INVALID_HANDLE");
    /* Unload: the rest are cancelled, and running callbacks waited for. */
    host_notifications_stop_all();
    seen = waits;
    SetEvent(event);
    Sleep(200);
    ok(waits == seen, "after unload the handle-wait notification no longer fires");
    CloseHandle(event);
    CloseHandle(done);
}

static void test_call_flags(void)
{
    host_secpkg_client_info_ex info;
    NTSTATUS (NTAPI *flags_of)(PULONG) =
        (NTSTATUS (NTAPI *)(PULONG))table->Extension[HOST_LSA_EXT_GET_EXTENDED_CALL_FLAGS];
    NTSTATUS (NTAPI *client_ex)(host_secpkg_client_info_ex *, ULONG) =
        (NTSTATUS (NTAPI *)(host_secpkg_client_info_ex *, ULONG))
            table->Extension[HOST_LSA_EXT_GET_CLIENT_INFO_EX];
    SECPKG_CALL_INFO call;
    ULONG flags = 0;

    ok(flags_of(&flags) == STATUS_NOT_FOUND, "GetExtendedCallFlags outside a call: STATUS_NOT_FOUND");
    host_call_begin(0, "outer");
    ok(flags_of(&flags) == STATUS_SUCCESS && (flags & SECPKG_CALL_IN_PROC) &&
       !(flags & SECPKG_CALL_RECURSIVE), "inside a call: SECPKG_CALL_IN_PROC (flags %#lx)", flags);
    host_call_begin(0, "inner");
    ok(lsa->GetCallInfo(&call) && (call.Attributes & SECPKG_CALL_RECURSIVE),
       "a call inside a call: SECPKG_CALL_RECURSIVE");
    host_call_end();
    ok(flags_of(NULL) == STATUS_INVALID_PARAMETER, "GetExtendedCallFlags(NULL): STATUS_INVALID_PARAMETER");
    memset(&info, 0xcc, sizeof(info));
    ok(client_ex(&info, sizeof(info)) == STATUS_SUCCESS && info.ProcessID == GetCurrentProcessId() &&
       info.ClientToken == NULL, "GetClientInfoEx: this process; no client token handed out");
    ok(client_ex(&info, 4) == STATUS_INVALID_PARAMETER, "GetClientInfoEx with a 4-byte size: "
       "STATUS_INVALID_PARAMETER");
    host_call_end();
}

int main(void)
{
    tap_start();
    host_heap_init();
    table = host_lsa_table_get();
    lsa = &table->Base;
    test_tokens();
    test_impersonation();
    test_credentials();
    test_audit();
    test_notifications();
    test_call_flags();
    return done_testing();
}
