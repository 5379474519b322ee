/* pkg_account.c - the Windows account a SCRAM user maps to: what SSPKG_SET_USER_ACCOUNT
 * names (a SID string, or an account name resolved with LookupAccountNameW when the user
 * is set) made into the SID string the verifier store keeps.
 *
 * A name is resolved once, when the user is set, and the store keeps the SID: a renamed
 * account stays mapped, and a handshake never waits on a name lookup (which, on a domain
 * member, may go to a domain controller). */
#include "pkg.h"

#include <sddl.h>
#include <stdio.h>
#include <string.h>

/* DOMAIN\name: 15 characters of NetBIOS domain, 256 of user name, the backslash. */
#define ACCOUNT_TEXT_MAX 272

/* The SID's string form, as the store keeps it. */
static NTSTATUS sid_text(PSID sid, char out[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *out_len,
                         pkg_store_error *error)
{
    WCHAR *text = NULL;
    int n;

    if (!ConvertSidToStringSidW(sid, &text)) {
        snprintf(error->text, sizeof(error->text), "the SID cannot be written as a string "
                 "(error %lu)", GetLastError());
        return STATUS_INVALID_SID;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, text, -1, out, SCRAM_STORE_ACCOUNT_MAX + 1, NULL, NULL);
    LocalFree(text);
    if (n <= 1 || !scram_store_sid_valid(out, (size_t)n - 1)) {
        snprintf(error->text, sizeof(error->text), "the SID's string form is not one the "
                 "store keeps");
        return STATUS_INVALID_SID;
    }
    *out_len = (size_t)n - 1;
    return STATUS_SUCCESS;
}

NTSTATUS pkg_account_resolve(const void *account, ULONG units,
                             char out[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *out_len,
                             pkg_store_error *error)
{
    WCHAR text[ACCOUNT_TEXT_MAX + 1], domain[256];
    BYTE sid_buffer[SECURITY_MAX_SID_SIZE];
    DWORD sid_size = sizeof(sid_buffer), domain_size = 256;
    SID_NAME_USE use;
    PSID sid = NULL;
    NTSTATUS status;

    out[0] = '\0';
    *out_len = 0;
    if (units == 0)
        return STATUS_SUCCESS;
    if (units > ACCOUNT_TEXT_MAX) {
        snprintf(error->text, sizeof(error->text), "the account is longer than %d characters",
                 ACCOUNT_TEXT_MAX);
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(text, account, units * sizeof(WCHAR));
    text[units] = 0;
    if (wcslen(text) != units) {
        snprintf(error->text, sizeof(error->text), "the account holds a NUL character");
        return STATUS_INVALID_PARAMETER;
    }
    if ((text[0] == L'S' || text[0] == L's') && text[1] == L'-') {
        if (!ConvertStringSidToSidW(text, &sid)) {
            snprintf(error->text, sizeof(error->text), "the account '%ls' is not a SID string "
                     "(error %lu)", text, GetLastError());
            return STATUS_INVALID_SID;
        }
        status = sid_text(sid, out, out_len, error);
        LocalFree(sid);
        return status;
    }
    if (!LookupAccountNameW(NULL, text, sid_buffer, &sid_size, domain, &domain_size, &use)) {
        snprintf(error->text, sizeof(error->text), "LookupAccountNameW does not know the "
                 "account '%ls' (error %lu)", text, GetLastError());
        return STATUS_NONE_MAPPED;
    }
    return sid_text(sid_buffer, out, out_len, error);
}
