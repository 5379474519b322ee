/* pkg_password.c - passwords against the store: whether a password is a user's (logon and
 * password change share it), and SpChangeAccountPassword, which lets a user who knows
 * the password set a new one.
 *
 * SpChangeAccountPassword is the LSA-mode entry behind SSPI's ChangeAccountPasswordW
 * (SECPKG_FUNCTION_TABLE from SECPKG_INTERFACE_VERSION_4 on). Microsoft's own packages
 * change a domain account's password at a domain controller; here the "domain" is the
 * verifier store, and the change is what `lsahost user add` does, without the trusted
 * caller that needs: knowing the old password is the authorization, as for Kerberos'
 * change-password protocol. So it answers like a logon does: a wrong password and an
 * unknown user give the same status after the same work (a decoy verifier), and the
 * new verifier gets a fresh salt and the old one's iteration count. */
#include "pkg.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

#include <string.h>

NTSTATUS pkg_password_check(const char *user, size_t user_len, const char *password,
                            size_t password_len, scram_verifier *v, int *known)
{
    scram_verifier mine;
    pkg_store_error error;
    NTSTATUS status;
    int same;

    status = pkg_store_lookup(user, user_len, v, known, &error);
    if (status != STATUS_SUCCESS) {
        pkg_trace("fails: the verifier store: %s", error.text);
        return status;
    }
    if (scram_verifier_make(&pkg_crypto, (const uint8_t *)password, password_len, v->salt,
                            v->salt_len, v->iterations, &mine) != SCRAM_OK)
        return STATUS_INTERNAL_ERROR;
    same = scram_ct_equal(mine.stored_key, v->stored_key, SCRAM_HASH_LEN) &
           scram_ct_equal(mine.server_key, v->server_key, SCRAM_HASH_LEN);
    scram_wipe(&mine, sizeof(mine));
    return same && *known ? STATUS_SUCCESS : STATUS_LOGON_FAILURE;
}

/* SASLprepped UTF-8 of one of the call's strings; NULL or empty is refused. */
static int prepared(const UNICODE_STRING *s, char *out, size_t cap, size_t *len)
{
    if (!s || !s->Buffer || !s->Length)
        return SCRAM_SASLPREP_EMPTY;
    return pkg_saslprep(s->Buffer, s->Length / sizeof(WCHAR), out, cap, len);
}

NTSTATUS NTAPI pkg_SpChangeAccountPassword(PUNICODE_STRING DomainName,
                                           PUNICODE_STRING AccountName,
                                           PUNICODE_STRING OldPassword,
                                           PUNICODE_STRING NewPassword, BOOLEAN Impersonating,
                                           PSecBufferDesc Output)
{
    char user[SCRAM_MAX_NAME], old_pw[PKG_PASSWORD_MAX], new_pw[PKG_PASSWORD_MAX];
    uint8_t salt[16];
    size_t user_len = 0, old_len = 0, new_len = 0;
    scram_verifier v, next;
    pkg_store_error error;
    NTSTATUS status;
    int known = 0, r;

    /* The store has no domains and no password policy: nothing is read from the domain,
     * nothing written to Output's SECBUFFER_CHANGE_PASS_RESPONSE; who calls is not what
     * authorizes the change. */
    (void)Impersonating;
    (void)Output;
    memset(&v, 0, sizeof(v));
    memset(&next, 0, sizeof(next));
    if (DomainName && DomainName->Length)
        pkg_trace("ignores the domain: SCRAM users are the store's, in no domain");
    if (prepared(AccountName, user, sizeof(user), &user_len) != SCRAM_SASLPREP_OK ||
        prepared(OldPassword, old_pw, sizeof(old_pw), &old_len) != SCRAM_SASLPREP_OK) {
        pkg_trace("fails: the account name or the old password is empty or SASLprep "
                  "refuses it");
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if ((r = prepared(NewPassword, new_pw, sizeof(new_pw), &new_len)) != SCRAM_SASLPREP_OK) {
        pkg_trace("fails: the new password: %s", scram_saslprep_text(r));
        status = STATUS_ILL_FORMED_PASSWORD;
        goto done;
    }
    status = pkg_password_check(user, user_len, old_pw, old_len, &v, &known);
    if (status == STATUS_LOGON_FAILURE) {
        /* Wrong password and unknown user alike: nothing says which. */
        pkg_trace("fails: the name or the old password is wrong");
        status = STATUS_WRONG_PASSWORD;
        goto done;
    }
    if (status != STATUS_SUCCESS)
        goto done;
    status = pkg_random(salt, sizeof(salt));
    if (status == STATUS_SUCCESS &&
        scram_verifier_make(&pkg_crypto, (const uint8_t *)new_pw, new_len, salt, sizeof(salt),
                            v.iterations, &next) != SCRAM_OK)
        status = STATUS_INTERNAL_ERROR;
    /* Only over the verifier the old password matched: a change made meanwhile (by the
     * user elsewhere, or an administrator) made the old password stale. */
    if (status == STATUS_SUCCESS &&
        (status = pkg_store_replace(user, user_len, &v, &next, &error)) != STATUS_SUCCESS)
        pkg_trace("fails: the verifier store: %s", error.text);
    if (status == STATUS_SUCCESS)
        pkg_trace("changed the password of a user (%lu iterations)", (unsigned long)v.iterations);
done:
    scram_wipe(old_pw, sizeof(old_pw));
    scram_wipe(new_pw, sizeof(new_pw));
    scram_wipe(&v, sizeof(v));
    scram_wipe(&next, sizeof(next));
    return status;
}
