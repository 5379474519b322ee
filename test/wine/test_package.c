/* test_package.c - sspkg.dll's entry points called directly, as a host other than
 * lsahost would: Wine's secur32 passes a NULL function table and NULL parameters. */
#include "../../src/host/lsa/host_account.h"
#include "../../src/host/lsa/host_callbacks.h"
#include "../../src/host/lsa/host_heap.h"
#include "../../src/host/shm/host_shm.h"
#include "../../include/lsahost_secpkg.h"
#include "../../include/sspkg.h"
#include "../tap.h"

#include <string.h>

static SpLsaModeInitializeFn lsa_init;
static SpUserModeInitializeFn user_init;

static void test_entry_points(void)
{
    ULONG version = 0, count = 0;
    PSECPKG_FUNCTION_TABLE tables = NULL;
    PSECPKG_USER_FUNCTION_TABLE user = NULL;

    ok(lsa_init(SECPKG_INTERFACE_VERSION, &version, &tables, &count) == STATUS_SUCCESS,
       "SpLsaModeInitialize succeeds");
    ok(version == SECPKG_INTERFACE_VERSION_4 && count == 1 && tables,
       "one table, SECPKG_INTERFACE_VERSION_4: got version %#lx, %lu tables", version, count);
    ok(((LSAHOST_SECPKG_FUNCTION_TABLE *)tables)->ChangeAccountPassword &&
       !tables->SetContextAttributes && !tables->SetCredentialsAttributes,
       "version 4's ChangeAccountPassword is there; versions 2 and 3's setters are not");
    ok(tables->Initialize && tables->Shutdown && tables->GetInfo && tables->InitializePackage,
       "the table has Initialize, Shutdown, GetInfo and InitializePackage");
    ok(lsa_init(SECPKG_INTERFACE_VERSION, NULL, &tables, &count) == STATUS_INVALID_PARAMETER,
       "NULL PackageVersion: STATUS_INVALID_PARAMETER");
    ok(lsa_init(0x100, &version, &tables, &count) == STATUS_REVISION_MISMATCH,
       "an LSA older than SECPKG_INTERFACE_VERSION: STATUS_REVISION_MISMATCH");
    ok(user_init(SECPKG_INTERFACE_VERSION, &version, &user, &count) == STATUS_SUCCESS &&
       count == 1 && user && user->InstanceInit, "SpUserModeInitialize gives one table with InstanceInit");
    ok(user->InstanceInit(SECPKG_INTERFACE_VERSION, NULL, NULL) == STATUS_SUCCESS,
       "SpInstanceInit accepts the current interface version");
}

static void test_without_function_table(void)
{
    ULONG version, count;
    PSECPKG_FUNCTION_TABLE t;
    SecPkgInfoW info;

    lsa_init(SECPKG_INTERFACE_VERSION, &version, &t, &count);
    ok(t->Initialize(0, NULL, NULL) == STATUS_SUCCESS,
       "SpInitialize with NULL parameters and NULL function table (Wine's secur32) succeeds");
    memset(&info, 0xcc, sizeof(info));
    ok(t->GetInfo(&info) == STATUS_SUCCESS, "SpGetInfo succeeds");
    ok(info.Name && !wcscmp(info.Name, SSPKG_PACKAGE_NAME_W), "Name is %ls", info.Name ? info.Name : L"(null)");
    ok(info.wRPCID == SECPKG_ID_NONE && info.cbMaxToken == 4096 && info.Comment,
       "RPCID none, MaxToken 4096, a comment");
    ok(t->GetInfo(NULL) == STATUS_INVALID_PARAMETER, "SpGetInfo(NULL): STATUS_INVALID_PARAMETER");
    ok(t->Shutdown() == STATUS_SUCCESS, "SpShutdown without a table succeeds");
}

static void test_initialize_package(void)
{
    ULONG version, count;
    PSECPKG_FUNCTION_TABLE t;
    PLSA_STRING name = NULL;
    host_lsa_table *lsa = host_lsa_table_get();

    lsa_init(SECPKG_INTERFACE_VERSION, &version, &t, &count);
    ok(t->InitializePackage(3, (PLSA_DISPATCH_TABLE)&lsa->Base, NULL, NULL, &name) == STATUS_SUCCESS &&
       name && name->Length == 13 && !memcmp(name->Buffer, "SCRAM-SHA-256", 13),
       "LsaApInitializePackage names the package SCRAM-SHA-256");
    ok(host_heap_free(HOST_HEAP_LSA, name->Buffer) && host_heap_free(HOST_HEAP_LSA, name),
       "the name and its buffer are LSA heap, as the LSA frees them");
    ok(t->InitializePackage(3, NULL, NULL, NULL, &name) == STATUS_INVALID_PARAMETER && name == NULL,
       "no dispatch table: STATUS_INVALID_PARAMETER and no name");
}

static void test_publishing(void)
{
    ULONG version, count, requests, failed;
    PSECPKG_FUNCTION_TABLE t;
    host_lsa_table *lsa = host_lsa_table_get();
    host_account_entry sections, blocks;

    lsa_init(SECPKG_INTERFACE_VERSION, &version, &t, &count);
    ok(t->Initialize(0, NULL, &lsa->Base) == STATUS_SUCCESS, "SpInitialize with lsahost's table");
    host_account_get(HOST_RES_SHM_SECTION, &sections);
    host_account_get(HOST_RES_SHM_BLOCK, &blocks);
    ok(sections.live == 1 && blocks.live == 3,
       "one section with three blocks (status block, event ring, context table): got %lu "
       "section(s), %lu block(s)", (unsigned long)sections.live, (unsigned long)blocks.live);
    t->Shutdown();
    host_account_get(HOST_RES_SHM_SECTION, &sections);
    host_account_get(HOST_RES_SHM_BLOCK, &blocks);
    ok(sections.live == 0 && blocks.live == 0, "SpShutdown frees the block and deletes the section");

    /* Request 2 is the status block: the package must give the section back. */
    host_shm_init(shm_provider_fault(shm_provider_filemap(), 2, 0));
    ok(t->Initialize(0, NULL, &lsa->Base) == STATUS_SUCCESS,
       "SpInitialize succeeds when AllocateSharedMemory returns NULL");
    host_account_get(HOST_RES_SHM_SECTION, &sections);
    ok(sections.live == 0, "... and deletes the section it could not use");
    t->Shutdown();
    shm_provider_fault_counts(&requests, &failed);
    ok(requests == 2 && failed == 1, "the fault provider saw %lu requests, failed %lu", requests, failed);
    host_shm_init(shm_provider_filemap());
}

int main(void)
{
    HMODULE dll;

    tap_start();
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    dll = LoadLibraryW(L"sspkg.dll");
    lsa_init = (SpLsaModeInitializeFn)(void (*)(void))GetProcAddress(dll, "SpLsaModeInitialize");
    user_init = (SpUserModeInitializeFn)(void (*)(void))GetProcAddress(dll, "SpUserModeInitialize");
    if (!ok(lsa_init && user_init, "sspkg.dll exports SpLsaModeInitialize and SpUserModeInitialize"))
        return done_testing();
    test_entry_points();
    test_without_function_table();
    test_initialize_package();
    test_publishing();
    return done_testing();
}
