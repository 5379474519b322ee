/* host_package.c - load, initialize and unload a package DLL (see host_package.h).
 * The order follows the LSA: SpLsaModeInitialize once per DLL, then per table
 * InitializePackage, SpInitialize and GetInfo; Shutdown before FreeLibrary. */
#include "host_package.h"
#include "host_identity.h"
#include "host_account.h"
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_trace.h"

#include <stddef.h>
#include <stdio.h>

/* Entries of SECPKG_FUNCTION_TABLE each interface version defines: the Windows SDK's
 * comments on SECPKG_INTERFACE_VERSION[_2|_3] ("up to and including ..."). */
#define ENTRIES_V1 (offsetof(SECPKG_FUNCTION_TABLE, SetExtendedInformation) / sizeof(void *) + 1)
#define ENTRIES_V2 (offsetof(SECPKG_FUNCTION_TABLE, SetContextAttributes) / sizeof(void *) + 1)
#define ENTRIES_V3 (sizeof(SECPKG_FUNCTION_TABLE) / sizeof(void *))

/* Versions are single bits, each newer one higher. A version newer than _3 is used as _3:
 * lsahost calls nothing that came later. */
static ULONG entries_for_version(ULONG version)
{
    if (version >= SECPKG_INTERFACE_VERSION_3)
        return ENTRIES_V3;
    if (version >= SECPKG_INTERFACE_VERSION_2)
        return ENTRIES_V2;
    return ENTRIES_V1;
}

static BOOL executable(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;

    return VirtualQuery(p, &mbi, sizeof(mbi)) && mbi.State == MEM_COMMIT &&
           (mbi.Protect & (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE |
                           PAGE_EXECUTE_WRITECOPY));
}

/* Every entry the version defines is NULL or code; the three the LSA always calls are
 * present. */
static BOOL table_valid(const SECPKG_FUNCTION_TABLE *t, ULONG entries, ULONG index, char *why,
                        size_t why_size)
{
    void *const *slots = (void *const *)t;

    if (!t->Initialize || !t->Shutdown || !t->GetInfo) {
        snprintf(why, why_size, "table %lu has no %s (SpInitialize, SpShutdown and SpGetInfo "
                 "are required)", index, !t->Initialize ? "Initialize" :
                 !t->Shutdown ? "Shutdown" : "GetInfo");
        return FALSE;
    }
    for (ULONG i = 0; i < entries; i++)
        if (slots[i] && !executable(slots[i])) {
            snprintf(why, why_size, "table %lu entry %lu points to %p, which is not code", index,
                     i, slots[i]);
            return FALSE;
        }
    return TRUE;
}

NTSTATUS host_package_load(const WCHAR *path, host_package *pkg, char *why, size_t why_size)
{
    SpLsaModeInitializeFn init;
    NTSTATUS status;
    ULONG entries;

    memset(pkg, 0, sizeof(*pkg));
    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
        snprintf(why, why_size, "%ls: no such file", path);
        return STATUS_DLL_NOT_FOUND;
    }
    pkg->module = LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!pkg->module) {
        DWORD err = GetLastError();
        snprintf(why, why_size, "%ls: cannot be loaded as a DLL (error %lu%s)", path, err,
                 err == ERROR_BAD_EXE_FORMAT ? ": not a valid 64-bit DLL" : "");
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    init = (SpLsaModeInitializeFn)(void (*)(void))GetProcAddress(pkg->module, "SpLsaModeInitialize");
    if (!init) {
        snprintf(why, why_size, "%ls: exports no SpLsaModeInitialize, so it is not an "
                 "LSA-mode security package", path);
        status = STATUS_ENTRYPOINT_NOT_FOUND;
        goto fail;
    }

    host_call_begin("SpLsaModeInitialize");
    status = init(SECPKG_INTERFACE_VERSION, &pkg->version, &pkg->tables, &pkg->table_count);
    host_call_end();
    if (status != STATUS_SUCCESS) {
        snprintf(why, why_size, "SpLsaModeInitialize failed with %s", host_status_name(status));
        goto fail;
    }
    status = STATUS_INVALID_PARAMETER;
    if (pkg->table_count == 0 || pkg->table_count > HOST_MAX_TABLES) {
        snprintf(why, why_size, "SpLsaModeInitialize returned %lu tables (1 to %d accepted)",
                 pkg->table_count, HOST_MAX_TABLES);
        goto fail;
    }
    if (pkg->version < SECPKG_INTERFACE_VERSION) {
        snprintf(why, why_size, "SpLsaModeInitialize returned interface version %#lx, which "
                 "is no SECPKG_INTERFACE_VERSION", pkg->version);
        goto fail;
    }
    if (pkg->version > SECPKG_INTERFACE_VERSION_3 && pkg->table_count > 1) {
        snprintf(why, why_size, "interface version %#lx with %lu tables: lsahost knows "
                 "table sizes up to SECPKG_INTERFACE_VERSION_3 only", pkg->version,
                 pkg->table_count);
        goto fail;
    }
    if (!host_memory_readable(pkg->tables, pkg->table_count * sizeof(SECPKG_FUNCTION_TABLE))) {
        snprintf(why, why_size, "SpLsaModeInitialize returned tables at %p, which is not "
                 "readable memory", (void *)pkg->tables);
        goto fail;
    }
    entries = entries_for_version(pkg->version);
    for (ULONG i = 0; i < pkg->table_count; i++)
        if (!table_valid(&pkg->tables[i], entries, i, why, why_size))
            goto fail;
    host_trace("SpLsaModeInitialize(LsaVersion=%#x) = STATUS_SUCCESS, version %#lx, %lu "
               "table(s) at %p", SECPKG_INTERFACE_VERSION, pkg->version, pkg->table_count,
               (void *)pkg->tables);
    return STATUS_SUCCESS;

fail:
    FreeLibrary(pkg->module);
    memset(pkg, 0, sizeof(*pkg));
    return status;
}

/* A workgroup machine, which is what a Wine prefix is: the primary domain is the
 * workgroup, with no SID, no DNS name and no GUID (PolicyPrimaryDomainInformation). */
static WCHAR workgroup[] = L"WORKGROUP";
static SECPKG_PARAMETERS parameters = {
    .Version = 0,
    .MachineState = SECPKG_STATE_ENCRYPTION_PERMITTED | SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED |
                    SECPKG_STATE_STANDALONE,
    .SetupMode = 0,
    .DomainSid = NULL,
    .DomainName = { sizeof(workgroup) - sizeof(WCHAR), sizeof(workgroup), workgroup },
};

static void print_string_field(const char *label, const WCHAR *s)
{
    if (!s)
        printf("  %-13s (none)\n", label);
    else if (!host_memory_readable(s, sizeof(WCHAR)))
        printf("  %-13s (unreadable pointer %p)\n", label, (const void *)s);
    else
        printf("  %-13s %.200ls\n", label, s);
}

static void print_info(ULONG index, const SecPkgInfoW *info)
{
    static const struct { ULONG flag; const char *name; } flags[] = {
        { SECPKG_FLAG_INTEGRITY, "INTEGRITY" }, { SECPKG_FLAG_PRIVACY, "PRIVACY" },
        { SECPKG_FLAG_TOKEN_ONLY, "TOKEN_ONLY" }, { SECPKG_FLAG_DATAGRAM, "DATAGRAM" },
        { SECPKG_FLAG_CONNECTION, "CONNECTION" }, { SECPKG_FLAG_MULTI_REQUIRED, "MULTI_REQUIRED" },
        { SECPKG_FLAG_CLIENT_ONLY, "CLIENT_ONLY" }, { SECPKG_FLAG_EXTENDED_ERROR, "EXTENDED_ERROR" },
        { SECPKG_FLAG_IMPERSONATION, "IMPERSONATION" }, { SECPKG_FLAG_ACCEPT_WIN32_NAME, "ACCEPT_WIN32_NAME" },
        { SECPKG_FLAG_STREAM, "STREAM" }, { SECPKG_FLAG_NEGOTIABLE, "NEGOTIABLE" },
        { SECPKG_FLAG_GSS_COMPATIBLE, "GSS_COMPATIBLE" }, { SECPKG_FLAG_LOGON, "LOGON" },
        { SECPKG_FLAG_MUTUAL_AUTH, "MUTUAL_AUTH" }, { SECPKG_FLAG_DELEGATION, "DELEGATION" },
    };

    printf("package %lu:\n", index);
    print_string_field("Name", info->Name);
    print_string_field("Comment", info->Comment);
    printf("  %-13s 0x%08lx", "Capabilities", info->fCapabilities);
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (info->fCapabilities & flags[i].flag)
            printf(" %s", flags[i].name);
    printf("\n  %-13s %u\n  %-13s %u\n  %-13s %lu\n", "Version", info->wVersion, "RPCID",
           info->wRPCID, "MaxToken", info->cbMaxToken);
    fflush(stdout);
}

/* The heap the user-mode half is given in a client process (SECPKG_DLL_FUNCTIONS):
 * the process heap, as secur32 gives it. */
static PVOID NTAPI user_allocate_heap(ULONG size)
{
    PVOID p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
    host_trace("user-mode AllocateHeap(%lu) = %p", size, p);
    return p;
}

static VOID NTAPI user_free_heap(PVOID p)
{
    host_trace("user-mode FreeHeap(%p)", p);
    HeapFree(GetProcessHeap(), 0, p);
}

static NTSTATUS NTAPI user_register_callback(ULONG id, PLSA_CALLBACK_FUNCTION callback)
{
    (void)callback;
    host_trace("user-mode RegisterCallback(%lu) = STATUS_NOT_IMPLEMENTED", id);
    return STATUS_NOT_IMPLEMENTED;
}

static SECPKG_DLL_FUNCTIONS user_dll_functions = {
    .AllocateHeap = user_allocate_heap,
    .FreeHeap = user_free_heap,
    .RegisterCallback = user_register_callback,
};

/* SpUserModeInitialize and SpInstanceInit, as secur32 does in a client process. A
 * package without a user-mode half is fine: its contexts are simply never mapped. */
static void start_user_mode(host_package *pkg)
{
    SpUserModeInitializeFn init =
        (SpUserModeInitializeFn)(void *)GetProcAddress(pkg->module, "SpUserModeInitialize");
    PSECPKG_USER_FUNCTION_TABLE tables = NULL;
    ULONG version = 0, count = 0;
    NTSTATUS status;

    if (!init)
        return;
    host_call_begin("SpUserModeInitialize");
    status = init(SECPKG_INTERFACE_VERSION, &version, &tables, &count);
    host_call_end();
    host_trace("SpUserModeInitialize(LsaVersion=%#lx) = %s, %lu table(s)",
               (unsigned long)SECPKG_INTERFACE_VERSION, host_status_name(status), count);
    if (status != STATUS_SUCCESS || !tables || count == 0 || !host_memory_readable(tables, sizeof(*tables)))
        return;
    if (tables->InstanceInit) {
        PVOID user_functions = NULL;
        host_call_begin("SpInstanceInit");
        status = tables->InstanceInit(SECPKG_INTERFACE_VERSION, &user_dll_functions,
                                      &user_functions);
        host_call_end();
        host_trace("SpInstanceInit() = %s", host_status_name(status));
        if (status != STATUS_SUCCESS)
            return;
    }
    pkg->user_table = tables;
}

NTSTATUS host_package_start(host_package *pkg, char *why, size_t why_size)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = &host_lsa_table_get()->Base;
    NTSTATUS status = STATUS_SUCCESS;

    for (ULONG i = 0; i < pkg->table_count; i++) {
        SECPKG_FUNCTION_TABLE *t = &pkg->tables[i];

        if (t->InitializePackage) {
            host_call_begin("LsaApInitializePackage");
            status = t->InitializePackage(i, (PLSA_DISPATCH_TABLE)lsa, NULL, NULL,
                                          &pkg->ap_names[i]);
            host_call_end();
            host_trace("LsaApInitializePackage(AuthenticationPackageId=%lu) = %s", i,
                       host_status_name(status));
            if (status != STATUS_SUCCESS) {
                snprintf(why, why_size, "table %lu: LsaApInitializePackage failed with %s", i,
                         host_status_name(status));
                return status;
            }
        }

        host_call_begin("SpInitialize");
        status = t->Initialize(i, &parameters, lsa);
        host_call_end();
        host_trace("SpInitialize(PackageId=%lu) = %s", i, host_status_name(status));
        if (status != STATUS_SUCCESS) {
            snprintf(why, why_size, "table %lu: SpInitialize failed with %s", i,
                     host_status_name(status));
            return status;
        }
        pkg->started = i + 1;

        memset(&pkg->info[i], 0, sizeof(pkg->info[i]));
        host_call_begin("SpGetInfo");
        status = t->GetInfo(&pkg->info[i]);
        host_call_end();
        host_trace("SpGetInfo(PackageInfo=%p) = %s", (void *)&pkg->info[i],
                   host_status_name(status));
        if (status != STATUS_SUCCESS) {
            snprintf(why, why_size, "table %lu: SpGetInfo failed with %s", i,
                     host_status_name(status));
            return status;
        }
    }
    start_user_mode(pkg);
    return status;
}

void host_package_show(const host_package *pkg)
{
    for (ULONG i = 0; i < pkg->started; i++)
        print_info(i, &pkg->info[i]);
}

void host_package_unload(host_package *pkg)
{
    for (ULONG i = pkg->started; i-- > 0;) {
        NTSTATUS status;
        host_call_begin("SpShutdown");
        status = pkg->tables[i].Shutdown();
        host_call_end();
        host_trace("SpShutdown() = %s [table %lu]", host_status_name(status), i);
    }
    /* Notifications the package did not cancel in SpShutdown must not run its code once
     * the DLL goes. */
    host_notifications_stop_all();
    /* The LSA owns the names InitializePackage returned, until the package goes. */
    for (ULONG i = 0; i < pkg->table_count; i++) {
        PLSA_STRING name = pkg->ap_names[i];
        if (!name)
            continue;
        if (host_memory_readable(name, sizeof(*name)))
            host_heap_free(HOST_HEAP_LSA, name->Buffer);
        host_heap_free(HOST_HEAP_LSA, name);
    }
    if (pkg->module) {
        host_account_entry threads;
        host_account_get(HOST_RES_THREAD, &threads);
        /* Unloading code that threads still run would crash them: keep the DLL. */
        if (threads.live)
            host_say("leak: %lld package thread(s) still running after shutdown; the DLL "
                     "stays loaded", (long long)threads.live);
        else
            FreeLibrary(pkg->module);
    }
    memset(pkg, 0, sizeof(*pkg));
}
