/* client_pipe.c - the client end of lsahost's pipe (client_pipe.h). Answers are checked
 * as strictly as requests are on the other side: a server is trusted to be lsahost, not
 * to be bug-free. */
#include "client_pipe.h"

#include <shlwapi.h>
#include <string.h>

/* Sends the message in p->out and reads the answer into *m. */
static SECURITY_STATUS call(client_pipe *p, lsa_wire_writer *w, uint16_t type,
                            lsa_wire_message *m)
{
    size_t n = lsa_wire_finish(w);
    DWORD done;
    uint32_t status;

    if (!n)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (!WriteFile(p->pipe, p->out, (DWORD)n, &done, NULL) ||
        !ReadFile(p->pipe, p->in, sizeof(p->in), &done, NULL))
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;   /* lsahost went away */
    if (lsa_wire_parse(p->in, done, m) == LSA_WIRE_OK && m->type == LSA_WIRE_GOODBYE)
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;   /* lsahost is shutting down */
    if (lsa_wire_parse(p->in, done, m) || m->type != (type | LSA_WIRE_ANSWER) ||
        m->call != p->next_call - 1 || lsa_wire_get_u32(m, LSA_FIELD_STATUS, &status))
        return SEC_E_INTERNAL_ERROR;
    return (SECURITY_STATUS)status;
}

/* A UTF-16 string field into out (cap WCHARs, terminated). */
static BOOL take_string(const lsa_wire_message *m, uint16_t tag, WCHAR *out, size_t cap)
{
    const uint8_t *data;
    size_t n;

    if (lsa_wire_get_bytes(m, tag, (cap - 1) * sizeof(WCHAR), &data, &n) || n % 2)
        return FALSE;
    memcpy(out, data, n);
    out[n / 2] = 0;
    return TRUE;
}

static void begin(client_pipe *p, lsa_wire_writer *w, uint16_t type)
{
    lsa_wire_begin(w, p->out, sizeof(p->out), type, p->next_call++);
}

SECURITY_STATUS client_pipe_connect(client_pipe *p, const WCHAR *name, DWORD timeout_ms)
{
    DWORD mode = PIPE_READMODE_MESSAGE, waited = 0;
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    memset(p, 0, sizeof(*p));
    InitializeSRWLock(&p->lock);
    for (;;) {
        p->pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (p->pipe != INVALID_HANDLE_VALUE)
            break;
        if (waited >= timeout_ms)
            return SEC_E_NO_AUTHENTICATING_AUTHORITY;
        Sleep(50);
        waited += 50;
    }
    SetNamedPipeHandleState(p->pipe, &mode, NULL, NULL);
    begin(p, &w, LSA_WIRE_HELLO);
    lsa_wire_put_u32(&w, LSA_FIELD_PROCESS_ID, GetCurrentProcessId());
    status = call(p, &w, LSA_WIRE_HELLO, &m);
    if (status == SEC_E_OK && (!take_string(&m, LSA_FIELD_NAME, p->name, 64) ||
                               !take_string(&m, LSA_FIELD_COMMENT, p->comment, 256) ||
                               lsa_wire_get_u32(&m, LSA_FIELD_CAPABILITIES, &p->capabilities) ||
                               lsa_wire_get_u32(&m, LSA_FIELD_VERSION, &p->version) ||
                               lsa_wire_get_u32(&m, LSA_FIELD_MAX_TOKEN, &p->max_token)))
        status = SEC_E_INTERNAL_ERROR;
    if (status == SEC_E_OK) {
        ULONG64 section = 0;
        if (lsa_wire_get_u64(&m, LSA_FIELD_SECTION, &section) == LSA_WIRE_OK &&
            lsa_wire_get_u32(&m, LSA_FIELD_SECTION_SIZE, &p->section_size) == LSA_WIRE_OK) {
            p->section = (HANDLE)(ULONG_PTR)section;
            p->section_view = MapViewOfFile(p->section, FILE_MAP_READ, 0, 0, p->section_size);
        }
    }
    if (status != SEC_E_OK)
        client_pipe_close(p);
    return status;
}

void client_pipe_close(client_pipe *p)
{
    if (p->pipe && p->pipe != INVALID_HANDLE_VALUE)
        CloseHandle(p->pipe);
    if (p->section_view)
        UnmapViewOfFile(p->section_view);
    if (p->section)
        CloseHandle(p->section);
    p->pipe = NULL;
    p->section = NULL;
    p->section_view = NULL;
}

SECURITY_STATUS client_pipe_acquire(client_pipe *p, ULONG use, const void *identity,
                                    ULONG64 *cred)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    *cred = 0;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_ACQUIRE);
    lsa_wire_put_u32(&w, LSA_FIELD_USE, use);
    if (identity)
        lsa_wire_put_u64(&w, LSA_FIELD_IDENTITY, (ULONG64)(ULONG_PTR)identity);
    status = call(p, &w, LSA_WIRE_ACQUIRE, &m);
    if (status == SEC_E_OK && lsa_wire_get_u64(&m, LSA_FIELD_CREDENTIAL, cred))
        status = SEC_E_INTERNAL_ERROR;
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

/* A request that names one handle and answers only a status. */
static SECURITY_STATUS handle_call(client_pipe *p, uint16_t type, uint16_t tag, ULONG64 h)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, type);
    lsa_wire_put_u64(&w, tag, h);
    status = call(p, &w, type, &m);
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

SECURITY_STATUS client_pipe_free_credential(client_pipe *p, ULONG64 cred)
{
    return handle_call(p, LSA_WIRE_FREE_CREDENTIAL, LSA_FIELD_CREDENTIAL, cred);
}

SECURITY_STATUS client_pipe_delete(client_pipe *p, ULONG64 ctx)
{
    return handle_call(p, LSA_WIRE_DELETE, LSA_FIELD_CONTEXT, ctx);
}

SECURITY_STATUS client_pipe_query(client_pipe *p, BOOL context, ULONG64 handle, ULONG attribute,
                                  void *address)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_QUERY);
    lsa_wire_put_u64(&w, context ? LSA_FIELD_CONTEXT : LSA_FIELD_CREDENTIAL, handle);
    lsa_wire_put_u32(&w, LSA_FIELD_ATTRIBUTE, attribute);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (ULONG64)(ULONG_PTR)address);
    status = call(p, &w, LSA_WIRE_QUERY, &m);
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

NTSTATUS client_pipe_call_package(client_pipe *p, const void *request, ULONG length,
                                  void **response, ULONG *response_length, NTSTATUS *protocol)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    NTSTATUS status;
    uint64_t address = 0;
    uint32_t proto = 0, len = 0;

    *response = NULL;
    *response_length = 0;
    *protocol = STATUS_SUCCESS;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_CALL_PACKAGE);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, request, length);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (ULONG64)(ULONG_PTR)request);
    status = call(p, &w, LSA_WIRE_CALL_PACKAGE, &m);
    if (lsa_wire_get_u32(&m, LSA_FIELD_PROTOCOL_STATUS, &proto) == LSA_WIRE_OK &&
        lsa_wire_get_u64(&m, LSA_FIELD_ADDRESS, &address) == LSA_WIRE_OK &&
        lsa_wire_get_u32(&m, LSA_FIELD_LENGTH, &len) == LSA_WIRE_OK) {
        *protocol = (NTSTATUS)proto;
        *response = (void *)(ULONG_PTR)address;
        *response_length = len;
    }
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

/* Takes the packed context out of the SHAllocShared handle lsahost made for us. */
static BYTE *take_packed(ULONG64 handle, ULONG size)
{
    HANDLE h = (HANDLE)(ULONG_PTR)handle;
    BYTE *copy = NULL;
    void *view = SHLockShared(h, GetCurrentProcessId());

    if (view) {
        copy = HeapAlloc(GetProcessHeap(), 0, size ? size : 1);
        if (copy)
            memcpy(copy, view, size);
        SecureZeroMemory(view, size);
        SHUnlockShared(view);
    }
    SHFreeShared(h, GetCurrentProcessId());
    return copy;
}

SECURITY_STATUS client_pipe_step(client_pipe *p, BOOL accept, ULONG64 cred, ULONG64 *ctx,
                                 ULONG flags, const void *in, ULONG in_len, void *out,
                                 ULONG *out_len, ULONG *attributes, BYTE **packed,
                                 ULONG *packed_len)
{
    uint16_t type = accept ? LSA_WIRE_ACCEPT : LSA_WIRE_INIT;
    lsa_wire_writer w;
    lsa_wire_message m;
    const uint8_t *token;
    size_t n;
    ULONG64 handle = 0;
    uint32_t size = 0, attrs = 0;
    SECURITY_STATUS status;
    ULONG room = *out_len;

    *out_len = 0;
    *attributes = 0;
    *packed = NULL;
    *packed_len = 0;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, type);
    lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, cred);
    lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, *ctx);
    lsa_wire_put_u32(&w, LSA_FIELD_FLAGS, flags);
    if (in)
        lsa_wire_put_bytes(&w, LSA_FIELD_TOKEN, in, in_len);
    status = call(p, &w, type, &m);
    if (lsa_wire_get_u64(&m, LSA_FIELD_CONTEXT, ctx) ||
        lsa_wire_get_u32(&m, LSA_FIELD_ATTRIBUTES, &attrs)) {
        ReleaseSRWLockExclusive(&p->lock);
        return status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED ? SEC_E_INTERNAL_ERROR
                                                                    : status;
    }
    *attributes = attrs;
    if (lsa_wire_get_bytes(&m, LSA_FIELD_TOKEN, room, &token, &n) == LSA_WIRE_OK) {
        memcpy(out, token, n);
        *out_len = (ULONG)n;
    } else if (m.fields[LSA_FIELD_TOKEN].kind) {
        status = SEC_E_BUFFER_TOO_SMALL;
    }
    if (lsa_wire_get_u64(&m, LSA_FIELD_PACKED_HANDLE, &handle) == LSA_WIRE_OK &&
        lsa_wire_get_u32(&m, LSA_FIELD_PACKED_SIZE, &size) == LSA_WIRE_OK) {
        *packed = take_packed(handle, size);
        *packed_len = *packed ? size : 0;
    }
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

size_t client_pipe_section_readable(const client_pipe *p)
{
    const BYTE *view = p->section_view;
    MEMORY_BASIC_INFORMATION mbi;
    size_t at = 0;

    while (view && at < p->section_size && VirtualQuery(view + at, &mbi, sizeof(mbi)) &&
           mbi.State == MEM_COMMIT)
        at += mbi.RegionSize - (size_t)(view + at - (const BYTE *)mbi.BaseAddress);
    return at < p->section_size ? at : p->section_size;
}
