/* host_call.c - who is calling: the call context the host keeps around each call into
 * the package, and the GetCallInfo / GetClientInfo callbacks that read it.
 *
 * A call's attributes are the ones lsahost can know: SECPKG_CALL_IN_PROC in-process (the
 * attribute the LSA sets when the caller lives in the LSA process), SECPKG_CALL_IS_TCB
 * when the caller's token holds SeTcbPrivilege (lsahost itself in-process), SECPKG_CALL_RECURSIVE
 * for a call made while another is in progress on the thread. Never ANSI (the client DLL
 * speaks UTF-16), WOWCLIENT (64-bit only) or KERNEL_MODE. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "../packages/host_packages.h"
#include "../host_trace.h"

#include <string.h>

/* Packages of nested calls past this depth are not remembered: the innermost one known
 * stands for them (CallPackage refuses to nest half as deep, host_call_package.c). */
#define MAX_KNOWN_DEPTH 16

static __thread const char *current_call;
static __thread host_client *current_client;
static __thread ULONG call_depth;
static __thread ULONG call_packages[MAX_KNOWN_DEPTH];
static __thread const char *call_names[MAX_KNOWN_DEPTH];
static __thread ULONG thread_package = HOST_PACKAGE_NONE;
static __thread BOOL impersonated;       /* ImpersonateClient gave the thread a token */
static volatile LONG call_count;
/* Calls into each package in progress, on every thread: an unloading package is shut
 * down when its last one returns (host_packages_call_ended). Only remembered calls are
 * counted, so begin and end always agree on the package. */
static volatile LONG in_flight[HOST_ACCOUNT_MAX_PACKAGES];
/* This package thread asked UnloadPackage outside any call, and counts in in_flight as
 * a call in progress until its start routine returns (host_call_thread_hold). */
static __thread BOOL holds_unload;

void host_call_begin(ULONG package, const char *what)
{
    if (call_depth < MAX_KNOWN_DEPTH) {
        call_packages[call_depth] = package;
        call_names[call_depth] = what;
        if (package < HOST_ACCOUNT_MAX_PACKAGES)
            InterlockedIncrement(&in_flight[package]);
    }
    if (call_depth++ == 0)
        current_call = what;
    InterlockedIncrement(&call_count);
}

LONG host_call_in_flight(ULONG package)
{
    return package < HOST_ACCOUNT_MAX_PACKAGES ? in_flight[package] : 0;
}

const char *host_call_innermost(void)
{
    if (!call_depth)
        return NULL;
    return call_names[(call_depth < MAX_KNOWN_DEPTH ? call_depth : MAX_KNOWN_DEPTH) - 1];
}

void host_call_impersonated(void)
{
    impersonated = TRUE;
}

/* A package that impersonated its client (ImpersonateClient) must revert before it
 * returns. One that does not would leave lsahost's thread acting as that client for
 * whatever it does next; lsahost reverts for it and says so. Only calls in which
 * ImpersonateClient gave the thread a token are looked at: asking Wine whether a thread
 * impersonates costs a server round trip, too much for every call. */
static void revert_left_impersonation(void)
{
    HANDLE token;

    if (!impersonated)
        return;
    impersonated = FALSE;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token))
        return;
    CloseHandle(token);
    RevertToSelf();
    host_say("%s returned with the thread still impersonating its client (no RevertToSelf "
             "after ImpersonateClient): lsahost reverted it", current_call);
}

void host_call_end(void)
{
    ULONG package = HOST_PACKAGE_NONE;

    if (!call_depth)
        return;
    if (call_depth <= MAX_KNOWN_DEPTH)
        package = call_packages[call_depth - 1];
    if (--call_depth == 0) {
        revert_left_impersonation();
        host_app_mode_call_ended();
        current_call = NULL;
    }
    if (package < HOST_ACCOUNT_MAX_PACKAGES && InterlockedDecrement(&in_flight[package]) == 0)
        host_packages_call_ended(package);
}

void host_call_thread_hold(void)
{
    if (call_depth || holds_unload || thread_package >= HOST_ACCOUNT_MAX_PACKAGES)
        return;
    InterlockedIncrement(&in_flight[thread_package]);
    holds_unload = TRUE;
}

void host_call_thread_release(void)
{
    if (!holds_unload)
        return;
    holds_unload = FALSE;
    if (InterlockedDecrement(&in_flight[thread_package]) == 0)
        host_packages_call_ended(thread_package);
}

ULONG host_call_package(void)
{
    if (!call_depth)
        return thread_package;
    return call_packages[(call_depth < MAX_KNOWN_DEPTH ? call_depth : MAX_KNOWN_DEPTH) - 1];
}

void host_call_set_thread_package(ULONG package)
{
    thread_package = package;
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

static BOOL caller_has_tcb(void);

static ULONG call_attributes(void)
{
    return (current_client ? 0 : SECPKG_CALL_IN_PROC) |
           (caller_has_tcb() ? SECPKG_CALL_IS_TCB : 0) |
           (call_depth > 1 ? SECPKG_CALL_RECURSIVE : 0);
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
        Info->Attributes = call_attributes();
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

BOOL host_token_has_tcb(HANDLE token)
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
    ClientInfo->HasTcbPrivilege = host_token_has_tcb(token) != FALSE;
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
    return !current_client || current_client->logon_process;
}

/* SECPKG_CALL_IS_TCB is about the caller's privilege, not the connection: read from
 * its token at the call. */
static BOOL caller_has_tcb(void)
{
    BOOLEAN impersonating;
    HANDLE token;
    BOOL held;

    if (!current_client)
        return TRUE;
    token = open_client_token(&impersonating);
    held = token && host_token_has_tcb(token);
    if (token)
        CloseHandle(token);
    return held;
}

/* SECPKG_CLIENT_INFO_EX: GetClientInfo's members, then the client's token and the
 * identification-level logon, which lsahost does not track (NULL and 0:0). A StructSize
 * smaller than SECPKG_CLIENT_INFO cannot hold the answer. */
NTSTATUS NTAPI host_GetClientInfoEx(host_secpkg_client_info_ex *ClientInfo, ULONG StructSize)
{
    SECPKG_CLIENT_INFO base;
    NTSTATUS status;

    if (!ClientInfo || StructSize < sizeof(base)) {
        host_trace("GetClientInfoEx(ClientInfo=%p, StructSize=%lu) = STATUS_INVALID_PARAMETER",
                   (void *)ClientInfo, StructSize);
        return STATUS_INVALID_PARAMETER;
    }
    if ((status = host_GetClientInfo(&base)) != STATUS_SUCCESS)
        return status;
    memset(ClientInfo, 0, StructSize < sizeof(*ClientInfo) ? StructSize : sizeof(*ClientInfo));
    memcpy(ClientInfo, &base, sizeof(base));
    return STATUS_SUCCESS;
}

/* The current call's attributes, as GetCallInfo gives them. Outside a call there are
 * none to give: STATUS_NOT_FOUND. */
NTSTATUS NTAPI host_GetExtendedCallFlags(PULONG Flags)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!Flags)
        status = STATUS_INVALID_PARAMETER;
    else if (!current_call)
        status = STATUS_NOT_FOUND;
    else
        *Flags = call_attributes();
    host_trace("GetExtendedCallFlags(Flags=%p) = %s, %#lx", (void *)Flags,
               host_status_name(status), status == STATUS_SUCCESS ? *Flags : 0UL);
    return status;
}
