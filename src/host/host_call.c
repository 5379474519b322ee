/* host_call.c - who is calling: the call context the host keeps around each call into
 * the package, and the GetCallInfo / GetClientInfo callbacks that read it.
 *
 * In-process mode the client is lsahost itself, so calls carry SECPKG_CALL_IN_PROC
 * (the attribute the LSA sets when the caller lives in the LSA process). */
#include "host_callbacks.h"
#include "host_trace.h"

#include <string.h>

static __thread const char *current_call;
static __thread host_client *current_client;
static __thread ULONG call_depth;
static volatile LONG call_count;

void host_call_begin(const char *what)
{
    if (call_depth++ == 0)
        current_call = what;
    InterlockedIncrement(&call_count);
}

void host_call_end(void)
{
    if (call_depth && --call_depth == 0)
        current_call = NULL;
}

const char *host_call_current(void)
{
    return current_call;
}

void host_client_set_current(host_client *client)
{
    current_client = client;
}

host_client *host_client_current(void)
{
    return current_client;
}

BOOLEAN NTAPI host_GetCallInfo(PSECPKG_CALL_INFO Info)
{
    BOOLEAN in_call = current_call != NULL && Info != NULL;

    /* Outside a call (a package thread of its own, say) there is no caller: FALSE. */
    if (in_call) {
        /* A client in its own process: its id, and no IN_PROC attribute. The thread id
         * is the serving thread's: the pipe does not say which client thread called. */
        Info->ProcessId = current_client ? current_client->process_id : GetCurrentProcessId();
        Info->ThreadId = GetCurrentThreadId();
        Info->Attributes = current_client ? 0 : SECPKG_CALL_IN_PROC;
        Info->CallCount = (ULONG)call_count;
    }
    host_trace("GetCallInfo(Info=%p) = %s%s%s", (void *)Info, in_call ? "TRUE" : "FALSE",
               in_call ? ", in " : "", in_call ? current_call : "");
    return in_call;
}

/* The client's token: the thread's when it impersonates, else the client process's. */
static HANDLE open_client_token(BOOLEAN *impersonating)
{
    HANDLE token;

    *impersonating = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token);
    if (*impersonating)
        return token;
    return OpenProcessToken(current_client ? current_client->process : GetCurrentProcess(),
                            TOKEN_QUERY, &token) ? token : NULL;
}

static BOOLEAN token_has_tcb(HANDLE token)
{
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY, { { { 0, 0 }, 0 } } };
    BOOL held = FALSE;

    if (!LookupPrivilegeValueW(NULL, SE_TCB_NAME, &set.Privilege[0].Luid))
        return FALSE;
    return PrivilegeCheck(token, &set, &held) && held;
}

NTSTATUS NTAPI host_GetClientInfo(PSECPKG_CLIENT_INFO ClientInfo)
{
    TOKEN_STATISTICS stats;
    NTSTATUS status = STATUS_SUCCESS;
    HANDLE token = NULL;
    DWORD got;

    if (!ClientInfo) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    memset(ClientInfo, 0, sizeof(*ClientInfo));
    token = open_client_token(&ClientInfo->Impersonating);
    if (!token || !GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &got)) {
        status = STATUS_NO_TOKEN;
        goto done;
    }
    ClientInfo->LogonId = stats.AuthenticationId;
    ClientInfo->ProcessID = current_client ? current_client->process_id : GetCurrentProcessId();
    ClientInfo->ThreadID = GetCurrentThreadId();
    ClientInfo->HasTcbPrivilege = token_has_tcb(token);
    ClientInfo->Restricted = IsTokenRestricted(token) != FALSE;
    ClientInfo->ImpersonationLevel = ClientInfo->Impersonating ? stats.ImpersonationLevel
                                                               : SecurityImpersonation;

done:
    if (token)
        CloseHandle(token);
    if (status == STATUS_SUCCESS)
        host_trace("GetClientInfo(ClientInfo=%p) = STATUS_SUCCESS [pid %lu, tid %lu, "
                   "logon %08lx:%08lx, tcb %d]", (void *)ClientInfo, ClientInfo->ProcessID,
                   ClientInfo->ThreadID, (unsigned long)ClientInfo->LogonId.HighPart,
                   ClientInfo->LogonId.LowPart, ClientInfo->HasTcbPrivilege);
    else
        host_trace("GetClientInfo(ClientInfo=%p) = %s", (void *)ClientInfo,
                   host_status_name(status));
    return status;
}

BOOL host_client_is_trusted(void)
{
    BOOLEAN impersonating;
    HANDLE token;
    BOOL trusted;

    if (!current_client)
        return TRUE;
    token = open_client_token(&impersonating);
    trusted = token && token_has_tcb(token);
    if (token)
        CloseHandle(token);
    return trusted;
}
