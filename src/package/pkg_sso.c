/* pkg_sso.c - credentials that follow a logon (single sign-on): the user name and
 * password a logon session holds for the package, kept by the LSA (AddCredential), put
 * there by LsaApLogonUserEx2 or by SpAcceptCredentials (a logon another package made,
 * whose clear password the LSA hands every package), and found again by
 * AcquireCredentialsHandle(SECPKG_CRED_OUTBOUND) with no identity, so a program that
 * logged on authenticates without a password in its own memory.
 *
 * The credential (key SSPKG_CREDENTIAL_KEY): the SASLprepped UTF-8 user name, a NUL, the
 * SASLprepped UTF-8 password (SASLprep leaves no NUL in either), zero-padded to a multiple
 * of 8 bytes and encrypted with LsaProtectMemory; the LSA keeps it with the session and
 * drops it with the session. */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

#include <string.h>

#define CREDENTIAL_MAX (SCRAM_MAX_NAME + 1 + 1024 + PKG_SECRET_BLOCK)

static LSA_STRING credential_key(char text[sizeof(SSPKG_CREDENTIAL_KEY)])
{
    LSA_STRING key = { sizeof(SSPKG_CREDENTIAL_KEY) - 1, sizeof(SSPKG_CREDENTIAL_KEY), text };

    memcpy(text, SSPKG_CREDENTIAL_KEY, sizeof(SSPKG_CREDENTIAL_KEY));
    return key;
}

NTSTATUS pkg_sso_store(PLUID logon, const char *user, size_t user_len, const char *password,
                       size_t password_len)
{
    char value[CREDENTIAL_MAX], key_text[sizeof(SSPKG_CREDENTIAL_KEY)];
    size_t used = user_len + 1 + password_len;
    ULONG size = (ULONG)((used + PKG_SECRET_BLOCK - 1) / PKG_SECRET_BLOCK * PKG_SECRET_BLOCK);
    LSA_STRING key = credential_key(key_text), credential = { (USHORT)size, (USHORT)size, value };
    NTSTATUS status;

    if (!pkg.lsa || used > sizeof(value) - PKG_SECRET_BLOCK)
        return STATUS_INVALID_PARAMETER;
    memset(value, 0, sizeof(value));
    memcpy(value, user, user_len);
    memcpy(value + user_len + 1, password, password_len);
    pkg.lsa->LsaProtectMemory(value, size);
    /* One credential per session: a second logon's replaces the first's. */
    pkg.lsa->DeleteCredential(logon, pkg.package_id, &key);
    status = pkg.lsa->AddCredential(logon, pkg.package_id, &key, &credential);
    scram_wipe(value, sizeof(value));
    return status;
}

void pkg_sso_forget(PLUID logon)
{
    char key_text[sizeof(SSPKG_CREDENTIAL_KEY)];
    LSA_STRING key = credential_key(key_text);

    if (pkg.lsa && logon)
        pkg.lsa->DeleteCredential(logon, pkg.package_id, &key);
}

/* The logon session whose credential serves the caller: the LogonId it names when it
 * is trusted (SECPKG_CALL_IS_TCB, as for the LSA's own callers), else its own. */
static BOOL session_of(const LUID *requested, LUID *out)
{
    SECPKG_CALL_INFO call;
    SECPKG_CLIENT_INFO client;
    BOOL named = requested && (requested->LowPart || requested->HighPart);

    if (named && pkg.lsa->GetCallInfo(&call) && (call.Attributes & SECPKG_CALL_IS_TCB)) {
        *out = *requested;
        return TRUE;
    }
    if (named)
        pkg_trace("ignores LogonId: only a trusted caller names another logon session");
    if (pkg.lsa->GetClientInfo(&client) != STATUS_SUCCESS)
        return FALSE;
    *out = client.LogonId;
    return TRUE;
}

NTSTATUS pkg_sso_credential(const LUID *requested, pkg_identity_out *out)
{
    char key_text[sizeof(SSPKG_CREDENTIAL_KEY)], value[CREDENTIAL_MAX];
    LSA_STRING key = credential_key(key_text), credential = { 0, 0, NULL };
    ULONG context = 0, key_length = 0;
    LUID logon;
    NTSTATUS status;
    const char *nul;
    size_t user_len, password_len;

    out->user_len = out->password_len = 0;
    if (!pkg.lsa || !session_of(requested, &logon)) {
        pkg_trace("fails: no identity, and no logon session to take one from");
        return SEC_E_NO_CREDENTIALS;
    }
    status = pkg.lsa->GetCredentials(&logon, pkg.package_id, &context, FALSE, &key, &key_length,
                                     &credential);
    if (status != STATUS_SUCCESS) {
        pkg_trace("fails: no identity, and logon session %08lx:%08lx holds no SCRAM-SHA-256 "
                  "credential (%s)", (unsigned long)logon.HighPart, logon.LowPart,
                  pkg_trace_status(status, FALSE));
        return SEC_E_NO_CREDENTIALS;
    }
    status = SEC_E_NO_CREDENTIALS;
    if (credential.Length <= sizeof(value) && credential.Length % PKG_SECRET_BLOCK == 0) {
        memcpy(value, credential.Buffer, credential.Length);
        pkg.lsa->LsaUnprotectMemory(value, credential.Length);
        nul = memchr(value, 0, credential.Length);
        user_len = nul ? (size_t)(nul - value) : 0;
        password_len = nul ? strnlen(nul + 1, credential.Length - user_len - 1) : 0;
        if (user_len && password_len && user_len <= out->user_cap &&
            password_len <= out->password_cap) {
            memcpy(out->user, value, user_len);
            memcpy(out->password, nul + 1, password_len);
            out->user_len = user_len;
            out->password_len = password_len;
            status = STATUS_SUCCESS;
        }
        scram_wipe(value, sizeof(value));
    }
    if (status != STATUS_SUCCESS)
        pkg_trace("fails: the logon session's credential is not one this package stored");
    SecureZeroMemory(credential.Buffer, credential.Length);
    pkg.lsa->FreeLsaHeap(credential.Buffer);
    return status;
}

/* A logon another package made: its clear password, SASLprepped, becomes this
 * package's credential of the session, under the user name it came with. */
NTSTATUS NTAPI pkg_SpAcceptCredentials(SECURITY_LOGON_TYPE LogonType,
                                       PUNICODE_STRING AccountName,
                                       PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                       PSECPKG_SUPPLEMENTAL_CRED SupplementalCredentials)
{
    char user[SCRAM_MAX_NAME], password[1024];
    size_t user_len = 0, password_len = 0;
    PUNICODE_STRING name;
    NTSTATUS status = STATUS_SUCCESS;

    (void)LogonType;
    (void)SupplementalCredentials;
    if (!PrimaryCredentials || !(PrimaryCredentials->Flags & PRIMARY_CRED_CLEAR_PASSWORD) ||
        !PrimaryCredentials->Password.Length) {
        pkg_trace("ignores a logon without a clear password: nothing to sign on with");
        return STATUS_SUCCESS;
    }
    name = PrimaryCredentials->DownlevelName.Length ? &PrimaryCredentials->DownlevelName
                                                    : AccountName;
    if (!name || !name->Length ||
        pkg_saslprep(name->Buffer, name->Length / 2, user, sizeof(user), &user_len) !=
            SCRAM_SASLPREP_OK ||
        pkg_saslprep(PrimaryCredentials->Password.Buffer, PrimaryCredentials->Password.Length / 2,
                     password, sizeof(password), &password_len) != SCRAM_SASLPREP_OK) {
        pkg_trace("ignores a logon whose name or password SASLprep refuses");
    } else {
        status = pkg_sso_store(&PrimaryCredentials->LogonId, user, user_len, password,
                               password_len);
    }
    scram_wipe(password, sizeof(password));
    return status;
}
