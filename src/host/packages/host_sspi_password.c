/* host_sspi_password.c - SpChangeAccountPassword, called as the LSA calls it for
 * ChangeAccountPasswordW (see host_sspi.h).
 *
 * Microsoft's pages give the caller's side (four strings, a flag, and an Output holding
 * one SECBUFFER_CHANGE_PASS_RESPONSE buffer that receives a DOMAIN_PASSWORD_INFORMATION)
 * but not how the LSA hands them to the package. lsahost decides as it does for the
 * attribute entries (docs/architecture.md, "The newer SSPI entries"): the package gets
 * the LSA's own copies in LSA heap, and lsahost reads back only the buffer it made. */
#include "host_sspi.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_heap.h"
#include "../host_trace.h"

#include <string.h>

/* The LSA's copy of `chars` UTF-16 units as a UNICODE_STRING; FALSE when the heap is out
 * or the string is longer than a UNICODE_STRING holds. */
static BOOL lsa_string(const WCHAR *text, ULONG chars, UNICODE_STRING *out)
{
    memset(out, 0, sizeof(*out));
    if (!chars)
        return TRUE;
    if (chars > 0x7fff || !(out->Buffer = host_AllocateLsaHeap(chars * sizeof(WCHAR))))
        return FALSE;
    memcpy(out->Buffer, text, chars * sizeof(WCHAR));
    out->Length = out->MaximumLength = (USHORT)(chars * sizeof(WCHAR));
    return TRUE;
}

SECURITY_STATUS host_sspi_change_password(const host_secpkg *pkg, const WCHAR *domain,
                                          ULONG domain_chars, const WCHAR *account,
                                          ULONG account_chars, const WCHAR *old_password,
                                          ULONG old_chars, const WCHAR *new_password,
                                          ULONG new_chars, BOOLEAN impersonating,
                                          DOMAIN_PASSWORD_INFORMATION *info,
                                          BOOL *info_written)
{
    static const DOMAIN_PASSWORD_INFORMATION none;
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    /* s: the LSA's strings, freed by lsahost; lent: the package's copies of them, which it
     * may repoint (at a constant, say) without changing what lsahost frees. */
    UNICODE_STRING s[4], lent[4];
    DOMAIN_PASSWORD_INFORMATION *response = NULL;
    SecBuffer buffer = { sizeof(*response), SECBUFFER_CHANGE_PASS_RESPONSE, NULL };
    SecBufferDesc output = { SECBUFFER_VERSION, 1, &buffer };
    SECURITY_STATUS status;
    BOOL moved = FALSE;

    memset(info, 0, sizeof(*info));
    *info_written = FALSE;
    memset(s, 0, sizeof(s));
    if (!t->ChangeAccountPassword)
        status = SEC_E_UNSUPPORTED_FUNCTION;
    else if (!lsa_string(domain, domain_chars, &s[0]) ||
             !lsa_string(account, account_chars, &s[1]) ||
             !lsa_string(old_password, old_chars, &s[2]) ||
             !lsa_string(new_password, new_chars, &s[3]) ||
             !(response = host_AllocateLsaHeap(sizeof(*response))))
        status = SEC_E_INSUFFICIENT_MEMORY;
    else {
        buffer.pvBuffer = response;
        memcpy(lent, s, sizeof(lent));
        host_call_begin(pkg->id, "SpChangeAccountPassword");
        status = t->ChangeAccountPassword(&lent[0], &lent[1], &lent[2], &lent[3],
                                          impersonating, &output);
        host_call_end();
        /* Only lsahost's own buffer is read: the package may have repointed the one in
         * Output at memory of any kind, or freed it. */
        moved = output.cBuffers != 1 || output.pBuffers != &buffer ||
                buffer.pvBuffer != response || buffer.cbBuffer != sizeof(*response) ||
                buffer.BufferType != SECBUFFER_CHANGE_PASS_RESPONSE;
        if (host_heap_owns(HOST_HEAP_LSA, response)) {
            *info = *response;
            *info_written = memcmp(response, &none, sizeof(none)) != 0;
        } else {
            host_say("SpChangeAccountPassword freed the SECBUFFER_CHANGE_PASS_RESPONSE buffer "
                     "lsahost handed it: nothing is read from it");
            response = NULL;
        }
    }
    /* FreeLsaHeap wipes what it frees: the passwords go with their blocks. */
    for (int i = 0; i < 4; i++)
        host_FreeLsaHeap(s[i].Buffer);
    host_FreeLsaHeap(response);
    host_trace("SpChangeAccountPassword(account of %lu chars, old %lu chars, new %lu chars, "
               "Impersonating=%d) = %s%s%s [package %lu]", account_chars, old_chars, new_chars,
               (int)impersonating, host_sec_status_name(status),
               t->ChangeAccountPassword ? "" : " (the package has no such entry)",
               moved ? "; the package changed Output's buffer, which lsahost does not follow"
                     : "", pkg->id);
    return status;
}
