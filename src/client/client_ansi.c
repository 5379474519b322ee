/* client_ansi.c - sspkg_client.dll's ANSI table: InitSecurityInterfaceA gives a
 * SecurityFunctionTableA (sspi.h, version 4) for programs built without UNICODE. Each
 * entry is the Unicode table's (client_sspi.c) behind a conversion of the strings that
 * cross it, so there is one code path; entries without strings are the Unicode table's
 * own functions.
 *
 * Conversions use CP_ACP, the system's ANSI code page, as secur32 does for its A
 * functions; lsahost and its packages are told nothing of it (docs/protocol.md,
 * "Credentials and the key cache").
 * - Strings from the caller are widened before anything is sent: NULL stays NULL (the
 *   Unicode function decides what it means); a string that is not readable up to its NUL
 *   within CLIENT_ANSI_MAX_STRING bytes, or not valid in the code page, is
 *   SEC_E_INVALID_PARAMETER. That holds for strings the Unicode function then ignores (a
 *   principal, a target name): this side must read them to convert them. Copies of
 *   passwords are wiped.
 * - Strings returned are narrowed into blocks of the process heap, which
 *   FreeContextBuffer frees; the Unicode answer's blocks are freed here. Names (users,
 *   authorities, packages) must come across exactly: a character the code page lacks is
 *   SEC_E_UNSUPPORTED_FUNCTION (the W function gives the name), never a best-fit
 *   look-alike that could be another user's name. Descriptive text (a package's
 *   comment, an algorithm's name) gets '?' for what the code page lacks.
 * - Authentication data (SEC_WINNT_AUTH_IDENTITY_A, _EXA) passes as it is: lsahost reads
 *   it from this process as the LSA does, and the package reads the ANSI forms itself
 *   (src/package/pkg_identity.c), as Windows' packages do in lsass. Converting here too
 *   would convert twice, and the package would never see the form the caller chose.
 * - Attribute values go as the Unicode functions send them, except those sspi.h gives an
 *   A form of: the answers of QueryContextAttributesA (NAMES, AUTHORITY, NATIVE_NAMES,
 *   KEY_INFO, PACKAGE_INFO) and QueryCredentialsAttributesA (NAMES) are narrowed, and
 *   SetCredentialsAttributesA(NAMES) hands the package the Unicode structure, the one
 *   form an LSA-mode package is given. NEGOTIATION_INFO, CREDENTIAL_NAME and PROTO_INFO
 *   also have A forms, but the Unicode path does not check their pointers: they are
 *   SEC_E_UNSUPPORTED_FUNCTION here rather than handed over unconverted. A package's own
 *   attributes (SSPKG_ATTR_FAILURE) reach the caller as the package wrote them. */
#include "client_memory.h"
#include "client_say.h"
#include "client_sspi.h"

#include <stddef.h>
#include <string.h>
#include <wchar.h>

/* The longest string taken from a caller, in bytes before its NUL: a UNICODE_STRING, in
 * which the LSA hands strings to a package, holds at most 32767 characters. */
#define CLIENT_ANSI_MAX_STRING 32767u

static PSecurityFunctionTableW wide(void)
{
    return client_InitSecurityInterfaceW();
}

/* ---- Strings from the caller ------------------------------------------------------ */

/* Frees what widen_all made, wiping it (some are passwords). */
static void release_all(size_t n, WCHAR *w[])
{
    for (size_t i = 0; i < n; i++) {
        if (w[i]) {
            SecureZeroMemory(w[i], wcslen(w[i]) * sizeof(WCHAR));
            HeapFree(GetProcessHeap(), 0, w[i]);
            w[i] = NULL;
        }
    }
}

/* The UTF-16 forms of the caller's strings a[0..n-1] in w[] (heap blocks; NULL for
 * NULL); what[] names each for the message. On failure nothing is kept. */
static SECURITY_STATUS widen_all(size_t n, const char *const a[], WCHAR *w[],
                                 const char *const what[])
{
    for (size_t i = 0; i < n; i++)
        w[i] = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t room, len;
        int chars;

        if (!a[i])
            continue;
        room = client_memory_usable(a[i], FALSE);
        len = strnlen(a[i], room < CLIENT_ANSI_MAX_STRING + 1 ? room : CLIENT_ANSI_MAX_STRING + 1);
        if (len == room || len > CLIENT_ANSI_MAX_STRING) {
            client_say("%s: not a string that ends within %u bytes of readable memory", what[i],
                       CLIENT_ANSI_MAX_STRING);
            release_all(i, w);
            return SEC_E_INVALID_PARAMETER;
        }
        chars = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, a[i], (int)len + 1, NULL, 0);
        if (!chars) {
            client_say("%s: not valid in the ANSI code page (%u)", what[i], GetACP());
            release_all(i, w);
            return SEC_E_INVALID_PARAMETER;
        }
        if (!(w[i] = HeapAlloc(GetProcessHeap(), 0, (size_t)chars * sizeof(WCHAR)))) {
            release_all(i, w);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, a[i], (int)len + 1, w[i], chars);
    }
    return SEC_E_OK;
}

/* ---- Strings returned ------------------------------------------------------------- */

/* w in the ANSI code page into out (room bytes; room 0 asks for the size): the bytes
 * written with the NUL, or 0. exact: 0 also when a character has no form in the code
 * page. Never best fit: "a" for "ą" could name another user. */
static int narrow_into(const WCHAR *w, BOOL exact, char *out, int room)
{
    UINT acp = GetACP();
    BOOL lost = FALSE;
    int n;

    /* UTF-8 holds every character, and its conversion takes no default character. */
    if (acp == CP_UTF8)
        return WideCharToMultiByte(CP_UTF8, exact ? WC_ERR_INVALID_CHARS : 0, w, -1, out, room,
                                   NULL, NULL);
    n = WideCharToMultiByte(acp, WC_NO_BEST_FIT_CHARS, w, -1, out, room, NULL, &lost);
    return exact && lost ? 0 : n;
}

static SECURITY_STATUS no_ansi_form(const WCHAR *w)
{
    client_say("the name \"%ls\" has characters the ANSI code page (%u) lacks: the W "
               "function gives it", w, GetACP());
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/* The ANSI form of w in a new heap block. */
static SECURITY_STATUS narrow(const WCHAR *w, BOOL exact, char **a)
{
    int n = narrow_into(w, exact, NULL, 0);

    *a = NULL;
    if (!n)
        return no_ansi_form(w);
    if (!(*a = HeapAlloc(GetProcessHeap(), 0, (size_t)n)))
        return SEC_E_INSUFFICIENT_MEMORY;
    narrow_into(w, exact, *a, n);
    return SEC_E_OK;
}

/* Writes w's ANSI form at *at (the size was counted) and steps past it: where it went. */
static char *put(const WCHAR *w, BOOL exact, char **at, const char *end)
{
    char *s = *at;

    if (!w)
        return NULL;
    *at += narrow_into(w, exact, s, (int)(end - s));
    return s;
}

/* count SecPkgInfoW as SecPkgInfoA, with their strings, in one heap block. */
static SECURITY_STATUS package_info_a(const SecPkgInfoW *w, ULONG count, SecPkgInfoA **out)
{
    size_t size = count * sizeof(SecPkgInfoA);
    SecPkgInfoA *a;
    char *at, *end;

    *out = NULL;
    for (ULONG i = 0; i < count; i++) {
        int name = w[i].Name ? narrow_into(w[i].Name, TRUE, NULL, 0) : 0;
        int comment = w[i].Comment ? narrow_into(w[i].Comment, FALSE, NULL, 0) : 0;

        if ((w[i].Name && !name) || (w[i].Comment && !comment))
            return no_ansi_form(w[i].Name && !name ? w[i].Name : w[i].Comment);
        size += (size_t)name + (size_t)comment;
    }
    if (!(a = HeapAlloc(GetProcessHeap(), 0, size)))
        return SEC_E_INSUFFICIENT_MEMORY;
    at = (char *)(a + count);
    end = (char *)a + size;
    for (ULONG i = 0; i < count; i++) {
        a[i].fCapabilities = w[i].fCapabilities;
        a[i].wVersion = w[i].wVersion;
        a[i].wRPCID = w[i].wRPCID;
        a[i].cbMaxToken = w[i].cbMaxToken;
        a[i].Name = put(w[i].Name, TRUE, &at, end);
        a[i].Comment = put(w[i].Comment, FALSE, &at, end);
    }
    *out = a;
    return SEC_E_OK;
}

/* Where an answer of one attribute holds what the Unicode function allocated: strings
 * (names, exact; or text) or a SecPkgInfoW, at these offsets. The A structure has the
 * same layout with char in place of WCHAR. */
typedef enum answer_kind { ANSWER_NAME, ANSWER_TEXT, ANSWER_PACKAGE_INFO, ANSWER_REFUSED } answer_kind;

typedef struct answer_slots {
    ULONG attribute;
    answer_kind kind;
    size_t count;
    size_t at[2];
} answer_slots;

static const answer_slots context_answers[] = {
    { SECPKG_ATTR_NAMES, ANSWER_NAME, 1, { offsetof(SecPkgContext_NamesW, sUserName) } },
    { SECPKG_ATTR_AUTHORITY, ANSWER_NAME, 1, { offsetof(SecPkgContext_AuthorityW, sAuthorityName) } },
    { SECPKG_ATTR_NATIVE_NAMES, ANSWER_NAME, 2,
      { offsetof(SecPkgContext_NativeNamesW, sClientName),
        offsetof(SecPkgContext_NativeNamesW, sServerName) } },
    { SECPKG_ATTR_KEY_INFO, ANSWER_TEXT, 2,
      { offsetof(SecPkgContext_KeyInfoW, sSignatureAlgorithmName),
        offsetof(SecPkgContext_KeyInfoW, sEncryptAlgorithmName) } },
    { SECPKG_ATTR_PACKAGE_INFO, ANSWER_PACKAGE_INFO, 1,
      { offsetof(SecPkgContext_PackageInfoW, PackageInfo) } },
    { SECPKG_ATTR_NEGOTIATION_INFO, ANSWER_REFUSED, 0, { 0 } },
    { SECPKG_ATTR_CREDENTIAL_NAME, ANSWER_REFUSED, 0, { 0 } },
    { SECPKG_ATTR_PROTO_INFO, ANSWER_REFUSED, 0, { 0 } },
};

static const answer_slots credential_answers[] = {
    { SECPKG_CRED_ATTR_NAMES, ANSWER_NAME, 1, { offsetof(SecPkgCredentials_NamesW, sUserName) } },
};

static const answer_slots *slots_of(const answer_slots *table, size_t n, ULONG attribute)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].attribute == attribute)
            return &table[i];
    return NULL;
}

/* Replaces each Unicode block of the answer in buffer with its ANSI form, freeing the
 * Unicode ones; on failure the answer's pointers are all NULL and nothing is held. */
static SECURITY_STATUS narrow_answer(const answer_slots *slots, void *buffer)
{
    void *old[2] = { NULL, NULL }, *narrowed[2] = { NULL, NULL };
    SECURITY_STATUS s = SEC_E_OK;

    for (size_t i = 0; i < slots->count; i++)
        memcpy(&old[i], (BYTE *)buffer + slots->at[i], sizeof(void *));
    for (size_t i = 0; i < slots->count && s == SEC_E_OK; i++) {
        if (!old[i])
            continue;
        if (slots->kind == ANSWER_PACKAGE_INFO)
            s = package_info_a(old[i], 1, (SecPkgInfoA **)&narrowed[i]);
        else
            s = narrow(old[i], slots->kind == ANSWER_NAME, (char **)&narrowed[i]);
    }
    for (size_t i = 0; i < slots->count; i++) {
        wide()->FreeContextBuffer(old[i]);
        if (s != SEC_E_OK) {
            wide()->FreeContextBuffer(narrowed[i]);
            narrowed[i] = NULL;
        }
        memcpy((BYTE *)buffer + slots->at[i], &narrowed[i], sizeof(void *));
    }
    return s;
}

/* The Unicode query's answer, narrowed where it holds strings. */
static SECURITY_STATUS query_a(const answer_slots *slots, SECURITY_STATUS s, void *buffer)
{
    if (s != SEC_E_OK || !slots)
        return s;
    return narrow_answer(slots, buffer);
}

/* ---- The table's entries ------------------------------------------------------------ */

static SECURITY_STATUS SEC_ENTRY enumerate_a(PULONG count, PSecPkgInfoA *info)
{
    PSecPkgInfoW w = NULL;
    SECURITY_STATUS s;

    if (!count || !info)
        return SEC_E_INVALID_PARAMETER;
    *info = NULL;
    s = wide()->EnumerateSecurityPackagesW(count, &w);
    if (s == SEC_E_OK)
        s = package_info_a(w, *count, info);
    if (s != SEC_E_OK)
        *count = 0;
    wide()->FreeContextBuffer(w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY query_package_a(SEC_CHAR *name, PSecPkgInfoA *info)
{
    static const char *const what[1] = { "QuerySecurityPackageInfoA's package name" };
    const char *const a[1] = { name };
    WCHAR *w[1];
    PSecPkgInfoW w_info = NULL;
    SECURITY_STATUS s;

    if (!info)
        return SEC_E_INVALID_PARAMETER;
    *info = NULL;
    s = widen_all(1, a, w, what);
    if (s == SEC_E_OK)
        s = wide()->QuerySecurityPackageInfoW(w[0], &w_info);
    if (s == SEC_E_OK)
        s = package_info_a(w_info, 1, info);
    wide()->FreeContextBuffer(w_info);
    release_all(1, w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY acquire_a(SEC_CHAR *principal, SEC_CHAR *package, ULONG use,
                                           void *logon_id, void *auth_data,
                                           SEC_GET_KEY_FN get_key, void *get_key_arg,
                                           PCredHandle cred, PTimeStamp expiry)
{
    static const char *const what[2] = { "AcquireCredentialsHandleA's principal",
                                         "AcquireCredentialsHandleA's package name" };
    const char *const a[2] = { principal, package };
    WCHAR *w[2];
    SECURITY_STATUS s = widen_all(2, a, w, what);

    if (s == SEC_E_OK)
        s = wide()->AcquireCredentialsHandleW(w[0], w[1], use, logon_id, auth_data, get_key,
                                              get_key_arg, cred, expiry);
    release_all(2, w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY initialize_a(PCredHandle cred, PCtxtHandle ctx, SEC_CHAR *target,
                                              ULONG flags, ULONG reserved1, ULONG data_rep,
                                              PSecBufferDesc input, ULONG reserved2,
                                              PCtxtHandle new_ctx, PSecBufferDesc output,
                                              PULONG attributes, PTimeStamp expiry)
{
    static const char *const what[1] = { "InitializeSecurityContextA's target name" };
    const char *const a[1] = { target };
    WCHAR *w[1];
    SECURITY_STATUS s = widen_all(1, a, w, what);

    if (s == SEC_E_OK)
        s = wide()->InitializeSecurityContextW(cred, ctx, w[0], flags, reserved1, data_rep, input,
                                               reserved2, new_ctx, output, attributes, expiry);
    release_all(1, w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY query_context_a(PCtxtHandle ctx, ULONG attribute, void *buffer)
{
    const answer_slots *slots = slots_of(context_answers, ARRAYSIZE(context_answers), attribute);

    if (slots && slots->kind == ANSWER_REFUSED) {
        client_say("QueryContextAttributesA(%lu): an answer this DLL does not convert; the W "
                   "function gives it", attribute);
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    return query_a(slots, wide()->QueryContextAttributesW(ctx, attribute, buffer), buffer);
}

static SECURITY_STATUS SEC_ENTRY query_credentials_a(PCredHandle cred, ULONG attribute,
                                                     void *buffer)
{
    return query_a(slots_of(credential_answers, ARRAYSIZE(credential_answers), attribute),
                   wide()->QueryCredentialsAttributesW(cred, attribute, buffer), buffer);
}

/* SecPkgCredentials_NamesA becomes the Unicode structure, whose string lives in this
 * process for the call (the package reads it from here); other values go as bytes. */
static SECURITY_STATUS SEC_ENTRY set_credentials_attributes_a(PCredHandle cred, ULONG attribute,
                                                              void *buffer, ULONG size)
{
    static const char *const what[1] = { "SetCredentialsAttributesA's user name" };
    SecPkgCredentials_NamesA names;
    SecPkgCredentials_NamesW w_names;
    WCHAR *w[1];
    SECURITY_STATUS s;

    if (attribute != SECPKG_CRED_ATTR_NAMES || !buffer)
        return wide()->SetCredentialsAttributesW(cred, attribute, buffer, size);
    if (size < sizeof(names) || client_memory_usable(buffer, FALSE) < sizeof(names))
        return SEC_E_INVALID_PARAMETER;
    memcpy(&names, buffer, sizeof(names));
    s = widen_all(1, (const char *const[1]){ names.sUserName }, w, what);
    w_names.sUserName = w[0];
    if (s == SEC_E_OK)
        s = wide()->SetCredentialsAttributesW(cred, attribute, &w_names, sizeof(w_names));
    release_all(1, w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY change_password_a(SEC_CHAR *package, SEC_CHAR *domain,
                                                   SEC_CHAR *account, SEC_CHAR *old_password,
                                                   SEC_CHAR *new_password, BOOLEAN impersonating,
                                                   ULONG reserved, PSecBufferDesc output)
{
    static const char *const what[5] = { "ChangeAccountPasswordA's package name",
                                          "ChangeAccountPasswordA's domain",
                                          "ChangeAccountPasswordA's account name",
                                          "ChangeAccountPasswordA's old password",
                                          "ChangeAccountPasswordA's new password" };
    const char *const a[5] = { package, domain, account, old_password, new_password };
    WCHAR *w[5];
    SECURITY_STATUS s = widen_all(5, a, w, what);

    if (s == SEC_E_OK)
        s = wide()->ChangeAccountPasswordW(w[0], w[1], w[2], w[3], w[4], impersonating, reserved,
                                           output);
    release_all(5, w);
    return s;
}

static SECURITY_STATUS SEC_ENTRY import_context_a(SEC_CHAR *package, PSecBuffer packed,
                                                  void *token, PCtxtHandle ctx)
{
    static const char *const what[1] = { "ImportSecurityContextA's package name" };
    const char *const a[1] = { package };
    WCHAR *w[1];
    SECURITY_STATUS s = widen_all(1, a, w, what);

    if (s == SEC_E_OK)
        s = wide()->ImportSecurityContextW(w[0], packed, token, ctx);
    release_all(1, w);
    return s;
}

/* The entries without strings are the Unicode table's; SetContextAttributes takes no
 * attribute with an A form (sspi.h), so its value goes as bytes. */
static SecurityFunctionTableA table;
static INIT_ONCE table_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK fill_table(PINIT_ONCE once, void *parameter, void **context)
{
    const SecurityFunctionTableW *w = wide();

    (void)once;
    (void)parameter;
    (void)context;
    table = (SecurityFunctionTableA){
        .dwVersion = w->dwVersion,
        .EnumerateSecurityPackagesA = enumerate_a,
        .QueryCredentialsAttributesA = query_credentials_a,
        .AcquireCredentialsHandleA = acquire_a,
        .FreeCredentialHandle = w->FreeCredentialsHandle,
        .InitializeSecurityContextA = initialize_a,
        .AcceptSecurityContext = w->AcceptSecurityContext,
        .CompleteAuthToken = w->CompleteAuthToken,
        .DeleteSecurityContext = w->DeleteSecurityContext,
        .ApplyControlToken = w->ApplyControlToken,
        .QueryContextAttributesA = query_context_a,
        .ImpersonateSecurityContext = w->ImpersonateSecurityContext,
        .RevertSecurityContext = w->RevertSecurityContext,
        .MakeSignature = w->MakeSignature,
        .VerifySignature = w->VerifySignature,
        .FreeContextBuffer = w->FreeContextBuffer,
        .QuerySecurityPackageInfoA = query_package_a,
        .ExportSecurityContext = w->ExportSecurityContext,
        .ImportSecurityContextA = import_context_a,
        .QuerySecurityContextToken = w->QuerySecurityContextToken,
        .EncryptMessage = w->EncryptMessage,
        .DecryptMessage = w->DecryptMessage,
        .SetContextAttributesA = w->SetContextAttributesW,
        .SetCredentialsAttributesA = set_credentials_attributes_a,
        .ChangeAccountPasswordA = change_password_a,
    };
    return TRUE;
}

PSecurityFunctionTableA SEC_ENTRY client_InitSecurityInterfaceA(void)
{
    InitOnceExecuteOnce(&table_once, fill_table, NULL, NULL);
    return &table;
}
