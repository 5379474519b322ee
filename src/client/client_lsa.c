/* client_lsa.c - sspkg_client.dll's LSA client API: LsaConnectUntrusted,
 * LsaRegisterLogonProcess, LsaLookupAuthenticationPackage, LsaCallAuthenticationPackage,
 * LsaFreeReturnBuffer, LsaDeregisterLogonProcess and LsaLogonUser, with secur32's
 * signatures (MinGW-w64's ntsecapi.h declares them; the definitions here are checked
 * against it) and the statuses Microsoft documents for them, going to lsahost serve.
 * A program written against Windows' LSA API runs against lsahost by linking this DLL
 * instead of secur32.
 *
 * Each LSA handle is a connection of its own to lsahost, as each is an LPC connection
 * to lsass. The handle is a tagged number naming a slot of this DLL's table (never an
 * address that is dereferenced): a NULL, stale or made-up handle is
 * STATUS_INVALID_HANDLE. A connection lives until LsaDeregisterLogonProcess and the
 * last call under way on it ends.
 *
 * Package ids are lsahost's (as lsass's are): LsaLookupAuthenticationPackage finds a
 * name among the packages lsahost offered at connect; LsaCallAuthenticationPackage
 * sends the id, which lsahost checks again. LsaLogonUser is not carried yet (lsahost
 * has no logon request): it says so with STATUS_NOT_SUPPORTED. */
#include "client_pipe.h"
#include "client_returned.h"

#include <string.h>
#include <wchar.h>

#define SLOTS 16
/* A handle: the tag in bits 32-47, the slot's generation in bits 8-31, the slot in
 * bits 0-7. Generations start at 1, so no handle is 0. */
#define HANDLE_TAG 0x4c53ull    /* "LS" */
#define MAX_NAME_BYTES 127      /* LsaRegisterLogonProcess's and LsaLookup...'s limit */

typedef struct lsa_slot {
    client_pipe *pipe;          /* NULL: the slot is free */
    uint32_t generation;
    LONG calls;                 /* calls under way on the connection */
    BOOL closing;               /* deregistered: closed when the last call ends */
} lsa_slot;

static lsa_slot slots[SLOTS];
static SRWLOCK slots_lock = SRWLOCK_INIT;

static HANDLE handle_of(ULONG i)
{
    return (HANDLE)(ULONG_PTR)((HANDLE_TAG << 32) | ((ULONG64)slots[i].generation << 8) | i);
}

/* The slot a handle names, with a call counted on it; -1 when the handle is not one
 * this DLL gave out, or its connection was deregistered. */
static int enter(HANDLE h)
{
    ULONG64 v = (ULONG64)(ULONG_PTR)h;
    ULONG i = (ULONG)(v & 0xff);
    int found = -1;

    AcquireSRWLockExclusive(&slots_lock);
    if ((v >> 32) == HANDLE_TAG && i < SLOTS && slots[i].pipe && !slots[i].closing &&
        slots[i].generation == (uint32_t)((v >> 8) & 0xffffff)) {
        slots[i].calls++;
        found = (int)i;
    }
    ReleaseSRWLockExclusive(&slots_lock);
    return found;
}

/* Ends a call (or, with close, the connection's life); the last one closes it. */
static void leave(int i, BOOL close)
{
    client_pipe *gone = NULL;

    AcquireSRWLockExclusive(&slots_lock);
    slots[i].calls--;
    slots[i].closing |= close;
    if (slots[i].closing && !slots[i].calls) {
        gone = slots[i].pipe;
        slots[i].pipe = NULL;
        slots[i].closing = FALSE;
    }
    ReleaseSRWLockExclusive(&slots_lock);
    if (gone) {
        client_pipe_close(gone);
        HeapFree(GetProcessHeap(), 0, gone);
    }
}

/* The NTSTATUS an LSA caller gets for what the pipe's client code says (client_pipe.h);
 * other values are lsahost's or the package's NTSTATUS, passed through. */
/* An answer's buffer the application holds already (an earlier answer's, not freed
 * yet) is a broken protocol: taken, it would be freed twice, or free whatever was
 * allocated there since. Left alone, and the connection closed. */
static BOOL held_already(client_pipe *p, const char *answer, const char *buffer_name,
                         const void *buffer)
{
    if (!client_returned_holds(buffer))
        return FALSE;
    client_pipe_violation(p, "the answer to %s names %s buffer %llx, which this process holds "
                          "already", answer, buffer_name, (unsigned long long)(ULONG_PTR)buffer);
    return TRUE;
}

static NTSTATUS nt_status(SECURITY_STATUS s)
{
    switch (s) {
    case SEC_E_OK:
        return STATUS_SUCCESS;
    /* lsahost is not there, is not lsahost, or has gone: the LSA's port is not there. */
    case SEC_E_NO_AUTHENTICATING_AUTHORITY:
        return STATUS_PORT_DISCONNECTED;
    case SEC_E_INSUFFICIENT_MEMORY:
        return STATUS_NO_MEMORY;
    case SEC_E_INTERNAL_ERROR:
        return STATUS_INTERNAL_ERROR;
    default:
        return (NTSTATUS)s;
    }
}

/* A new connection to lsahost in a free slot, its handle in *h. */
static NTSTATUS connect_lsa(PHANDLE h, client_pipe_role role)
{
    WCHAR name[MAX_PATH];
    client_pipe *p;
    SECURITY_STATUS s;

    if (!h)
        return STATUS_INVALID_PARAMETER;
    *h = NULL;
    if (!(p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p))))
        return STATUS_NO_MEMORY;
    client_pipe_name(name);
    s = client_pipe_connect(p, name, 5000, role);
    if (s != SEC_E_OK) {
        HeapFree(GetProcessHeap(), 0, p);
        return nt_status(s);
    }
    AcquireSRWLockExclusive(&slots_lock);
    for (ULONG i = 0; i < SLOTS && p; i++) {
        if (!slots[i].pipe) {
            slots[i].pipe = p;
            slots[i].generation = (slots[i].generation + 1) & 0xffffff;
            if (!slots[i].generation)
                slots[i].generation = 1;
            *h = handle_of(i);
            p = NULL;
        }
    }
    ReleaseSRWLockExclusive(&slots_lock);
    if (p) {
        client_say("LSA connection refused: this process already has %d LSA handles", SLOTS);
        client_pipe_close(p);
        HeapFree(GetProcessHeap(), 0, p);
        return STATUS_TOO_MANY_OPENED_FILES;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle)
{
    return connect_lsa(LsaHandle, CLIENT_PIPE_UNTRUSTED);
}

/* Whether this process's token holds SeTcbPrivilege, enabled: what lsass asks of a
 * logon process. Checked here only to fail early with a message; lsahost checks the
 * token itself at HELLO and refuses a logon process without it. */
static BOOL has_tcb(void)
{
    PRIVILEGE_SET set = { 1, PRIVILEGE_SET_ALL_NECESSARY, { { { 0, 0 }, 0 } } };
    HANDLE token;
    BOOL held = FALSE;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return FALSE;
    if (LookupPrivilegeValueW(NULL, SE_TCB_NAME, &set.Privilege[0].Luid) &&
        !PrivilegeCheck(token, &set, &held))
        held = FALSE;
    CloseHandle(token);
    return held;
}

/* The name is for auditing only and is not checked for uniqueness (as documented);
 * SecurityMode "is not meaningful" and gets 0. */
NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode)
{
    if (!LsaHandle || !LogonProcessName || (LogonProcessName->Length && !LogonProcessName->Buffer))
        return STATUS_INVALID_PARAMETER;
    *LsaHandle = NULL;
    if (SecurityMode)
        *SecurityMode = 0;
    if (LogonProcessName->Length > MAX_NAME_BYTES)
        return STATUS_NAME_TOO_LONG;
    if (!has_tcb()) {
        client_say("LsaRegisterLogonProcess: the caller does not hold SeTcbPrivilege");
        return STATUS_PORT_CONNECTION_REFUSED;
    }
    return connect_lsa(LsaHandle, CLIENT_PIPE_LOGON_PROCESS);
}

NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle)
{
    int i = enter(LsaHandle);

    if (i < 0)
        return STATUS_INVALID_HANDLE;
    leave(i, TRUE);
    return STATUS_SUCCESS;
}

/* The packages are the ones lsahost offered at connect. Microsoft's documentation does not say
 * whether lsass compares names with regard to case; this compares them without, as SSPI
 * compares package names. */
NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                              PULONG AuthenticationPackage)
{
    WCHAR wide[MAX_NAME_BYTES + 1];
    int i = enter(LsaHandle), n = 0, id = -1;
    NTSTATUS status = STATUS_SUCCESS;

    if (i < 0)
        return STATUS_INVALID_HANDLE;
    if (!PackageName || !AuthenticationPackage || (PackageName->Length && !PackageName->Buffer))
        status = STATUS_INVALID_PARAMETER;
    else if (PackageName->Length > MAX_NAME_BYTES)
        status = STATUS_NAME_TOO_LONG;
    else if (PackageName->Length &&
             !(n = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, PackageName->Buffer,
                                       PackageName->Length, wide, MAX_NAME_BYTES)))
        status = STATUS_NO_SUCH_PACKAGE;
    if (status == STATUS_SUCCESS) {
        wide[n] = 0;
        id = client_pipe_find_package(slots[i].pipe, wide);
        status = id < 0 ? STATUS_NO_SUCH_PACKAGE : STATUS_SUCCESS;
    }
    if (status == STATUS_SUCCESS)
        *AuthenticationPackage = (ULONG)id;
    leave(i, FALSE);
    return status;
}

/* lsahost has the package write its answer into this process (AllocateClientBuffer);
 * LsaFreeReturnBuffer frees it. The call's status and the package's (ProtocolStatus)
 * are separate, as documented: a package that refused a message returns
 * STATUS_SUCCESS with the refusal in ProtocolStatus. */
NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                            PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                            PVOID *ProtocolReturnBuffer,
                                            PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    int i = enter(LsaHandle);
    void *response = NULL;
    ULONG length = 0;
    NTSTATUS status, protocol = STATUS_SUCCESS;

    if (i < 0)
        return STATUS_INVALID_HANDLE;
    if (!ProtocolReturnBuffer || !ReturnBufferLength || !ProtocolStatus ||
        !ProtocolSubmitBuffer || !SubmitBufferLength)
        status = STATUS_INVALID_PARAMETER;
    else if (AuthenticationPackage >= slots[i].pipe->package_count)
        status = STATUS_NO_SUCH_PACKAGE;
    else
        status = nt_status((SECURITY_STATUS)client_pipe_call_package(
            slots[i].pipe, AuthenticationPackage, ProtocolSubmitBuffer, SubmitBufferLength,
            &response, &length, &protocol));
    if (status == STATUS_SUCCESS && held_already(slots[i].pipe, "CALL_PACKAGE", "return", response)) {
        response = NULL;
        status = STATUS_INTERNAL_ERROR;
    } else if (status == STATUS_SUCCESS && !client_returned_remember(response)) {
        VirtualFree(response, 0, MEM_RELEASE);
        status = STATUS_NO_MEMORY;
    }
    if (ProtocolReturnBuffer)
        *ProtocolReturnBuffer = status == STATUS_SUCCESS ? response : NULL;
    if (ReturnBufferLength)
        *ReturnBufferLength = status == STATUS_SUCCESS ? length : 0;
    if (ProtocolStatus)
        *ProtocolStatus = status == STATUS_SUCCESS ? protocol : STATUS_SUCCESS;
    leave(i, FALSE);
    return status;
}

/* Frees what LsaCallAuthenticationPackage returned, and nothing else: any other pointer
 * (NULL, heap memory, a buffer already freed) is STATUS_INVALID_PARAMETER, untouched. */
NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer)
{
    if (!client_returned_forget(Buffer))
        return STATUS_INVALID_PARAMETER;
    return VirtualFree(Buffer, 0, MEM_RELEASE) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* LsaLogonUser's outputs, cleared before anything can fail. */
static void clear_logon_outputs(PVOID *profile, PULONG profile_length, PLUID logon_id,
                                PHANDLE token, PQUOTA_LIMITS quotas, PNTSTATUS sub_status)
{
    if (profile)
        *profile = NULL;
    if (profile_length)
        *profile_length = 0;
    if (logon_id)
        memset(logon_id, 0, sizeof(*logon_id));
    if (token)
        *token = NULL;
    if (quotas)
        memset(quotas, 0, sizeof(*quotas));
    if (sub_status)
        *sub_status = STATUS_SUCCESS;
}

/* lsahost reads the submit buffer from this process, as lsass does, and logs on with
 * the package. The profile buffer is freed with LsaFreeReturnBuffer; the token is this
 * process's to close. Quotas are all zero: lsahost applies no quota limits. LocalGroups
 * needs a logon process (SeTcbPrivilege), as documented, and lsahost does not carry
 * them: STATUS_NOT_SUPPORTED for a logon process that passes some. */
NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName,
                            SECURITY_LOGON_TYPE LogonType, ULONG AuthenticationPackage,
                            PVOID AuthenticationInformation,
                            ULONG AuthenticationInformationLength, PTOKEN_GROUPS LocalGroups,
                            PTOKEN_SOURCE SourceContext, PVOID *ProfileBuffer,
                            PULONG ProfileBufferLength, PLUID LogonId, PHANDLE Token,
                            PQUOTA_LIMITS Quotas, PNTSTATUS SubStatus)
{
    int i = enter(LsaHandle);
    client_pipe_logon_answer a;
    NTSTATUS status;

    clear_logon_outputs(ProfileBuffer, ProfileBufferLength, LogonId, Token, Quotas, SubStatus);
    if (i < 0)
        return STATUS_INVALID_HANDLE;
    memset(&a, 0, sizeof(a));
    if (!OriginName || (OriginName->Length && !OriginName->Buffer) ||
        !AuthenticationInformation || !AuthenticationInformationLength || !ProfileBuffer ||
        !ProfileBufferLength || !LogonId || !Token || !Quotas || !SubStatus)
        status = STATUS_INVALID_PARAMETER;
    else if (OriginName->Length > MAX_NAME_BYTES)
        status = STATUS_NAME_TOO_LONG;
    else if (AuthenticationPackage >= slots[i].pipe->package_count)
        status = STATUS_NO_SUCH_PACKAGE;
    else if (LocalGroups)
        status = slots[i].pipe->role == CLIENT_PIPE_LOGON_PROCESS ? STATUS_NOT_SUPPORTED
                                                                  : STATUS_PRIVILEGE_NOT_HELD;
    else {
        client_pipe_logon_request rq = { AuthenticationPackage, (ULONG)LogonType,
                                         AuthenticationInformation,
                                         AuthenticationInformationLength, OriginName->Buffer,
                                         OriginName->Length, SourceContext };
        status = nt_status((SECURITY_STATUS)client_pipe_logon(slots[i].pipe, &rq, &a));
    }
    if (status == STATUS_SUCCESS && held_already(slots[i].pipe, "LOGON", "profile", a.profile)) {
        CloseHandle(a.token);
        status = STATUS_INTERNAL_ERROR;
    } else if (status == STATUS_SUCCESS && !client_returned_remember(a.profile)) {
        VirtualFree(a.profile, 0, MEM_RELEASE);
        CloseHandle(a.token);
        status = STATUS_NO_MEMORY;
    }
    if (status == STATUS_SUCCESS) {
        *ProfileBuffer = a.profile;
        *ProfileBufferLength = a.profile_length;
        *LogonId = a.logon_id;
        *Token = a.token;
        *SubStatus = a.sub_status;
    } else if (SubStatus) {
        *SubStatus = a.sub_status;
    }
    leave(i, FALSE);
    return status;
}
