/* client_pipe.c - the client end of lsahost's pipe (client_pipe.h). Answers are checked
 * as strictly as lsahost checks requests: the server is trusted to be lsahost, not to be
 * bug-free, and nothing it sends is used before it is checked. */
#include "client_pipe.h"
#include "client_memory.h"
#include "client_say.h"
#include "client_trust.h"

#include <shlwapi.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* The answer broke a rule: say which, hang up. The first argument is a string literal. */
#define VIOLATION(p, ...) hang_up((p), SEC_E_INTERNAL_ERROR, "lsahost broke the protocol: " __VA_ARGS__)

static void close_pipe(client_pipe *p)
{
    if (p->pipe && p->pipe != INVALID_HANDLE_VALUE)
        CloseHandle(p->pipe);
    p->pipe = NULL;
}

/* Says why, closes the pipe (lsahost cleans up after a client that goes), returns status. */
__attribute__((format(__MINGW_PRINTF_FORMAT, 3, 4)))
static SECURITY_STATUS hang_up(client_pipe *p, SECURITY_STATUS status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    client_sayv(fmt, ap);
    va_end(ap);
    close_pipe(p);
    return status;
}

SECURITY_STATUS client_pipe_violation(client_pipe *p, const char *fmt, ...)
{
    char why[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    AcquireSRWLockExclusive(&p->lock);
    VIOLATION(p, "%s", why);
    ReleaseSRWLockExclusive(&p->lock);
    return SEC_E_INTERNAL_ERROR;
}

/* ---- Messages ------------------------------------------------------------------------ */

typedef enum io_result { IO_DONE, IO_FAILED, IO_TOO_BIG, IO_LATE } io_result;

/* One overlapped write or read, waited for until the reply timeout. A message larger
 * than the buffer is IO_TOO_BIG (ERROR_MORE_DATA, message mode). */
static io_result transfer(client_pipe *p, BOOL write, void *buffer, DWORD size, DWORD *done)
{
    OVERLAPPED o = { .hEvent = p->io_done };
    BOOL ok = write ? WriteFile(p->pipe, buffer, size, NULL, &o)
                    : ReadFile(p->pipe, buffer, size, NULL, &o);

    if (!ok && GetLastError() != ERROR_IO_PENDING)
        return GetLastError() == ERROR_MORE_DATA ? IO_TOO_BIG : IO_FAILED;
    if (!ok && WaitForSingleObject(p->io_done, p->reply_timeout_ms) != WAIT_OBJECT_0) {
        CancelIoEx(p->pipe, &o);
        GetOverlappedResult(p->pipe, &o, done, TRUE);
        return IO_LATE;
    }
    if (GetOverlappedResult(p->pipe, &o, done, FALSE))
        return IO_DONE;
    return GetLastError() == ERROR_MORE_DATA ? IO_TOO_BIG : IO_FAILED;
}

static const char *type_name(uint16_t type)
{
    static const char *const names[] = { "?", "HELLO", "ACQUIRE", "FREE_CREDENTIAL", "INIT",
                                         "ACCEPT", "DELETE", "QUERY", "GOODBYE",
                                         "CALL_PACKAGE", "LOGON", "PACKAGE_INFO",
                                         "SET_ATTRIBUTES", "CHANGE_PASSWORD" };
    _Static_assert(sizeof(names) / sizeof(names[0]) == LSA_WIRE_TYPE_LAST + 1,
                   "a name for every message type");
    return type <= LSA_WIRE_TYPE_LAST ? names[type] : "?";
}

/* lsahost sent us away instead of answering: it is stopping (no status), or refused or
 * evicted this client over its process's quota (a failure status, which the caller gets;
 * lsahost's log says more). Anything else in a GOODBYE counts as lsahost gone. */
static SECURITY_STATUS goodbye(client_pipe *p, const lsa_wire_message *m)
{
    uint32_t why;

    if (lsa_wire_get_u32(m, LSA_FIELD_STATUS, &why) == LSA_WIRE_OK &&
        why == (uint32_t)SEC_E_INSUFFICIENT_MEMORY)
        return hang_up(p, SEC_E_INSUFFICIENT_MEMORY,
                       "lsahost refused or evicted this client: its process is over a quota");
    return hang_up(p, SEC_E_NO_AUTHENTICATING_AUTHORITY, "lsahost is shutting down");
}

/* Sends the message in w, reads the answer into *m and checks its envelope: form, type,
 * call number, a status, and that a success is one the call can return (failures pass
 * through as lsahost gave them). FALSE when there is no usable answer: *status says why,
 * and the client has hung up. */
static BOOL call(client_pipe *p, lsa_wire_writer *w, uint16_t type, lsa_wire_message *m,
                 SECURITY_STATUS *status)
{
    size_t n = lsa_wire_finish(w);
    DWORD done;
    uint32_t s;
    lsa_wire_result r;
    io_result io;

    memset(m, 0, sizeof(*m));
    *status = SEC_E_NO_AUTHENTICATING_AUTHORITY;
    if (!p->pipe)
        return FALSE;
    if (!n) {
        *status = SEC_E_INSUFFICIENT_MEMORY;
        return FALSE;
    }
    io = transfer(p, TRUE, p->out, (DWORD)n, &done);
    /* A write that failed may still have an answer waiting: lsahost writes a GOODBYE
     * and closes its end when it refuses a connection, and what it wrote stays
     * readable (the read fails at once when there is nothing). */
    if (io == IO_DONE || io == IO_FAILED)
        io = transfer(p, FALSE, p->in, sizeof(p->in), &done);
    if (io == IO_LATE)
        *status = hang_up(p, SEC_E_NO_AUTHENTICATING_AUTHORITY,
                          "lsahost did not answer %s within %lu ms (SSPKG_REPLY_TIMEOUT_MS)",
                          type_name(type), p->reply_timeout_ms);
    else if (io == IO_TOO_BIG)
        *status = VIOLATION(p, "an answer to %s larger than %u bytes", type_name(type),
                            (unsigned)LSA_WIRE_MAX_MESSAGE);
    else if (io == IO_FAILED)
        *status = hang_up(p, SEC_E_NO_AUTHENTICATING_AUTHORITY,
                          "lsahost went away (error %lu)", GetLastError());
    if (io != IO_DONE)
        return FALSE;
    if ((r = lsa_wire_parse(p->in, done, m)))
        *status = VIOLATION(p, "a malformed answer to %s (%s)", type_name(type),
                            lsa_wire_result_text(r));
    else if (m->type == LSA_WIRE_GOODBYE)
        *status = goodbye(p, m);
    else if (m->type != (type | LSA_WIRE_ANSWER))
        *status = VIOLATION(p, "a message of type 0x%04x in answer to %s", m->type,
                            type_name(type));
    else if (m->call != p->next_call - 1)
        *status = VIOLATION(p, "the answer to call %u came for call %u", p->next_call - 1,
                            m->call);
    else if (lsa_wire_get_u32(m, LSA_FIELD_STATUS, &s))
        *status = VIOLATION(p, "an answer to %s without a status", type_name(type));
    else if ((LONG)s > 0 && !((type == LSA_WIRE_INIT || type == LSA_WIRE_ACCEPT) &&
                              s == (uint32_t)SEC_I_CONTINUE_NEEDED))
        /* SEC_I_COMPLETE_* would send the application to CompleteAuthToken, which this
         * provider does not have; no other call returns anything but success or failure. */
        *status = VIOLATION(p, "status 0x%08x, a success %s does not return", s, type_name(type));
    else
        *status = (SECURITY_STATUS)s;
    /* Each refusal above has hung up. */
    return p->pipe != NULL;
}

static void begin(client_pipe *p, lsa_wire_writer *w, uint16_t type)
{
    lsa_wire_begin(w, p->out, sizeof(p->out), type, p->next_call++);
}

/* ---- Connecting ----------------------------------------------------------------------- */

/* A UTF-16 string field into out (cap WCHARs, terminated): an even length, no NUL inside,
 * and (unless may_be_empty) not empty. */
static BOOL take_string(const lsa_wire_message *m, uint16_t tag, WCHAR *out, size_t cap,
                        BOOL may_be_empty)
{
    const uint8_t *data;
    size_t n;

    if (lsa_wire_get_bytes(m, tag, (cap - 1) * sizeof(WCHAR), &data, &n) || n % 2 ||
        (!n && !may_be_empty))
        return FALSE;
    memcpy(out, data, n);
    out[n / 2] = 0;
    return wcslen(out) == n / 2;
}

/* A package's SecPkgInfo and DLL, from HELLO or PACKAGE_INFO. */
static SECURITY_STATUS take_package(client_pipe *p, const lsa_wire_message *m,
                                    client_package *out)
{
    /* An empty name: lsahost could not read the package's own; nothing names it. */
    if (!take_string(m, LSA_FIELD_NAME, out->name, 65, TRUE) ||
        !take_string(m, LSA_FIELD_COMMENT, out->comment, 256, TRUE))
        return VIOLATION(p, "the package's name or comment is not a UTF-16 string of 0 to 64 "
                            "(0 to 255) characters without a NUL");
    /* Older servers say nothing of the DLL: no user-mode half is matched to it. */
    if (m->fields[LSA_FIELD_MODULE].kind &&
        (!take_string(m, LSA_FIELD_MODULE, out->module, MAX_PATH, FALSE) ||
         wcspbrk(out->module, L"\\/:")))
        return VIOLATION(p, "the package's DLL is not a file name of 1 to %d characters",
                         MAX_PATH - 1);
    if (lsa_wire_get_u32(m, LSA_FIELD_CAPABILITIES, &out->capabilities) ||
        lsa_wire_get_u32(m, LSA_FIELD_VERSION, &out->version) ||
        lsa_wire_get_u32(m, LSA_FIELD_MAX_TOKEN, &out->max_token))
        return VIOLATION(p, "a package without its capabilities, version or cbMaxToken");
    if (!out->max_token || out->max_token > CLIENT_PIPE_MAX_TOKEN)
        return VIOLATION(p, "cbMaxToken %u, not 1 to %u", out->max_token, CLIENT_PIPE_MAX_TOKEN);
    return SEC_E_OK;
}

/* Packages 1 and on, after HELLO told how many there are. */
static SECURITY_STATUS take_other_packages(client_pipe *p)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status = SEC_E_OK;

    for (uint32_t id = 1; id < p->package_count && status == SEC_E_OK; id++) {
        begin(p, &w, LSA_WIRE_PACKAGE_INFO);
        lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, id);
        if (!call(p, &w, LSA_WIRE_PACKAGE_INFO, &m, &status))
            break;
        if (status != SEC_E_OK)
            status = VIOLATION(p, "PACKAGE_INFO(%u) of %u packages failed with 0x%08lx", id,
                               p->package_count, (unsigned long)status);
        else
            status = take_package(p, &m, &p->packages[id]);
    }
    return status;
}

int client_pipe_find_package(const client_pipe *p, const WCHAR *name)
{
    for (uint32_t id = 0; name && id < p->package_count; id++)
        if (p->packages[id].name[0] && !_wcsicmp(name, p->packages[id].name))
            return (int)id;
    return -1;
}

/* The package's section, offered at HELLO: a handle that maps in this process, and a
 * size no larger than the mapping. A handle that does not map is not closed: it may not
 * be a handle lsahost gave this process at all. */
static SECURITY_STATUS take_section(client_pipe *p, const lsa_wire_message *m)
{
    uint64_t handle = 0;
    uint32_t size = 0;
    BOOL has_handle = lsa_wire_get_u64(m, LSA_FIELD_SECTION, &handle) == LSA_WIRE_OK;
    BOOL has_size = lsa_wire_get_u32(m, LSA_FIELD_SECTION_SIZE, &size) == LSA_WIRE_OK;
    const void *view;
    size_t mapped;

    if (!has_handle && !has_size)
        return SEC_E_OK;
    if (!has_handle || !has_size)
        return VIOLATION(p, "a section handle without its size, or a size without a handle");
    view = MapViewOfFile((HANDLE)(ULONG_PTR)handle, FILE_MAP_READ, 0, 0, 0);
    if (!view)
        return VIOLATION(p, "the section handle %llx does not map in this process (error %lu)",
                         (unsigned long long)handle, GetLastError());
    mapped = client_memory_view_size(view);
    if (!size || size > mapped) {
        UnmapViewOfFile(view);
        return VIOLATION(p, "a section of %u bytes, whose mapping has %zu", size, mapped);
    }
    p->section = (HANDLE)(ULONG_PTR)handle;
    p->section_size = size;
    p->section_view = view;
    return SEC_E_OK;
}

static DWORD reply_timeout(void)
{
    WCHAR v[16], *end;
    DWORD n = GetEnvironmentVariableW(L"SSPKG_REPLY_TIMEOUT_MS", v, 16);
    unsigned long ms = n && n < 16 ? wcstoul(v, &end, 10) : 0;

    return ms && !*end && ms < INFINITE ? (DWORD)ms : CLIENT_PIPE_REPLY_TIMEOUT_MS;
}

void client_pipe_name(WCHAR name[MAX_PATH])
{
    if (!GetEnvironmentVariableW(L"SSPKG_PIPE", name, MAX_PATH))
        wcscpy(name, CLIENT_PIPE_DEFAULT_NAME);
}

SECURITY_STATUS client_pipe_connect(client_pipe *p, const WCHAR *name, DWORD timeout_ms,
                                    client_pipe_role role)
{
    DWORD mode = PIPE_READMODE_MESSAGE, waited = 0;
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    memset(p, 0, sizeof(*p));
    InitializeSRWLock(&p->lock);
    p->reply_timeout_ms = reply_timeout();
    p->role = role;
    /* Identification only: the server may learn who the caller is, never act as it. */
    while ((p->pipe = CreateFileW(name, CLIENT_PIPE_ACCESS, 0, NULL, OPEN_EXISTING,
                                  FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT |
                                      SECURITY_IDENTIFICATION,
                                  NULL)) == INVALID_HANDLE_VALUE) {
        if (waited >= timeout_ms)
            return hang_up(p, SEC_E_NO_AUTHENTICATING_AUTHORITY, "cannot open %ls (error %lu)",
                           name, GetLastError());
        Sleep(50);
        waited += 50;
    }
    /* Nothing about the caller (not even its process id) goes out before this. */
    status = client_trust_server(p->pipe, name);
    if (status != SEC_E_OK) {
        close_pipe(p);
        return status;
    }
    if (!(p->io_done = CreateEventW(NULL, TRUE, FALSE, NULL))) {
        close_pipe(p);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (!SetNamedPipeHandleState(p->pipe, &mode, NULL, NULL))
        status = VIOLATION(p, "%ls is not a message pipe (error %lu)", name, GetLastError());
    if (status == SEC_E_OK) {
        begin(p, &w, LSA_WIRE_HELLO);
        lsa_wire_put_u32(&w, LSA_FIELD_PROCESS_ID, GetCurrentProcessId());
        if (role == CLIENT_PIPE_LOGON_PROCESS)
            lsa_wire_put_u32(&w, LSA_FIELD_LOGON_PROCESS, 1);
        if (call(p, &w, LSA_WIRE_HELLO, &m, &status) && status == SEC_E_OK) {
            /* A server of one package may leave the count out. */
            p->package_count = 1;
            if (m.fields[LSA_FIELD_PACKAGE_COUNT].kind)
                lsa_wire_get_u32(&m, LSA_FIELD_PACKAGE_COUNT, &p->package_count);
            if (!p->package_count || p->package_count > CLIENT_PIPE_MAX_PACKAGES)
                status = VIOLATION(p, "%u packages, not 1 to %d", p->package_count,
                                   CLIENT_PIPE_MAX_PACKAGES);
            else if ((status = take_package(p, &m, &p->packages[0])) == SEC_E_OK)
                status = take_section(p, &m);
        }
    }
    if (status == SEC_E_OK)
        status = take_other_packages(p);
    if (status != SEC_E_OK)
        client_pipe_close(p);
    return status;
}

void client_pipe_close(client_pipe *p)
{
    close_pipe(p);
    if (p->io_done)
        CloseHandle(p->io_done);
    if (p->section_view)
        UnmapViewOfFile(p->section_view);
    if (p->section)
        CloseHandle(p->section);
    p->io_done = NULL;
    p->section = NULL;
    p->section_view = NULL;
}

/* ---- Calls ---------------------------------------------------------------------------- */

SECURITY_STATUS client_pipe_acquire(client_pipe *p, uint32_t package, ULONG use,
                                    const void *identity, ULONG64 *cred)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    *cred = 0;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_ACQUIRE);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
    lsa_wire_put_u32(&w, LSA_FIELD_USE, use);
    if (identity)
        lsa_wire_put_u64(&w, LSA_FIELD_IDENTITY, (ULONG64)(ULONG_PTR)identity);
    if (call(p, &w, LSA_WIRE_ACQUIRE, &m, &status) && status == SEC_E_OK &&
        (lsa_wire_get_u64(&m, LSA_FIELD_CREDENTIAL, cred) || !*cred))
        status = VIOLATION(p, "ACQUIRE succeeded without a credential handle");
    if (status != SEC_E_OK)
        *cred = 0;
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

/* A request that names one handle and answers only a status. */
static SECURITY_STATUS handle_call(client_pipe *p, uint32_t package, uint16_t type,
                                   uint16_t tag, ULONG64 h)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, type);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
    lsa_wire_put_u64(&w, tag, h);
    call(p, &w, type, &m, &status);
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

SECURITY_STATUS client_pipe_free_credential(client_pipe *p, uint32_t package, ULONG64 cred)
{
    return handle_call(p, package, LSA_WIRE_FREE_CREDENTIAL, LSA_FIELD_CREDENTIAL, cred);
}

SECURITY_STATUS client_pipe_delete(client_pipe *p, uint32_t package, ULONG64 ctx)
{
    return handle_call(p, package, LSA_WIRE_DELETE, LSA_FIELD_CONTEXT, ctx);
}

/* A string of an answer: a client buffer FreeContextBuffer can free, ending in it. */
static BOOL answer_string(const WCHAR *text)
{
    return client_memory_is_buffer(text, sizeof(WCHAR)) && client_memory_is_string(text);
}

/* The pointers a NAMES, NATIVE_NAMES, AUTHORITY, KEY_INFO, SESSION_KEY or PACKAGE_INFO
 * answer holds must be what FreeContextBuffer can free, holding what the application will
 * read. Other answers hold no pointers. */
static BOOL query_answer_ok(BOOL context, ULONG attribute, void *address)
{
    if ((context && (attribute == SECPKG_ATTR_NAMES || attribute == SECPKG_ATTR_AUTHORITY)) ||
        (!context && attribute == SECPKG_CRED_ATTR_NAMES))
        /* SecPkgContext_NamesW, _AuthorityW, SecPkgCredentials_NamesW: one string. */
        return answer_string(*(WCHAR **)address);
    if (context && attribute == SECPKG_ATTR_NATIVE_NAMES) {
        const SecPkgContext_NativeNamesW *n = address;
        return answer_string(n->sClientName) && answer_string(n->sServerName);
    }
    if (context && attribute == SECPKG_ATTR_KEY_INFO) {
        const SecPkgContext_KeyInfoW *k = address;
        return answer_string(k->sSignatureAlgorithmName) &&
               answer_string(k->sEncryptAlgorithmName);
    }
    if (context && attribute == SECPKG_ATTR_SESSION_KEY) {
        const SecPkgContext_SessionKey *k = address;
        return k->SessionKeyLength && client_memory_is_buffer(k->SessionKey, k->SessionKeyLength);
    }
    if (context && attribute == SECPKG_ATTR_PACKAGE_INFO) {
        const SecPkgInfoW *info = ((SecPkgContext_PackageInfoW *)address)->PackageInfo;
        return client_memory_is_buffer(info, sizeof(*info)) &&
               client_memory_is_string(info->Name) && client_memory_is_string(info->Comment);
    }
    return TRUE;
}

/* The start of a QUERY or SET_ATTRIBUTES: which package, context or credential, and
 * attribute. */
static void begin_attribute(client_pipe *p, lsa_wire_writer *w, uint16_t type,
                            uint32_t package, BOOL context, ULONG64 handle, ULONG attribute)
{
    begin(p, w, type);
    lsa_wire_put_u32(w, LSA_FIELD_PACKAGE, package);
    lsa_wire_put_u64(w, context ? LSA_FIELD_CONTEXT : LSA_FIELD_CREDENTIAL, handle);
    lsa_wire_put_u32(w, LSA_FIELD_ATTRIBUTE, attribute);
}

SECURITY_STATUS client_pipe_query(client_pipe *p, uint32_t package, BOOL context, ULONG64 handle,
                                  ULONG attribute, void *address)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    AcquireSRWLockExclusive(&p->lock);
    begin_attribute(p, &w, LSA_WIRE_QUERY, package, context, handle, attribute);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (ULONG64)(ULONG_PTR)address);
    if (call(p, &w, LSA_WIRE_QUERY, &m, &status) && status == SEC_E_OK &&
        !query_answer_ok(context, attribute, address)) {
        /* The application must not be handed the pointer. */
        *(void **)address = NULL;
        status = VIOLATION(p, "the answer to QUERY(%lu) points at memory of this process that "
                              "is not a client buffer holding a string", attribute);
    }
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

SECURITY_STATUS client_pipe_set_attributes(client_pipe *p, uint32_t package, BOOL context,
                                           ULONG64 handle, ULONG attribute, const void *value,
                                           ULONG length)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;

    /* More than lsahost takes: it would drop this connection for it. */
    if (length > LSA_WIRE_MAX_ATTRIBUTE) {
        client_say("an attribute value of %lu bytes is more than lsahost takes (%u)", length,
                   LSA_WIRE_MAX_ATTRIBUTE);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    AcquireSRWLockExclusive(&p->lock);
    begin_attribute(p, &w, LSA_WIRE_SET_ATTRIBUTES, package, context, handle, attribute);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, value, length);
    call(p, &w, LSA_WIRE_SET_ATTRIBUTES, &m, &status);
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

SECURITY_STATUS client_pipe_change_password(client_pipe *p, uint32_t package,
                                            const WCHAR *const strings[4], BOOLEAN impersonating,
                                            DOMAIN_PASSWORD_INFORMATION *info,
                                            BOOL *info_written)
{
    static const uint16_t tags[4] = { LSA_FIELD_DOMAIN, LSA_FIELD_USER, LSA_FIELD_PASSWORD,
                                      LSA_FIELD_NEW_PASSWORD };
    static const char *const names[4] = { "domain", "account name", "old password",
                                           "new password" };
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;
    const uint8_t *v;
    size_t len[4], n;

    memset(info, 0, sizeof(*info));
    *info_written = FALSE;
    /* More than lsahost takes: it would drop this connection for it. */
    for (int i = 0; i < 4; i++) {
        if ((len[i] = wcsnlen(strings[i], LSA_WIRE_MAX_PASSWORD_STRING + 1)) >
            LSA_WIRE_MAX_PASSWORD_STRING) {
            client_say("ChangeAccountPasswordW: a %s over %u characters, more than lsahost "
                       "takes", names[i], LSA_WIRE_MAX_PASSWORD_STRING);
            return SEC_E_INVALID_PARAMETER;
        }
    }
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_CHANGE_PASSWORD);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
    for (int i = 0; i < 4; i++)
        lsa_wire_put_bytes(&w, tags[i], strings[i], len[i] * sizeof(WCHAR));
    lsa_wire_put_u32(&w, LSA_FIELD_IMPERSONATING, impersonating ? 1 : 0);
    if (call(p, &w, LSA_WIRE_CHANGE_PASSWORD, &m, &status) &&
        m.fields[LSA_FIELD_PASSWORD_INFO].kind) {
        if (lsa_wire_get_bytes(&m, LSA_FIELD_PASSWORD_INFO, sizeof(*info), &v, &n) ||
            n != sizeof(*info)) {
            status = VIOLATION(p, "a password policy in answer to CHANGE_PASSWORD that is not "
                                  "the %u bytes of a DOMAIN_PASSWORD_INFORMATION",
                               (unsigned)sizeof(*info));
        } else {
            memcpy(info, v, sizeof(*info));
            *info_written = TRUE;
        }
    }
    SecureZeroMemory(p->out, w.used);
    ReleaseSRWLockExclusive(&p->lock);
    return status;
}

NTSTATUS client_pipe_call_package(client_pipe *p, uint32_t package, const void *request,
                                  ULONG length, void **response, ULONG *response_length,
                                  NTSTATUS *protocol)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;
    uint64_t address = 0;
    uint32_t proto = 0, len = 0;

    *response = NULL;
    *response_length = 0;
    *protocol = STATUS_SUCCESS;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_CALL_PACKAGE);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, request, length);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (ULONG64)(ULONG_PTR)request);
    if (call(p, &w, LSA_WIRE_CALL_PACKAGE, &m, &status)) {
        if (lsa_wire_get_u32(&m, LSA_FIELD_PROTOCOL_STATUS, &proto) ||
            lsa_wire_get_u64(&m, LSA_FIELD_ADDRESS, &address) ||
            lsa_wire_get_u32(&m, LSA_FIELD_LENGTH, &len))
            status = VIOLATION(p, "an answer to CALL_PACKAGE without the protocol status, "
                                  "the return buffer or its length");
        else if (address ? !client_memory_is_buffer((void *)(ULONG_PTR)address, len) : len != 0)
            status = VIOLATION(p, "a %u-byte return buffer at %llx, which is not a client "
                                  "buffer of this process that long", len,
                               (unsigned long long)address);
        else {
            *protocol = (NTSTATUS)proto;
            *response = (void *)(ULONG_PTR)address;
            *response_length = len;
        }
    }
    ReleaseSRWLockExclusive(&p->lock);
    return (NTSTATUS)status;
}

/* Whether h is a token handle of this process; its TokenId into *id. */
static BOOL is_token(HANDLE h, LUID *id)
{
    TOKEN_STATISTICS stats;
    DWORD got;

    if (!h || !GetTokenInformation(h, TokenStatistics, &stats, sizeof(stats), &got))
        return FALSE;
    *id = stats.TokenId;
    return TRUE;
}

static uint64_t luid_value(LUID l)
{
    return (uint64_t)(uint32_t)l.HighPart << 32 | l.LowPart;
}

/* A successful LOGON answer, each part checked before the caller gets it. */
static SECURITY_STATUS take_logon(client_pipe *p, const lsa_wire_message *m, LUID asked,
                                  client_pipe_logon_answer *a)
{
    uint64_t logon = 0, profile = 0, token = 0;
    uint32_t length = 0;
    LUID token_id;

    if (lsa_wire_get_u64(m, LSA_FIELD_LOGON_ID, &logon) ||
        lsa_wire_get_u64(m, LSA_FIELD_TOKEN_HANDLE, &token) ||
        lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &profile) ||
        lsa_wire_get_u32(m, LSA_FIELD_LENGTH, &length))
        return VIOLATION(p, "a successful answer to LOGON without the logon id, the token, or "
                            "the profile and its length");
    if (profile ? !client_memory_is_buffer((void *)(ULONG_PTR)profile, length) : length != 0)
        return VIOLATION(p, "a %u-byte profile buffer at %llx, which is not a client buffer of "
                            "this process that long", length, (unsigned long long)profile);
    /* Not closed when it is not a token: the handle may be one of ours. */
    if (!is_token((HANDLE)(ULONG_PTR)token, &token_id))
        return VIOLATION(p, "the answer to LOGON names handle %llx, which is not a token of "
                            "this process", (unsigned long long)token);
    /* The logon's token is made for this request (a copy of our own, host_server_logon.c),
     * so its TokenId is newer than a LUID taken before we asked (LUIDs only grow). An
     * older one is a token this process held already, the program's to use and close,
     * never the logon's: left alone. */
    if (luid_value(token_id) <= luid_value(asked))
        return VIOLATION(p, "the answer to LOGON names token %llx, which this process held "
                            "before it asked", (unsigned long long)token);
    a->logon_id.LowPart = (DWORD)logon;
    a->logon_id.HighPart = (LONG)(logon >> 32);
    a->profile = (void *)(ULONG_PTR)profile;
    a->profile_length = length;
    a->token = (HANDLE)(ULONG_PTR)token;
    return SEC_E_OK;
}

NTSTATUS client_pipe_logon(client_pipe *p, const client_pipe_logon_request *rq,
                           client_pipe_logon_answer *a)
{
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;
    uint32_t sub = 0;
    LUID asked = { 0, 0 };

    memset(a, 0, sizeof(*a));
    AllocateLocallyUniqueId(&asked);
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, LSA_WIRE_LOGON);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, rq->package);
    lsa_wire_put_u32(&w, LSA_FIELD_LOGON_TYPE, rq->type);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (ULONG64)(ULONG_PTR)rq->submit);
    lsa_wire_put_u32(&w, LSA_FIELD_LENGTH, rq->length);
    lsa_wire_put_bytes(&w, LSA_FIELD_ORIGIN, rq->origin, rq->origin_length);
    if (rq->source)
        lsa_wire_put_bytes(&w, LSA_FIELD_SOURCE, rq->source, sizeof(*rq->source));
    if (call(p, &w, LSA_WIRE_LOGON, &m, &status)) {
        lsa_wire_get_u32(&m, LSA_FIELD_SUB_STATUS, &sub);
        a->sub_status = (NTSTATUS)sub;
        if (status == SEC_E_OK)
            status = take_logon(p, &m, asked, a);
    }
    ReleaseSRWLockExclusive(&p->lock);
    return (NTSTATUS)status;
}

/* Takes the packed context out of the SHAllocShared handle lsahost made for us: no more
 * bytes than the locked view holds (VirtualQuery), which are wiped after, and the handle
 * freed. A handle that does not lock is left alone: it may not be one lsahost gave this
 * process; nor may the package's section, which is this connection's. */
static SECURITY_STATUS take_packed(client_pipe *p, uint64_t handle, uint32_t size, BYTE **out)
{
    HANDLE h = (HANDLE)(ULONG_PTR)handle;
    BYTE *view;
    size_t block;

    *out = NULL;
    if (p->section && h == p->section)
        return VIOLATION(p, "the packed context's handle %llx is the package's section",
                         (unsigned long long)handle);
    view = SHLockShared(h, GetCurrentProcessId());
    if (!view)
        return VIOLATION(p, "the packed context's handle %llx does not map in this process",
                         (unsigned long long)handle);
    block = client_memory_usable(view, TRUE);
    if (size && size <= block && (*out = HeapAlloc(GetProcessHeap(), 0, size)))
        memcpy(*out, view, size);
    SecureZeroMemory(view, size < block ? size : block);
    SHUnlockShared(view);
    SHFreeShared(h, GetCurrentProcessId());
    if (!size || size > block)
        return VIOLATION(p, "a packed context of %u bytes in a mapped view of %zu", size, block);
    return *out ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* The token, the packed context and the handles of an INIT or ACCEPT answer. */
static SECURITY_STATUS take_step(client_pipe *p, uint32_t max_token, const lsa_wire_message *m,
                                 SECURITY_STATUS status, ULONG64 *ctx, void *out, ULONG room,
                                 ULONG *out_len, ULONG *attributes, BYTE **packed,
                                 ULONG *packed_len)
{
    const lsa_wire_field *token = &m->fields[LSA_FIELD_TOKEN];
    uint64_t context = 0, handle = 0;
    uint32_t attrs = 0, size = 0;
    BOOL has_handle = lsa_wire_get_u64(m, LSA_FIELD_PACKED_HANDLE, &handle) == LSA_WIRE_OK;
    BOOL has_size = lsa_wire_get_u32(m, LSA_FIELD_PACKED_SIZE, &size) == LSA_WIRE_OK;

    if (lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &context) ||
        lsa_wire_get_u32(m, LSA_FIELD_ATTRIBUTES, &attrs))
        return VIOLATION(p, "an answer to INIT/ACCEPT without the context or its attributes");
    if (status >= 0 && !context)
        return VIOLATION(p, "status 0x%08lx with context handle 0", (unsigned long)status);
    if (*ctx && context != *ctx)
        return VIOLATION(p, "context %llx came back as %llx", (unsigned long long)*ctx,
                         (unsigned long long)context);
    if (token->kind && token->size > max_token)
        return VIOLATION(p, "a token of %u bytes, more than the package's cbMaxToken (%u)",
                         token->size, max_token);
    if (has_handle != has_size)
        return VIOLATION(p, "a packed context's handle without its size, or the reverse");
    *ctx = context;
    *attributes = attrs;
    if (token->kind && token->size > room) {
        status = SEC_E_BUFFER_TOO_SMALL;
    } else if (token->kind) {
        memcpy(out, token->value, token->size);
        *out_len = token->size;
    }
    if (has_handle) {
        SECURITY_STATUS s = take_packed(p, handle, size, packed);
        if (s != SEC_E_OK)
            return s;
        *packed_len = size;
    }
    return status;
}

SECURITY_STATUS client_pipe_step(client_pipe *p, uint32_t package, BOOL accept, ULONG64 cred,
                                 ULONG64 *ctx, ULONG flags, const void *in, ULONG in_len,
                                 const void *bindings, ULONG bindings_len, void *out,
                                 ULONG *out_len, ULONG *attributes, BYTE **packed,
                                 ULONG *packed_len)
{
    uint16_t type = accept ? LSA_WIRE_ACCEPT : LSA_WIRE_INIT;
    lsa_wire_writer w;
    lsa_wire_message m;
    SECURITY_STATUS status;
    ULONG room = *out_len;

    *out_len = 0;
    *attributes = 0;
    *packed = NULL;
    *packed_len = 0;
    AcquireSRWLockExclusive(&p->lock);
    begin(p, &w, type);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
    lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, cred);
    lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, *ctx);
    lsa_wire_put_u32(&w, LSA_FIELD_FLAGS, flags);
    if (in)
        lsa_wire_put_bytes(&w, LSA_FIELD_TOKEN, in, in_len);
    if (bindings)
        lsa_wire_put_bytes(&w, LSA_FIELD_CHANNEL_BINDINGS, bindings, bindings_len);
    if (call(p, &w, type, &m, &status))
        status = take_step(p, package < p->package_count ? p->packages[package].max_token : 0,
                           &m, status, ctx, out, room, out_len, attributes, packed, packed_len);
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
