/* pkg_logon.c - LsaApLogonUserEx2 (LsaLogonUser with the package) and
 * LsaApLogonTerminated: a user name and password (SSPKG_INTERACTIVE_LOGON,
 * include/sspkg.h) checked against the verifier store, and on success a logon session,
 * the token information the LSA makes the token from, a profile buffer, and the user and
 * password kept as the session's credential (pkg_sso.c) for outbound contexts.
 *
 * The check: SASLprep both, the user's verifier (or, for a user the store does not
 * have, the decoy pkg_store_lookup gives), SaltedPassword with the verifier's salt and
 * count, then StoredKey and ServerKey compared in constant time. A wrong password and
 * an unknown user fail the same way: STATUS_LOGON_FAILURE, sub-status
 * STATUS_LOGON_FAILURE, nothing else returned, after the same PBKDF2 (the decoy's count
 * is 4096: a real user with more iterations takes longer, as in the handshake). */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

#include <stddef.h>
#include <string.h>


_Static_assert(sizeof(SSPKG_INTERACTIVE_LOGON) == sizeof(MSV1_0_INTERACTIVE_LOGON) &&
                   offsetof(SSPKG_INTERACTIVE_LOGON, UserName) ==
                       offsetof(MSV1_0_INTERACTIVE_LOGON, UserName) &&
                   offsetof(SSPKG_INTERACTIVE_LOGON, Password) ==
                       offsetof(MSV1_0_INTERACTIVE_LOGON, Password) &&
                   sizeof(SSPKG_UNICODE_STRING) == sizeof(UNICODE_STRING),
               "SSPKG_INTERACTIVE_LOGON is laid out as MSV1_0_INTERACTIVE_LOGON");

/* One string of the submit buffer, rebased from the caller's address to the copy and
 * checked to lie inside it; NULL when it does not (or is empty). */
static const WCHAR *submit_string(const BYTE *copy, const BYTE *client_base, ULONG size,
                                  const SSPKG_UNICODE_STRING *s)
{
    ULONG_PTR at = (ULONG_PTR)s->Buffer - (ULONG_PTR)client_base;

    if (!s->Length || s->Length % 2 || (ULONG_PTR)s->Buffer < (ULONG_PTR)client_base ||
        at > size || s->Length > size - at || at % 2)
        return NULL;
    return (const WCHAR *)(copy + at);
}

/* SASLprepped UTF-8 of a string of the submit buffer. */
static NTSTATUS prepared(const WCHAR *text, ULONG bytes, char *out, size_t cap, size_t *len)
{
    int r = text ? pkg_saslprep(text, bytes / 2, out, cap, len) : SCRAM_SASLPREP_EMPTY;

    if (r == SCRAM_SASLPREP_OK)
        return STATUS_SUCCESS;
    pkg_trace("fails: the logon's name or password: %s", text ? scram_saslprep_text(r) :
              "missing, empty or outside the submit buffer");
    return STATUS_INVALID_PARAMETER;
}

/* A UNICODE_STRING and its text in LSA heap, for the LSA to free (AccountName...). */
static PUNICODE_STRING lsa_string(const char *utf8, size_t len)
{
    WCHAR wide[SCRAM_MAX_NAME];
    ULONG n = pkg_utf8_to_utf16(utf8, len, wide, SCRAM_MAX_NAME);
    PUNICODE_STRING s = pkg.lsa->AllocateLsaHeap(sizeof(*s));

    if (!s)
        return NULL;
    s->Buffer = pkg.lsa->AllocateLsaHeap(n * sizeof(WCHAR) + sizeof(WCHAR));
    if (!s->Buffer) {
        pkg.lsa->FreeLsaHeap(s);
        return NULL;
    }
    memcpy(s->Buffer, wide, n * sizeof(WCHAR));
    s->Length = (USHORT)(n * sizeof(WCHAR));
    s->MaximumLength = s->Length + sizeof(WCHAR);
    return s;
}

/* The profile (SSPKG_LOGON_PROFILE and its strings) in the caller's memory. */
static NTSTATUS make_profile(const char *user, size_t user_len, const char *sid,
                             uint32_t iterations, BOOL mapped, PVOID *out, PULONG out_len)
{
    struct {
        SSPKG_LOGON_PROFILE head;
        WCHAR text[SCRAM_MAX_NAME + SCRAM_STORE_ACCOUNT_MAX];
    } p;
    ULONG n = pkg_utf8_to_utf16(user, user_len, p.text, SCRAM_MAX_NAME);
    ULONG a = pkg_utf8_to_utf16(sid, strlen(sid), p.text + n, SCRAM_STORE_ACCOUNT_MAX);
    ULONG size = (ULONG)(sizeof(p.head) + (n + a) * sizeof(WCHAR));
    NTSTATUS status;

    memset(&p.head, 0, sizeof(p.head));
    p.head.MessageType = SSPKG_PROFILE_TYPE;
    p.head.Flags = mapped ? SSPKG_PROFILE_MAPPED : 0;
    GetSystemTimeAsFileTime((FILETIME *)&p.head.LogonTime);
    p.head.Iterations = iterations;
    p.head.UserNameOffset = sizeof(p.head);
    p.head.UserNameLength = n * sizeof(WCHAR);
    p.head.AccountOffset = sizeof(p.head) + n * sizeof(WCHAR);
    p.head.AccountLength = a * sizeof(WCHAR);
    status = pkg_return_to_client(NULL, &p, size, out);
    if (status == STATUS_SUCCESS)
        *out_len = size;
    return status;
}

/* The primary credentials the LSA hands other packages (SpAcceptCredentials): the
 * user and the password, in LSA heap, which the LSA frees. */
static NTSTATUS primary_credentials(PSECPKG_PRIMARY_CRED out, const LUID *logon,
                                    const char *user, size_t user_len, const char *password,
                                    size_t password_len)
{
    PUNICODE_STRING name = lsa_string(user, user_len), pw = lsa_string(password, password_len);
    NTSTATUS status = name && pw ? STATUS_SUCCESS : STATUS_NO_MEMORY;

    if (status == STATUS_SUCCESS) {
        out->LogonId = *logon;
        out->DownlevelName = *name;
        out->Password = *pw;
        out->Flags = PRIMARY_CRED_CLEAR_PASSWORD;
    } else {
        if (name)
            pkg.lsa->FreeLsaHeap(name->Buffer);
        if (pw) {
            SecureZeroMemory(pw->Buffer, pw->Length);
            pkg.lsa->FreeLsaHeap(pw->Buffer);
        }
    }
    /* The strings' buffers now belong to *out; their headers go. */
    pkg.lsa->FreeLsaHeap(name);
    pkg.lsa->FreeLsaHeap(pw);
    return status;
}

NTSTATUS NTAPI pkg_LsaApLogonUserEx2(PLSA_CLIENT_REQUEST ClientRequest,
                                     SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
                                     PVOID ClientBufferBase, ULONG SubmitBufferSize,
                                     PVOID *ProfileBuffer, PULONG ProfileBufferSize,
                                     PLUID LogonId, PNTSTATUS SubStatus,
                                     PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                     PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                     PUNICODE_STRING *AuthenticatingAuthority,
                                     PUNICODE_STRING *MachineName,
                                     PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                     PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    const SSPKG_INTERACTIVE_LOGON *submit = ProtocolSubmitBuffer;
    char user[SCRAM_MAX_NAME], password[PKG_PASSWORD_MAX], sid[SCRAM_STORE_ACCOUNT_MAX + 1];
    size_t user_len = 0, password_len = 0;
    scram_verifier v;
    void *info = NULL;
    int known = 0;
    BOOL session = FALSE;
    NTSTATUS status;

    (void)ClientRequest;
    memset(&v, 0, sizeof(v));
    if (!ProfileBuffer || !ProfileBufferSize || !LogonId || !SubStatus || !TokenInformationType ||
        !TokenInformation || !AccountName || !AuthenticatingAuthority || !MachineName ||
        !PrimaryCredentials || !SupplementalCredentials || !pkg.lsa)
        return STATUS_INVALID_PARAMETER;
    *ProfileBuffer = NULL;
    *ProfileBufferSize = 0;
    *SubStatus = STATUS_SUCCESS;
    *TokenInformation = NULL;
    *AccountName = *AuthenticatingAuthority = *MachineName = NULL;
    *SupplementalCredentials = NULL;
    memset(LogonId, 0, sizeof(*LogonId));
    if (LogonType != Interactive && LogonType != Network && LogonType != Batch &&
        LogonType != Service) {
        pkg_trace("fails: logon type %d is not interactive, network, batch or service",
                  (int)LogonType);
        return STATUS_NOT_SUPPORTED;
    }
    if (!submit || SubmitBufferSize < sizeof(*submit) ||
        submit->MessageType != SSPKG_INTERACTIVE_LOGON_TYPE) {
        pkg_trace("fails: the submit buffer is not an SSPKG_INTERACTIVE_LOGON");
        return STATUS_INVALID_PARAMETER;
    }
    if (submit->LogonDomainName.Length)
        pkg_trace("ignores the logon's domain: SCRAM users are the store's, in no domain");
    status = prepared(submit_string(ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferSize,
                                    &submit->UserName),
                      submit->UserName.Length, user, sizeof(user), &user_len);
    if (status == STATUS_SUCCESS)
        status = prepared(submit_string(ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferSize,
                                        &submit->Password),
                          submit->Password.Length, password, sizeof(password), &password_len);
    if (status != STATUS_SUCCESS)
        goto done;
    status = pkg_password_check(user, user_len, password, password_len, &v, &known);
    if (status == STATUS_LOGON_FAILURE) {
        /* Wrong password and unknown user alike: nothing says which. */
        pkg_trace("fails: the name or the password is wrong");
        *SubStatus = STATUS_LOGON_FAILURE;
        goto done;
    }
    if (status != STATUS_SUCCESS)
        goto done;
    if (pkg_token_account(user, user_len, sid) != SEC_E_OK) {
        status = STATUS_LOGON_FAILURE;
        *SubStatus = STATUS_ACCOUNT_RESTRICTION;
        goto done;
    }
    if (!AllocateLocallyUniqueId(LogonId) ||
        (status = pkg.lsa->CreateLogonSession(LogonId)) != STATUS_SUCCESS) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto done;
    }
    session = TRUE;
    info = pkg.lsa->AllocateLsaHeap(pkg_token_information_size());
    if (!info || !pkg_token_information(info, sid, LogonId, LogonType)) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto done;
    }
    status = make_profile(user, user_len, sid, v.iterations, strcmp(sid, "S-1-5-7") != 0,
                          ProfileBuffer, ProfileBufferSize);
    if (status == STATUS_SUCCESS)
        status = pkg_sso_store(LogonId, user, user_len, password, password_len);
    if (status == STATUS_SUCCESS)
        status = primary_credentials(PrimaryCredentials, LogonId, user, user_len, password,
                                     password_len);
    if (status == STATUS_SUCCESS) {
        WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1];
        char name[3 * (MAX_COMPUTERNAME_LENGTH + 1)] = "";
        DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
        if (GetComputerNameW(computer, &n))
            WideCharToMultiByte(CP_UTF8, 0, computer, -1, name, sizeof(name), NULL, NULL);
        *AccountName = lsa_string(user, user_len);
        *AuthenticatingAuthority = lsa_string(name, strlen(name));
        *TokenInformationType = LsaTokenInformationV2;
        *TokenInformation = info;
        info = NULL;
    }
done:
    if (status != STATUS_SUCCESS) {
        if (*ProfileBuffer)
            pkg_client_free(NULL, *ProfileBuffer);
        *ProfileBuffer = NULL;
        *ProfileBufferSize = 0;
        if (session)
            pkg.lsa->DeleteLogonSession(LogonId);
        memset(LogonId, 0, sizeof(*LogonId));
    }
    if (info)
        pkg.lsa->FreeLsaHeap(info);
    scram_wipe(password, sizeof(password));
    scram_wipe(&v, sizeof(v));
    return status;
}

/* The LSA ends a logon session: the package's credential in it goes (the LSA would drop
 * it with the session; deleting it here says the package keeps nothing of the logon). */
VOID NTAPI pkg_LsaApLogonTerminated(PLUID LogonId)
{
    pkg_sso_forget(LogonId);
}
