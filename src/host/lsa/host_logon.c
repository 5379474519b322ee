/* host_logon.c - CreateLogonSession / DeleteLogonSession: a table of LUIDs.
 * The package picks the LUID (usually from AllocateLocallyUniqueId); the LSA refuses a
 * LUID it already has with STATUS_LOGON_SESSION_COLLISION and a delete of one it does
 * not have with STATUS_NO_SUCH_LOGON_SESSION. A session's credentials, and the tokens
 * lsahost keeps for OpenTokenByLogonId, go with it. */
#include "host_callbacks.h"
#include "host_account.h"
#include "host_identity.h"
#include "../host_trace.h"

#define MAX_LOGON_SESSIONS 4096

static LUID sessions[MAX_LOGON_SESSIONS];
static ULONG session_count;
static SRWLOCK lock = SRWLOCK_INIT;

static LONG find(const LUID *id)
{
    for (ULONG i = 0; i < session_count; i++)
        if (sessions[i].LowPart == id->LowPart && sessions[i].HighPart == id->HighPart)
            return (LONG)i;
    return -1;
}

/* The package's LUID, copied once it is known to be readable: NULL is
 * STATUS_INVALID_PARAMETER, a pointer into nothing STATUS_ACCESS_VIOLATION (the package
 * is not trusted to pass good pointers, and lsahost does not crash for it). */
static NTSTATUS take_luid(const LUID *from, LUID *to)
{
    to->LowPart = 0;
    to->HighPart = 0;
    if (!from)
        return STATUS_INVALID_PARAMETER;
    if (!host_memory_readable(from, sizeof(*from)))
        return STATUS_ACCESS_VIOLATION;
    *to = *from;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI host_CreateLogonSession(PLUID LogonId)
{
    LUID id;
    NTSTATUS status = take_luid(LogonId, &id);

    if (status == STATUS_SUCCESS) {
        AcquireSRWLockExclusive(&lock);
        if (find(&id) >= 0)
            status = STATUS_LOGON_SESSION_COLLISION;
        else if (session_count == MAX_LOGON_SESSIONS)
            status = STATUS_INSUFFICIENT_RESOURCES;
        else {
            sessions[session_count++] = id;
            host_account_acquire(HOST_RES_LOGON_SESSION, 0, HOST_PACKAGE_NONE);
        }
        ReleaseSRWLockExclusive(&lock);
    }
    host_trace("CreateLogonSession(LogonId=%08lx:%08lx) = %s", (unsigned long)id.HighPart,
               id.LowPart, host_status_name(status));
    return status;
}

NTSTATUS NTAPI host_DeleteLogonSession(PLUID LogonId)
{
    LUID id;
    NTSTATUS status = take_luid(LogonId, &id);
    LONG at;

    if (status == STATUS_SUCCESS) {
        status = STATUS_NO_SUCH_LOGON_SESSION;
        AcquireSRWLockExclusive(&lock);
        if ((at = find(&id)) >= 0) {
            host_credentials_forget_logon(&id);
            host_tokens_forget_logon(&id);
            sessions[at] = sessions[--session_count];
            host_account_release(HOST_RES_LOGON_SESSION, 0, HOST_PACKAGE_NONE);
            status = STATUS_SUCCESS;
        }
        ReleaseSRWLockExclusive(&lock);
    }
    host_trace("DeleteLogonSession(LogonId=%08lx:%08lx) = %s", (unsigned long)id.HighPart,
               id.LowPart, host_status_name(status));
    return status;
}

BOOL host_logon_session_exists(const LUID *id)
{
    BOOL exists;

    AcquireSRWLockShared(&lock);
    exists = find(id) >= 0;
    ReleaseSRWLockShared(&lock);
    return exists;
}

NTSTATUS host_logon_session_check(const LUID *id)
{
    LUID copy;

    /* The other callbacks say STATUS_INVALID_PARAMETER for a LUID they cannot read. */
    if (take_luid(id, &copy) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    return host_logon_session_exists(&copy) ? STATUS_SUCCESS : STATUS_NO_SUCH_LOGON_SESSION;
}

void host_logon_sessions_release_all(void)
{
    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < session_count; i++) {
        host_say("leak: logon session %08lx:%08lx, holding %lu credential(s)",
                 (unsigned long)sessions[i].HighPart, sessions[i].LowPart,
                 host_credentials_count(&sessions[i]));
        host_credentials_forget_logon(&sessions[i]);
        host_tokens_forget_logon(&sessions[i]);
        host_account_release(HOST_RES_LOGON_SESSION, 0, HOST_PACKAGE_NONE);
    }
    session_count = 0;
    ReleaseSRWLockExclusive(&lock);
}
