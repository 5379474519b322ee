/* host_credentials.c - AddCredential, GetCredentials, DeleteCredential: credentials per
 * logon session and authentication package, each with a primary key, as the LSA keeps
 * them for packages such as MSV1_0 (LSA_GET_CREDENTIALS' documentation).
 *
 * Credentials are kept in lsahost's own memory, protected (LsaProtectMemory) while they
 * rest, in the order they were added. GetCredentials' QueryContext is the position after
 * the credential last returned in that order. They go when their logon session goes. */
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_identity.h"
#include "../host_trace.h"

#include <string.h>

#define MAX_CREDENTIALS 4096

typedef struct credential {
    LUID logon;
    ULONG package;
    USHORT key_length, value_length;
    BYTE *key;
    BYTE *value; /* protected */
} credential;

static credential creds[MAX_CREDENTIALS];
static ULONG cred_count;
static SRWLOCK lock = SRWLOCK_INIT;

static BOOL string_readable(const LSA_STRING *s)
{
    return host_memory_readable(s, sizeof(*s)) &&
           (s->Length == 0 || host_memory_readable(s->Buffer, s->Length));
}

static BOOL key_matches(const credential *c, const LSA_STRING *key)
{
    return c->key_length == key->Length && !memcmp(c->key, key->Buffer, key->Length);
}

static void forget(ULONG at)
{
    SecureZeroMemory(creds[at].value, creds[at].value_length);
    HeapFree(GetProcessHeap(), 0, creds[at].key);
    HeapFree(GetProcessHeap(), 0, creds[at].value);
    memmove(&creds[at], &creds[at + 1], (cred_count - at - 1) * sizeof(creds[0]));
    cred_count--;
}

static void trace_result(const char *name, const LUID *id, ULONG package, NTSTATUS status)
{
    char logon[24];

    host_trace("%s(LogonId=%s, AuthenticationPackage=%lu) = %s", name,
               host_luid_format(id, logon), package, host_status_name(status));
}

NTSTATUS NTAPI host_AddCredential(PLUID LogonId, ULONG AuthenticationPackage,
                                  PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials)
{
    NTSTATUS status = STATUS_SUCCESS;
    BYTE *key = NULL, *value = NULL;

    if (!PrimaryKeyValue || !Credentials || !string_readable(PrimaryKeyValue) ||
        !string_readable(Credentials)) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if ((status = host_logon_session_check(LogonId)))
        goto done;
    key = HeapAlloc(GetProcessHeap(), 0, PrimaryKeyValue->Length + 1u);
    value = HeapAlloc(GetProcessHeap(), 0, Credentials->Length + 1u);
    if (!key || !value) {
        status = STATUS_NO_MEMORY;
        goto done;
    }
    memcpy(key, PrimaryKeyValue->Buffer, PrimaryKeyValue->Length);
    memcpy(value, Credentials->Buffer, Credentials->Length);
    host_LsaProtectMemory(value, Credentials->Length);
    AcquireSRWLockExclusive(&lock);
    if (cred_count == MAX_CREDENTIALS)
        status = STATUS_INSUFFICIENT_RESOURCES;
    else {
        credential *c = &creds[cred_count++];
        c->logon = *LogonId;
        c->package = AuthenticationPackage;
        c->key = key;
        c->key_length = PrimaryKeyValue->Length;
        c->value = value;
        c->value_length = Credentials->Length;
        key = value = NULL;
    }
    ReleaseSRWLockExclusive(&lock);

done:
    if (value)
        SecureZeroMemory(value, Credentials->Length);
    HeapFree(GetProcessHeap(), 0, key);
    HeapFree(GetProcessHeap(), 0, value);
    trace_result("AddCredential", LogonId, AuthenticationPackage, status);
    return status;
}

NTSTATUS NTAPI host_GetCredentials(PLUID LogonId, ULONG AuthenticationPackage,
                                   PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                   PLSA_STRING PrimaryKeyValue, PULONG PrimaryKeyLength,
                                   PLSA_STRING Credentials)
{
    NTSTATUS status = STATUS_NO_MORE_ENTRIES;
    const credential *found = NULL;
    ULONG at;

    if (!QueryContext || !Credentials || !PrimaryKeyValue ||
        !host_memory_readable(PrimaryKeyValue, sizeof(*PrimaryKeyValue)) ||
        (!RetrieveAllCredentials && !string_readable(PrimaryKeyValue))) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if ((status = host_logon_session_check(LogonId)))
        goto done;
    status = STATUS_NO_MORE_ENTRIES;
    AcquireSRWLockShared(&lock);
    for (at = *QueryContext; at < cred_count; at++) {
        const credential *c = &creds[at];
        if (host_luid_equal(&c->logon, LogonId) && c->package == AuthenticationPackage &&
            (RetrieveAllCredentials || key_matches(c, PrimaryKeyValue))) {
            found = c;
            break;
        }
    }
    if (found && RetrieveAllCredentials) {
        /* The key comes back in the caller's string; one too small gets
         * STATUS_MORE_ENTRIES, the length it needs, and an unchanged QueryContext. */
        if (PrimaryKeyLength)
            *PrimaryKeyLength = found->key_length;
        if (PrimaryKeyValue->MaximumLength < found->key_length) {
            status = STATUS_MORE_ENTRIES;
            found = NULL;
        } else {
            memcpy(PrimaryKeyValue->Buffer, found->key, found->key_length);
            PrimaryKeyValue->Length = found->key_length;
        }
    }
    if (found) {
        /* One credential per call, in LSA heap the caller frees with FreeLsaHeap. */
        BYTE *copy = host_AllocateLsaHeap(found->value_length ? found->value_length : 1);
        if (!copy)
            status = STATUS_NO_MEMORY;
        else {
            memcpy(copy, found->value, found->value_length);
            host_LsaUnprotectMemory(copy, found->value_length);
            Credentials->Buffer = (PCHAR)copy;
            Credentials->Length = Credentials->MaximumLength = found->value_length;
            *QueryContext = at + 1;
            status = STATUS_SUCCESS;
        }
    }
    ReleaseSRWLockShared(&lock);

done:
    trace_result("GetCredentials", LogonId, AuthenticationPackage, status);
    return status;
}

NTSTATUS NTAPI host_DeleteCredential(PLUID LogonId, ULONG AuthenticationPackage,
                                     PLSA_STRING PrimaryKeyValue)
{
    NTSTATUS status = STATUS_NOT_FOUND;

    if (!PrimaryKeyValue || !string_readable(PrimaryKeyValue)) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if ((status = host_logon_session_check(LogonId)))
        goto done;
    status = STATUS_NOT_FOUND;
    /* Every credential of the package with that key in the session. */
    AcquireSRWLockExclusive(&lock);
    for (ULONG at = cred_count; at-- > 0;)
        if (host_luid_equal(&creds[at].logon, LogonId) && creds[at].package == AuthenticationPackage &&
            key_matches(&creds[at], PrimaryKeyValue)) {
            forget(at);
            status = STATUS_SUCCESS;
        }
    ReleaseSRWLockExclusive(&lock);

done:
    trace_result("DeleteCredential", LogonId, AuthenticationPackage, status);
    return status;
}

void host_credentials_forget_logon(const LUID *id)
{
    AcquireSRWLockExclusive(&lock);
    for (ULONG at = cred_count; at-- > 0;)
        if (host_luid_equal(&creds[at].logon, id))
            forget(at);
    ReleaseSRWLockExclusive(&lock);
}

ULONG host_credentials_count(const LUID *id)
{
    ULONG n = 0;

    AcquireSRWLockShared(&lock);
    for (ULONG at = 0; at < cred_count; at++)
        n += host_luid_equal(&creds[at].logon, id);
    ReleaseSRWLockShared(&lock);
    return n;
}
