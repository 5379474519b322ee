/* host_callbacks.h - the LSA_SECPKG_FUNCTION_TABLE entries lsahost implements, other than
 * the heaps (host_heap.h) and shared memory (host_shm.h), and the table itself. */
#ifndef SSPKG_HOST_CALLBACKS_H
#define SSPKG_HOST_CALLBACKS_H

#include "../../winapi.h"
#include "host_account.h"

/* LSA_SECPKG_FUNCTION_TABLE as current Windows SDKs declare it: MinGW-w64's ends at
 * CrediWrite; fourteen entries follow it (CrediUnmarshalandDecodeString through
 * SetSecpkgFailureReason). A package built against a newer SDK may call them, so
 * lsahost hands out the full length, every entry a real function. */
#define HOST_LSA_EXTENSION_COUNT 14
typedef void (*host_lsa_slot)(void);
/* Positions in Extension[] of the entries lsahost implements there. */
enum {
    HOST_LSA_EXT_GET_EXTENDED_CALL_FLAGS = 2,
    HOST_LSA_EXT_DUPLICATE_TOKEN_HANDLE = 3,
    HOST_LSA_EXT_AUDIT_LOGON_EX = 6,
    HOST_LSA_EXT_CHECK_PROTECTED_USER_BY_TOKEN = 7,
    HOST_LSA_EXT_QUERY_CLIENT_REQUEST = 8,
    HOST_LSA_EXT_GET_APP_MODE_INFO = 9,
    HOST_LSA_EXT_SET_APP_MODE_INFO = 10,
    HOST_LSA_EXT_GET_CLIENT_INFO_EX = 11,
    HOST_LSA_EXT_GET_SECPKG_FAILURE_REASON = 12,
    HOST_LSA_EXT_SET_SECPKG_FAILURE_REASON = 13,
};
typedef struct host_lsa_table {
    LSA_SECPKG_FUNCTION_TABLE Base;
    host_lsa_slot Extension[HOST_LSA_EXTENSION_COUNT];
} host_lsa_table;

#define HOST_LSA_SLOT_COUNT (sizeof(host_lsa_table) / sizeof(host_lsa_slot))

/* The table handed to SpInitialize, and the name of each slot (for tests and traces). */
host_lsa_table *host_lsa_table_get(void);
const char *host_lsa_slot_name(size_t index);
/* Why lsahost leaves an entry unimplemented ("lsahost has no SAM"), or NULL. */
const char *host_lsa_unimplemented_reason(const char *name);

/* The client process a server thread is serving (lsahost serve), or NULL in-process.
 * Set by the thread before it calls into the package; GetCallInfo, GetClientInfo and
 * the client-memory callbacks act on that process. */
typedef struct host_client {
    HANDLE process;          /* PROCESS_VM_OPERATION | VM_READ | VM_WRITE | DUP_HANDLE |
                                QUERY_LIMITED_INFORMATION | SYNCHRONIZE */
    DWORD process_id;
    ULONG number;            /* connection number, for messages */
    HANDLE pipe;             /* the client's end on lsahost's side, for ImpersonateClient */
    BOOL logon_process;      /* connected by LsaRegisterLogonProcess, its SeTcbPrivilege
                                checked at HELLO: trusted for the connection's life */
} host_client;

void host_client_set_current(host_client *client);
host_client *host_client_current(void);
/* Whether the current client is trusted, as lsass decides it: by how the connection was
 * made, once, not per call. A logon process (LsaRegisterLogonProcess, admitted only with
 * SeTcbPrivilege) is; a connection made by LsaConnectUntrusted or for SSPI calls is not,
 * whatever its token holds later. Trusted callers reach LsaApCallPackage, others
 * LsaApCallPackageUntrusted. In-process, lsahost itself is trusted. */
BOOL host_client_is_trusted(void);
/* Whether a token holds SeTcbPrivilege, enabled. */
BOOL host_token_has_tcb(HANDLE token);

/* Calls into a package: the host brackets each one with the package's id, so
 * GetCallInfo and GetClientInfo know who is calling, a crash can be blamed on the right
 * call, and what the package takes from the LSA is charged to it (host_account.h). Calls
 * nest (a package calling another through CallPackage): the innermost is current. */
void host_call_begin(ULONG package, const char *what);
void host_call_end(void);
/* ImpersonateClient gave the calling thread a token: when the outermost call returns,
 * lsahost reverts the thread if the package did not. */
void host_call_impersonated(void);
const char *host_call_current(void);
/* What the innermost call on this thread is ("SpAcceptLsaModeContext"), or NULL. */
const char *host_call_innermost(void);
/* How many calls into `package` are in progress, on all threads. */
LONG host_call_in_flight(ULONG package);
/* The package the innermost call on this thread is into; on a thread the package made
 * (CreateThread), that package; else HOST_PACKAGE_NONE. */
ULONG host_call_package(void);
/* A package's own thread (CreateThread) that calls UnloadPackage outside any call is
 * still running the package's code: it holds the unload, as a call in progress does,
 * until its start routine returns (host_call_thread_release, from the thread's
 * trampoline), so SpShutdown never runs under it. Only that thread: counting every
 * package thread would keep a package whose worker waits for SpShutdown from ever
 * unloading. */
void host_call_thread_hold(void);
void host_call_thread_release(void);
/* Makes `package` this thread's own (a thread CreateThread started for it). */
void host_call_set_thread_package(ULONG package);

NTSTATUS NTAPI host_GetClientInfo(PSECPKG_CLIENT_INFO ClientInfo);
BOOLEAN NTAPI host_GetCallInfo(PSECPKG_CALL_INFO Info);

/* Client memory. In-process, the client is lsahost itself, and client buffers are pages
 * of their own (VirtualAlloc), as they are in a client process on Windows. Copies are
 * checked against the buffers the client owns: nothing else is client memory. */
/* Whether a package's ClientRequest is one lsahost gave: in-process, only NULL. */
BOOL host_client_request_valid(PLSA_CLIENT_REQUEST request);
NTSTATUS NTAPI host_AllocateClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG LengthRequired,
                                         PVOID *ClientBaseAddress);
NTSTATUS NTAPI host_FreeClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, PVOID ClientBaseAddress);
NTSTATUS NTAPI host_CopyToClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                       PVOID ClientBaseAddress, PVOID BufferToCopy);
NTSTATUS NTAPI host_CopyFromClientBuffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                         PVOID BufferToCopy, PVOID ClientBaseAddress);
NTSTATUS NTAPI host_MapBuffer(PSecBuffer InputBuffer, PSecBuffer OutputBuffer);
/* How many in-process copies were refused for reaching outside the client's buffers
 * since lsahost started: a test's proof that a package read nothing it was not given. */
LONG host_client_copies_refused(void);
/* Frees client buffers the package left (reported as leaks first). */
void host_client_buffers_release_all(void);
/* Forgets the buffers of a client that went away (its process took them with it);
 * returns how many there were. */
ULONG host_client_buffers_release_client(const host_client *client);
/* After a call has returned buffers to a client (a query's strings), they are the
 * client's to free: stop tracking them, without freeing. Returns how many. */
ULONG host_client_buffers_hand_over(const host_client *client);

/* Package-to-package calls (host_call_package.c): LSA_CALL_PACKAGE, LSA_CALL_PACKAGEEX,
 * LSA_CALL_PACKAGE_PASSTHROUGH, and LSA_FREE_RETURN_BUFFER for what they return. */
NTSTATUS NTAPI host_CallPackage(PUNICODE_STRING AuthenticationPackage,
                                PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus);
NTSTATUS NTAPI host_CallPackageEx(PUNICODE_STRING AuthenticationPackage, PVOID ClientBufferBase,
                                  PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                  PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                  PNTSTATUS ProtocolStatus);
NTSTATUS NTAPI host_CallPackagePassthrough(PUNICODE_STRING AuthenticationPackage,
                                           PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                           ULONG SubmitBufferLength,
                                           PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);
VOID NTAPI host_FreeReturnBuffer(PVOID Buffer);
/* Reports the return buffers no package freed, and frees them. */
void host_return_buffers_release_all(void);
/* How many return buffers package `caller` was given and still holds (when it unloads
 * itself: they stay until exit, since a thread it made may still read them, and are
 * reported then). */
ULONG host_return_buffers_of_package(ULONG caller);

/* UnloadPackage (host_unload_package.c): the calling package asks to be unloaded. */
NTSTATUS NTAPI host_UnloadPackage(void);

NTSTATUS NTAPI host_CreateLogonSession(PLUID LogonId);
NTSTATUS NTAPI host_DeleteLogonSession(PLUID LogonId);
/* Reports and forgets logon sessions the package left. */
void host_logon_sessions_release_all(void);

HANDLE NTAPI host_CreateThread(SEC_ATTRS SecurityAttributes, ULONG StackSize,
                               SEC_THREAD_START StartFunction, PVOID ThreadParameter,
                               ULONG CreationFlags, PULONG ThreadId);
NTSTATUS NTAPI host_DuplicateHandle(HANDLE SourceHandle, PHANDLE DestinationHandle);
VOID NTAPI host_LsaProtectMemory(PVOID Buffer, ULONG BufferSize);
VOID NTAPI host_LsaUnprotectMemory(PVOID Buffer, ULONG BufferSize);

#endif
