/* pkg_cred.c - credentials: SpAcquireCredentialsHandle, SpFreeCredentialsHandle,
 * SpQueryCredentialsAttributes, and the client's cache of derived keys.
 *
 * Outbound (client) credentials hold the user name and password, both SASLprepped, as
 * UTF-8: from the identity given (pkg_identity.c), or without one from the caller's logon
 * session (pkg_sso.c). The password and the cached keys are kept protected (pkg_secret.c:
 * LsaProtectMemory, or the package's own mask without an LSA) and are never unprotected
 * in place: a use unprotects a copy into a local and wipes it after. Everything is
 * wiped when the credential goes. Inbound (server) credentials hold nothing: the
 * server's users are in the verifier store. */
#include "pkg.h"
#include "../common/scram_util.h"

#include <string.h>

/* A few (salt, iterations) pairs: a client talks to few servers with one credential. */
#define KEY_CACHE_SLOTS 4
#define PASSWORD_BUFFER 1024

/* The salt and count are what the server sends in the clear; the keys are protected. */
typedef struct cached_keys {
    uint32_t iterations;               /* 0: slot empty */
    uint32_t salt_len;
    uint8_t salt[SCRAM_MAX_SALT];
    scram_client_keys keys;
    ULONG last_used;
} cached_keys;

_Static_assert(PASSWORD_BUFFER % PKG_SECRET_BLOCK == 0 &&
                   sizeof(scram_client_keys) % PKG_SECRET_BLOCK == 0,
               "what is protected comes in whole blocks");

struct pkg_cred {
    ULONG use;                          /* SECPKG_CRED_INBOUND or SECPKG_CRED_OUTBOUND */
    char user[SCRAM_MAX_NAME];
    size_t user_len;
    char password[PASSWORD_BUFFER];     /* protected */
    size_t password_len;
    SRWLOCK cache_lock;
    cached_keys cache[KEY_CACHE_SLOTS];
    ULONG uses;
};

static void cred_destroy(void *object)
{
    pkg_cred *c = object;
    scram_wipe(c, sizeof(*c));
    pkg_free(c);
}

void pkg_cred_start(void)
{
    pkg_handles_set_destroy(PKG_HANDLE_CREDENTIAL, cred_destroy);
}

const char *pkg_cred_user(const pkg_cred *cred, size_t *len)
{
    *len = cred->user_len;
    return cred->use & SECPKG_CRED_OUTBOUND ? cred->user : NULL;
}

ULONG pkg_cred_use(const pkg_cred *cred)
{
    return cred->use;
}

NTSTATUS NTAPI pkg_SpAcquireCredentialsHandle(PUNICODE_STRING PrincipalName,
                                              ULONG CredentialUseFlags, PLUID LogonId,
                                              PVOID AuthorizationData, PVOID GetKeyFunction,
                                              PVOID GetKeyArgument,
                                              PLSA_SEC_HANDLE CredentialHandle,
                                              PTimeStamp ExpirationTime)
{
    pkg_cred *c;
    NTSTATUS status;
    ULONG use = CredentialUseFlags & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND);

    (void)GetKeyArgument;
    if (PrincipalName && PrincipalName->Length)
        pkg_trace("ignores PrincipalName: a client names itself in its identity, and a "
                  "server serves every user of its store");
    if (LogonId && (LogonId->LowPart || LogonId->HighPart) && AuthorizationData)
        pkg_trace("ignores LogonId: the credential is the identity given, not a logon session");
    if (GetKeyFunction)
        pkg_trace("ignores GetKeyFunction: the identity holds the password");
    if (!CredentialHandle)
        return SEC_E_INVALID_PARAMETER;
    *CredentialHandle = 0;
    /* A credential is for one side: the two sides need different things. */
    if (use != SECPKG_CRED_INBOUND && use != SECPKG_CRED_OUTBOUND) {
        pkg_trace("fails: a credential is for one side, inbound or outbound");
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    if (use == SECPKG_CRED_INBOUND && AuthorizationData)
        pkg_trace("ignores the identity of an inbound credential: the server's users are in "
                  "its verifier store");
    c = pkg_alloc(sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->use = use;
    InitializeSRWLock(&c->cache_lock);
    if (use == SECPKG_CRED_OUTBOUND) {
        pkg_identity_out id = { c->user, sizeof(c->user), 0, c->password,
                                sizeof(c->password), 0 };
        /* No identity: the logon session's credential (single sign-on), if it has one. */
        status = AuthorizationData ? pkg_identity_read(AuthorizationData, &id)
                                   : pkg_sso_credential(LogonId, &id);
        c->user_len = id.user_len;
        c->password_len = id.password_len;
        if (status == STATUS_SUCCESS &&
            pkg_secret_protect(c->password, sizeof(c->password)) != STATUS_SUCCESS)
            status = SEC_E_INTERNAL_ERROR;
        if (status != STATUS_SUCCESS) {
            cred_destroy(c);
            return status;
        }
    }
    *CredentialHandle = pkg_handle_new(PKG_HANDLE_CREDENTIAL, c);
    if (!*CredentialHandle) {
        cred_destroy(c);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (ExpirationTime)
        ExpirationTime->QuadPart = MAXLONGLONG;   /* never: the password does not expire */
    return SEC_E_OK;
}

NTSTATUS NTAPI pkg_SpFreeCredentialsHandle(LSA_SEC_HANDLE CredentialHandle)
{
    return pkg_handle_close(CredentialHandle, PKG_HANDLE_CREDENTIAL) ? SEC_E_OK
                                                                     : SEC_E_INVALID_HANDLE;
}

NTSTATUS NTAPI pkg_SpQueryCredentialsAttributes(LSA_SEC_HANDLE CredentialHandle,
                                                ULONG CredentialAttribute, PVOID Buffer)
{
    WCHAR name[SCRAM_MAX_NAME + 1];
    SecPkgCredentials_NamesW names;
    pkg_cred *c = pkg_handle_get(CredentialHandle, PKG_HANDLE_CREDENTIAL);
    NTSTATUS status;
    ULONG n = 0;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    if (CredentialAttribute != SECPKG_CRED_ATTR_NAMES) {
        status = SEC_E_UNSUPPORTED_FUNCTION;
        goto done;
    }
    if (!Buffer) {
        status = SEC_E_INVALID_PARAMETER;
        goto done;
    }
    /* Inbound credentials have no user: the name is empty. */
    if (c->user_len)
        n = pkg_utf8_to_utf16(c->user, c->user_len, name, SCRAM_MAX_NAME);
    name[n] = 0;
    status = pkg_return_to_client(NULL, name, (n + 1) * sizeof(WCHAR), (void **)&names.sUserName);
    if (status == STATUS_SUCCESS) {
        status = pkg_copy_to_client(Buffer, &names, sizeof(names));
        if (status != STATUS_SUCCESS)
            pkg_client_free(NULL, names.sUserName);
    }
done:
    pkg_handle_release(CredentialHandle, PKG_HANDLE_CREDENTIAL);
    return status;
}

/* Derives the keys from the password, unprotected for the moment of use into a local. */
static scram_result derive(const pkg_cred *c, const uint8_t *salt, size_t salt_len,
                           uint32_t iterations, scram_client_keys *out)
{
    char password[PASSWORD_BUFFER];
    scram_result r = SCRAM_E_CRYPTO;

    memcpy(password, c->password, sizeof(password));
    if (pkg_secret_unprotect(password, sizeof(password)) == STATUS_SUCCESS)
        r = scram_keys_derive(&pkg_crypto, (const uint8_t *)password, c->password_len, salt,
                              salt_len, iterations, out);
    scram_wipe(password, sizeof(password));
    return r;
}

scram_result pkg_cred_client_keys(pkg_cred *c, const uint8_t *salt, size_t salt_len,
                                  uint32_t iterations, scram_client_keys *out)
{
    cached_keys *victim;
    scram_result r;

    AcquireSRWLockExclusive(&c->cache_lock);
    c->uses++;
    victim = &c->cache[0];
    for (int i = 0; i < KEY_CACHE_SLOTS; i++) {
        cached_keys *k = &c->cache[i];
        if (k->iterations == iterations && k->salt_len == salt_len &&
            !memcmp(k->salt, salt, salt_len)) {
            k->last_used = c->uses;
            *out = k->keys;
            ReleaseSRWLockExclusive(&c->cache_lock);
            if (pkg_secret_unprotect(out, sizeof(*out)) == STATUS_SUCCESS)
                return SCRAM_OK;
            scram_wipe(out, sizeof(*out));
            return SCRAM_E_CRYPTO;
        }
        if (k->last_used < victim->last_used)
            victim = k;
    }
    /* Derive while holding the lock: two handshakes of one credential against one
     * server then derive once, not twice. A slot whose keys cannot be protected stays
     * empty. */
    r = derive(c, salt, salt_len, iterations, out);
    if (r == SCRAM_OK) {
        victim->keys = *out;
        if (pkg_secret_protect(&victim->keys, sizeof(victim->keys)) == STATUS_SUCCESS) {
            victim->iterations = iterations;
            victim->salt_len = (uint32_t)salt_len;
            memcpy(victim->salt, salt, salt_len);
            victim->last_used = c->uses;
        } else {
            scram_wipe(victim, sizeof(*victim));
        }
    }
    ReleaseSRWLockExclusive(&c->cache_lock);
    return r;
}
