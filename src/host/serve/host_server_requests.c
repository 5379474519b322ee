/* host_server_requests.c - the requests of lsahost serve's clients (lsa_wire.h), each
 * checked whole before anything is done with it. A client may only name the credentials
 * and contexts it made itself, and holds no more than its process's quotas
 * (host_server_quota.h): a request over quota is refused with SEC_E_INSUFFICIENT_MEMORY
 * and the reason in lsahost's log, before the package spends anything on it. The
 * package works for one process at a time through the process's lane.
 *
 * The package's calls run with the client as the current client (host_client_set_current),
 * so client memory means that process's memory. A packed context goes to the client with
 * SHAllocShared, which copies it into a handle valid in the client process (seed 004). */
#include "host_server_client.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "../shm/host_shm.h"
#include "../packages/host_sspi.h"
#include "../host_trace.h"

#include <shlwapi.h>
#include <stdio.h>
#include <string.h>

/* ---- Handles a client owns ---------------------------------------------------------- */

/* The client's list of one kind, and its length (its process's quota). */
static server_handle *list_of(server_client *c, server_quota_kind kind, ULONG *n)
{
    *n = kind == SERVER_QUOTA_CREDENTIAL ? c->limits->max_credentials_per_process
                                         : c->limits->max_contexts_per_process;
    return kind == SERVER_QUOTA_CREDENTIAL ? c->creds : c->contexts;
}

static BOOL owns(server_client *c, server_quota_kind kind, const host_secpkg *pkg,
                 LSA_SEC_HANDLE h)
{
    ULONG n;
    server_handle *list = list_of(c, kind, &n);

    for (ULONG i = 0; h && i < n; i++)
        if (list[i].handle == h && list[i].pkg == pkg)
            return TRUE;
    return FALSE;
}

/* Counts one more handle against the process's quota: FALSE, said in lsahost's log,
 * when the process holds its quota already. */
static BOOL may_hold_another(server_client *c, server_quota_kind kind)
{
    char why[128];

    if (server_process_take(c->process, kind, why, sizeof(why)))
        return TRUE;
    host_say("client %lu (process %lu): refused: %s", c->client.number, c->client.process_id,
             why);
    return FALSE;
}

/* Records a handle the package made for the client, counted already by
 * may_hold_another. A connection's list is as long as its process's quota, so there is
 * room. */
static void remember(server_client *c, server_quota_kind kind, const host_secpkg *pkg,
                     LSA_SEC_HANDLE h)
{
    ULONG n;
    server_handle *list = list_of(c, kind, &n);

    for (ULONG i = 0; i < n; i++) {
        if (!list[i].handle) {
            list[i] = (server_handle){ h, pkg };
            return;
        }
    }
}

static void forget(server_client *c, server_quota_kind kind, const host_secpkg *pkg,
                   LSA_SEC_HANDLE h)
{
    ULONG n;
    server_handle *list = list_of(c, kind, &n);

    for (ULONG i = 0; i < n; i++) {
        if (list[i].handle == h && list[i].pkg == pkg) {
            list[i].handle = 0;
            server_process_give(c->process, kind);
        }
    }
}

const host_secpkg *server_package_of(const lsa_wire_message *m)
{
    uint32_t id = 0;

    if (m->fields[LSA_FIELD_PACKAGE].kind && lsa_wire_get_u32(m, LSA_FIELD_PACKAGE, &id))
        return NULL;
    return host_packages_by_id(id);
}

/* ---- Requests ----------------------------------------------------------------------- */

static SECURITY_STATUS delete_context(server_client *c, const host_secpkg *pkg,
                                      LSA_SEC_HANDLE ctx)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    SECURITY_STATUS status = SEC_E_UNSUPPORTED_FUNCTION;

    if (t->DeleteContext) {
        host_call_begin(pkg->id, "SpDeleteContext");
        status = t->DeleteContext(ctx);
        host_call_end();
    }
    host_trace("client %lu: SpDeleteContext(%llx) = %s [package %lu]", c->client.number,
               (unsigned long long)ctx, host_sec_status_name(status), pkg->id);
    forget(c, SERVER_QUOTA_CONTEXT, pkg, ctx);
    return status;
}

static SECURITY_STATUS free_credential(server_client *c, const host_secpkg *pkg,
                                       LSA_SEC_HANDLE cred)
{
    SECURITY_STATUS status = host_sspi_free_credentials(pkg, cred);
    forget(c, SERVER_QUOTA_CREDENTIAL, pkg, cred);
    return status;
}

/* A package's SecPkgInfo, for the client's EnumerateSecurityPackages, and the file name
 * of its DLL, for the client to match its user-mode half with. */
static void put_info(lsa_wire_writer *w, const host_secpkg *pkg)
{
    const SecPkgInfoW *info = host_secpkg_info(pkg);
    WCHAR module[MAX_PATH], *name = module;
    DWORD n = GetModuleFileNameW(pkg->dll->module, module, MAX_PATH);
    char text[3 * 255 + 1];
    /* The package's own Comment, only when it can be read whole (255 characters, what
     * a client takes); its Name is the copy lsahost keeps. */
    BOOL comment_ok = info->Comment && !host_wstring_read(info->Comment, 255, text, sizeof(text));

    if (n && n < MAX_PATH) {
        if (wcsrchr(module, L'\\'))
            name = wcsrchr(module, L'\\') + 1;
        lsa_wire_put_bytes(w, LSA_FIELD_MODULE, name, wcslen(name) * sizeof(WCHAR));
    }
    lsa_wire_put_bytes(w, LSA_FIELD_NAME, host_secpkg_name(pkg),
                       wcslen(host_secpkg_name(pkg)) * sizeof(WCHAR));
    lsa_wire_put_bytes(w, LSA_FIELD_COMMENT, info->Comment,
                       comment_ok ? wcslen(info->Comment) * sizeof(WCHAR) : 0);
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
    const host_secpkg *pkg = server_package_of(m);
    LSAHOST_SECPKG_FUNCTION_TABLE *t;
    uint64_t handle = 0, address = 0;
    uint32_t attribute = 0;
    SECURITY_STATUS status = SEC_E_INVALID_HANDLE;

    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    t = host_secpkg_table(pkg);
    lsa_wire_get_u32(m, LSA_FIELD_ATTRIBUTE, &attribute);
    lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &address);
    if (!address)
        return SEC_E_INVALID_PARAMETER;
    if (lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &handle) == LSA_WIRE_OK) {
        if (!owns(c, SERVER_QUOTA_CONTEXT, pkg, handle))
            return SEC_E_INVALID_HANDLE;
        if (!t->QueryContextAttributes)
            return SEC_E_UNSUPPORTED_FUNCTION;
        host_call_begin(pkg->id, "SpQueryContextAttributes");
        status = t->QueryContextAttributes(handle, attribute, (PVOID)(ULONG_PTR)address);
        host_call_end();
    } else if (lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &handle) == LSA_WIRE_OK) {
        if (!owns(c, SERVER_QUOTA_CREDENTIAL, pkg, handle))
            return SEC_E_INVALID_HANDLE;
        if (!t->QueryCredentialsAttributes)
            return SEC_E_UNSUPPORTED_FUNCTION;
        host_call_begin(pkg->id, "SpQueryCredentialsAttributes");
        status = t->QueryCredentialsAttributes(handle, attribute, (PVOID)(ULONG_PTR)address);
        host_call_end();
    }
    host_trace("client %lu: query %llx attribute %u = %s", c->client.number,
               (unsigned long long)handle, attribute, host_sec_status_name(status));
    host_client_buffers_hand_over(&c->client);
    return status;
}

/* SetContextAttributes or SetCredentialsAttributes on a handle the client made: the
 * package gets lsahost's copy of the value (host_sspi_set_attributes), never the client's
 * address. FALSE for a request without its attribute, or a value larger than any lsahost
 * takes (the client refuses those before sending: only an attacker sends one). */
static BOOL set_attributes(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    const host_secpkg *pkg = server_package_of(m);
    uint64_t handle = 0;
    uint32_t attribute;
    const uint8_t *value;
    size_t n;
    BOOL context = lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &handle) == LSA_WIRE_OK;
    SECURITY_STATUS status;

    if (lsa_wire_get_u32(m, LSA_FIELD_ATTRIBUTE, &attribute)) {
        snprintf(c->why, sizeof(c->why), "SET_ATTRIBUTES without ATTRIBUTE");
        return FALSE;
    }
    if (lsa_wire_get_bytes(m, LSA_FIELD_VALUE, LSA_WIRE_MAX_ATTRIBUTE, &value, &n) ==
        LSA_WIRE_TOO_BIG) {
        snprintf(c->why, sizeof(c->why), "an attribute value larger than %u bytes",
                 LSA_WIRE_MAX_ATTRIBUTE);
        return FALSE;
    }
    if (!context)
        lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &handle);
    if (!pkg)
        status = SEC_E_SECPKG_NOT_FOUND;
    else if (!owns(c, context ? SERVER_QUOTA_CONTEXT : SERVER_QUOTA_CREDENTIAL, pkg, handle))
        status = SEC_E_INVALID_HANDLE;
    else
        status = host_sspi_set_attributes(pkg, context, handle, attribute, value, (ULONG)n);
    host_trace("client %lu: set %s %llx attribute %u (%lu bytes) = %s", c->client.number,
               context ? "context" : "credential", (unsigned long long)handle, attribute,
               (unsigned long)n, host_sec_status_name(status));
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    return TRUE;
}

/* What a caller of ChangeAccountPasswordW gets for the NTSTATUS the package's
 * SpChangeAccountPassword returned. Microsoft documents no mapping; lsahost's
 * (docs/architecture.md, "The newer SSPI entries"): a rejected old password or account
 * is SEC_E_LOGON_DENIED, SSPI's status for credentials that do not verify (one status
 * for both, so the caller learns nothing of which accounts exist); no memory is
 * SEC_E_INSUFFICIENT_MEMORY; any other success is SEC_E_OK (the change was made: the
 * function has no other success to return); the rest, which SSPI has no word for
 * (STATUS_ILL_FORMED_PASSWORD, STATUS_PASSWORD_RESTRICTION, a package's SEC_E_*), as
 * the package gave it. */
static SECURITY_STATUS change_password_status(NTSTATUS status)
{
    switch (status) {
    case STATUS_WRONG_PASSWORD:
    case STATUS_LOGON_FAILURE:
    case STATUS_NO_SUCH_USER:
        return SEC_E_LOGON_DENIED;
    case STATUS_NO_MEMORY:
    case STATUS_INSUFFICIENT_RESOURCES:
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return status >= 0 ? SEC_E_OK : status;
}

/* CHANGE_PASSWORD: ChangeAccountPasswordW, through the package's SpChangeAccountPassword
 * on the LSA's copies of the strings (host_sspi_change_password, which wipes them). The
 * strings stay in the request until serve_client wipes it. Every attempt runs in the
 * process's lane and is charged to its CPU budget like a handshake: each is a password
 * guess, and that budget is what bounds how fast one process guesses. FALSE (the client
 * dropped) for a request no client DLL sends: a string missing (the domain may be), over
 * LSA_WIRE_MAX_PASSWORD_STRING units or of an odd number of bytes, or an impersonating
 * flag other than 0 or 1. */
static BOOL change_password(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    static const uint16_t tags[4] = { LSA_FIELD_DOMAIN, LSA_FIELD_USER, LSA_FIELD_PASSWORD,
                                      LSA_FIELD_NEW_PASSWORD };
    static const char *const names[4] = { "DOMAIN", "USER", "PASSWORD", "NEW_PASSWORD" };
    const host_secpkg *pkg = server_package_of(m);
    const uint8_t *text[4];
    size_t n[4];
    uint32_t impersonating = 0;
    DOMAIN_PASSWORD_INFORMATION info;
    BOOL written = FALSE;
    SECURITY_STATUS status, package_status;

    _Static_assert(sizeof(info) == LSA_WIRE_PASSWORD_INFO_SIZE,
                   "DOMAIN_PASSWORD_INFORMATION travels as LSA_WIRE_PASSWORD_INFO_SIZE bytes");
    for (int i = 0; i < 4; i++) {
        lsa_wire_result r = lsa_wire_get_bytes(m, tags[i], 2 * LSA_WIRE_MAX_PASSWORD_STRING,
                                               &text[i], &n[i]);
        if ((r && !(r == LSA_WIRE_MISSING && tags[i] == LSA_FIELD_DOMAIN)) || n[i] % 2) {
            snprintf(c->why, sizeof(c->why), "CHANGE_PASSWORD with %s %s", names[i],
                     r == LSA_WIRE_MISSING ? "missing"
                     : r == LSA_WIRE_TOO_BIG ? "over 1024 UTF-16 units"
                                             : "of an odd number of bytes");
            return FALSE;
        }
    }
    if (m->fields[LSA_FIELD_IMPERSONATING].kind &&
        (lsa_wire_get_u32(m, LSA_FIELD_IMPERSONATING, &impersonating) || impersonating > 1)) {
        snprintf(c->why, sizeof(c->why), "CHANGE_PASSWORD's impersonating flag is not 0 or 1");
        return FALSE;
    }
    if (!pkg) {
        status = package_status = SEC_E_SECPKG_NOT_FOUND;
    } else {
        package_status = host_sspi_change_password(
            pkg, (const WCHAR *)text[0], (ULONG)n[0] / 2, (const WCHAR *)text[1],
            (ULONG)n[1] / 2, (const WCHAR *)text[2], (ULONG)n[2] / 2, (const WCHAR *)text[3],
            (ULONG)n[3] / 2, (BOOLEAN)impersonating, &info, &written);
        status = change_password_status(package_status);
    }
    host_trace("client %lu: change password (account of %lu chars) = %s, the package's %s%s",
               c->client.number, (unsigned long)n[1] / 2, host_sec_status_name(status),
               host_status_name(package_status), written ? ", with a password policy" : "");
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    if (written)
        lsa_wire_put_bytes(w, LSA_FIELD_PASSWORD_INFO, &info, sizeof(info));
    return TRUE;
}

/* LsaCallAuthenticationPackage: the request as the LSA gives it to a package (a copy in
 * LSA memory, and the address of the client's own copy), through LsaApCallPackage for
 * a trusted client and LsaApCallPackageUntrusted otherwise. The return buffer the
 * package allocated in the client is the client's from then on. */
static void call_package(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    const host_secpkg *pkg = server_package_of(m);
    BOOL trusted = host_client_is_trusted();
    PLSA_AP_CALL_PACKAGE entry = !pkg ? NULL
                                 : trusted ? host_secpkg_table(pkg)->CallPackage
                                           : host_secpkg_table(pkg)->CallPackageUntrusted;
    const uint8_t *request;
    size_t n = 0;
    uint64_t address = 0;
    void *copy, *ret = NULL;
    ULONG ret_len = 0;
    NTSTATUS status, protocol = STATUS_SUCCESS;

    lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &address);
    if (!pkg) {
        status = STATUS_NO_SUCH_PACKAGE;
    } else if (lsa_wire_get_bytes(m, LSA_FIELD_VALUE, 65536, &request, &n) || !n) {
        status = STATUS_INVALID_PARAMETER;
    } else if (!entry) {
        status = trusted ? STATUS_NOT_SUPPORTED : STATUS_ACCESS_DENIED;
    } else if (!(copy = host_AllocateLsaHeap((ULONG)n))) {
        status = STATUS_NO_MEMORY;
    } else {
        memcpy(copy, request, n);
        host_call_begin(pkg->id, trusted ? "LsaApCallPackage" : "LsaApCallPackageUntrusted");
        status = entry(NULL, copy, (PVOID)(ULONG_PTR)address, (ULONG)n, &ret, &ret_len, &protocol);
        host_call_end();
        SecureZeroMemory(copy, n);
        host_FreeLsaHeap(copy);
        host_client_buffers_hand_over(&c->client);
    }
    host_trace("client %lu: %s(%lu-byte request) = %s, protocol %s [package %ld]",
               c->client.number, trusted ? "LsaApCallPackage" : "LsaApCallPackageUntrusted",
               (unsigned long)n, host_status_name(status), host_status_name(protocol),
               pkg ? (long)pkg->id : -1L);
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    lsa_wire_put_u32(w, LSA_FIELD_PROTOCOL_STATUS, (uint32_t)protocol);
    lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, (uint64_t)(ULONG_PTR)ret);
    lsa_wire_put_u32(w, LSA_FIELD_LENGTH, ret_len);
}

/* A logon process must hold SeTcbPrivilege, as LsaRegisterLogonProcess requires; lsahost
 * reads the client process's token itself, whatever the client claims. */
static BOOL process_has_tcb(HANDLE process)
{
    HANDLE token;
    BOOL held;

    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return FALSE;
    held = host_token_has_tcb(token);
    CloseHandle(token);
    return held;
}

/* HELLO: the package's SecPkgInfo and its section. FALSE when the client lies about
 * which process it is. A logon process without SeTcbPrivilege is answered
 * STATUS_PORT_CONNECTION_REFUSED (LsaRegisterLogonProcess's documented status) and is
 * not admitted: its next request drops it. */
static BOOL hello(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    section_offer offer = { c, NULL, 0 };
    uint32_t pid = 0, logon_process = 0;

    /* The process the pipe says is at the other end is the one we serve. */
    if (lsa_wire_get_u32(m, LSA_FIELD_PROCESS_ID, &pid) || pid != c->client.process_id) {
        snprintf(c->why, sizeof(c->why), "HELLO names process %u, the pipe says %lu", pid,
                 c->client.process_id);
        return FALSE;
    }
    lsa_wire_get_u32(m, LSA_FIELD_LOGON_PROCESS, &logon_process);
    if (logon_process > 1) {
        snprintf(c->why, sizeof(c->why), "HELLO's logon-process flag is not 0 or 1");
        return FALSE;
    }
    if (logon_process && !process_has_tcb(c->client.process)) {
        host_say("client %lu (process %lu): refused as a logon process: its token does not "
                 "hold SeTcbPrivilege", c->client.number, c->client.process_id);
        lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)STATUS_PORT_CONNECTION_REFUSED);
        return TRUE;
    }
    c->client.logon_process = logon_process != 0;
    c->said_hello = TRUE;
    host_trace("client %lu (process %lu): HELLO as %s", c->client.number, c->client.process_id,
               logon_process ? "a logon process (SeTcbPrivilege held): trusted"
                             : "an untrusted client");
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, SEC_E_OK);
    lsa_wire_put_u32(w, LSA_FIELD_PACKAGE_COUNT, host_packages_count());
    put_info(w, host_packages_by_id(0));
    host_shm_for_each(offer_section, &offer);
    if (offer.handle) {
        lsa_wire_put_u64(w, LSA_FIELD_SECTION, (uint64_t)(ULONG_PTR)offer.handle);
        lsa_wire_put_u32(w, LSA_FIELD_SECTION_SIZE, offer.size);
    }
    return TRUE;
}

/* PACKAGE_INFO: another package's SecPkgInfo, by id; an id lsahost has no package for
 * is SEC_E_SECPKG_NOT_FOUND. */
static void package_info(const lsa_wire_message *m, lsa_wire_writer *w)
{
    const host_secpkg *pkg = server_package_of(m);

    lsa_wire_put_u32(w, LSA_FIELD_STATUS, pkg ? SEC_E_OK : (uint32_t)SEC_E_SECPKG_NOT_FOUND);
    if (pkg)
        put_info(w, pkg);
}

/* ACQUIRE: a credential, counted against the process's quota before the package makes
 * it. FALSE for a request without its use. */
static BOOL acquire(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    const host_secpkg *pkg = server_package_of(m);
    LSAHOST_SECPKG_FUNCTION_TABLE *t = pkg ? host_secpkg_table(pkg) : NULL;
    LSA_SEC_HANDLE cred = 0;
    TimeStamp expiry;
    uint32_t use;
    uint64_t identity = 0;
    SECURITY_STATUS status;

    if (lsa_wire_get_u32(m, LSA_FIELD_USE, &use)) {
        snprintf(c->why, sizeof(c->why), "ACQUIRE without USE");
        return FALSE;
    }
    lsa_wire_get_u64(m, LSA_FIELD_IDENTITY, &identity);
    if (!t) {
        status = SEC_E_SECPKG_NOT_FOUND;
    } else if (!t->AcquireCredentialsHandle) {
        status = SEC_E_UNSUPPORTED_FUNCTION;
    } else if (!may_hold_another(c, SERVER_QUOTA_CREDENTIAL)) {
        status = SEC_E_INSUFFICIENT_MEMORY;
    } else {
        /* The identity stays in the client; the package reads it from there with
         * CopyFromClientBuffer, as on Windows. */
        host_call_begin(pkg->id, "SpAcquireCredentialsHandle");
        status = t->AcquireCredentialsHandle(NULL, use, NULL, (PVOID)(ULONG_PTR)identity,
                                             NULL, NULL, &cred, &expiry);
        host_call_end();
        if (status == SEC_E_OK)
            remember(c, SERVER_QUOTA_CREDENTIAL, pkg, cred);
        else
            server_process_give(c->process, SERVER_QUOTA_CREDENTIAL);
        host_trace("client %lu: SpAcquireCredentialsHandle(use %u) = %s, %llx [package %lu]",
                   c->client.number, use, host_sec_status_name(status),
                   (unsigned long long)cred, pkg->id);
    }
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    lsa_wire_put_u64(w, LSA_FIELD_CREDENTIAL, status == SEC_E_OK ? cred : 0);
    return TRUE;
}

/* INIT or ACCEPT: one context step. A first step counts a context against the process's
 * quota before the package makes it. FALSE for a token larger than any we take. */
static BOOL step(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    static __thread host_token in, out;
    static __thread BYTE bindings[LSA_WIRE_MAX_CHANNEL_BINDINGS];
    LSA_SEC_HANDLE cred = 0, ctx = 0;
    const uint8_t *token, *bindings_in;
    size_t n, bindings_len;
    ULONG attributes = 0;
    SecBuffer packed = { 0, 0, NULL };
    HANDLE shared = NULL;
    uint32_t flags = 0;
    SECURITY_STATUS status;
    const host_secpkg *pkg = server_package_of(m);

    lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &cred);
    lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &ctx);
    lsa_wire_get_u32(m, LSA_FIELD_FLAGS, &flags);
    if (lsa_wire_get_bytes(m, LSA_FIELD_TOKEN, sizeof(in.data), &token, &n) ==
        LSA_WIRE_TOO_BIG) {
        snprintf(c->why, sizeof(c->why), "a token larger than %u bytes",
                 (unsigned)sizeof(in.data));
        return FALSE;
    }
    if (lsa_wire_get_bytes(m, LSA_FIELD_CHANNEL_BINDINGS, sizeof(bindings), &bindings_in,
                           &bindings_len) == LSA_WIRE_TOO_BIG) {
        snprintf(c->why, sizeof(c->why), "channel bindings larger than %u bytes",
                 (unsigned)sizeof(bindings));
        return FALSE;
    }
    if (bindings_in)
        memcpy(bindings, bindings_in, bindings_len);
    memcpy(in.data, token ? token : (const uint8_t *)"", n);
    in.length = (ULONG)n;
    out.length = 0;
    if (!pkg) {
        status = SEC_E_SECPKG_NOT_FOUND;
    } else if (ctx ? !owns(c, SERVER_QUOTA_CONTEXT, pkg, ctx)
                   : !owns(c, SERVER_QUOTA_CREDENTIAL, pkg, cred)) {
        status = SEC_E_INVALID_HANDLE;
    } else if (!ctx && !may_hold_another(c, SERVER_QUOTA_CONTEXT)) {
        status = SEC_E_INSUFFICIENT_MEMORY;
    } else {
        BOOL first = ctx == 0;
        status = host_sspi_step(pkg, m->type == LSA_WIRE_ACCEPT, cred, &ctx, flags, NULL,
                                token ? &in : NULL, bindings_in ? bindings : NULL,
                                (ULONG)bindings_len, &out, &attributes, &packed);
        if (first && ctx)
            remember(c, SERVER_QUOTA_CONTEXT, pkg, ctx);
        else if (first)
            server_process_give(c->process, SERVER_QUOTA_CONTEXT);
    }
    if (packed.pvBuffer) {
        shared = SHAllocShared(packed.pvBuffer, packed.cbBuffer, c->client.process_id);
        SecureZeroMemory(packed.pvBuffer, packed.cbBuffer);
        host_FreeLsaHeap(packed.pvBuffer);
        if (!shared && status == SEC_E_OK)
            status = SEC_E_INSUFFICIENT_MEMORY;
    }
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    lsa_wire_put_u64(w, LSA_FIELD_CONTEXT, ctx);
    lsa_wire_put_u32(w, LSA_FIELD_ATTRIBUTES, attributes);
    if (out.length)
        lsa_wire_put_bytes(w, LSA_FIELD_TOKEN, out.data, out.length);
    if (shared) {
        lsa_wire_put_u64(w, LSA_FIELD_PACKED_HANDLE, (uint64_t)(ULONG_PTR)shared);
        lsa_wire_put_u32(w, LSA_FIELD_PACKED_SIZE, packed.cbBuffer);
    }
    return TRUE;
}

/* CPU time this thread has used, in microseconds. */
static ULONG64 thread_cpu_us(void)
{
    FILETIME created, exited, kernel, user;

    if (!GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user))
        return 0;
    return ((((ULONG64)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime) +
            (((ULONG64)user.dwHighDateTime << 32) | user.dwLowDateTime)) / 10;
}

BOOL server_answer(server_client *c, const lsa_wire_message *m, size_t *out_len)
{
    ULONG64 cpu = 0;
    lsa_wire_writer w;
    uint16_t type = m->type;
    uint64_t handle = 0;
    SECURITY_STATUS status;
    BOOL stay = TRUE;
    const host_secpkg *pkg = server_package_of(m);

    if (type != LSA_WIRE_HELLO && !c->said_hello) {
        snprintf(c->why, sizeof(c->why), "request %u before HELLO", type);
        return FALSE;
    }
    lsa_wire_begin(&w, c->out, sizeof(c->out), (uint16_t)(type | LSA_WIRE_ANSWER), m->call);
    /* HELLO and PACKAGE_INFO ask nothing of a package; everything else goes through the
     * lane, and waits there while the process has spent its CPU budget. */
    BOOL in_lane = type != LSA_WIRE_HELLO && type != LSA_WIRE_PACKAGE_INFO;
    if (in_lane) {
        DWORD wait;
        server_process_enter_lane(c->process);
        if ((wait = server_process_budget_wait(c->process)) != 0) {
            host_trace("client %lu (process %lu): over its CPU budget, waits %lu ms",
                       c->client.number, c->client.process_id, wait);
            if (WaitForSingleObject(c->wake, wait) == WAIT_OBJECT_0) {
                server_process_leave_lane(c->process);
                snprintf(c->why, sizeof(c->why), "woken while waiting for its CPU budget");
                return FALSE;
            }
        }
        cpu = thread_cpu_us();
    }
    switch (type) {
    case LSA_WIRE_HELLO:
        stay = hello(c, m, &w);
        break;
    case LSA_WIRE_ACQUIRE:
        stay = acquire(c, m, &w);
        break;
    case LSA_WIRE_PACKAGE_INFO:
        package_info(m, &w);
        break;
    case LSA_WIRE_FREE_CREDENTIAL:
        lsa_wire_get_u64(m, LSA_FIELD_CREDENTIAL, &handle);
        status = owns(c, SERVER_QUOTA_CREDENTIAL, pkg, handle) ? free_credential(c, pkg, handle)
                                                               : SEC_E_INVALID_HANDLE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        break;
    case LSA_WIRE_INIT:
    case LSA_WIRE_ACCEPT:
        stay = step(c, m, &w);
        break;
    case LSA_WIRE_QUERY:
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)query(c, m));
        break;
    case LSA_WIRE_CALL_PACKAGE:
        call_package(c, m, &w);
        break;
    case LSA_WIRE_SET_ATTRIBUTES:
        stay = set_attributes(c, m, &w);
        break;
    case LSA_WIRE_CHANGE_PASSWORD:
        stay = change_password(c, m, &w);
        break;
    case LSA_WIRE_LOGON:
        stay = server_logon_user(c, m, &w);
        break;
    case LSA_WIRE_DELETE:
        lsa_wire_get_u64(m, LSA_FIELD_CONTEXT, &handle);
        status = owns(c, SERVER_QUOTA_CONTEXT, pkg, handle) ? delete_context(c, pkg, handle)
                                                            : SEC_E_INVALID_HANDLE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)status);
        break;
    default:
        snprintf(c->why, sizeof(c->why), "message type %u is not a request", type);
        stay = FALSE;
    }
    if (in_lane) {
        server_process_charge(c->process, thread_cpu_us() - cpu);
        server_process_leave_lane(c->process);
    }
    if (!stay)
        return FALSE;
    *out_len = lsa_wire_finish(&w);
    if (!*out_len) {
        snprintf(c->why, sizeof(c->why), "cannot write the answer (%s)",
                 lsa_wire_result_text(w.error));
        return FALSE;
    }
    return TRUE;
}

/* Releases every handle of one kind the client holds; returns how many. */
static ULONG release_all(server_client *c, server_quota_kind kind)
{
    ULONG n, released = 0;
    server_handle *list = list_of(c, kind, &n);

    for (ULONG i = 0; i < n; i++) {
        if (!list[i].handle)
            continue;
        if (kind == SERVER_QUOTA_CONTEXT)
            delete_context(c, list[i].pkg, list[i].handle);
        else
            free_credential(c, list[i].pkg, list[i].handle);
        released++;
    }
    return released;
}

void server_clean_up(server_client *c)
{
    ULONG contexts, creds, logons, buffers;

    server_process_enter_lane(c->process);
    contexts = release_all(c, SERVER_QUOTA_CONTEXT);
    creds = release_all(c, SERVER_QUOTA_CREDENTIAL);
    logons = server_logons_end(c);
    buffers = host_client_buffers_release_client(&c->client);
    server_process_leave_lane(c->process);
    host_say("client %lu (process %lu) gone%s%s: deleted %lu context(s), freed %lu "
             "credential(s), ended %lu logon session(s), forgot %lu client buffer(s)",
             c->client.number, c->client.process_id, c->why[0] ? ", dropped: " : "", c->why,
             contexts, creds, logons, buffers);
}
