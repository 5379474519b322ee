/* host_audit.c - AuditLogon / AuditLogonEx: the LSA's audit of a logon attempt becomes
 * one line "lsahost: audit: ..." on stderr, and with --audit=FILE the same line (without
 * the prefix) appended to that file. Strings and SIDs are read as hostile. */
#include "host_identity.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

static FILE *audit_file;
static SRWLOCK lock = SRWLOCK_INIT;

BOOL host_audit_open(const WCHAR *path)
{
    audit_file = _wfopen(path, L"ab");
    return audit_file != NULL;
}

void host_audit_close(void)
{
    if (audit_file)
        fclose(audit_file);
    audit_file = NULL;
}

const char *host_logon_type_name(SECURITY_LOGON_TYPE type)
{
    static const char *const names[] = {
        "0", "1", "Interactive", "Network", "Batch", "Service", "Proxy", "Unlock",
        "NetworkCleartext", "NewCredentials", "RemoteInteractive", "CachedInteractive",
        "CachedRemoteInteractive", "CachedUnlock",
    };
    return (unsigned)type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

static void audit(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                  PUNICODE_STRING AuthenticatingAuthority, PUNICODE_STRING WorkstationName,
                  PSID UserSid, SECURITY_LOGON_TYPE LogonType, const char *level,
                  PTOKEN_SOURCE TokenSource, PLUID LogonId)
{
    char account[128], authority[128], workstation[128], sid[192] = "(none)", source[9] = "";
    char line[900], status[24], substatus[24];
    LUID id = { 0, 0 };

    host_unicode_format(AccountName, account, sizeof(account));
    host_unicode_format(AuthenticatingAuthority, authority, sizeof(authority));
    host_unicode_format(WorkstationName, workstation, sizeof(workstation));
    if (UserSid)
        host_sid_format(UserSid, sid, sizeof(sid));
    if (TokenSource && host_memory_readable(TokenSource, sizeof(*TokenSource)))
        memcpy(source, TokenSource->SourceName, TOKEN_SOURCE_LENGTH);
    /* The logon id is valid only for a logon that succeeded (the documentation). */
    if (Status == STATUS_SUCCESS && LogonId && host_memory_readable(LogonId, sizeof(*LogonId)))
        id = *LogonId;
    snprintf(status, sizeof(status), "%s", host_status_name(Status));
    snprintf(substatus, sizeof(substatus), "%s", host_status_name(SubStatus));
    snprintf(line, sizeof(line), "logon %s: status %s, sub-status %s, account \"%s\", "
             "authority \"%s\", workstation \"%s\", user %s, type %s%s%s, source \"%.8s\", "
             "logon id %08lx:%08lx", Status == STATUS_SUCCESS ? "succeeded" : "failed", status,
             substatus, account, authority, workstation, sid, host_logon_type_name(LogonType),
             level ? ", impersonation " : "", level ? level : "", source,
             (unsigned long)id.HighPart, id.LowPart);
    AcquireSRWLockExclusive(&lock);
    host_say("audit: %s", line);
    if (audit_file) {
        fprintf(audit_file, "%s\n", line);
        fflush(audit_file);
    }
    ReleaseSRWLockExclusive(&lock);
}

VOID NTAPI host_AuditLogon(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                           PUNICODE_STRING AuthenticatingAuthority,
                           PUNICODE_STRING WorkstationName, PSID UserSid,
                           SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                           PLUID LogonId)
{
    audit(Status, SubStatus, AccountName, AuthenticatingAuthority, WorkstationName, UserSid,
          LogonType, NULL, TokenSource, LogonId);
}

VOID NTAPI host_AuditLogonEx(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                             PUNICODE_STRING AuthenticatingAuthority,
                             PUNICODE_STRING WorkstationName, PSID UserSid,
                             SECURITY_LOGON_TYPE LogonType,
                             SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                             PTOKEN_SOURCE TokenSource, PLUID LogonId)
{
    static const char *const levels[] = { "Anonymous", "Identification", "Impersonation",
                                          "Delegation" };
    audit(Status, SubStatus, AccountName, AuthenticatingAuthority, WorkstationName, UserSid,
          LogonType, (unsigned)ImpersonationLevel < 4 ? levels[ImpersonationLevel] : "unknown",
          TokenSource, LogonId);
}
