/* host_call_package.c - one package calling another: CallPackage, CallPackageEx and
 * CallPackagePassthrough (LSA_CALL_PACKAGE, LSA_CALL_PACKAGEEX and
 * LSA_CALL_PACKAGE_PASSTHROUGH in ntsecpkg.h), and FreeReturnBuffer
 * (LSA_FREE_RETURN_BUFFER) for what they return.
 *
 * The target is named by its SecPkgInfo Name, compared without regard to case, as
 * SSPI compares names; a name no started package has is STATUS_NO_SUCH_PACKAGE, the
 * failure the documentation gives. The documentation does not say which entry of the
 * target each one reaches; lsahost's reading: CallPackage and CallPackageEx reach
 * LsaApCallPackage (the caller is a package inside the LSA, trusted), CallPackagePassthrough
 * reaches LsaApCallPackagePassthrough. A target without that entry: STATUS_NOT_SUPPORTED.
 *
 * The caller is the LSA itself for the duration of the call, as a package calling
 * from inside lsass is: the target gets the request in LSA heap memory, its client-memory
 * callbacks act on lsahost's own client buffers, and its return buffer
 * (AllocateClientBuffer) is in lsahost, where the calling package can read it. That
 * buffer is the caller's to free with FreeReturnBuffer, and charged to it until then
 * (a leak names it). CallPackage has no ClientBufferBase: the request is also copied
 * into a client buffer, whose address is the one the target gets. CallPackageEx and
 * CallPackagePassthrough hand on the caller's ClientBufferBase unchanged, for the target
 * to relocate pointers inside the request with; it is never read.
 *
 * Everything the calling package passes is hostile: the name's UNICODE_STRING and its
 * buffer must be readable for its Length, which must be even and at most
 * MAX_NAME_BYTES; the request must be readable for its length (at most MAX_SUBMIT); the
 * three outputs must be writable. Each refusal is a status and a sentence. */
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_identity.h"
#include "../packages/host_packages.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

/* Longer than any package name (SecPkgInfo names are short); a longer one names
 * nothing. */
#define MAX_NAME_BYTES 512
/* lsahost's own ceiling on a request between packages. */
#define MAX_SUBMIT (1u << 20)
/* Packages calling packages calling packages: past this depth (a package calling itself
 * for ever, say) the call is refused rather than the thread's stack exhausted. */
#define MAX_NESTING 8
/* Return buffers not yet freed, across all packages. */
#define MAX_RETURN_BUFFERS 256

typedef enum call_kind { CALL_PACKAGE, CALL_PACKAGE_EX, CALL_PACKAGE_PASSTHROUGH } call_kind;

static const char *const kind_names[] = { "CallPackage", "CallPackageEx",
                                          "CallPackagePassthrough" };

typedef struct return_buffer {
    PVOID base;                 /* in lsahost; NULL: a free slot */
    ULONG length;
    ULONG caller, target;       /* package ids */
} return_buffer;

static return_buffer returned[MAX_RETURN_BUFFERS];
static SRWLOCK returned_lock = SRWLOCK_INIT;
static __thread ULONG nesting;

/* The target's name, read from the caller's UNICODE_STRING into `name` (terminated). */
static NTSTATUS read_name(const UNICODE_STRING *s, WCHAR name[MAX_NAME_BYTES / 2 + 1],
                          char *why, size_t why_size)
{
    UNICODE_STRING copy;

    if (!s) {
        snprintf(why, why_size, "AuthenticationPackage is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    if (!host_memory_readable(s, sizeof(*s))) {
        snprintf(why, why_size, "AuthenticationPackage at %p is not readable", (void *)s);
        return STATUS_ACCESS_VIOLATION;
    }
    copy = *s;
    if (copy.Length % sizeof(WCHAR) || copy.Length > MAX_NAME_BYTES) {
        snprintf(why, why_size, "AuthenticationPackage's Length %u is %s", copy.Length,
                 copy.Length % sizeof(WCHAR) ? "odd (not a count of UTF-16 bytes)"
                                             : "longer than any package name");
        return STATUS_INVALID_PARAMETER;
    }
    if (copy.Length && !host_memory_readable(copy.Buffer, copy.Length)) {
        snprintf(why, why_size, "AuthenticationPackage's %u bytes at %p are not readable",
                 copy.Length, (void *)copy.Buffer);
        return STATUS_ACCESS_VIOLATION;
    }
    memcpy(name, copy.Buffer, copy.Length);
    name[copy.Length / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

/* Keeps a return buffer for FreeReturnBuffer, charged to the caller. FALSE when the
 * table is full. */
static BOOL remember(PVOID base, ULONG length, ULONG caller, ULONG target)
{
    BOOL kept = FALSE;

    AcquireSRWLockExclusive(&returned_lock);
    for (ULONG i = 0; i < MAX_RETURN_BUFFERS && !kept; i++) {
        if (!returned[i].base) {
            returned[i] = (return_buffer){ base, length, caller, target };
            host_account_acquire(HOST_RES_RETURN_BUFFER, length, caller);
            kept = TRUE;
        }
    }
    ReleaseSRWLockExclusive(&returned_lock);
    return kept;
}

/* Frees a client buffer of lsahost's own (the LSA's), whichever client the thread is
 * serving. */
static NTSTATUS free_own_client_buffer(PVOID base)
{
    host_client *client = host_client_current();
    NTSTATUS status;

    host_client_set_current(NULL);
    status = host_FreeClientBuffer(NULL, base);
    host_client_set_current(client);
    return status;
}

static NTSTATUS call(call_kind kind, PUNICODE_STRING package, PVOID client_base,
                     PVOID submit, ULONG length, PVOID *ret, PULONG ret_length,
                     PNTSTATUS protocol)
{
    WCHAR name[MAX_NAME_BYTES / 2 + 1] = L"";
    char why[160] = "", who[96], from[96];
    const host_secpkg *target = NULL;
    LSAHOST_SECPKG_FUNCTION_TABLE *t;
    PLSA_AP_CALL_PACKAGE entry;
    host_client *client = host_client_current();
    ULONG caller = host_call_package(), answer_length = 0;
    PVOID copy = NULL, client_copy = NULL, answer = NULL;
    NTSTATUS status, inner = STATUS_SUCCESS;

    if (!ret || !ret_length || !protocol) {
        snprintf(why, sizeof(why), "an output pointer is NULL");
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (!host_memory_writable(ret, sizeof(*ret)) ||
        !host_memory_writable(ret_length, sizeof(*ret_length)) ||
        !host_memory_writable(protocol, sizeof(*protocol))) {
        snprintf(why, sizeof(why), "an output pointer is not writable memory");
        status = STATUS_ACCESS_VIOLATION;
        goto done;
    }
    *ret = NULL;
    *ret_length = 0;
    *protocol = STATUS_SUCCESS;
    if ((status = read_name(package, name, why, sizeof(why))) != STATUS_SUCCESS)
        goto done;
    if (length > MAX_SUBMIT) {
        snprintf(why, sizeof(why), "a %lu-byte request is more than lsahost passes between "
                 "packages (%u)", length, MAX_SUBMIT);
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (length && !host_memory_readable(submit, length)) {
        snprintf(why, sizeof(why), "the %lu-byte request at %p is not readable", length, submit);
        status = STATUS_ACCESS_VIOLATION;
        goto done;
    }
    if (!(target = host_packages_find(name, wcslen(name)))) {
        status = STATUS_NO_SUCH_PACKAGE;
        goto done;
    }
    t = host_secpkg_table(target);
    entry = kind == CALL_PACKAGE_PASSTHROUGH ? t->CallPackagePassthrough : t->CallPackage;
    if (!entry) {
        snprintf(why, sizeof(why), "%s has no %s", host_account_package_text(target->id, who,
                 sizeof(who)), kind == CALL_PACKAGE_PASSTHROUGH ?
                 "LsaApCallPackagePassthrough" : "LsaApCallPackage");
        status = STATUS_NOT_SUPPORTED;
        goto done;
    }
    if (nesting >= MAX_NESTING) {
        snprintf(why, sizeof(why), "packages calling packages %d deep", MAX_NESTING);
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto done;
    }

    /* The LSA is the client now: its own client buffers, its own return buffer. */
    host_client_set_current(NULL);
    if (!(copy = host_AllocateLsaHeap(length ? length : 1)) ||
        (kind == CALL_PACKAGE &&
         host_AllocateClientBuffer(NULL, length ? length : 1, &client_copy) != STATUS_SUCCESS)) {
        snprintf(why, sizeof(why), "lsahost is out of memory");
        status = STATUS_NO_MEMORY;
    } else {
        memcpy(copy, submit, length);
        if (client_copy) {
            memcpy(client_copy, submit, length);
            client_base = client_copy;
        }
        nesting++;
        host_call_begin(target->id, kind == CALL_PACKAGE_PASSTHROUGH ?
                        "LsaApCallPackagePassthrough" : "LsaApCallPackage");
        status = entry(NULL, copy, client_base, length, &answer, &answer_length, &inner);
        host_call_end();
        nesting--;
    }
    if (copy) {
        SecureZeroMemory(copy, length);
        host_FreeLsaHeap(copy);
    }
    if (client_copy) {
        SecureZeroMemory(client_copy, length);
        host_FreeClientBuffer(NULL, client_copy);
    }
    host_client_set_current(client);
    /* The answer is the caller's to free, with FreeReturnBuffer. */
    if (answer && !remember(answer, answer_length, caller, target->id)) {
        free_own_client_buffer(answer);
        answer = NULL;
        answer_length = 0;
        if (status == STATUS_SUCCESS)
            status = STATUS_INSUFFICIENT_RESOURCES;
        snprintf(why, sizeof(why), "%d return buffers are not freed yet", MAX_RETURN_BUFFERS);
    }
    *ret = answer;
    *ret_length = answer ? answer_length : 0;
    *protocol = inner;

done:
    if (why[0])
        host_say("%s refused: %s: %s", kind_names[kind], why, host_status_name(status));
    host_trace("%s(AuthenticationPackage=\"%.64ls\"%s%s, %lu-byte request) = %s, protocol "
               "status %s, %lu-byte return buffer %p [from %s]", kind_names[kind], name,
               target ? " = " : "", target ? host_account_package_text(target->id, who,
               sizeof(who)) : "", length, host_status_name(status), host_status_name(inner),
               answer_length, answer, host_account_package_text(caller, from, sizeof(from)));
    return status;
}

NTSTATUS NTAPI host_CallPackage(PUNICODE_STRING AuthenticationPackage,
                                PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    return call(CALL_PACKAGE, AuthenticationPackage, NULL, ProtocolSubmitBuffer,
                SubmitBufferLength, ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}

NTSTATUS NTAPI host_CallPackageEx(PUNICODE_STRING AuthenticationPackage, PVOID ClientBufferBase,
                                  PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                  PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                  PNTSTATUS ProtocolStatus)
{
    return call(CALL_PACKAGE_EX, AuthenticationPackage, ClientBufferBase, ProtocolSubmitBuffer,
                SubmitBufferLength, ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}

NTSTATUS NTAPI host_CallPackagePassthrough(PUNICODE_STRING AuthenticationPackage,
                                           PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                           ULONG SubmitBufferLength,
                                           PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return call(CALL_PACKAGE_PASSTHROUGH, AuthenticationPackage, ClientBufferBase,
                ProtocolSubmitBuffer, SubmitBufferLength, ProtocolReturnBuffer,
                ReturnBufferLength, ProtocolStatus);
}

/* Only what a CallPackage* returned, once: anything else is refused and said. */
VOID NTAPI host_FreeReturnBuffer(PVOID Buffer)
{
    return_buffer found = { NULL, 0, 0, 0 };
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    AcquireSRWLockExclusive(&returned_lock);
    for (ULONG i = 0; Buffer && i < MAX_RETURN_BUFFERS && !found.base; i++) {
        if (returned[i].base == Buffer) {
            found = returned[i];
            returned[i].base = NULL;
        }
    }
    ReleaseSRWLockExclusive(&returned_lock);
    if (found.base) {
        host_account_release(HOST_RES_RETURN_BUFFER, found.length, found.caller);
        status = free_own_client_buffer(found.base);
    } else if (Buffer) {
        host_say("refused: FreeReturnBuffer of %p, which is no CallPackage return buffer "
                 "not yet freed", Buffer);
    }
    host_trace("FreeReturnBuffer(Buffer=%p)%s", Buffer,
               found.base ? (status == STATUS_SUCCESS ? "" : " (not a client buffer)")
                          : Buffer ? " refused" : "");
}

ULONG host_return_buffers_of_package(ULONG caller)
{
    ULONG held = 0;

    AcquireSRWLockShared(&returned_lock);
    for (ULONG i = 0; i < MAX_RETURN_BUFFERS; i++)
        held += returned[i].base && returned[i].caller == caller;
    ReleaseSRWLockShared(&returned_lock);
    return held;
}

void host_return_buffers_release_all(void)
{
    char caller[96], target[96];

    AcquireSRWLockExclusive(&returned_lock);
    for (ULONG i = 0; i < MAX_RETURN_BUFFERS; i++) {
        if (!returned[i].base)
            continue;
        host_say("leak: CallPackage return buffer %p, %lu bytes, from %s, never freed by %s "
                 "with FreeReturnBuffer", returned[i].base, returned[i].length,
                 host_account_package_text(returned[i].target, target, sizeof(target)),
                 host_account_package_text(returned[i].caller, caller, sizeof(caller)));
        host_account_release(HOST_RES_RETURN_BUFFER, returned[i].length, returned[i].caller);
        returned[i].base = NULL;
    }
    ReleaseSRWLockExclusive(&returned_lock);
}
