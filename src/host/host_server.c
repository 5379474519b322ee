/* host_server.c - lsahost serve: the LSA for client processes, over a named pipe.
 *
 * One thread per connected client. Each request (src/common/lsa_wire.h) is checked
 * whole before anything is done with it; a client that sends a malformed, oversized or
 * unexpected message is disconnected with the reason logged, and the others go on. A
 * client may only name the credentials and contexts it made itself. When a client goes
 * (it closed the pipe, it died, or it was dropped) its contexts are deleted and its
 * credentials freed through the package, and the client buffers the package gave it
 * are forgotten: nothing it held outlives it.
 *
 * The package's calls run with the client as the current client (host_client_set_current),
 * so client memory means that process's memory. A packed context goes to the client with
 * SHAllocShared, which copies it into a handle valid in the client process (seed 004). */
#include "host_server.h"
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_shm.h"
#include "host_sspi.h"
#include "host_trace.h"
#include "../common/lsa_wire.h"
#include "../../include/sspkg.h"

#include <shlwapi.h>
#include <stdio.h>
#include <string.h>

#define MAX_HANDLES_PER_CLIENT 256
#define MAX_CLIENTS 64

typedef struct server_client {
    host_client client;
    host_package *pkg;
    HANDLE pipe;
    HANDLE thread;
    BOOL said_hello;
    LSA_SEC_HANDLE creds[MAX_HANDLES_PER_CLIENT];
    LSA_SEC_HANDLE contexts[MAX_HANDLES_PER_CLIENT];
    BYTE in[LSA_WIRE_MAX_MESSAGE];
    BYTE out[LSA_WIRE_MAX_MESSAGE];
    char why[160];                  /* why the client was dropped, if it was */
} server_client;

static server_client *clients[MAX_CLIENTS];
static SRWLOCK clients_lock = SRWLOCK_INIT;
static HANDLE stop_event;

/* ---- Handles a client owns ---------------------------------------------------------- */

static BOOL owns(const LSA_SEC_HANDLE *list, LSA_SEC_HANDLE h)
{
    for (int i = 0; h && i < MAX_HANDLES_PER_CLIENT; i++)
        if (list[i] == h)
            return TRUE;
    return FALSE;
}

static BOOL remember(LSA_SEC_HANDLE *list, LSA_SEC_HANDLE h)
{
    if (owns(list, h))
        return TRUE;
    for (int i = 0; i < MAX_HANDLES_PER_CLIENT; i++) {
        if (!list[i]) {
            list[i] = h;
            return TRUE;
        }
    }
    return FALSE;
}

static void forget(LSA_SEC_HANDLE *list, LSA_SEC_HANDLE h)
{
    for (int i = 0; i < MAX_HANDLES_PER_CLIENT; i++)
        if (list[i] == h)
            list[i] = 0;
}

/* ---- Requests ----------------------------------------------------------------------- */

static SECURITY_STATUS delete_context(server_client *c, LSA_SEC_HANDLE ctx)
{
    PSECPKG_FUNCTION_TABLE t = &c->pkg->tables[0];
    SECURITY_STATUS status = SEC_E_UNSUPPORTED_FUNCTION;

    if (t->DeleteContext) {
        host_call_begin("SpDeleteContext");
        status = t->DeleteContext(ctx);
        host_call_end();
    }
    host_trace("client %lu: SpDeleteContext(%llx) = %s", c->client.number,
               (unsigned long long)ctx, host_sec_status_name(status));
    forget(c->contexts, ctx);
    return status;
}

static SECURITY_STATUS free_credential(server_client *c, LSA_SEC_HANDLE cred)
{
    SECURITY_STATUS status = host_sspi_free_credentials(c->pkg, cred);
    forget(c->creds, cred);
    return status;
}

/* The package's SecPkgInfo, for the client's EnumerateSecurityPackages. */
static void put_info(lsa_wire_writer *w, const SecPkgInfoW *info)
{
    lsa_wire_put_bytes(w, LSA_FIELD_NAME, info->Name,
                       info->Name ? wcslen(info->Name) * sizeof(WCHAR) : 0);
    lsa_wire_put_bytes(w, LSA_FIELD_COMMENT, info->Comment,
                       info->Comment ? wcslen(info->Comment) * sizeof(WCHAR) : 0);
    lsa_wire_put_u32(w, LSA_FIELD_CAPABILITIES, info->fCapabilities);
    lsa_wire_put_u32(w, LSA_FIELD_VERSION, info->wVersion | ((uint32_t)info->wRPCID << 16));
    lsa_wire_put_u32(w, LSA_FIELD_MAX_TOKEN, info->cbMaxToken);
}

/* The package's first shared section that clients can map (the one holding its status
 * block), duplicated into the client: handle and size into the HELLO answer. Clients
 * may write it, as on Windows; nothing there is trusted by anyone. */
typedef struct section_offer {
    server_client *client;
    HANDLE handle;          /* valid in the client */
    ULONG size;
} section_offer;

static void offer_section(void *context, PVOID shared_mem, const shm_section_info *info)
{
    section_offer *o = context;

    (void)shared_mem;
    if (o->handle || !info->SectionHandle)
        return;
    if (DuplicateHandle(GetCurrentProcess(), info->SectionHandle, o->client->client.process,
                        &o->handle, FILE_MAP_READ | FILE_MAP_WRITE, FALSE, 0))
        o->size = info->MaxSize;
    else
        o->handle = NULL;
}

/* QueryContextAttributes or QueryCredentialsAttributes, answered by the package
 * straight into the client's memory at `address`. What the package allocated for the
 * answer (AllocateClientBuffer) is the client's from then on. */
static SECURITY_STATUS query(server_client *c, const lsa_wire_message *m)
{
    PSECPKG_FUNCTION_TABLE t = &c->pkg->tables[0];
    uint64_t handle = 0, address = 0;
    uint32_t attribute = 0;
    SECURITY_STATUS status = SEC_E_INVALID_HANDLE;

    lsa_wire_get_u32(m, LSA_FIELD_ATTRIBUTE, &attribute);
    lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &address);
    if (!address)
        return SEC_E_INVALID_PARAMETER;
    if (lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &handle) == LSA_WIRE_OK) {
        if (!owns(c->contexts, handle))
            return SEC_E_INVALID_HANDLE;
        if (!t->QueryContextAttributes)
            return SEC_E_UNSUPPORTED_FUNCTION;
        host_call_begin("SpQueryContextAttributes");
        status = t->QueryContextAttributes(handle, attribute, (PVOID)(ULONG_PTR)address);
        host_call_end();
    } else if (lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &handle) == LSA_WIRE_OK) {
        if (!owns(c->creds, handle))
            return SEC_E_INVALID_HANDLE;
        if (!t->QueryCredentialsAttributes)
            return SEC_E_UNSUPPORTED_FUNCTION;
        host_call_begin("SpQueryCredentialsAttributes");
        status = t->QueryCredentialsAttributes(handle, attribute, (PVOID)(ULONG_PTR)address);
        host_call_end();
    }
    host_trace("client %lu: query %llx attribute %u = %s", c->client.number,
               (unsigned long long)handle, attribute, host_sec_status_name(status));
    host_client_buffers_hand_over(&c->client);
    return status;
}

/* LsaCallAuthenticationPackage: the request as the LSA gives it to a package (a copy in
 * LSA memory, and the address of the client's own copy), through LsaApCallPackage for
 * a trusted client and LsaApCallPackageUntrusted otherwise. The return buffer the
 * package allocated in the client is the client's from then on. */
static void call_package(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    PSECPKG_FUNCTION_TABLE t = &c->pkg->tables[0];
    BOOL trusted = host_client_is_trusted();
    PLSA_AP_CALL_PACKAGE entry = trusted ? t->CallPackage : t->CallPackageUntrusted;
    const uint8_t *request;
    size_t n = 0;
    uint64_t address = 0;
    void *copy, *ret = NULL;
    ULONG ret_len = 0;
    NTSTATUS status, protocol = STATUS_SUCCESS;

    lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &address);
    if (lsa_wire_get_bytes(m, LSA_FIELD_VALUE, 65536, &request, &n) || !n) {
        status = STATUS_INVALID_PARAMETER;
    } else if (!entry) {
        status = trusted ? STATUS_NOT_SUPPORTED : STATUS_ACCESS_DENIED;
    } else if (!(copy = host_AllocateLsaHeap((ULONG)n))) {
        status = STATUS_NO_MEMORY;
    } else {
        memcpy(copy, request, n);
        host_call_begin(trusted ? "LsaApCallPackage" : "LsaApCallPackageUntrusted");
        status = entry(NULL, copy, (PVOID)(ULONG_PTR)address, (ULONG)n, &ret, &ret_len, &protocol);
        host_call_end();
        SecureZeroMemory(copy, n);
        host_FreeLsaHeap(copy);
        host_client_buffers_hand_over(&c->client);
    }
    host_trace("client %lu: %s(%lu-byte request) = %s, protocol %s", c->client.number,
               trusted ? "LsaApCallPackage" : "LsaApCallPackageUntrusted", (unsigned long)n,
               host_status_name(status), host_status_name(protocol));
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    lsa_wire_put_u32(w, LSA_FIELD_PROTOCOL_STATUS, (uint32_t)protocol);
    lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, (uint64_t)(ULONG_PTR)ret);
    lsa_wire_put_u32(w, LSA_FIELD_LENGTH, ret_len);
}

/* Answers a request. Returns FALSE (with c->why set) when the client must go. */
static BOOL answer(server_client *c, const lsa_wire_message *m)
{
    PSECPKG_FUNCTION_TABLE t = &c->pkg->tables[0];
    lsa_wire_writer w;
    uint16_t type = m->type;
    uint32_t u32 = 0;
    uint64_t u64 = 0, identity = 0;
    SECURITY_STATUS status = SEC_E_OK;
    size_t n;

    if (type != LSA_WIRE_HELLO && !c->said_hello) {
        snprintf(c->why, sizeof(c->why), "request %u before HELLO", type);
        return FALSE;
    }
    lsa_wire_begin(&w, c->out, sizeof(c->out), (uint16_t)(type | LSA_WIRE_ANSWER), m->call);
    switch (type) {
    case LSA_WIRE_HELLO:
        /* The process the pipe says is at the other end is the one we serve. */
        if (lsa_wire_get_u32(m, LSA_FIELD_PROCESS_ID, &u32) || u32 != c->client.process_id) {
            snprintf(c->why, sizeof(c->why), "HELLO names process %u, the pipe says %lu", u32,
                     c->client.process_id);
            return FALSE;
        }
        c->said_hello = TRUE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, SEC_E_OK);
        put_info(&w, &c->pkg->info[0]);
        {
            section_offer offer = { c, NULL, 0 };
            host_shm_for_each(offer_section, &offer);
            if (offer.handle) {
                lsa_wire_put_u64(&w, LSA_FIELD_SECTION, (uint64_t)(ULONG_PTR)offer.handle);
                lsa_wire_put_u32(&w, LSA_FIELD_SECTION_SIZE, offer.size);
            }
        }
        break;

    case LSA_WIRE_ACQUIRE: {
        LSA_SEC_HANDLE cred = 0;
        TimeStamp expiry;
        if (lsa_wire_get_u32(m, LSA_FIELD_USE, &u32)) {
            snprintf(c->why, sizeof(c->why), "ACQUIRE without USE");
            return FALSE;
        }
        lsa_wire_get_u64(m, LSA_FIELD_IDENTITY, &identity);
        if (!t->AcquireCredentialsHandle) {
            status = SEC_E_UNSUPPORTED_FUNCTION;
        } else {
            /* The identity stays in the client; the package reads it from there with
             * CopyFromClientBuffer, as on Windows. */
            host_call_begin("SpAcquireCredentialsHandle");
            status = t->AcquireCredentialsHandle(NULL, u32, NULL, (PVOID)(ULONG_PTR)identity,
                                                 NULL, NULL, &cred, &expiry);
            host_call_end();
        }
        host_trace("client %lu: SpAcquireCredentialsHandle(use %u) = %s, %llx",
                   c->client.number, u32, host_sec_status_name(status),
                   (unsigned long long)cred);
        if (status == SEC_E_OK && !remember(c->creds, cred)) {
            host_sspi_free_credentials(c->pkg, cred);
            status = SEC_E_INSUFFICIENT_MEMORY;
            cred = 0;
        }
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, cred);
        break;
    }

    case LSA_WIRE_FREE_CREDENTIAL:
        lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &u64);
        status = owns(c->creds, u64) ? free_credential(c, u64) : SEC_E_INVALID_HANDLE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        break;

    case LSA_WIRE_INIT:
    case LSA_WIRE_ACCEPT: {
        static __thread host_token in, out;
        LSA_SEC_HANDLE cred = 0, ctx = 0;
        const uint8_t *token;
        ULONG attributes = 0;
        SecBuffer packed = { 0, 0, NULL };
        HANDLE shared = NULL;
        uint32_t flags = 0;

        lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &cred);
        lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &ctx);
        lsa_wire_get_u32(m, LSA_FIELD_FLAGS, &flags);
        if (lsa_wire_get_bytes(m, LSA_FIELD_TOKEN, sizeof(in.data), &token, &n) ==
            LSA_WIRE_TOO_BIG) {
            snprintf(c->why, sizeof(c->why), "a token larger than %u bytes",
                     (unsigned)sizeof(in.data));
            return FALSE;
        }
        memcpy(in.data, token ? token : (const uint8_t *)"", n);
        in.length = (ULONG)n;
        if (ctx ? !owns(c->contexts, ctx) : !owns(c->creds, cred)) {
            status = SEC_E_INVALID_HANDLE;
        } else {
            BOOL first = ctx == 0;
            status = host_sspi_step(c->pkg, type == LSA_WIRE_ACCEPT, cred, &ctx, flags,
                                    token ? &in : NULL, &out, &attributes, &packed);
            if (first && ctx && !remember(c->contexts, ctx)) {
                delete_context(c, ctx);
                ctx = 0;
                status = SEC_E_INSUFFICIENT_MEMORY;
            }
        }
        if (packed.pvBuffer) {
            shared = SHAllocShared(packed.pvBuffer, packed.cbBuffer, c->client.process_id);
            SecureZeroMemory(packed.pvBuffer, packed.cbBuffer);
            host_FreeLsaHeap(packed.pvBuffer);
            if (!shared && status == SEC_E_OK)
                status = SEC_E_INSUFFICIENT_MEMORY;
        }
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, ctx);
        lsa_wire_put_u32(&w, LSA_FIELD_ATTRIBUTES, attributes);
        if (out.length)
            lsa_wire_put_bytes(&w, LSA_FIELD_TOKEN, out.data, out.length);
        if (shared) {
            lsa_wire_put_u64(&w, LSA_FIELD_PACKED_HANDLE, (uint64_t)(ULONG_PTR)shared);
            lsa_wire_put_u32(&w, LSA_FIELD_PACKED_SIZE, packed.cbBuffer);
        }
        break;
    }

    case LSA_WIRE_QUERY:
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)query(c, m));
        break;

    case LSA_WIRE_CALL_PACKAGE:
        call_package(c, m, &w);
        break;

    case LSA_WIRE_DELETE:
        lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &u64);
        status = owns(c->contexts, u64) ? delete_context(c, u64) : SEC_E_INVALID_HANDLE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        break;

    default:
        snprintf(c->why, sizeof(c->why), "message type %u is not a request", type);
        return FALSE;
    }
    n = lsa_wire_finish(&w);
    if (!n || !WriteFile(c->pipe, c->out, (DWORD)n, (DWORD *)&u32, NULL)) {
        snprintf(c->why, sizeof(c->why), "cannot answer (error %lu)", GetLastError());
        return FALSE;
    }
    return TRUE;
}

/* Everything the client still holds goes, through the package. */
static void clean_up(server_client *c)
{
    ULONG contexts = 0, creds = 0, buffers;

    for (int i = 0; i < MAX_HANDLES_PER_CLIENT; i++) {
        if (c->contexts[i]) {
            delete_context(c, c->contexts[i]);
            contexts++;
        }
    }
    for (int i = 0; i < MAX_HANDLES_PER_CLIENT; i++) {
        if (c->creds[i]) {
            free_credential(c, c->creds[i]);
            creds++;
        }
    }
    buffers = host_client_buffers_release_client(&c->client);
    host_say("client %lu (process %lu) gone%s%s: deleted %lu context(s), freed %lu "
             "credential(s), forgot %lu client buffer(s)", c->client.number,
             c->client.process_id, c->why[0] ? ", dropped: " : "", c->why, contexts, creds,
             buffers);
}

static DWORD WINAPI serve_client(void *arg)
{
    server_client *c = arg;
    lsa_wire_message m;
    DWORD got;

    host_client_set_current(&c->client);
    for (;;) {
        lsa_wire_result r;
        if (!ReadFile(c->pipe, c->in, sizeof(c->in), &got, NULL)) {
            DWORD e = GetLastError();
            /* A message that does not fit the largest one we accept. */
            if (e == ERROR_MORE_DATA)
                snprintf(c->why, sizeof(c->why), "a message larger than %u bytes",
                         (unsigned)LSA_WIRE_MAX_MESSAGE);
            break;
        }
        r = lsa_wire_parse(c->in, got, &m);
        if (r) {
            snprintf(c->why, sizeof(c->why), "malformed message (%s)", lsa_wire_result_text(r));
            break;
        }
        if (!answer(c, &m))
            break;
    }
    /* Hang up now, so a client blocked writing to us (a rogue's oversized message) or
     * reading from us learns at once that it is on its own. */
    DisconnectNamedPipe(c->pipe);
    clean_up(c);
    host_client_set_current(NULL);
    return 0;
}

/* ---- The listening loop -------------------------------------------------------------- */

static BOOL WINAPI on_console_event(DWORD event)
{
    (void)event;
    SetEvent(stop_event);
    return TRUE;
}

/* Waits for a client on a new pipe instance; NULL when told to stop. */
static HANDLE wait_for_client(const WCHAR *name)
{
    OVERLAPPED o = { 0 };
    HANDLE pipe, waits[2];
    DWORD done;

    pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                            PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT |
                                PIPE_REJECT_REMOTE_CLIENTS,
                            PIPE_UNLIMITED_INSTANCES, LSA_WIRE_MAX_MESSAGE,
                            LSA_WIRE_MAX_MESSAGE, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) {
        host_say("cannot create the pipe %ls (error %lu)", name, GetLastError());
        return NULL;
    }
    o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ConnectNamedPipe(pipe, &o)) {
        DWORD e = GetLastError();
        if (e == ERROR_IO_PENDING) {
            waits[0] = o.hEvent;
            waits[1] = stop_event;
            if (WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0 ||
                !GetOverlappedResult(pipe, &o, &done, FALSE)) {
                CancelIo(pipe);
                CloseHandle(o.hEvent);
                CloseHandle(pipe);
                return NULL;
            }
        } else if (e != ERROR_PIPE_CONNECTED) {
            CloseHandle(o.hEvent);
            CloseHandle(pipe);
            return NULL;
        }
    }
    CloseHandle(o.hEvent);
    return pipe;
}

static server_client *start_client(host_package *pkg, HANDLE pipe, ULONG number)
{
    server_client *c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
    ULONG pid = 0;

    if (!c)
        return NULL;
    c->pkg = pkg;
    c->pipe = pipe;
    c->client.number = number;
    GetNamedPipeClientProcessId(pipe, &pid);
    c->client.process_id = pid;
    c->client.process = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE |
                                        PROCESS_DUP_HANDLE | PROCESS_QUERY_LIMITED_INFORMATION |
                                        SYNCHRONIZE, FALSE, pid);
    if (!c->client.process) {
        host_say("client %lu: cannot open process %lu (error %lu); refused", number, pid,
                 GetLastError());
        HeapFree(GetProcessHeap(), 0, c);
        return NULL;
    }
    host_say("client %lu connected: process %lu", number, pid);
    c->thread = CreateThread(NULL, 0, serve_client, c, 0, NULL);
    if (!c->thread) {
        CloseHandle(c->client.process);
        HeapFree(GetProcessHeap(), 0, c);
        return NULL;
    }
    return c;
}

static void finish_client(server_client *c)
{
    WaitForSingleObject(c->thread, INFINITE);
    CloseHandle(c->thread);
    CloseHandle(c->pipe);
    CloseHandle(c->client.process);
    HeapFree(GetProcessHeap(), 0, c);
}

/* Joins the threads of clients that have gone; all of them when `all`. Returns how
 * many were joined. */
static ULONG reap(BOOL all)
{
    ULONG reaped = 0;

    for (int i = 0; i < MAX_CLIENTS; i++) {
        server_client *c;
        AcquireSRWLockExclusive(&clients_lock);
        c = clients[i];
        if (c && (all || WaitForSingleObject(c->thread, 0) == WAIT_OBJECT_0))
            clients[i] = NULL;
        else
            c = NULL;
        ReleaseSRWLockExclusive(&clients_lock);
        if (c) {
            if (all) {
                /* Tell the client lsahost is going (a GOODBYE it reads in place of an
                 * answer), then hang up: that unblocks the thread's read, and it cleans
                 * up after the client. */
                BYTE bye[LSA_WIRE_HEADER_SIZE];
                lsa_wire_writer w;
                DWORD done;
                lsa_wire_begin(&w, bye, sizeof(bye), LSA_WIRE_GOODBYE, 0);
                WriteFile(c->pipe, bye, (DWORD)lsa_wire_finish(&w), &done, NULL);
                DisconnectNamedPipe(c->pipe);
            }
            finish_client(c);
            reaped++;
        }
    }
    return reaped;
}

int host_serve(host_package *pkg, const WCHAR *pipe_name, ULONG exit_after)
{
    ULONG number = 0, finished = 0;

    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_console_event, TRUE);
    host_say("serving %ls on %ls", pkg->info[0].Name, pipe_name);
    fflush(stdout);
    while (WaitForSingleObject(stop_event, 0) == WAIT_TIMEOUT) {
        HANDLE pipe = wait_for_client(pipe_name);
        server_client *c;
        int slot = -1;

        finished += reap(FALSE);
        if (!pipe)
            break;
        AcquireSRWLockExclusive(&clients_lock);
        for (int i = 0; i < MAX_CLIENTS && slot < 0; i++)
            if (!clients[i])
                slot = i;
        ReleaseSRWLockExclusive(&clients_lock);
        if (slot < 0) {
            host_say("too many clients (%d); refusing one", MAX_CLIENTS);
            DisconnectNamedPipe(pipe);
            CloseHandle(pipe);
            continue;
        }
        c = start_client(pkg, pipe, ++number);
        if (!c) {
            CloseHandle(pipe);
            continue;
        }
        AcquireSRWLockExclusive(&clients_lock);
        clients[slot] = c;
        ReleaseSRWLockExclusive(&clients_lock);
        /* --exit-after: stop listening after that many clients, serve them, then stop. */
        if (exit_after && number >= exit_after)
            break;
    }
    /* Clients still connected after a stop request are told by their pipe closing. */
    if (exit_after && number >= exit_after && WaitForSingleObject(stop_event, 0) == WAIT_TIMEOUT) {
        for (int i = 0; i < MAX_CLIENTS; i++) {
            server_client *c;
            AcquireSRWLockShared(&clients_lock);
            c = clients[i];
            ReleaseSRWLockShared(&clients_lock);
            if (c) {
                HANDLE waits[2] = { c->thread, stop_event };
                WaitForMultipleObjects(2, waits, FALSE, INFINITE);
            }
        }
    }
    finished += reap(TRUE);
    host_say("stopped after %lu client(s)", finished);
    CloseHandle(stop_event);
    return 0;
}
