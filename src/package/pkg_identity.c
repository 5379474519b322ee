/* pkg_identity.c - the identity an application passes to AcquireCredentialsHandle, in
 * every form sspi.h defines: SEC_WINNT_AUTH_IDENTITY_W and _A, SEC_WINNT_AUTH_IDENTITY_EXW
 * and _EXA (with PackageList), and the marshalled SEC_WINNT_AUTH_IDENTITY_EX2 (what
 * SspiEncodeStringsAsAuthIdentity and CredUI make; read by src/common/auth_identity.c).
 *
 * Every byte comes from the caller's memory through CopyFromClientBuffer (the LSA
 * refuses a range that is not the client's), is read from the package's own copy, and is
 * checked before it is used; a copy holding a password is wiped after.
 *
 * ANSI identities (_A, _EXA) are converted with CP_ACP, the system's ANSI code page. The
 * LSA is told nothing about the caller's code page (neither SECPKG_CLIENT_INFO nor the
 * call attributes carry it), and lsass runs with the system's: what a caller's A
 * functions use too, unless its manifest asks for UTF-8 as its active code page
 * (Windows 10 1903 on). Such a caller must pass a _W identity. Bytes that are not valid
 * in the code page are refused, never replaced.
 *
 * Statuses: the identity itself unreadable, a string unreadable, too long or refused by
 * SASLprep: SEC_E_INVALID_PARAMETER (as before this file); no user or no password:
 * SEC_E_NO_CREDENTIALS; a malformed EX2, or an _EX whose Length is short of the structure:
 * SEC_E_INVALID_TOKEN; an identity this package
 * may not or cannot use (flags neither ANSI nor Unicode, a PackageList that leaves
 * SCRAM-SHA-256 out, encrypted strings, packed credentials that are not a password):
 * SEC_E_UNKNOWN_CREDENTIALS. */
#include "pkg.h"
#include "../../include/sspkg.h"
#include "../common/auth_identity.h"
#include "../common/scram_saslprep.h"
#include "../common/scram_util.h"

#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_EX2) == AUTH_IDENTITY_EX2_HEADER &&
                   offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, cbStructureLength) == 8 &&
                   offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, Flags) == 36 &&
                   offsetof(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListLength) == 44,
               "auth_identity.c reads sspi.h's EX2 layout");

/* The longest PackageList read, in code units: far more than the names of every
 * package a machine has. */
#define PACKAGE_LIST_MAX 1024

/* Prepares a string of the identity (what names it: "user name", "password") held in the
 * package's own memory; length in WCHARs. */
static NTSTATUS prepare(const char *what, const WCHAR *text, ULONG length, char *out,
                        size_t cap, size_t *out_len)
{
    int r;

    *out_len = 0;
    if (length == 0) {
        pkg_trace("fails: the identity has no %s", what);
        return SEC_E_NO_CREDENTIALS;
    }
    r = pkg_saslprep(text, length, out, cap, out_len);
    /* A name or password SASLprep refuses cannot be used in SCRAM (RFC 5802 2.2). */
    if (r == SCRAM_SASLPREP_OK)
        return STATUS_SUCCESS;
    pkg_trace("fails: the %s: %s", what, scram_saslprep_text(r));
    return SEC_E_INVALID_PARAMETER;
}

/* Copies a string of length code units (WCHARs, or bytes when ansi) out of the caller's
 * memory, converts it to UTF-16 in the package's memory, and prepares it. */
static NTSTATUS read_string(const char *what, const void *client_text, ULONG length, BOOL ansi,
                            char *out, size_t cap, size_t *out_len)
{
    WCHAR text[SCRAM_SASLPREP_MAX];
    char bytes[SCRAM_SASLPREP_MAX];
    NTSTATUS status;
    int units = (int)length;

    *out_len = 0;
    if (length == 0 || !client_text) {
        pkg_trace("fails: the identity has no %s", what);
        return SEC_E_NO_CREDENTIALS;
    }
    if (length > SCRAM_SASLPREP_MAX) {
        pkg_trace("fails: the %s is longer than %d characters", what, SCRAM_SASLPREP_MAX);
        return SEC_E_INVALID_PARAMETER;
    }
    status = pkg_copy_from_client(ansi ? (void *)bytes : (void *)text, client_text,
                                  ansi ? length : length * (ULONG)sizeof(WCHAR));
    if (status != STATUS_SUCCESS) {
        pkg_trace("fails: the %s cannot be read from the caller's memory", what);
        status = SEC_E_INVALID_PARAMETER;
        goto done;
    }
    if (ansi) {
        units = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, bytes, (int)length, text,
                                    SCRAM_SASLPREP_MAX);
        if (units <= 0) {
            pkg_trace("fails: the %s is not text in the system's ANSI code page %u", what,
                      GetACP());
            status = SEC_E_INVALID_PARAMETER;
            goto done;
        }
    }
    status = prepare(what, text, (ULONG)units, out, cap, out_len);
done:
    scram_wipe(text, sizeof(text));
    scram_wipe(bytes, sizeof(bytes));
    return status;
}

/* A PackageList (units code units at client_list) checked for SCRAM-SHA-256. */
static NTSTATUS check_package_list(const void *client_list, ULONG units, BOOL ansi)
{
    BYTE list[PACKAGE_LIST_MAX * sizeof(WCHAR)];
    ULONG bytes = ansi ? units : units * (ULONG)sizeof(WCHAR);

    if (!units || !client_list)
        return STATUS_SUCCESS;
    if (units > PACKAGE_LIST_MAX) {
        pkg_trace("fails: the PackageList is longer than %d characters", PACKAGE_LIST_MAX);
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    if (pkg_copy_from_client(list, client_list, bytes) != STATUS_SUCCESS) {
        pkg_trace("fails: the PackageList cannot be read from the caller's memory");
        return SEC_E_INVALID_PARAMETER;
    }
    return pkg_identity_listed(list, bytes, !ansi);
}

NTSTATUS pkg_identity_listed(const BYTE *list, ULONG bytes, BOOL wide)
{
    switch (auth_identity_package_listed(list, bytes, wide, SSPKG_PACKAGE_NAME_A)) {
    case AUTH_IDENTITY_LISTED:
        return STATUS_SUCCESS;
    case AUTH_IDENTITY_EXCLUDED:
        pkg_trace("fails: the identity's PackageList excludes " SSPKG_PACKAGE_NAME_A);
        return SEC_E_UNKNOWN_CREDENTIALS;
    case AUTH_IDENTITY_NOT_LISTED:
        break;
    }
    pkg_trace("fails: the identity's PackageList names other packages, not " SSPKG_PACKAGE_NAME_A);
    return SEC_E_UNKNOWN_CREDENTIALS;
}

/* Flags of the _W/_A/_EX forms: exactly one of ANSI and UNICODE, and not encrypted. */
static NTSTATUS check_flags(ULONG flags, BOOL *ansi)
{
    ULONG kind = flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);

    if (kind != SEC_WINNT_AUTH_IDENTITY_ANSI && kind != SEC_WINNT_AUTH_IDENTITY_UNICODE) {
        pkg_trace("fails: the identity's Flags %#lx say neither ANSI nor Unicode, or both", flags);
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    if (flags & AUTH_IDENTITY_FLAGS_ENCRYPTED) {
        pkg_trace("fails: the identity is encrypted (SspiEncryptAuthIdentity), which only its "
                  "encrypting side can undo");
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    *ansi = kind == SEC_WINNT_AUTH_IDENTITY_ANSI;
    return STATUS_SUCCESS;
}

static void note_domain(ULONG length)
{
    if (length)
        pkg_trace("ignores the identity's Domain: SCRAM users are the server's store's, in "
                  "no domain");
}

/* The user and password of a UTF-16LE span of an EX2 copy. */
static NTSTATUS prepare_span(const char *what, const BYTE *blob, auth_identity_span s,
                             char *out, size_t cap, size_t *out_len)
{
    WCHAR text[SCRAM_SASLPREP_MAX];
    NTSTATUS status;

    *out_len = 0;
    if (s.length / sizeof(WCHAR) > SCRAM_SASLPREP_MAX) {
        pkg_trace("fails: the %s is longer than %d characters", what, SCRAM_SASLPREP_MAX);
        return SEC_E_INVALID_PARAMETER;
    }
    memcpy(text, blob + s.offset, s.length);
    status = prepare(what, text, s.length / sizeof(WCHAR), out, cap, out_len);
    scram_wipe(text, sizeof(text));
    return status;
}

static NTSTATUS read_ex2(const void *client_identity, pkg_identity_out *out)
{
    BYTE header[AUTH_IDENTITY_EX2_HEADER];
    auth_identity_ex2 id;
    auth_identity_result r;
    BYTE *blob = NULL;
    ULONG size;
    NTSTATUS status;

    if (pkg_copy_from_client(header, client_identity, sizeof(header)) != STATUS_SUCCESS) {
        pkg_trace("fails: the EX2 identity's header cannot be read from the caller's memory");
        return SEC_E_INVALID_TOKEN;
    }
    memcpy(&size, header + 8, sizeof(size));
    /* Copy what cbStructureLength says, within reason; the parser then checks that it
     * holds together. A length the caller's memory does not have is refused by the LSA's
     * copy, before anything is read. */
    if (size < sizeof(header) || size > AUTH_IDENTITY_EX2_MAX) {
        pkg_trace("fails: the EX2 identity's cbStructureLength %lu is not %u to %u bytes",
                  size, AUTH_IDENTITY_EX2_HEADER, AUTH_IDENTITY_EX2_MAX);
        return SEC_E_INVALID_TOKEN;
    }
    if (!(blob = pkg_alloc(size)))
        return SEC_E_INSUFFICIENT_MEMORY;
    if (pkg_copy_from_client(blob, client_identity, size) != STATUS_SUCCESS) {
        pkg_trace("fails: the EX2 identity's %lu bytes are not the caller's memory", size);
        status = SEC_E_INVALID_TOKEN;
        goto done;
    }
    r = auth_identity_ex2_parse(blob, size, &id);
    if (r != AUTH_IDENTITY_OK) {
        pkg_trace("fails: the EX2 identity: %s", auth_identity_text(r));
        status = r >= AUTH_IDENTITY_E_CREDENTIAL_TYPE ? SEC_E_UNKNOWN_CREDENTIALS
                                                       : SEC_E_INVALID_TOKEN;
        goto done;
    }
    status = pkg_identity_listed(blob + id.package_list.offset, id.package_list.length, TRUE);
    if (status != STATUS_SUCCESS)
        goto done;
    note_domain(id.domain.length);
    status = prepare_span("user name", blob, id.user, out->user, out->user_cap, &out->user_len);
    if (status == STATUS_SUCCESS)
        status = prepare_span("password", blob, id.password, out->password, out->password_cap,
                              &out->password_len);
done:
    scram_wipe(blob, size);
    pkg_free(blob);
    return status;
}

/* SEC_WINNT_AUTH_IDENTITY_W (and _A) is _EXW's members from User to Flags: read it into
 * an _EXW at User, and one path serves both. */
_Static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_W) ==
                       offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, PackageList) -
                           offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, User) &&
                   offsetof(SEC_WINNT_AUTH_IDENTITY_W, Flags) ==
                       offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, Flags) -
                           offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, User),
               "SEC_WINNT_AUTH_IDENTITY_W lies inside _EXW");

NTSTATUS pkg_identity_read(const void *client_identity, pkg_identity_out *out)
{
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    BOOL ansi = FALSE;
    NTSTATUS status;

    out->user_len = out->password_len = 0;
    memset(&ex, 0, sizeof(ex));
    status = pkg_copy_from_client(&ex, client_identity, sizeof(ex.Version));
    if (status != STATUS_SUCCESS)
        return SEC_E_INVALID_PARAMETER;
    if (ex.Version == SEC_WINNT_AUTH_IDENTITY_VERSION_2)
        return read_ex2(client_identity, out);
    if (ex.Version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        /* _EXW and _EXA have one layout; Flags says which. */
        status = pkg_copy_from_client(&ex, client_identity, sizeof(ex));
        if (status != STATUS_SUCCESS)
            return SEC_E_INVALID_PARAMETER;
        if (ex.Length < sizeof(ex)) {
            pkg_trace("fails: the _EX identity's Length %lu is less than its %u bytes",
                      ex.Length, (unsigned)sizeof(ex));
            return SEC_E_INVALID_TOKEN;
        }
    } else {
        /* SEC_WINNT_AUTH_IDENTITY_W and _A have no version: anything that is not a known
         * version is read as one, and its Flags must then make sense. It has no
         * PackageList (ex's stays empty). */
        status = pkg_copy_from_client(&ex.User, client_identity, sizeof(SEC_WINNT_AUTH_IDENTITY_W));
        if (status != STATUS_SUCCESS)
            return SEC_E_INVALID_PARAMETER;
    }
    if ((status = check_flags(ex.Flags, &ansi)) != STATUS_SUCCESS ||
        (status = check_package_list(ex.PackageList, ex.PackageListLength, ansi)) != STATUS_SUCCESS)
        return status;
    note_domain(ex.DomainLength);
    status = read_string("user name", ex.User, ex.UserLength, ansi, out->user, out->user_cap,
                         &out->user_len);
    if (status == STATUS_SUCCESS)
        status = read_string("password", ex.Password, ex.PasswordLength, ansi, out->password,
                             out->password_cap, &out->password_len);
    return status;
}
