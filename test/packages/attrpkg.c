/* attrpkg.c - a package with the SSPI entries past version 1 a caller reaches:
 * SpSetContextAttributes, SpSetCredentialsAttributes, SpQueryMetaData,
 * SpExchangeMetaData and SpChangeAccountPassword. Each says on stderr exactly what it
 * received, for the tests to compare with what was sent:
 *
 *   attrpkg: SpSetContextAttributes(context 0x2001, attribute 77, 5 bytes, fnv1a
 *            0x........, at an address): 0102030405
 *
 * (one line; the bytes in hex, the first 64 only, and "at NULL" for no buffer). For
 * SECPKG_CRED_ATTR_NAMES with a SecPkgCredentials_NamesW's size, a second line gives the
 * name it points at as UTF-16 code units ("sUserName U+006A ...").
 *
 * Its contexts take two steps: the client sends "attrpkg-hello", the server answers
 * "attrpkg-ok" with SEC_E_OK, the client takes it with SEC_E_OK. SpChangeAccountPassword
 * refuses every change with STATUS_PASSWORD_RESTRICTION and writes its password policy
 * (ATTRPKG_POLICY) into Output, as a domain controller answers a password its policy
 * rejects. Credentials and contexts
 * are numbered; a Set* on a handle the package did not give is SEC_E_INVALID_HANDLE.
 *
 * Built twice (Makefile):
 *   attrpkg.dll     SECPKG_INTERFACE_VERSION_11, two tables: "attrpkg" with the five
 *                   entries, "attrpkg-null" with them NULL
 *   attrpkg-v1.dll  -DDECLARE_V1: SECPKG_INTERFACE_VERSION, one table "attrpkg-v1" whose
 *                   structure holds the five entries anyway: version 1 does not define
 *                   them, so the LSA must never call them
 * ATTRPKG_METADATA=wild makes SpQueryMetaData return 64 bytes at an unmapped address,
 * =huge 16 bytes from the LSA heap claimed as 1 MiB.
 *
 * ATTRPKG_FREE=1 makes it hostile with the LSA's memory: the Set*Attributes entries and
 * SpExchangeMetaData free the Buffer they are handed, and SpChangeAccountPassword, rather
 * than refusing, repoints the NewPassword it is handed at a string constant (read-only
 * memory), frees Output's SECBUFFER_CHANGE_PASS_RESPONSE buffer and returns SEC_E_OK;
 * all of these are the LSA's. ATTRPKG_FREE=realloc also allocates a block of the same
 * size after each free (the heap tends to give back the freed address), keeps it, and
 * frees it at SpShutdown. */
#include "../../src/winapi.h"
#include "../../include/lsahost_secpkg.h"
#include "test_package_info.h"

#include <stdio.h>
#include <string.h>

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static LSA_SEC_HANDLE next_cred = 0x1000, next_ctx = 0x2000;
/* The handles given, and the use of each credential and of the credential each context
 * was made from; 0 once freed or deleted. */
static LSA_SEC_HANDLE creds[64], ctxs[64];
static ULONG uses[64], ctx_uses[64];

static int find(const LSA_SEC_HANDLE *list, LSA_SEC_HANDLE h)
{
    for (int i = 0; h && i < 64; i++)
        if (list[i] == h)
            return i;
    return -1;
}

static LSA_SEC_HANDLE add(LSA_SEC_HANDLE *list, LSA_SEC_HANDLE *next)
{
    int i = find(list, 0);
    if (i < 0)
        for (i = 0; i < 64 && list[i]; i++)
            ;
    if (i >= 64)
        return 0;
    return list[i] = ++*next;
}

static NTSTATUS NTAPI attr_initialize(ULONG_PTR id, PSECPKG_PARAMETERS parameters,
                                      PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)id, (void)parameters;
    lsa = table;
    return STATUS_SUCCESS;
}

static void free_kept(void);

static NTSTATUS NTAPI attr_shutdown(void)
{
    free_kept();
    return STATUS_SUCCESS;
}

#ifdef DECLARE_V1
static WCHAR names[1][16] = { L"attrpkg-v1" };
#else
static WCHAR names[2][16] = { L"attrpkg", L"attrpkg-null" };
#endif
static WCHAR comment[] = L"the SSPI entries past version 1, recording what they get";
static ULONG started;

static NTSTATUS NTAPI attr_getinfo(PSecPkgInfoW info)
{
    /* SpGetInfo is called once per table, in order. */
    NTSTATUS s = test_package_info(info, names[started % (sizeof(names) / sizeof(names[0]))],
                                   comment);
    started++;
    info->fCapabilities = SECPKG_FLAG_CONNECTION;
    return s;
}

static NTSTATUS NTAPI attr_acquire(PUNICODE_STRING principal, ULONG use, PLUID logon_id,
                                   PVOID auth_data, PVOID get_key, PVOID get_key_argument,
                                   PLSA_SEC_HANDLE credential, PTimeStamp expiry)
{
    (void)principal, (void)logon_id, (void)auth_data, (void)get_key, (void)get_key_argument;
    (void)expiry;
    if (!(*credential = add(creds, &next_cred)))
        return SEC_E_INSUFFICIENT_MEMORY;
    uses[find(creds, *credential)] = use;
    return SEC_E_OK;
}

static NTSTATUS forget(LSA_SEC_HANDLE *list, LSA_SEC_HANDLE h)
{
    int i = find(list, h);
    if (i < 0)
        return SEC_E_INVALID_HANDLE;
    list[i] = 0;
    return SEC_E_OK;
}

static NTSTATUS NTAPI attr_free_credentials(LSA_SEC_HANDLE credential)
{
    return forget(creds, credential);
}

static NTSTATUS NTAPI attr_delete_context(LSA_SEC_HANDLE context)
{
    return forget(ctxs, context);
}

/* The next context of `credential`, or the one given. */
static NTSTATUS context_for(LSA_SEC_HANDLE credential, LSA_SEC_HANDLE context,
                            PLSA_SEC_HANDLE out)
{
    if (context) {
        if (find(ctxs, context) < 0)
            return SEC_E_INVALID_HANDLE;
        *out = context;
        return SEC_E_OK;
    }
    if (find(creds, credential) < 0)
        return SEC_E_INVALID_HANDLE;
    if (!(*out = add(ctxs, &next_ctx)))
        return SEC_E_INSUFFICIENT_MEMORY;
    ctx_uses[find(ctxs, *out)] = uses[find(creds, credential)];
    return SEC_E_OK;
}

/* A token from the LSA heap (ISC/ASC_REQ_ALLOCATE_MEMORY, which the LSA always asks). */
static NTSTATUS give_token(PSecBufferDesc output, const char *text)
{
    PSecBuffer out = output && output->cBuffers ? output->pBuffers : NULL;
    ULONG n = (ULONG)strlen(text);

    if (!out)
        return SEC_E_INVALID_TOKEN;
    if (!(out->pvBuffer = lsa->AllocateLsaHeap(n)))
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(out->pvBuffer, text, n);
    out->cbBuffer = n;
    return SEC_E_OK;
}

static BOOL has_token(PSecBufferDesc input, const char *text)
{
    for (ULONG i = 0; input && i < input->cBuffers; i++) {
        PSecBuffer b = &input->pBuffers[i];
        if ((b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN)
            return b->cbBuffer == strlen(text) && !memcmp(b->pvBuffer, text, b->cbBuffer);
    }
    return FALSE;
}

static NTSTATUS NTAPI attr_init(LSA_SEC_HANDLE credential, LSA_SEC_HANDLE context,
                                PUNICODE_STRING target, ULONG requirements, ULONG data_rep,
                                PSecBufferDesc input, PLSA_SEC_HANDLE new_context,
                                PSecBufferDesc output, PULONG attributes, PTimeStamp expiry,
                                PBOOLEAN mapped, PSecBuffer context_data)
{
    NTSTATUS s = context_for(credential, context, new_context);

    (void)target, (void)requirements, (void)data_rep, (void)expiry, (void)context_data;
    *mapped = FALSE;
    *attributes = ISC_RET_CONNECTION;
    if (s != SEC_E_OK)
        return s;
    if (has_token(input, "attrpkg-ok"))
        return SEC_E_OK;
    s = give_token(output, "attrpkg-hello");
    return s == SEC_E_OK ? SEC_I_CONTINUE_NEEDED : s;
}

static NTSTATUS NTAPI attr_accept(LSA_SEC_HANDLE credential, LSA_SEC_HANDLE context,
                                  PSecBufferDesc input, ULONG requirements, ULONG data_rep,
                                  PLSA_SEC_HANDLE new_context, PSecBufferDesc output,
                                  PULONG attributes, PTimeStamp expiry, PBOOLEAN mapped,
                                  PSecBuffer context_data)
{
    NTSTATUS s = context_for(credential, context, new_context);

    (void)requirements, (void)data_rep, (void)expiry, (void)context_data;
    *mapped = FALSE;
    *attributes = ASC_RET_CONNECTION;
    if (s != SEC_E_OK)
        return s;
    if (!has_token(input, "attrpkg-hello"))
        return SEC_E_INVALID_TOKEN;
    return give_token(output, "attrpkg-ok");
}

/* FNV-1a (32 bits) of the bytes: the tests compare it with their own. */
static ULONG fnv1a(const BYTE *p, ULONG n)
{
    ULONG h = 2166136261u;
    for (ULONG i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void record(const char *entry, const char *kind, LSA_SEC_HANDLE handle, ULONG attribute,
                   const void *buffer, ULONG size)
{
    const BYTE *b = buffer;
    char hex[2 * 64 + 1] = "";
    ULONG shown = size < 64 ? size : 64;

    for (ULONG i = 0; b && i < shown; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    fprintf(stderr, "attrpkg: %s(%s 0x%llx, attribute %lu, %lu bytes, fnv1a 0x%08lx, at %s): %s\n",
            entry, kind, (unsigned long long)handle, attribute, size, b ? fnv1a(b, size) : 0ul,
            !b ? "NULL" : "an address", hex);
    fflush(stderr);
}

/* SECPKG_CRED_ATTR_NAMES: the user name the structure points at, in the client, read
 * as a package reads it (CopyFromClientBuffer) and said as UTF-16 code units, so the
 * test sees which form arrived. At most 32 units are read. */
static void record_name(const SecPkgCredentials_NamesW *names)
{
    WCHAR name[33] = { 0 };
    char units[33 * 7 + 1] = "";

    if (!names->sUserName ||
        lsa->CopyFromClientBuffer(NULL, sizeof(name) - sizeof(WCHAR), name, names->sUserName) !=
            STATUS_SUCCESS)
        snprintf(units, sizeof(units), " unreadable");
    for (int i = 0; name[i] && i < 32; i++)
        snprintf(units + strlen(units), sizeof(units) - strlen(units), " U+%04X", name[i]);
    fprintf(stderr, "attrpkg: SpSetCredentialsAttributes: sUserName%s\n", units);
    fflush(stderr);
}

/* Blocks of its own it allocated in place of the LSA's (ATTRPKG_FREE=realloc), freed at
 * SpShutdown: if lsahost had freed one, that free is refused, and shows. */
static PVOID kept[16];
static ULONG kept_count;

/* ATTRPKG_FREE=1: frees the LSA's buffer, as a package that thinks it owns it;
 * =realloc: then allocates a block of the same size, which the heap may place at the
 * same address, and keeps it. */
static void maybe_free(PVOID buffer, ULONG size)
{
    char free_it[8] = "";
    PVOID mine;

    if (!GetEnvironmentVariableA("ATTRPKG_FREE", free_it, sizeof(free_it)) || !buffer)
        return;
    lsa->FreeLsaHeap(buffer);
    if (strcmp(free_it, "realloc") || kept_count == 16 || !(mine = lsa->AllocateLsaHeap(size)))
        return;
    kept[kept_count++] = mine;
    fprintf(stderr, "attrpkg: freed the LSA's buffer and allocated one of its own at %s\n",
            mine == buffer ? "the same address" : "another address");
    fflush(stderr);
}

static void free_kept(void)
{
    while (kept_count)
        lsa->FreeLsaHeap(kept[--kept_count]);
}

static NTSTATUS NTAPI attr_set_context(LSA_SEC_HANDLE context, ULONG attribute, PVOID buffer,
                                       ULONG size)
{
    record("SpSetContextAttributes", "context", context, attribute, buffer, size);
    maybe_free(buffer, size);
    return find(ctxs, context) < 0 ? SEC_E_INVALID_HANDLE : SEC_E_OK;
}

static NTSTATUS NTAPI attr_set_credentials(LSA_SEC_HANDLE credential, ULONG attribute,
                                           PVOID buffer, ULONG size)
{
    record("SpSetCredentialsAttributes", "credential", credential, attribute, buffer, size);
    if (attribute == SECPKG_CRED_ATTR_NAMES && size == sizeof(SecPkgCredentials_NamesW))
        record_name(buffer);
    maybe_free(buffer, size);
    return find(creds, credential) < 0 ? SEC_E_INVALID_HANDLE : SEC_E_OK;
}

/* Metadata from the LSA heap, naming the side (the use of the context's credential). */
static NTSTATUS NTAPI attr_query_metadata(LSA_SEC_HANDLE credential, PUNICODE_STRING target,
                                          ULONG requirements, PULONG length, PUCHAR *metadata,
                                          PLSA_SEC_HANDLE context)
{
    char mode[16] = "", text[64];
    NTSTATUS s = context_for(credential, *context, context);

    (void)target, (void)requirements;
    *length = 0;
    *metadata = NULL;
    if (s != SEC_E_OK)
        return s;
    GetEnvironmentVariableA("ATTRPKG_METADATA", mode, sizeof(mode));
    if (!strcmp(mode, "wild")) {
        *metadata = (PUCHAR)(ULONG_PTR)0xffff800000001000ull;
        *length = 64;
        return SEC_E_OK;
    }
    snprintf(text, sizeof(text), "attrpkg-metadata-%s",
             ctx_uses[find(ctxs, *context)] == SECPKG_CRED_INBOUND ? "acceptor" : "initiator");
    if (!(*metadata = lsa->AllocateLsaHeap(16 + (ULONG)strlen(text))))
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(*metadata, text, strlen(text));
    *length = !strcmp(mode, "huge") ? 1u << 20 : (ULONG)strlen(text);
    fprintf(stderr, "attrpkg: SpQueryMetaData(context 0x%llx): %s\n",
            (unsigned long long)*context, text);
    fflush(stderr);
    return SEC_E_OK;
}

static NTSTATUS NTAPI attr_exchange_metadata(LSA_SEC_HANDLE credential, PUNICODE_STRING target,
                                             ULONG requirements, ULONG length, PUCHAR metadata,
                                             PLSA_SEC_HANDLE context)
{
    NTSTATUS s = context_for(credential, *context, context);

    (void)target, (void)requirements;
    record("SpExchangeMetaData", "context", *context, 0, metadata, length);
    maybe_free(metadata, length);
    return s;
}

/* Minimum length 12, history 24, complex, at most 42 days old, at least a day
 * (DOMAIN_PASSWORD_INFORMATION's ages are negative 100-ns intervals). */
static const DOMAIN_PASSWORD_INFORMATION ATTRPKG_POLICY = {
    12, 24, DOMAIN_PASSWORD_COMPLEX, { .QuadPart = -42 * 864000000000LL },
    { .QuadPart = -864000000000LL }
};

static NTSTATUS NTAPI attr_change_password(PUNICODE_STRING domain, PUNICODE_STRING account,
                                           PUNICODE_STRING old_password,
                                           PUNICODE_STRING new_password, BOOLEAN impersonating,
                                           PSecBufferDesc output)
{
    static const WCHAR constant[] = L"constant";
    PSecBuffer b = output && output->cBuffers == 1 ? output->pBuffers : NULL;
    char free_it[4] = "";

    fprintf(stderr, "attrpkg: SpChangeAccountPassword(domain of %u chars, account '%.*ls', old "
            "password of %u chars, new of %u, Impersonating=%d, Output of %lu buffer(s), type "
            "%lu, %lu bytes)\n", domain->Length / 2, account->Length / 2, account->Buffer,
            old_password->Length / 2, new_password->Length / 2, (int)impersonating,
            output ? output->cBuffers : 0, b ? b->BufferType : 0, b ? b->cbBuffer : 0);
    fflush(stderr);
    if (GetEnvironmentVariableA("ATTRPKG_FREE", free_it, sizeof(free_it))) {
        new_password->Buffer = (PWSTR)constant;
        new_password->Length = new_password->MaximumLength = sizeof(constant) - 2;
        if (b)
            lsa->FreeLsaHeap(b->pvBuffer);
        return SEC_E_OK;
    }
    if (b && b->pvBuffer && b->cbBuffer >= sizeof(ATTRPKG_POLICY))
        memcpy(b->pvBuffer, &ATTRPKG_POLICY, sizeof(ATTRPKG_POLICY));
    return STATUS_PASSWORD_RESTRICTION;
}

#define FILLED(name_of_table)                                                                  \
    {                                                                                          \
        .Initialize = attr_initialize, .Shutdown = attr_shutdown, .GetInfo = attr_getinfo,     \
        .AcquireCredentialsHandle = attr_acquire,                                              \
        .FreeCredentialsHandle = attr_free_credentials, .InitLsaModeContext = attr_init,       \
        .AcceptLsaModeContext = attr_accept, .DeleteContext = attr_delete_context,             \
        name_of_table                                                                          \
    }
#define NEWER_ENTRIES                                                                          \
    .SetContextAttributes = attr_set_context, .SetCredentialsAttributes = attr_set_credentials, \
    .QueryMetaData = attr_query_metadata, .ExchangeMetaData = attr_exchange_metadata,          \
    .ChangeAccountPassword = attr_change_password,

#ifdef DECLARE_V1
static LSAHOST_SECPKG_FUNCTION_TABLE tables[1] = { FILLED(NEWER_ENTRIES) };
#define DECLARED SECPKG_INTERFACE_VERSION
#else
static LSAHOST_SECPKG_FUNCTION_TABLE tables[2] = { FILLED(NEWER_ENTRIES), FILLED() };
#define DECLARED SECPKG_INTERFACE_VERSION_11
#endif

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    *PackageVersion = DECLARED;
    *ppTables = (PSECPKG_FUNCTION_TABLE)tables;
    *pcTables = sizeof(tables) / sizeof(tables[0]);
    return STATUS_SUCCESS;
}
