/* host_token.c - CreateToken / CreateTokenEx, OpenTokenByLogonId and DuplicateTokenHandle.
 *
 * The LSA makes a token from the identity the package hands over (NtCreateToken). Wine 8
 * has no NtCreateToken, and on Windows it needs SeCreateTokenPrivilege, which lsahost
 * does not ask for: lsahost returns a duplicate of the caller's own token (lsahost's
 * in-process, a serve client's for that client's calls), emulated, and keeps the identity
 * the package asked for beside it, keyed by the handle and the logon id. Traces, and the
 * leak report, say so: "emulated: lsahost's own token, standing for ...".
 *
 * Every handle lsahost gives the package is remembered with the token's TokenId; at
 * unload, a handle that still opens that token is one the package did not close. */
#include "host_callbacks.h"
#include "host_account.h"
#include "host_identity.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 1024

typedef struct token_record {
    HANDLE given;        /* the package's handle */
    LUID token_id;       /* TokenStatistics.TokenId of the token it opens */
    HANDLE kept;         /* lsahost's own handle, for OpenTokenByLogonId (CreateToken only) */
    BOOL leaked;         /* found open at unload */
    uint32_t owner;      /* the package whose call it was given in (host_account.h) */
    host_token_identity id;
} token_record;

static token_record records[MAX_TOKENS];
static ULONG record_count;
static SRWLOCK lock = SRWLOCK_INIT;

static BOOL token_id_of(HANDLE token, LUID *id)
{
    TOKEN_STATISTICS stats;
    DWORD got;

    if (!GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &got))
        return FALSE;
    *id = stats.TokenId;
    return TRUE;
}

static const char *kind_of(const host_token_identity *id, char *out, size_t size)
{
    if (id->user[0])
        snprintf(out, size, "emulated: %s own token, standing for %s",
                 id->of_client ? "the client's" : "lsahost's", id->user);
    else
        snprintf(out, size, "a token lsahost did not make");
    return out;
}

/* Whether a record is still needed: while its logon session holds the token (kept), while
 * the handle given to the package still opens that token (a handle value the package
 * closed, even if reused since, opens another or none), and once the leak sweep found
 * it open. Called with the lock held. */
static BOOL still_needed(const token_record *r)
{
    LUID now;

    return r->kept || r->leaked ||
           (r->given && token_id_of(r->given, &now) && host_luid_equal(&now, &r->token_id));
}

/* A full table forgets the records no longer needed, the rest kept in order (so
 * OpenTokenByLogonId still finds a session's newest token last). Without this lsahost
 * refused every token after its MAX_TOKENS'th, for good: a long-running lsahost serve
 * stopped completing handshakes, and any client could make it so. Done only when the
 * table is full, since each check of a handle is a request to Wine's server. Called
 * with the lock held. */
static void make_room(void)
{
    ULONG count = 0;

    for (ULONG i = 0; i < record_count; i++) {
        if (still_needed(&records[i]))
            records[count++] = records[i];
        else if (records[i].given)
            /* Counted until now; one the sweep found closed was released then. */
            host_account_release(HOST_RES_TOKEN, 0, records[i].owner);
    }
    record_count = count;
}

/* Remembers a handle given to the package; FALSE when the table is full of records
 * still needed. */
static BOOL remember(HANDLE given, HANDLE kept, const host_token_identity *id)
{
    BOOL done = FALSE;
    LUID token_id;

    if (!token_id_of(given, &token_id))
        return FALSE;
    AcquireSRWLockExclusive(&lock);
    if (record_count == MAX_TOKENS)
        make_room();
    if (record_count < MAX_TOKENS) {
        token_record *r = &records[record_count++];
        memset(r, 0, sizeof(*r));
        r->given = given;
        r->token_id = token_id;
        r->kept = kept;
        r->id = *id;
        r->owner = host_call_package();
        host_account_acquire(HOST_RES_TOKEN, 0, r->owner);
        done = TRUE;
    }
    ReleaseSRWLockExclusive(&lock);
    return done;
}

/* lsahost's own process token, opened once and kept to the end (host_tokens_release_all):
 * under Wine opening it is two requests to the server on every handshake. Only
 * in-process callers' tokens are copied from it; a serve client's never are. */
static HANDLE volatile own_token;

static HANDLE lsahost_token(void)
{
    HANDLE opened, first;

    if (own_token)
        return own_token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &opened))
        return NULL;
    /* Two threads may open it at once: the first to store it wins. */
    first = InterlockedCompareExchangePointer((PVOID volatile *)&own_token, opened, NULL);
    if (first) {
        CloseHandle(opened);
        return first;
    }
    return opened;
}

/* Network logons give the caller an impersonation token, the others a primary token
 * (LsaLogonUser's documentation). The copy is of the calling process's token: for a
 * client of lsahost serve, that client's own, since the package hands the token to it
 * (a server context's token, duplicated into the client) and a copy of lsahost's token
 * would give the client lsahost's account and rights; in-process, lsahost's. */
static HANDLE emulated_token(SECURITY_LOGON_TYPE logon_type, SECURITY_IMPERSONATION_LEVEL level)
{
    host_client *client = host_client_current();
    HANDLE own, token = NULL;
    TOKEN_TYPE type = logon_type == Network ? TokenImpersonation : TokenPrimary;

    if (level < SecurityAnonymous || level > SecurityDelegation)
        level = SecurityImpersonation;
    if (!client)
        own = lsahost_token();
    else if (!OpenProcessToken(client->process, TOKEN_DUPLICATE | TOKEN_QUERY, &own))
        own = NULL;
    if (own && !DuplicateTokenEx(own, TOKEN_ALL_ACCESS, NULL, level, type, &token))
        token = NULL;
    if (client && own)
        CloseHandle(own);
    return token;
}

static NTSTATUS create_token(const char *name, PLUID LogonId, PTOKEN_SOURCE TokenSource,
                             SECURITY_LOGON_TYPE LogonType,
                             SECURITY_IMPERSONATION_LEVEL ImpersonationLevel, ULONG type,
                             PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                             PUNICODE_STRING AccountName, PHANDLE Token, PNTSTATUS SubStatus)
{
    host_token_identity id;
    HANDLE token = NULL, kept = NULL;
    ULONG extra_groups = 0;
    BOOL extra_protected = FALSE;
    NTSTATUS status;
    char why[256] = "", kind[256];

    if (!Token || !LogonId || !host_memory_readable(LogonId, sizeof(*LogonId))) {
        snprintf(why, sizeof(why), "%s is %s", !Token ? "Token" : "LogonId",
                 !Token || !LogonId ? "NULL" : "not readable");
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    *Token = NULL;
    if ((status = host_token_information_read(type, TokenInformation, &id, why, sizeof(why))))
        goto done;
    /* TokenGroups: groups the LSA adds to the token's, checked like them. */
    if (TokenGroups) {
        host_token_identity scratch;
        LSA_TOKEN_INFORMATION_NULL carrier = { { { 0, 0 } }, TokenGroups };
        char inner[200];
        if ((status = host_token_information_read(LsaTokenInformationNull, &carrier, &scratch,
                                                  inner, sizeof(inner)))) {
            snprintf(why, sizeof(why), "TokenGroups, %s", inner);
            goto done;
        }
        extra_groups = scratch.groups;
        extra_protected = scratch.protected_user;
    }
    if (TokenSource && host_memory_readable(TokenSource, sizeof(*TokenSource)))
        memcpy(id.source, TokenSource->SourceName, TOKEN_SOURCE_LENGTH);
    else if (TokenSource) {
        snprintf(why, sizeof(why), "TokenSource at %p is not readable", (void *)TokenSource);
        status = STATUS_ACCESS_VIOLATION;
        goto done;
    }
    if (AccountName)
        host_unicode_format(AccountName, id.account, sizeof(id.account));
    /* NtCreateToken refuses a logon session the reference monitor does not have. */
    if ((status = host_logon_session_check(LogonId))) {
        snprintf(why, sizeof(why), "logon session %08lx:%08lx was never created "
                 "(CreateLogonSession first)", (unsigned long)LogonId->HighPart, LogonId->LowPart);
        goto done;
    }
    id.groups += extra_groups;
    id.protected_user |= extra_protected;
    id.logon_id = *LogonId;
    id.logon_type = LogonType;
    id.level = ImpersonationLevel;
    id.of_client = host_client_current() != NULL;
    token = emulated_token(LogonType, ImpersonationLevel);
    if (token && !DuplicateHandle(GetCurrentProcess(), token, GetCurrentProcess(), &kept, 0,
                                  FALSE, DUPLICATE_SAME_ACCESS))
        kept = NULL;
    if (!token || !kept || !remember(token, kept, &id)) {
        snprintf(why, sizeof(why), "lsahost could not make a token (error %lu, or %u tokens "
                 "already)", GetLastError(), MAX_TOKENS);
        if (token)
            CloseHandle(token);
        if (kept)
            CloseHandle(kept);
        token = NULL;
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto done;
    }
    *Token = token;

done:
    if (SubStatus && host_memory_readable(SubStatus, sizeof(*SubStatus)))
        *SubStatus = status;
    if (status != STATUS_SUCCESS) {
        host_say("%s refused: %s: %s", name, why, host_status_name(status));
        host_trace("%s(...) = %s", name, host_status_name(status));
        return status;
    }
    host_trace("%s(LogonId=%08lx:%08lx, %s, user %s, %lu group(s), %lu privilege(s), owner %s, "
               "%s default DACL, source \"%.8s\", account \"%s\") = STATUS_SUCCESS, token %p (%s)",
               name, (unsigned long)LogonId->HighPart, LogonId->LowPart,
               host_token_information_name(type), id.user, id.groups, id.privileges,
               id.owner[0] ? id.owner : "(user)", id.default_dacl ? "a" : "no", id.source,
               id.account, (void *)token, kind_of(&id, kind, sizeof(kind)));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI host_CreateToken(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                SECURITY_LOGON_TYPE LogonType,
                                SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
                                PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                PHANDLE Token, PNTSTATUS SubStatus)
{
    (void)AuthorityName;
    (void)Workstation;
    (void)ProfilePath;
    return create_token("CreateToken", LogonId, TokenSource, LogonType, ImpersonationLevel,
                        TokenInformationType, TokenInformation, TokenGroups, AccountName, Token,
                        SubStatus);
}

NTSTATUS NTAPI host_CreateTokenEx(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                  SECURITY_LOGON_TYPE LogonType,
                                  SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                  LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                  PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                  PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                  PVOID SessionInformation,
                                  SECPKG_SESSIONINFO_TYPE SessionInformationType,
                                  PHANDLE Token, PNTSTATUS SubStatus)
{
    (void)Workstation;
    (void)ProfilePath;
    /* SecSessionPrimaryCred is the only session information type there is. */
    if (SessionInformation && SessionInformationType != SecSessionPrimaryCred) {
        host_say("CreateTokenEx refused: SessionInformationType %d is not SecSessionPrimaryCred: "
                 "STATUS_INVALID_PARAMETER", (int)SessionInformationType);
        if (SubStatus && host_memory_readable(SubStatus, sizeof(*SubStatus)))
            *SubStatus = STATUS_INVALID_PARAMETER;
        return STATUS_INVALID_PARAMETER;
    }
    return create_token("CreateTokenEx", LogonId, TokenSource, LogonType, ImpersonationLevel,
                        TokenInformationType, TokenInformation, TokenGroups, NULL, Token,
                        SubStatus);
}

/* Gives the package a new handle to `source`'s token, remembered with `id`. */
static NTSTATUS give_copy(HANDLE source, const host_token_identity *id, HANDLE *out)
{
    HANDLE copy;

    if (!DuplicateHandle(GetCurrentProcess(), source, GetCurrentProcess(), &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return STATUS_INVALID_HANDLE;
    if (!remember(copy, NULL, id)) {
        CloseHandle(copy);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *out = copy;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI host_OpenTokenByLogonId(PLUID LogonId, HANDLE *RetTokenHandle)
{
    NTSTATUS status = STATUS_NO_TOKEN;
    host_token_identity id;
    HANDLE kept = NULL;
    char kind[256] = "", logon[24];

    if (!RetTokenHandle) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    *RetTokenHandle = NULL;
    if ((status = host_logon_session_check(LogonId)))
        goto done;
    status = STATUS_NO_TOKEN;
    /* The newest token CreateToken made for the session. */
    AcquireSRWLockShared(&lock);
    for (ULONG i = record_count; i-- > 0;)
        if (records[i].kept && host_luid_equal(&records[i].id.logon_id, LogonId)) {
            DuplicateHandle(GetCurrentProcess(), records[i].kept, GetCurrentProcess(), &kept, 0,
                            FALSE, DUPLICATE_SAME_ACCESS);
            id = records[i].id;
            break;
        }
    ReleaseSRWLockShared(&lock);
    if (kept) {
        status = give_copy(kept, &id, RetTokenHandle);
        CloseHandle(kept);
        kind_of(&id, kind, sizeof(kind));
    }

done:
    host_trace("OpenTokenByLogonId(LogonId=%s) = %s, token %p%s%s%s",
               host_luid_format(LogonId, logon), host_status_name(status), RetTokenHandle ? (void *)*RetTokenHandle : NULL,
               kind[0] ? " (" : "", kind, kind[0] ? ")" : "");
    return status;
}

NTSTATUS NTAPI host_DuplicateTokenHandle(HANDLE SourceHandle, PHANDLE DestinationHandle)
{
    host_token_identity id;
    NTSTATUS status;
    LUID token_id;
    char kind[256];

    memset(&id, 0, sizeof(id));
    if (!DestinationHandle) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    *DestinationHandle = NULL;
    if (!token_id_of(SourceHandle, &token_id)) {
        /* A handle to something other than a token, or not a handle at all (Win32 gives
         * ERROR_INVALID_HANDLE for both). */
        DWORD handle_flags;
        status = GetHandleInformation(SourceHandle, &handle_flags) ? STATUS_OBJECT_TYPE_MISMATCH
                                                                   : STATUS_INVALID_HANDLE;
        goto done;
    }
    AcquireSRWLockShared(&lock);
    for (ULONG i = 0; i < record_count; i++)
        if (host_luid_equal(&records[i].token_id, &token_id)) {
            id = records[i].id;
            break;
        }
    ReleaseSRWLockShared(&lock);
    status = give_copy(SourceHandle, &id, DestinationHandle);

done:
    host_trace("DuplicateTokenHandle(SourceHandle=%p) = %s, token %p (%s)", (void *)SourceHandle,
               host_status_name(status), DestinationHandle ? (void *)*DestinationHandle : NULL,
               kind_of(&id, kind, sizeof(kind)));
    return status;
}

BOOL host_token_identity_of(HANDLE token, host_token_identity *out)
{
    BOOL found = FALSE;
    LUID token_id;

    if (!token_id_of(token, &token_id))
        return FALSE;
    AcquireSRWLockShared(&lock);
    /* Records of tokens lsahost did not make (duplicated for a package) have no user. */
    for (ULONG i = 0; i < record_count && !found; i++)
        if (host_luid_equal(&records[i].token_id, &token_id) && records[i].id.user[0]) {
            *out = records[i].id;
            found = TRUE;
        }
    ReleaseSRWLockShared(&lock);
    return found;
}

void host_tokens_forget_logon(const LUID *logon)
{
    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < record_count; i++)
        if (records[i].kept && host_luid_equal(&records[i].id.logon_id, logon)) {
            CloseHandle(records[i].kept);
            records[i].kept = NULL;
        }
    ReleaseSRWLockExclusive(&lock);
}

void host_tokens_sweep(void)
{
    char kind[256];
    LUID now;

    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < record_count; i++) {
        token_record *r = &records[i];
        if (r->leaked || !r->given)
            continue;
        if (token_id_of(r->given, &now) && host_luid_equal(&now, &r->token_id)) {
            r->leaked = TRUE;
            host_say("leak: token %p for logon %08lx:%08lx, never closed (%s)", (void *)r->given,
                     (unsigned long)r->id.logon_id.HighPart, r->id.logon_id.LowPart,
                     kind_of(&r->id, kind, sizeof(kind)));
        } else {
            r->given = NULL;
            host_account_release(HOST_RES_TOKEN, 0, r->owner);
        }
    }
    ReleaseSRWLockExclusive(&lock);
}

void host_tokens_release_all(void)
{
    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < record_count; i++) {
        token_record *r = &records[i];
        if (r->kept)
            CloseHandle(r->kept);
        /* Still counted: found open by the sweep (closed now), or never swept. */
        if (r->given) {
            if (r->leaked)
                CloseHandle(r->given);
            host_account_release(HOST_RES_TOKEN, 0, r->owner);
        }
    }
    record_count = 0;
    if (own_token) {
        CloseHandle(own_token);
        own_token = NULL;
    }
    ReleaseSRWLockExclusive(&lock);
}
