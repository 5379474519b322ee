/* host_logon_credentials.c - what the LSA does with the credentials a logon returns
 * (see host_logon_credentials.h). */
#include "host_logon_credentials.h"
#include "host_callbacks.h"
#include "host_heap.h"
#include "../host_trace.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Whether the package returned any primary credentials at all: LsaApLogonUserEx2's
 * caller zeroes the structure, and a package with nothing to hand leaves it so. */
static BOOL returned_nothing(const SECPKG_PRIMARY_CRED *p)
{
    static const SECPKG_PRIMARY_CRED none;
    return !memcmp(p, &none, sizeof(none));
}

/* The primary credentials, every member read as hostile. */
static NTSTATUS check_primary(const SECPKG_PRIMARY_CRED *p, const LUID *logon, char *why,
                              size_t why_size)
{
    const struct { const UNICODE_STRING *s; const char *name; } strings[] = {
        { &p->DownlevelName, "PrimaryCredentials.DownlevelName" },
        { &p->DomainName, "PrimaryCredentials.DomainName" },
        { &p->Password, "PrimaryCredentials.Password" },
        { &p->OldPassword, "PrimaryCredentials.OldPassword" },
        { &p->DnsDomainName, "PrimaryCredentials.DnsDomainName" },
        { &p->Upn, "PrimaryCredentials.Upn" },
        { &p->LogonServer, "PrimaryCredentials.LogonServer" },
    };
    NTSTATUS status;

    /* Credentials named for another session would reach the packages as that session's:
     * a package could then sign someone else on with them. */
    if (p->LogonId.LowPart != logon->LowPart || p->LogonId.HighPart != logon->HighPart) {
        snprintf(why, why_size, "PrimaryCredentials.LogonId %08lx:%08lx is not the new "
                 "session's (%08lx:%08lx)", (unsigned long)p->LogonId.HighPart,
                 p->LogonId.LowPart, (unsigned long)logon->HighPart, logon->LowPart);
        return STATUS_INVALID_PARAMETER;
    }
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if ((status = host_unicode_check(strings[i].s, strings[i].name, why, why_size)))
            return status;
    if (p->UserSid && (status = host_sid_check(p->UserSid))) {
        snprintf(why, why_size, "PrimaryCredentials.UserSid at %p is %s", p->UserSid,
                 status == STATUS_ACCESS_VIOLATION ? "not readable" : "malformed");
        return status;
    }
    return STATUS_SUCCESS;
}

/* The supplemental credentials: one LSA heap block holding the array, each entry's name
 * and bytes readable. */
static NTSTATUS check_supplemental(const SECPKG_SUPPLEMENTAL_CRED_ARRAY *a, char *why,
                                   size_t why_size)
{
    SIZE_T size = host_heap_block_size(HOST_HEAP_LSA, a), head;
    char member[64];
    NTSTATUS status;

    if (!a)
        return STATUS_SUCCESS;
    head = offsetof(SECPKG_SUPPLEMENTAL_CRED_ARRAY, Credentials);
    if (size < head) {
        snprintf(why, why_size, "SupplementalCredentials at %p is not a block of the LSA heap "
                 "large enough for its count", (const void *)a);
        return STATUS_INVALID_PARAMETER;
    }
    if (a->CredentialCount > (size - head) / sizeof(SECPKG_SUPPLEMENTAL_CRED)) {
        snprintf(why, why_size, "SupplementalCredentials counts %lu entries; its %llu-byte "
                 "block holds %llu", a->CredentialCount, (unsigned long long)size,
                 (unsigned long long)((size - head) / sizeof(SECPKG_SUPPLEMENTAL_CRED)));
        return STATUS_INVALID_PARAMETER;
    }
    for (ULONG i = 0; i < a->CredentialCount; i++) {
        const SECPKG_SUPPLEMENTAL_CRED *c = &a->Credentials[i];
        snprintf(member, sizeof(member), "SupplementalCredentials[%lu].PackageName", i);
        if ((status = host_unicode_check(&c->PackageName, member, why, why_size)))
            return status;
        if (c->CredentialSize && !host_memory_readable(c->Credentials, c->CredentialSize)) {
            snprintf(why, why_size, "SupplementalCredentials[%lu]'s %lu bytes at %p are not "
                     "readable memory", i, c->CredentialSize, (void *)c->Credentials);
            return STATUS_ACCESS_VIOLATION;
        }
    }
    return STATUS_SUCCESS;
}

/* The entry of the array named for `pkg`, or NULL. */
static PSECPKG_SUPPLEMENTAL_CRED supplemental_for(PSECPKG_SUPPLEMENTAL_CRED_ARRAY a,
                                                  const host_secpkg *pkg)
{
    for (ULONG i = 0; a && i < a->CredentialCount; i++) {
        const UNICODE_STRING *name = &a->Credentials[i].PackageName;
        if (host_packages_find(name->Buffer, name->Length / sizeof(WCHAR)) == pkg)
            return &a->Credentials[i];
    }
    return NULL;
}

static void append(char *out, size_t size, const char *fmt, ...)
{
    size_t used = strlen(out);
    va_list ap;

    if (used >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(out + used, size - used, fmt, ap);
    va_end(ap);
}

void host_logon_hand_credentials(const host_secpkg *from, SECURITY_LOGON_TYPE type,
                                 PUNICODE_STRING account, PSECPKG_PRIMARY_CRED primary,
                                 PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental,
                                 const LUID *logon, char *said, size_t said_size)
{
    char why[256], name[128];
    NTSTATUS status;
    ULONG handed = 0;

    said[0] = '\0';
    if (returned_nothing(primary) && !supplemental) {
        snprintf(said, said_size, "none (the package returned no primary credentials)");
        return;
    }
    if ((status = check_primary(primary, logon, why, sizeof(why))) ||
        (status = check_supplemental(supplemental, why, sizeof(why))) ||
        (account && (status = host_unicode_check(account, "AccountName", why, sizeof(why))))) {
        snprintf(said, said_size, "none: %s (%s)", why, host_status_name(status));
        host_say("the logon's credentials are handed to no package: %s", why);
        return;
    }
    host_unicode_format(account, name, sizeof(name));
    for (ULONG id = 0; id < host_packages_count(); id++) {
        const host_secpkg *to = host_packages_by_id(id);
        LSAHOST_SECPKG_FUNCTION_TABLE *t = to ? host_secpkg_table(to) : NULL;
        PSECPKG_SUPPLEMENTAL_CRED own;
        SECPKG_PRIMARY_CRED primary_lent;
        SECPKG_SUPPLEMENTAL_CRED own_lent;
        UNICODE_STRING account_lent;

        /* A package that unloaded itself is no longer one of lsass's packages. */
        if (!t || to == from || to->state != HOST_SECPKG_LOADED || !t->AcceptCredentials)
            continue;
        /* Each package gets its own copy of the structures (the strings' bytes stay the
         * LSA's): one that repoints a member must not change what the next package is
         * handed, nor what the LSA frees. */
        primary_lent = *primary;
        own = supplemental_for(supplemental, to);
        if (own)
            own_lent = *own;
        if (account)
            account_lent = *account;
        host_call_begin(to->id, "SpAcceptCredentials");
        status = t->AcceptCredentials(type, account ? &account_lent : NULL, &primary_lent,
                                      own ? &own_lent : NULL);
        host_call_end();
        host_trace("SpAcceptCredentials of package %lu (LogonType=%s, AccountName=\"%s\", "
                   "Flags=0x%lx, SupplementalCredentials=%s) = %s", to->id,
                   host_logon_type_name(type), name, primary->Flags,
                   own ? "its own entry" : "NULL", host_status_name(status));
        append(said, said_size, "%s%ls (id %lu%s) %s", handed++ ? ", " : "",
               host_secpkg_name(to), to->id, own ? ", with its supplemental entry" : "",
               host_status_name(status));
    }
    if (!handed)
        snprintf(said, said_size, "none (no other package has SpAcceptCredentials)");
}
