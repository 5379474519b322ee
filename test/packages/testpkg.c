/* testpkg.c - a security package that misbehaves in the way TESTPKG_MODE names, so the
 * tests can show how lsahost reports each kind of bad package:
 *
 *   ok             behaves (no tables besides the three required entries)
 *   init-fails     SpInitialize returns STATUS_INTERNAL_ERROR
 *   lsamode-fails  SpLsaModeInitialize returns STATUS_NOT_SUPPORTED
 *   no-tables      reports 0 tables
 *   many-tables    reports 1000 tables
 *   million-tables reports 1,000,000 tables
 *   null-tables    reports a NULL table pointer
 *   wild-tables    reports a table pointer to unmapped memory
 *   no-getinfo     the table lacks GetInfo
 *   wild-entry     a table entry points into data, not code
 *   old-version    reports interface version 1 (not a SECPKG_INTERFACE_VERSION)
 *   two-versions   reports SECPKG_INTERFACE_VERSION_2 | _3, bits of two versions
 *   leak           takes one of everything from the LSA and gives nothing back
 *   crash          dereferences NULL in SpInitialize
 *   unload-early   calls UnloadPackage in SpInitialize (and still succeeds there)
 *   unload-thread  a thread it makes (CreateThread) calls UnloadPackage once the package
 *                  has started, outside any call, then stays in the package's code a
 *                  little; SpShutdown says whether that thread was still inside
 *
 * and, for lsahost check, with the SSPI entries (credentials of every use, contexts,
 * extended information) and SECPKG_FLAG_CONNECTION:
 *
 *   contexts       behaves: a credential of each use, a context, SecpkgMutualAuthLevel
 *   unknown-caps   also claims capability bit 0x80000000, which no SECPKG_FLAG_* defines
 *   bad-name       SpGetInfo's Name points to unmapped memory
 *   unterminated-name  its Name's last characters end a page, with no NUL before the
 *                  unreadable page after it
 *   bad-extinfo    SecpkgGssInfo with an EncodedIdLength past its memory, and
 *                  SecpkgContextThunks answered with another class
 *   bad-token      an output token whose pointer is unmapped memory
 *   big-token      a 64-byte output token, past the 16 bytes cbMaxToken promises
 *   stuck-credential  SpFreeCredentialsHandle fails
 *   stuck-context  SpDeleteContext fails
 *   findings-and-leak  unknown-caps, and an LSA heap block never given back
 *   unload         contexts, but its first SpAcquireCredentialsHandle takes an LSA heap
 *                  block, calls UnloadPackage and issues the credential: the package
 *                  has found an unrecoverable problem
 */
#include "../../src/winapi.h"
#include "test_package_info.h"

#include <stdio.h>
#include <string.h>

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static char mode[32];
static volatile LONG thread_may_exit;

static int is(const char *m)
{
    return strcmp(mode, m) == 0;
}

static DWORD WINAPI lingering_thread(LPVOID arg)
{
    (void)arg;
    while (!thread_may_exit)
        Sleep(10);
    return 0;
}

/* unload-thread: set by SpGetInfo (the package has started) and by the thread. */
static volatile LONG started, unloading_thread_inside;

static DWORD WINAPI unloading_thread(LPVOID arg)
{
    (void)arg;
    while (!started)
        Sleep(10);
    /* lsahost serve is idle by now: no call into the package is in progress. */
    Sleep(300);
    unloading_thread_inside = 1;
    lsa->UnloadPackage();
    Sleep(100);
    fprintf(stderr, "testpkg: the unloading thread leaves the package\n");
    fflush(stderr);
    unloading_thread_inside = 0;
    return 0;
}

static void leak_everything(void)
{
    PVOID section, client = NULL;
    LUID session;
    HANDLE thread;

    lsa->AllocateLsaHeap(100);
    lsa->AllocatePrivateHeap(200);
    lsa->AllocateClientBuffer(NULL, 300, &client);
    section = lsa->CreateSharedMemory(65536, 4096);
    lsa->AllocateSharedMemory(section, 400);
    AllocateLocallyUniqueId(&session);
    lsa->CreateLogonSession(&session);
    thread = lsa->CreateThread(NULL, 0, lingering_thread, NULL, 0, NULL);
    if (thread)
        CloseHandle(thread);
}

static NTSTATUS NTAPI test_initialize(ULONG_PTR id, PSECPKG_PARAMETERS parameters,
                                      PLSA_SECPKG_FUNCTION_TABLE table)
{
    (void)id;
    (void)parameters;
    lsa = table;
    if (is("init-fails"))
        return STATUS_INTERNAL_ERROR;
    if (is("crash"))
        *(volatile int *)0 = 1;
    if (is("leak"))
        leak_everything();
    if (is("findings-and-leak"))
        lsa->AllocateLsaHeap(100);
    /* UnloadPackage documents STATUS_SUCCESS as its only answer. */
    if (is("unload-early") && lsa->UnloadPackage() != STATUS_SUCCESS)
        return STATUS_INTERNAL_ERROR;
    if (is("unload-thread")) {
        HANDLE thread = lsa->CreateThread(NULL, 0, unloading_thread, NULL, 0, NULL);
        if (!thread)
            return STATUS_INTERNAL_ERROR;
        CloseHandle(thread);
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI test_shutdown(void)
{
    if (is("unload-thread"))
    {
        fprintf(stderr, "testpkg: SpShutdown, the unloading thread %s\n",
                unloading_thread_inside ? "still inside the package" : "gone from it");
        fflush(stderr);
    }
    return STATUS_SUCCESS;
}

/* Memory no user-mode pointer reaches: kernel space. */
#define UNMAPPED ((void *)(ULONG_PTR)0xffff800000001000ull)

static int sspi_mode(void)
{
    return is("contexts") || is("unknown-caps") || is("bad-name") || is("bad-extinfo") ||
           is("bad-token") || is("big-token") || is("stuck-credential") || is("stuck-context") ||
           is("findings-and-leak") || is("unterminated-name") || is("unload");
}

static NTSTATUS NTAPI test_getinfo(PSecPkgInfoW info)
{
    started = 1;
    static WCHAR name[] = L"testpkg", comment[] = L"misbehaves on request";
    NTSTATUS status = test_package_info(info, name, comment);

    if (sspi_mode())
        info->fCapabilities = SECPKG_FLAG_CONNECTION;
    if (is("unknown-caps") || is("findings-and-leak"))
        info->fCapabilities |= 0x80000000u;
    if (is("bad-name"))
        info->Name = UNMAPPED;
    if (is("unterminated-name")) {
        /* One committed page of 'A's, the next reserved only: reading on is a fault. */
        BYTE *pages = VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);
        if (!pages || !VirtualAlloc(pages, 4096, MEM_COMMIT, PAGE_READWRITE))
            return STATUS_NO_MEMORY;
        for (WCHAR *c = (WCHAR *)pages; c < (WCHAR *)(pages + 4096); c++)
            *c = L'A';
        info->Name = (WCHAR *)(pages + 4096) - 4;
    }
    return status;
}

#define CREDENTIAL 0x1001
#define CONTEXT 0x2002

static NTSTATUS NTAPI test_acquire(PUNICODE_STRING principal, ULONG use, PLUID logon_id,
                                   PVOID auth_data, PVOID get_key, PVOID get_key_argument,
                                   PLSA_SEC_HANDLE credential, PTimeStamp expiry)
{
    (void)principal;
    (void)use;
    (void)logon_id;
    (void)auth_data;
    (void)get_key;
    (void)get_key_argument;
    (void)expiry;
    if (is("unload") && (!lsa->AllocateLsaHeap(48) || lsa->UnloadPackage() != STATUS_SUCCESS))
        return SEC_E_INTERNAL_ERROR;
    *credential = CREDENTIAL;
    return SEC_E_OK;
}

static NTSTATUS NTAPI test_free_credentials(LSA_SEC_HANDLE credential)
{
    return credential == CREDENTIAL && !is("stuck-credential") ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

static NTSTATUS NTAPI test_init_context(LSA_SEC_HANDLE credential, LSA_SEC_HANDLE context,
                                       PUNICODE_STRING target, ULONG requirements,
                                       ULONG data_rep, PSecBufferDesc input,
                                       PLSA_SEC_HANDLE new_context, PSecBufferDesc output,
                                       PULONG attributes, PTimeStamp expiry, PBOOLEAN mapped,
                                       PSecBuffer context_data)
{
    ULONG length = is("big-token") ? 64 : 5;
    PSecBuffer out = output->pBuffers;

    (void)target;
    (void)requirements;
    (void)data_rep;
    (void)input;
    (void)expiry;
    (void)context_data;
    if (credential != CREDENTIAL || context)
        return SEC_E_INVALID_HANDLE;
    /* ISC_REQ_ALLOCATE_MEMORY, which the LSA always asks for: the token from its heap. */
    out->pvBuffer = is("bad-token") ? UNMAPPED : lsa->AllocateLsaHeap(length);
    if (!out->pvBuffer)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (!is("bad-token"))
        memset(out->pvBuffer, 'x', length);
    out->cbBuffer = is("bad-token") ? 100 : length;
    *new_context = CONTEXT;
    *attributes = ISC_RET_CONNECTION;
    *mapped = FALSE;
    return SEC_I_CONTINUE_NEEDED;
}

static NTSTATUS NTAPI test_delete_context(LSA_SEC_HANDLE context)
{
    return context == CONTEXT && !is("stuck-context") ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/* SecpkgMutualAuthLevel well formed from the LSA heap, which the LSA frees; in
 * bad-extinfo mode two malformed answers. Every other class is not supported. */
static NTSTATUS NTAPI test_extended_info(SECPKG_EXTENDED_INFORMATION_CLASS cls,
                                         PSECPKG_EXTENDED_INFORMATION *info)
{
    PSECPKG_EXTENDED_INFORMATION x;

    if (cls != SecpkgMutualAuthLevel &&
        !(is("bad-extinfo") && (cls == SecpkgGssInfo || cls == SecpkgContextThunks)))
        return SEC_E_UNSUPPORTED_FUNCTION;
    x = lsa->AllocateLsaHeap(sizeof(*x));
    if (!x)
        return STATUS_NO_MEMORY;
    x->Class = cls;
    if (cls == SecpkgMutualAuthLevel)
        x->Info.MutualAuthLevel.MutualAuthLevel = 1;
    else if (cls == SecpkgGssInfo)
        x->Info.GssInfo.EncodedIdLength = 0x10000;
    else
        x->Class = SecpkgExtraOids;
    *info = x;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE table = {
    .Initialize = test_initialize,
    .Shutdown = test_shutdown,
    .GetInfo = test_getinfo,
};

static char not_code[64];

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    if (!GetEnvironmentVariableA("TESTPKG_MODE", mode, sizeof(mode)))
        strcpy(mode, "ok");
    *PackageVersion = is("old-version") ? 1 :
                      is("two-versions") ? SECPKG_INTERFACE_VERSION_2 | SECPKG_INTERFACE_VERSION_3 :
                      SECPKG_INTERFACE_VERSION;
    *ppTables = &table;
    *pcTables = 1;
    if (is("lsamode-fails"))
        return STATUS_NOT_SUPPORTED;
    if (is("no-tables"))
        *pcTables = 0;
    if (is("many-tables"))
        *pcTables = 1000;
    if (is("million-tables"))
        *pcTables = 1000000;
    if (is("null-tables"))
        *ppTables = NULL;
    if (is("wild-tables"))
        *ppTables = (PSECPKG_FUNCTION_TABLE)(ULONG_PTR)0xffff800000001000ull; /* kernel space */
    if (is("no-getinfo"))
        table.GetInfo = NULL;
    if (sspi_mode()) {
        table.AcquireCredentialsHandle = test_acquire;
        table.FreeCredentialsHandle = test_free_credentials;
        table.InitLsaModeContext = test_init_context;
        table.DeleteContext = test_delete_context;
        table.GetExtendedInformation = test_extended_info;
    }
    if (is("wild-entry"))
        table.AcquireCredentialsHandle = (SpAcquireCredentialsHandleFn *)(void *)not_code;
    return STATUS_SUCCESS;
}
