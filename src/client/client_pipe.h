/* client_pipe.h - the client end of lsahost's pipe: connect, and one call per request
 * (src/common/lsa_wire.h). Used by the client SSPI DLL, lsahost's monitor and the tests'
 * clients.
 *
 * The server must be lsahost (client_trust.h) before anything is sent, and every answer
 * is checked before anything in it is used. An answer that breaks a rule is a protocol
 * violation: the client says which rule (client_say.h), hangs up, and the call returns
 * SEC_E_INTERNAL_ERROR; later calls return SEC_E_NO_AUTHENTICATING_AUTHORITY, as after
 * lsahost has gone. Each write and each read waits at most SSPKG_REPLY_TIMEOUT_MS
 * milliseconds (default CLIENT_PIPE_REPLY_TIMEOUT_MS); a server that takes longer is
 * treated as gone. */
#ifndef SSPKG_CLIENT_PIPE_H
#define SSPKG_CLIENT_PIPE_H

#include "../winapi.h"
#include "../common/lsa_wire.h"
#include "client_say.h"

/* The rights a client asks for on lsahost's pipe: read and write messages, read and set
 * the pipe's mode. Not GENERIC_WRITE: it includes FILE_APPEND_DATA, which on a pipe is
 * FILE_CREATE_PIPE_INSTANCE, and lsahost does not let clients add instances of its pipe. */
#define CLIENT_PIPE_ACCESS (FILE_READ_DATA | FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | \
                            FILE_WRITE_ATTRIBUTES | SYNCHRONIZE)
/* The largest cbMaxToken a package may announce: what a client keeps room for. */
#define CLIENT_PIPE_MAX_TOKEN 65536u
/* A PBKDF2 step of a legitimate handshake may take a while. */
#define CLIENT_PIPE_REPLY_TIMEOUT_MS 60000u

/* The most packages a client takes from lsahost (8 DLLs of 16 tables). */
#define CLIENT_PIPE_MAX_PACKAGES 128

/* One package lsahost offers, as HELLO (package 0) or PACKAGE_INFO told it. */
typedef struct client_package {
    WCHAR name[65], comment[256];      /* name empty: lsahost has no name for it */
    WCHAR module[MAX_PATH];             /* its DLL's file name, no folder */
    uint32_t capabilities, version, max_token;
} client_package;

/* How a connection presents itself at HELLO: as an ordinary client (SSPI calls,
 * LsaConnectUntrusted), or as a logon process (LsaRegisterLogonProcess), which lsahost
 * admits only when the process's token holds SeTcbPrivilege, and then trusts for the
 * connection's life, as lsass does. */
typedef enum client_pipe_role { CLIENT_PIPE_UNTRUSTED, CLIENT_PIPE_LOGON_PROCESS } client_pipe_role;

typedef struct client_pipe {
    HANDLE pipe;                        /* NULL once the client has hung up */
    HANDLE io_done;                     /* the event of the pipe's overlapped I/O */
    DWORD reply_timeout_ms;
    uint32_t next_call;
    client_pipe_role role;              /* as admitted at HELLO */
    /* The packages' SecPkgInfo, by package id, taken at connect. */
    client_package packages[CLIENT_PIPE_MAX_PACKAGES];
    uint32_t package_count;             /* 1 to CLIENT_PIPE_MAX_PACKAGES */
    /* The package's shared section, duplicated into this process by lsahost (NULL when
     * it has none), its size, and a read-only view of it mapped at connect (what the
     * package publishes: never trusted, always validated before use). */
    HANDLE section;
    uint32_t section_size;
    const void *section_view;
    SRWLOCK lock;                       /* one call at a time on the pipe */
    BYTE out[LSA_WIRE_MAX_MESSAGE];
    BYTE in[LSA_WIRE_MAX_MESSAGE];
} client_pipe;

/* How many bytes of the section from its start can be read now: the committed pages
 * (lsahost commits as the package allocates, and other processes' commits show here;
 * reading a reserved page faults on Windows). 0 without a section. */
size_t client_pipe_section_readable(const client_pipe *p);

/* The pipe's name: SSPKG_PIPE, else CLIENT_PIPE_DEFAULT_NAME. */
#define CLIENT_PIPE_DEFAULT_NAME L"\\\\.\\pipe\\sspkg-lsahost"
void client_pipe_name(WCHAR name[MAX_PATH]);

/* Connects (waiting up to timeout_ms for the server to listen), checks that the server
 * is lsahost, says HELLO, and asks for each other package's SecPkgInfo. */
SECURITY_STATUS client_pipe_connect(client_pipe *p, const WCHAR *name, DWORD timeout_ms,
                                    client_pipe_role role);
void client_pipe_close(client_pipe *p);

/* A violation the caller found in an answer (says it, hangs up): SEC_E_INTERNAL_ERROR. */
__attribute__((format(__MINGW_PRINTF_FORMAT, 2, 3)))
SECURITY_STATUS client_pipe_violation(client_pipe *p, const char *fmt, ...);

/* The package id of the package named `name` (without regard to case), or -1. */
int client_pipe_find_package(const client_pipe *p, const WCHAR *name);

/* Every call below names the package (its id, below package_count) whose credential,
 * context or LsaApCallPackage it is about; a handle is the package's own, so the same
 * value may name different things in two packages. */

/* AcquireCredentialsHandle: identity is an address in this process (NULL for
 * inbound), which lsahost reads from here. A credential handle 0 with SEC_E_OK is a
 * violation. */
SECURITY_STATUS client_pipe_acquire(client_pipe *p, uint32_t package, ULONG use,
                                    const void *identity, ULONG64 *cred);
SECURITY_STATUS client_pipe_free_credential(client_pipe *p, uint32_t package, ULONG64 cred);

/* One ISC (accept FALSE) or ASC step. out gets the token (*out_len in: room; out: size);
 * a token larger than the room is SEC_E_BUFFER_TOO_SMALL (nothing copied), one larger
 * than the package's cbMaxToken a violation. When the context was mapped, *packed is a
 * heap copy of the packed context taken from the SHAllocShared handle (wipe and
 * HeapFree it); else NULL. Success is SEC_E_OK or SEC_I_CONTINUE_NEEDED with a context
 * handle other than 0, the same one on every step after the first. */
SECURITY_STATUS client_pipe_step(client_pipe *p, uint32_t package, BOOL accept, ULONG64 cred,
                                 ULONG64 *ctx, ULONG flags, const void *in, ULONG in_len,
                                 const void *bindings, ULONG bindings_len, void *out,
                                 ULONG *out_len, ULONG *attributes, BYTE **packed,
                                 ULONG *packed_len);
SECURITY_STATUS client_pipe_delete(client_pipe *p, uint32_t package, ULONG64 ctx);

/* LsaCallAuthenticationPackage: *response (VirtualFree it, as LsaFreeReturnBuffer
 * would) is in this process, written there by the package; it must be a client buffer
 * (client_memory_is_buffer) of *response_length bytes. Returns the call's status;
 * *protocol is the package's. */
NTSTATUS client_pipe_call_package(client_pipe *p, uint32_t package, const void *request,
                                  ULONG length,
                                  void **response, ULONG *response_length, NTSTATUS *protocol);

/* LsaLogonUser: lsahost reads the submit buffer from this process (as lsass does with
 * CopyFromClientBuffer) and logs on with the package; on success the answer's profile
 * must be a client buffer of its length (VirtualFree it, as LsaFreeReturnBuffer would)
 * and its token a token handle of this process. Returns the logon's status. */
typedef struct client_pipe_logon_request {
    uint32_t package;            /* the package id */
    ULONG type;                  /* SECURITY_LOGON_TYPE */
    const void *submit;
    ULONG length;
    const char *origin;          /* OriginName, ANSI, not terminated */
    USHORT origin_length;
    const TOKEN_SOURCE *source;  /* NULL: none */
} client_pipe_logon_request;

typedef struct client_pipe_logon_answer {
    NTSTATUS sub_status;
    LUID logon_id;
    void *profile;
    ULONG profile_length;
    HANDLE token;
} client_pipe_logon_answer;

NTSTATUS client_pipe_logon(client_pipe *p, const client_pipe_logon_request *rq,
                           client_pipe_logon_answer *a);

/* Query(Context|Credentials)Attributes: lsahost has the package write the answer at
 * `address` in this process. For the answers that hold pointers (NAMES, PACKAGE_INFO)
 * each must be a client buffer holding a terminated string, or the call is a violation
 * (and the pointer is cleared). */
SECURITY_STATUS client_pipe_query(client_pipe *p, uint32_t package, BOOL context, ULONG64 handle,
                                  ULONG attribute, void *address);

/* SetContextAttributes (context TRUE) or SetCredentialsAttributes: the `length` bytes at
 * value go to lsahost, which hands the package its own copy. A value longer than
 * LSA_WIRE_MAX_ATTRIBUTE is refused here, with SEC_E_INSUFFICIENT_MEMORY, before
 * anything is sent. */
SECURITY_STATUS client_pipe_set_attributes(client_pipe *p, uint32_t package, BOOL context,
                                           ULONG64 handle, ULONG attribute, const void *value,
                                           ULONG length);

/* ChangeAccountPasswordW: domain, account, old and new password (strings[0..3], each
 * terminated, at most LSA_WIRE_MAX_PASSWORD_STRING characters: a longer one is refused
 * here with SEC_E_INVALID_PARAMETER, before anything is sent) to the package's
 * SpChangeAccountPassword in lsahost. *info_written TRUE, with *info, when the package
 * wrote a DOMAIN_PASSWORD_INFORMATION (an answer's that is not exactly one is a
 * violation). The request, which holds both passwords, is wiped once sent. */
SECURITY_STATUS client_pipe_change_password(client_pipe *p, uint32_t package,
                                            const WCHAR *const strings[4], BOOLEAN impersonating,
                                            DOMAIN_PASSWORD_INFORMATION *info,
                                            BOOL *info_written);

#endif
