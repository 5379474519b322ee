/* host_sspi_attributes.c - the entries of SECPKG_FUNCTION_TABLE past version 1 that a
 * caller reaches through SSPI: SpSetContextAttributes (version 2),
 * SpSetCredentialsAttributes (version 3), SpQueryMetaData and SpExchangeMetaData
 * (version 5), called as the LSA calls them (host_sspi.h).
 *
 * What the entries get, and what lsahost takes back, is decided here, because
 * Microsoft's pages do not say (docs/architecture.md, "The newer SSPI entries"):
 *   - the Buffer of a Set*Attributes call and the MetaData of ExchangeMetaData are the
 *     LSA's copy, in LSA memory (AllocateLsaHeap), of the bytes the caller gave, wiped
 *     and freed when the call returns: the LSA receives a caller's buffer by value
 *     across the process boundary. Pointers inside the bytes still hold the caller's
 *     addresses, which a package reads with CopyFromClientBuffer;
 *   - the MetaData SpQueryMetaData returns is the package's, from AllocateLsaHeap (what
 *     the LSA frees), read only where it is readable and no longer than a token, copied,
 *     and freed with FreeLsaHeap. */
#include "host_sspi.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "../host_trace.h"

#include <string.h>

/* The LSA's copy of a caller's bytes (NULL for none); FALSE when the heap is out. */
static BOOL lsa_copy(const void *value, ULONG length, void **copy)
{
    *copy = NULL;
    if (!length)
        return TRUE;
    if (!(*copy = host_AllocateLsaHeap(length)))
        return FALSE;
    memcpy(*copy, value, length);
    return TRUE;
}

SECURITY_STATUS host_sspi_set_attributes(const host_secpkg *pkg, BOOL context,
                                         LSA_SEC_HANDLE handle, ULONG attribute,
                                         const void *value, ULONG length)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    const char *name = context ? "SpSetContextAttributes" : "SpSetCredentialsAttributes";
    /* NULL also when the package's interface version does not define the entry: lsahost
     * keeps only the entries the version defines (host_package.h). */
    BOOL present = context ? t->SetContextAttributes != NULL
                           : t->SetCredentialsAttributes != NULL;
    SECURITY_STATUS status;
    void *copy;

    if (!present)
        status = SEC_E_UNSUPPORTED_FUNCTION;
    else if (!lsa_copy(value, length, &copy))
        status = SEC_E_INSUFFICIENT_MEMORY;
    else {
        host_call_begin(pkg->id, name);
        status = context ? t->SetContextAttributes(handle, attribute, copy, length)
                         : t->SetCredentialsAttributes(handle, attribute, copy, length);
        host_call_end();
        host_FreeLsaHeap(copy);
    }
    host_trace("%s(%s %llx, attribute %lu, %lu-byte value) = %s%s [package %lu]", name,
               context ? "context" : "credential", (unsigned long long)handle, attribute,
               length, host_sec_status_name(status),
               present ? "" : " (the package has no such entry)", pkg->id);
    return status;
}

SECURITY_STATUS host_sspi_query_metadata(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                         LSA_SEC_HANDLE *ctx, ULONG flags, host_token *out)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    LSA_SEC_HANDLE before = *ctx;
    ULONG length = 0;
    PUCHAR data = NULL;
    SECURITY_STATUS status = SEC_E_UNSUPPORTED_FUNCTION;

    out->length = 0;
    if (t->QueryMetaData) {
        host_call_begin(pkg->id, "SpQueryMetaData");
        status = t->QueryMetaData(before ? 0 : cred, NULL, flags, &length, &data, ctx);
        host_call_end();
    }
    host_trace("SpQueryMetaData(credential %llx, context %llx) = %s, context %llx, "
               "%lu-byte metadata at %p%s [package %lu]", (unsigned long long)cred,
               (unsigned long long)before, host_sec_status_name(status),
               (unsigned long long)*ctx, length, (void *)data,
               t->QueryMetaData ? "" : " (the package has no such entry)", pkg->id);
    if (!data && !length)
        return status;
    /* The package is not trusted with the LSA's memory: its length is checked against
     * what lsahost takes and what is readable before a byte is read. */
    if (length > sizeof(out->data)) {
        host_say("SpQueryMetaData returned %lu bytes of metadata, more than the %lu "
                 "lsahost takes (a token's most)", length, (unsigned long)sizeof(out->data));
        status = SEC_E_INTERNAL_ERROR;
    } else if (!data || !host_memory_readable(data, length)) {
        host_say("SpQueryMetaData returned %lu bytes of metadata at %p, which is not "
                 "readable memory", length, (void *)data);
        status = SEC_E_INTERNAL_ERROR;
    } else {
        memcpy(out->data, data, length);
        out->length = length;
    }
    if (data)
        host_FreeLsaHeap(data);
    return status;
}

SECURITY_STATUS host_sspi_exchange_metadata(const host_secpkg *pkg, LSA_SEC_HANDLE cred,
                                            LSA_SEC_HANDLE *ctx, ULONG flags,
                                            const host_token *in)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    LSA_SEC_HANDLE before = *ctx;
    SECURITY_STATUS status = SEC_E_UNSUPPORTED_FUNCTION;
    void *copy;

    if (t->ExchangeMetaData) {
        if (!lsa_copy(in->data, in->length, &copy)) {
            status = SEC_E_INSUFFICIENT_MEMORY;
        } else {
            host_call_begin(pkg->id, "SpExchangeMetaData");
            status = t->ExchangeMetaData(before ? 0 : cred, NULL, flags, in->length, copy, ctx);
            host_call_end();
            host_FreeLsaHeap(copy);
        }
    }
    host_trace("SpExchangeMetaData(credential %llx, context %llx, %lu-byte metadata) = %s, "
               "context %llx%s [package %lu]", (unsigned long long)cred,
               (unsigned long long)before, in->length, host_sec_status_name(status),
               (unsigned long long)*ctx,
               t->ExchangeMetaData ? "" : " (the package has no such entry)", pkg->id);
    return status;
}
