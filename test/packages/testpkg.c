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
 *   unimplemented  calls UnloadPackage, which lsahost does not implement
 */
#include "../../src/winapi.h"
#include "test_package_info.h"

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
    if (is("unimplemented")) {
        NTSTATUS s = lsa->UnloadPackage();
        if (s != STATUS_NOT_IMPLEMENTED)
            return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI test_shutdown(void)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI test_getinfo(PSecPkgInfoW info)
{
    static WCHAR name[] = L"testpkg", comment[] = L"misbehaves on request";
    return test_package_info(info, name, comment);
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
    if (is("wild-entry"))
        table.AcquireCredentialsHandle = (SpAcquireCredentialsHandleFn *)(void *)not_code;
    return STATUS_SUCCESS;
}
