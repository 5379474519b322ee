/* pkg_token.c - what a server context yields once the client's proof has verified: a
 * logon session and a token for the Windows account the user maps to, made through the
 * LSA (CreateLogonSession, CreateTokenEx), as Windows packages make them; and their end
 * (DeleteLogonSession) when the context goes.
 *
 * The token (LSA_TOKEN_INFORMATION_V2, a network logon at impersonation level):
 *   user           the account the store maps the user to; an unmapped user gets
 *                  NT AUTHORITY\ANONYMOUS LOGON (S-1-5-7) or is refused (UnmappedUsers,
 *                  pkg_settings.c)
 *   groups         Everyone (S-1-1-0) and Authenticated Users (S-1-5-11), not for
 *                  ANONYMOUS LOGON; the mapped account's local groups where they resolve
 *                  (LookupAccountSidW, NetUserGetLocalGroups, LookupAccountNameW); the
 *                  logon type's (NETWORK S-1-5-2 for a context; INTERACTIVE S-1-5-4, BATCH
 *                  S-1-5-3 or SERVICE S-1-5-6 for LsaLogonUser, pkg_logon.c); the logon
 *                  SID S-1-5-5-<LogonId.HighPart>-<LogonId.LowPart>
 *   primary group  the user
 *   privileges     none: a network logon of a SCRAM user is granted nothing by this
 *                  package; what the account holds is the system's to add
 *   source         "SCRAM256" (TOKEN_SOURCE.SourceName holds 8 characters: the mechanism
 *                  and its hash, as "NtLmSsp" and "Kerberos" name theirs)
 *
 * Without an LSA (Wine's secur32) there is no logon session to make: the context yields
 * no token (the refusal of unmapped users still applies). */
#include "pkg.h"

#include <lm.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>

#define MAX_GROUPS 32
#define TOKEN_SOURCE_NAME "SCRAM256"

_Static_assert(sizeof(TOKEN_SOURCE_NAME) - 1 == TOKEN_SOURCE_LENGTH,
               "the token source's name fills TOKEN_SOURCE.SourceName");

static pkg_unmapped unmapped_policy;
/* The package's token source: one identifier for all its tokens, as a source component
 * has (allocated once, not at every logon: each costs a request to Wine's server). */
static TOKEN_SOURCE source;

void pkg_token_start(void)
{
    unmapped_policy = pkg_settings_unmapped_users();
    memcpy(source.SourceName, TOKEN_SOURCE_NAME, TOKEN_SOURCE_LENGTH);
    AllocateLocallyUniqueId(&source.SourceIdentifier);
}

/* The token information, in one block the package owns (the LSA copies what it needs). */
typedef struct token_block {
    LSA_TOKEN_INFORMATION_V2 info;
    TOKEN_PRIVILEGES privileges;
    union {
        TOKEN_GROUPS head;
        BYTE room[offsetof(TOKEN_GROUPS, Groups) + MAX_GROUPS * sizeof(SID_AND_ATTRIBUTES)];
    } groups;
    BYTE user[SECURITY_MAX_SID_SIZE];
    BYTE group_sids[MAX_GROUPS][SECURITY_MAX_SID_SIZE];
} token_block;

/* Adds a group from its SID string, or from a SID; FALSE when the block is full or the
 * SID does not parse. */
static BOOL add_group(token_block *b, PSID sid, const WCHAR *text, DWORD attributes)
{
    DWORD n = b->groups.head.GroupCount;
    PSID parsed = NULL;
    BOOL done;

    if (n == MAX_GROUPS)
        return FALSE;
    if (text && !ConvertStringSidToSidW(text, &parsed))
        return FALSE;
    sid = text ? parsed : sid;
    done = CopySid(SECURITY_MAX_SID_SIZE, b->group_sids[n], sid);
    if (parsed)
        LocalFree(parsed);
    if (!done)
        return FALSE;
    b->groups.head.Groups[n].Sid = b->group_sids[n];
    b->groups.head.Groups[n].Attributes = attributes;
    b->groups.head.GroupCount = n + 1;
    return TRUE;
}

#define GROUP_ON (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)

/* The mapped account's local groups, where Windows resolves them; how many were added. */
static ULONG add_local_groups(token_block *b, PSID user)
{
    WCHAR name[256], domain[256];
    DWORD name_len = 256, domain_len = 256, read = 0, total = 0;
    SID_NAME_USE use;
    LOCALGROUP_USERS_INFO_0 *groups = NULL;
    ULONG added = 0;

    if (!LookupAccountSidW(NULL, user, name, &name_len, domain, &domain_len, &use)) {
        pkg_trace("LookupAccountSidW does not name the account (error %lu): no local groups",
                  GetLastError());
        return 0;
    }
    /* A group or an alias (Administrators) stands for itself: only users have groups. */
    if (use != SidTypeUser)
        return 0;
    if (NetUserGetLocalGroups(NULL, name, 0, LG_INCLUDE_INDIRECT, (BYTE **)&groups,
                              MAX_PREFERRED_LENGTH, &read, &total) != NERR_Success) {
        pkg_trace("NetUserGetLocalGroups(%ls) fails: no local groups", name);
        return 0;
    }
    for (DWORD i = 0; i < read; i++) {
        BYTE sid[SECURITY_MAX_SID_SIZE];
        DWORD sid_len = sizeof(sid);
        domain_len = 256;
        if (LookupAccountNameW(NULL, groups[i].lgrui0_name, sid, &sid_len, domain, &domain_len,
                               &use) &&
            add_group(b, sid, NULL, GROUP_ON))
            added++;
        else
            pkg_trace("local group %ls does not resolve: left out", groups[i].lgrui0_name);
    }
    NetApiBufferFree(groups);
    return added;
}

/* The well-known group of the logon type (NETWORK, INTERACTIVE, BATCH, SERVICE). */
static const WCHAR *logon_type_group(SECURITY_LOGON_TYPE type)
{
    switch (type) {
    case Interactive: return L"S-1-5-4";
    case Batch: return L"S-1-5-3";
    case Service: return L"S-1-5-6";
    default: return L"S-1-5-2";
    }
}

ULONG pkg_token_information_size(void)
{
    return sizeof(token_block);
}

/* Fills the block for the user's SID string; FALSE (traced) when it cannot. */
static BOOL build(token_block *b, const char *sid_text, const LUID *logon,
                  SECURITY_LOGON_TYPE type)
{
    WCHAR text[SCRAM_STORE_ACCOUNT_MAX + 1], logon_sid[64];
    PSID user = NULL;
    BOOL anonymous = !strcmp(sid_text, "S-1-5-7"), ok;

    memset(b, 0, sizeof(*b));
    MultiByteToWideChar(CP_UTF8, 0, sid_text, -1, text, SCRAM_STORE_ACCOUNT_MAX + 1);
    if (!ConvertStringSidToSidW(text, &user) || !CopySid(sizeof(b->user), b->user, user)) {
        pkg_trace("fails: the account %s is not a SID", sid_text);
        if (user)
            LocalFree(user);
        return FALSE;
    }
    LocalFree(user);
    swprintf(logon_sid, 64, L"S-1-5-5-%lu-%lu", (unsigned long)logon->HighPart,
             (unsigned long)logon->LowPart);
    ok = anonymous || (add_group(b, NULL, L"S-1-1-0", GROUP_ON) &&
                       add_group(b, NULL, L"S-1-5-11", GROUP_ON));
    if (ok && !anonymous)
        add_local_groups(b, b->user);
    ok = ok && add_group(b, NULL, logon_type_group(type), GROUP_ON) &&
         add_group(b, NULL, logon_sid, GROUP_ON | SE_GROUP_LOGON_ID);
    if (!ok) {
        pkg_trace("fails: the token's groups cannot be made");
        return FALSE;
    }
    b->info.ExpirationTime.QuadPart = MAXLONGLONG;
    b->info.User.User.Sid = b->user;
    b->info.Groups = &b->groups.head;
    b->info.PrimaryGroup.PrimaryGroup = b->user;
    b->info.Privileges = &b->privileges;
    return TRUE;
}

BOOL pkg_token_information(void *block, const char *sid, const LUID *logon,
                           SECURITY_LOGON_TYPE type)
{
    return build(block, sid, logon, type);
}

SECURITY_STATUS pkg_token_account(const char *user, size_t len,
                                  char sid[SCRAM_STORE_ACCOUNT_MAX + 1])
{
    pkg_store_error error;
    size_t sid_len = 0;

    if (pkg_store_account(user, len, sid, &sid_len, &error) != STATUS_SUCCESS) {
        pkg_trace("fails: the verifier store: %s", error.text);
        return SEC_E_INTERNAL_ERROR;
    }
    if (sid_len)
        return SEC_E_OK;
    if (unmapped_policy == PKG_UNMAPPED_REFUSE) {
        pkg_trace("fails: the user %.*s maps to no Windows account, and UnmappedUsers is refuse",
                  (int)len, user);
        return SEC_E_LOGON_DENIED;
    }
    strcpy(sid, "S-1-5-7");
    return SEC_E_OK;
}

SECURITY_STATUS pkg_token_accept(const char *user, size_t len, pkg_logon *out)
{
    token_block *b = NULL;
    NTSTATUS status, sub = STATUS_SUCCESS;
    SECURITY_STATUS result;

    memset(out, 0, sizeof(*out));
    result = pkg_token_account(user, len, out->sid);
    if (result != SEC_E_OK || !pkg.lsa)
        return result;
    if (!AllocateLocallyUniqueId(&out->logon_id) ||
        (status = pkg.lsa->CreateLogonSession(&out->logon_id)) != STATUS_SUCCESS) {
        pkg_trace("fails: no logon session");
        memset(out, 0, sizeof(*out));
        return SEC_E_INTERNAL_ERROR;
    }
    out->session = TRUE;
    result = SEC_E_INTERNAL_ERROR;
    if (!(b = pkg_alloc(sizeof(*b))) || !build(b, out->sid, &out->logon_id, Network))
        goto done;
    status = pkg.lsa->CreateTokenEx(&out->logon_id, &source, Network, SecurityImpersonation,
                                    LsaTokenInformationV2, &b->info, NULL, NULL, NULL, NULL,
                                    SecSessionPrimaryCred, &out->token, &sub);
    if (status != STATUS_SUCCESS) {
        pkg_trace("fails: CreateTokenEx: %s (sub-status %s)", pkg_trace_status(status, FALSE),
                  pkg_trace_status(sub, FALSE));
        out->token = NULL;
        goto done;
    }
    result = SEC_E_OK;
done:
    pkg_free(b);
    if (result != SEC_E_OK)
        pkg_token_end(out);
    return result;
}

void pkg_token_end(pkg_logon *l)
{
    if (l->token)
        CloseHandle(l->token);
    if (l->session && pkg.lsa)
        pkg.lsa->DeleteLogonSession(&l->logon_id);
    memset(l, 0, sizeof(*l));
}

/* Hands the token to the calling client's process, for the user-mode half. The LSA-mode
 * context has no other use for it, so it gives its own handle away rather than keeping
 * one to close later (under Wine each handle costs requests to the server). The token
 * still dies with the context: the user-mode half closes the client's handle when the
 * context goes, and lsahost closes its own when the logon session ends.
 * The caller's process id comes from GetCallInfo: GetClientInfo would also open and read
 * the caller's token, which this does not need. A caller in this process (an in-process
 * LSA, the user-mode half beside this one) takes the handle as it is. */
HANDLE pkg_token_for_client(pkg_logon *l)
{
    SECPKG_CALL_INFO call;
    HANDLE process, copy = NULL;

    if (!l->token || !pkg.lsa || !pkg.lsa->GetCallInfo(&call))
        return NULL;
    if (call.ProcessId == GetCurrentProcessId()) {
        copy = l->token;
        l->token = NULL;
        return copy;
    }
    process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, call.ProcessId);
    if (!process) {
        pkg_trace("cannot open the client process %lu to hand it the token (error %lu)",
                  call.ProcessId, GetLastError());
        return NULL;
    }
    /* DUPLICATE_CLOSE_SOURCE closes this process's handle whether or not the copy is made. */
    if (!DuplicateHandle(GetCurrentProcess(), l->token, process, &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE))
        copy = NULL;
    l->token = NULL;
    CloseHandle(process);
    return copy;
}
