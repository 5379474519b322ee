/* client_pipe.h - the client end of lsahost's pipe: connect, and one call per request
 * (src/common/lsa_wire.h). Used by the client SSPI DLL and by the tests' clients. */
#ifndef SSPKG_CLIENT_PIPE_H
#define SSPKG_CLIENT_PIPE_H

#include "../winapi.h"
#include "../common/lsa_wire.h"

typedef struct client_pipe {
    HANDLE pipe;
    uint32_t next_call;
    /* The package's SecPkgInfo, from HELLO. */
    WCHAR name[64], comment[256];
    uint32_t capabilities, version, max_token;
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

/* Connects (waiting up to timeout_ms for the server to listen) and says HELLO. */
SECURITY_STATUS client_pipe_connect(client_pipe *p, const WCHAR *name, DWORD timeout_ms);
void client_pipe_close(client_pipe *p);

/* AcquireCredentialsHandle: identity is an address in this process (NULL for
 * inbound), which lsahost reads from here. */
SECURITY_STATUS client_pipe_acquire(client_pipe *p, ULONG use, const void *identity,
                                    ULONG64 *cred);
SECURITY_STATUS client_pipe_free_credential(client_pipe *p, ULONG64 cred);

/* One ISC (accept FALSE) or ASC step. out gets the token (*out_len in: room; out: size).
 * When the context was mapped, *packed is a heap copy of the packed context taken from
 * the SHAllocShared handle (wipe and HeapFree it); else NULL. */
SECURITY_STATUS client_pipe_step(client_pipe *p, BOOL accept, ULONG64 cred, ULONG64 *ctx,
                                 ULONG flags, const void *in, ULONG in_len, void *out,
                                 ULONG *out_len, ULONG *attributes, BYTE **packed,
                                 ULONG *packed_len);
SECURITY_STATUS client_pipe_delete(client_pipe *p, ULONG64 ctx);

/* LsaCallAuthenticationPackage: *response (VirtualFree it, as LsaFreeReturnBuffer
 * would) is in this process, written there by the package. Returns the call's status;
 * *protocol is the package's. */
NTSTATUS client_pipe_call_package(client_pipe *p, const void *request, ULONG length,
                                  void **response, ULONG *response_length, NTSTATUS *protocol);

/* Query(Context|Credentials)Attributes: lsahost has the package write the answer at
 * `address` in this process. */
SECURITY_STATUS client_pipe_query(client_pipe *p, BOOL context, ULONG64 handle, ULONG attribute,
                                  void *address);

#endif
