/* host_package.c - load, initialize and unload a package DLL (see host_package.h).
 * The order follows the LSA: SpLsaModeInitialize once per DLL, then per table
 * InitializePackage, SpInitialize and GetInfo; Shutdown before FreeLibrary. */
#include "host_package.h"
#include "../lsa/host_identity.h"
#include "../lsa/host_account.h"
#include "../lsa/host_callbacks.h"
#include "host_finding.h"
#include "host_packages.h"
#include "../lsa/host_heap.h"
#include "../host_trace.h"

#include <stddef.h>
#include <stdio.h>

/* The interface version a package declares, 1 to 11, or 0 when the value is not one
 * SECPKG_INTERFACE_VERSION_n: each is a single bit, 0x10000 << (n - 1). */
static ULONG version_number(ULONG version)
{
    for (ULONG n = 1; n <= LSAHOST_SECPKG_NEWEST_VERSION; n++)
        if (version == (ULONG)SECPKG_INTERFACE_VERSION << (n - 1))
            return n;
    return 0;
}

static const ULONG entries_of_version[] = LSAHOST_SECPKG_ENTRIES;

static BOOL executable(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;

    return VirtualQuery(p, &mbi, sizeof(mbi)) && mbi.State == MEM_COMMIT &&
           (mbi.Protect & (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE |
                           PAGE_EXECUTE_WRITECOPY));
}

#define SLOT(member) (offsetof(LSAHOST_SECPKG_FUNCTION_TABLE, member) / sizeof(void *))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Every entry the version defines is NULL or code, and SpGetInfo, without which
 * nothing can name the package, is present. */
static BOOL table_valid(void *const *slots, ULONG entries, ULONG index, char *why,
                        size_t why_size)
{
    if (!slots[SLOT(GetInfo)]) {
        snprintf(why, why_size, "table %lu has no GetInfo (without SpGetInfo the package "
                 "has no name, capabilities or token size)", index);
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

/* `count` tables `stride` entries apart, each checked for its first `entries`. */
static BOOL tables_valid(void *const *base, ULONG count, ULONG stride, ULONG entries,
                         char *why, size_t why_size)
{
    if (!host_memory_readable(base, (SIZE_T)count * stride * sizeof(void *))) {
        snprintf(why, why_size, "SpLsaModeInitialize returned %lu table(s) of %lu entries at "
                 "%p, which is not readable memory", count, stride, (const void *)base);
        return FALSE;
    }
    for (ULONG i = 0; i < count; i++)
        if (!table_valid(base + (SIZE_T)i * stride, entries, i, why, why_size))
            return FALSE;
    return TRUE;
}

/* Layouts real builds produce besides the declared version's: lsass's stride for an
 * array of tables is not documented, so when the declared one reads as nonsense these
 * are tried before the package is refused. */
static const struct { ULONG entries; const char *name; } other_layouts[] = {
    { 43, "the current Windows SDK's full SECPKG_FUNCTION_TABLE (43 entries, version 11)" },
    { 29, "MinGW-w64's SECPKG_FUNCTION_TABLE (29 entries, version 3)" },
};

/* The stride of the package's table array: the declared version's size, or another
 * layout that reads as valid tables (a finding). 0 when none does; `why` says why the
 * declared one failed. */
static ULONG choose_stride(void *const *base, ULONG count, ULONG version, ULONG entries,
                           char *why, size_t why_size)
{
    char other_why[256];

    if (tables_valid(base, count, entries, entries, why, why_size))
        return entries;
    for (size_t i = 0; count > 1 && i < sizeof(other_layouts) / sizeof(other_layouts[0]); i++) {
        ULONG stride = other_layouts[i].entries;
        if (stride == entries ||
            !tables_valid(base, count, stride, MIN(entries, stride), other_why,
                          sizeof(other_why)))
            continue;
        host_finding(HOST_FINDING_LAYOUT,
                     "the package declares SECPKG_INTERFACE_VERSION_%lu, whose table has %lu "
                     "entries, but its %lu tables read as valid only %lu entries apart, the "
                     "layout of %s (read %lu entries apart: %s). lsahost loads them that way; "
                     "lsass may step by the declared version's size and misread every table "
                     "after the first. To be unambiguous, declare the version whose table "
                     "your structure holds, or return one table per DLL", version, entries,
                     count, stride, other_layouts[i].name, entries, why);
        return stride;
    }
    return 0;
}

/* The entries lsahost cannot do without are checked in choose_stride; these the
 * documentation asks for, but the package can run without. */
static void check_table_shape(const host_package *pkg)
{
    for (ULONG i = 0; i < pkg->table_count; i++) {
        /* Wine's own schannel.dll has no SpInitialize in either of its tables. */
        if (!pkg->tables[i].Initialize)
            host_finding(HOST_FINDING_NO_INITIALIZE,
                         "table %lu has no SpInitialize, which the LSA calls to hand the "
                         "package its parameters and LSA_SECPKG_FUNCTION_TABLE; lsahost skips "
                         "the call, so the package never receives the LSA's functions", i);
        if (!pkg->tables[i].Shutdown)
            host_finding(HOST_FINDING_NO_SHUTDOWN,
                         "table %lu has no SpShutdown, which the LSA calls before it unloads "
                         "the package; lsahost skips the call", i);
    }
}

NTSTATUS host_package_load(const WCHAR *path, host_package *pkg, char *why, size_t why_size)
{
    SpLsaModeInitializeFn init;
    PSECPKG_FUNCTION_TABLE tables = NULL;
    NTSTATUS status;
    ULONG number, stride;

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
    if (host_packages_holds(pkg->module)) {
        snprintf(why, why_size, "%ls: this DLL is loaded already (named before, perhaps by "
                 "another path); lsahost loads a DLL once, since LoadLibrary gives the same "
                 "module again and its packages would share every global it has", path);
        status = STATUS_OBJECT_NAME_COLLISION;
        goto fail;
    }
    init = (SpLsaModeInitializeFn)(void (*)(void))GetProcAddress(pkg->module, "SpLsaModeInitialize");
    if (!init) {
        snprintf(why, why_size, "%ls: exports no SpLsaModeInitialize, so it is not an "
                 "LSA-mode security package", path);
        status = STATUS_ENTRYPOINT_NOT_FOUND;
        goto fail;
    }

    host_call_begin(HOST_PACKAGE_NONE, "SpLsaModeInitialize");
    status = init(SECPKG_INTERFACE_VERSION, &pkg->version, &tables, &pkg->table_count);
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
    number = version_number(pkg->version);
    if (!number) {
        snprintf(why, why_size, "SpLsaModeInitialize returned interface version %#lx, which "
                 "is no SECPKG_INTERFACE_VERSION (one of _1 to _%d, each a single bit from "
                 "0x10000 to %#x)", pkg->version, LSAHOST_SECPKG_NEWEST_VERSION,
                 SECPKG_INTERFACE_VERSION_11);
        goto fail;
    }
    pkg->entries = entries_of_version[number];
    stride = choose_stride((void *const *)tables, pkg->table_count, number, pkg->entries, why,
                           why_size);
    if (!stride)
        goto fail;
    /* The LSA keeps its own copy of each table; entries the version does not define
     * stay NULL, so nothing newer is ever called. */
    for (ULONG i = 0; i < pkg->table_count; i++)
        memcpy(&pkg->tables[i], (void *const *)tables + (SIZE_T)i * stride,
               MIN(pkg->entries, stride) * sizeof(void *));
    host_trace("SpLsaModeInitialize(LsaVersion=%#x) = STATUS_SUCCESS, version %#lx (%lu), "
               "%lu table(s) of %lu entries at %p [%ls]", SECPKG_INTERFACE_VERSION, pkg->version,
               number, pkg->table_count, stride, (void *)tables, path);
    check_table_shape(pkg);
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

/* Longest SecPkgInfoW string lsahost reads. */
#define INFO_STRING_MAX 1024

static void print_string_field(const char *label, const WCHAR *s)
{
    char text[3 * 200 + 1];
    const char *problem = host_wstring_read(s, INFO_STRING_MAX, text, sizeof(text));

    if (!s)
        printf("  %-13s (none)\n", label);
    else if (problem)
        printf("  %-13s (%s: %p)\n", label, problem, (const void *)s);
    else
        printf("  %-13s %s\n", label, text);
}

/* The SECPKG_FLAG_* bits sspi.h defines, lowest first: bit n is 1 << n. */
static const char *const capability_names[] = {
    "INTEGRITY", "PRIVACY", "TOKEN_ONLY", "DATAGRAM", "CONNECTION", "MULTI_REQUIRED",
    "CLIENT_ONLY", "EXTENDED_ERROR", "IMPERSONATION", "ACCEPT_WIN32_NAME", "STREAM",
    "NEGOTIABLE", "GSS_COMPATIBLE", "LOGON", "ASCII_BUFFERS", "FRAGMENT", "MUTUAL_AUTH",
    "DELEGATION", "READONLY_WITH_CHECKSUM", "RESTRICTED_TOKENS", "NEGO_EXTENDER",
    "NEGOTIABLE2", "APPCONTAINER_PASSTHROUGH", "APPCONTAINER_CHECKS",
    "CREDENTIAL_ISOLATION_ENABLED", "APPLY_LOOPBACK",
};
_Static_assert(sizeof(capability_names) / sizeof(capability_names[0]) == 26 &&
               HOST_KNOWN_CAPABILITIES == (1u << 26) - 1 &&
               SECPKG_FLAG_APPLY_LOOPBACK == 1u << 25, "one name per SECPKG_FLAG_* bit");

const char *host_capability_name(ULONG bit)
{
    for (ULONG n = 0; n < sizeof(capability_names) / sizeof(capability_names[0]); n++)
        if (bit == 1ul << n)
            return capability_names[n];
    return NULL;
}

static void print_info(ULONG index, const SecPkgInfoW *info)
{
    printf("package %lu:\n", index);
    print_string_field("Name", info->Name);
    print_string_field("Comment", info->Comment);
    printf("  %-13s 0x%08lx", "Capabilities", info->fCapabilities);
    for (ULONG n = 0; n < 32; n++)
        if (info->fCapabilities & (1ul << n))
            printf(" %s", host_capability_name(1ul << n) ? host_capability_name(1ul << n) : "?");
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
    host_call_begin(pkg->first_id, "SpUserModeInitialize");
    status = init(SECPKG_INTERFACE_VERSION, &version, &tables, &count);
    host_call_end();
    host_trace("SpUserModeInitialize(LsaVersion=%#lx) = %s, %lu table(s)",
               (unsigned long)SECPKG_INTERFACE_VERSION, host_status_name(status), count);
    if (status != STATUS_SUCCESS || !tables || count == 0 || !host_memory_readable(tables, sizeof(*tables)))
        return;
    if (tables->InstanceInit) {
        PVOID user_functions = NULL;
        host_call_begin(pkg->first_id, "SpInstanceInit");
        status = tables->InstanceInit(SECPKG_INTERFACE_VERSION, &user_dll_functions,
                                      &user_functions);
        host_call_end();
        host_trace("SpInstanceInit() = %s", host_status_name(status));
        if (status != STATUS_SUCCESS)
            return;
    }
    pkg->user_table = tables;
}

/* The strings of SpGetInfo's answer: the LSA copies both, so each must be readable and
 * NUL-terminated; a name is what callers ask for the package by, so it cannot be empty. */
static void check_info_strings(const host_package *pkg, ULONG i)
{
    char text[3 * INFO_STRING_MAX + 1];
    const WCHAR *name = pkg->info[i].Name, *comment = pkg->info[i].Comment;
    const char *problem = host_wstring_read(name, INFO_STRING_MAX, text, sizeof(text));

    if (problem || !text[0])
        host_finding(HOST_FINDING_BAD_NAME, "table %lu: SpGetInfo's Name %s%s%p", i,
                     problem ? problem : "is empty", name ? " at " : "", (const void *)name);
    problem = comment ? host_wstring_read(comment, INFO_STRING_MAX, text, sizeof(text)) : NULL;
    if (problem)
        host_finding(HOST_FINDING_BAD_COMMENT, "table %lu: SpGetInfo's Comment %s at %p", i,
                     problem, (const void *)comment);
}

/* What a table claims in SpGetInfo (SecPkgInfoW.fCapabilities, sspi.h) against the
 * entries it has: a claim nothing can honour. The message entries live in the user-mode
 * table (SpUserModeInitialize), so INTEGRITY and PRIVACY are checked against that. */
static void check_capabilities(const host_package *pkg, ULONG i)
{
    const LSAHOST_SECPKG_FUNCTION_TABLE *t = &pkg->tables[i];
    const SECPKG_USER_FUNCTION_TABLE *u = pkg->user_table;
    ULONG caps = pkg->info[i].fCapabilities;

    if (caps & ~HOST_KNOWN_CAPABILITIES)
        host_finding(HOST_FINDING_UNKNOWN_CAPABILITIES,
                     "table %lu claims capability bits 0x%08lx, which no SECPKG_FLAG_* "
                     "defines (sspi.h defines 0x%08x); callers cannot know what they mean, and "
                     "a later Windows may give them a meaning the package does not have", i,
                     caps & ~HOST_KNOWN_CAPABILITIES, HOST_KNOWN_CAPABILITIES);

    if ((caps & SECPKG_FLAG_LOGON) && !t->LogonUser && !t->LogonUserEx && !t->LogonUserEx2 &&
        !t->LogonUserEx3)
        host_finding(HOST_FINDING_LOGON_WITHOUT_ENTRY,
                     "table %lu claims SECPKG_FLAG_LOGON but has none of LogonUser, "
                     "LogonUserEx, LogonUserEx2 and LogonUserEx3", i);
    if ((caps & (SECPKG_FLAG_CONNECTION | SECPKG_FLAG_DATAGRAM | SECPKG_FLAG_STREAM)) &&
        !t->InitLsaModeContext && !t->AcceptLsaModeContext)
        host_finding(HOST_FINDING_CONTEXTS_WITHOUT_ENTRY,
                     "table %lu claims connection, datagram or stream contexts but has neither "
                     "InitLsaModeContext nor AcceptLsaModeContext", i);
    if ((t->InitLsaModeContext || t->AcceptLsaModeContext) &&
        (!t->AcquireCredentialsHandle || !t->FreeCredentialsHandle || !t->DeleteContext))
        host_finding(HOST_FINDING_CONTEXTS_WITHOUT_HANDLES, "table %lu makes contexts but lacks %s", i,
                     !t->AcquireCredentialsHandle ? "AcquireCredentialsHandle" :
                     !t->FreeCredentialsHandle ? "FreeCredentialsHandle" : "DeleteContext");
    if ((caps & SECPKG_FLAG_INTEGRITY) && (!u || !u->MakeSignature || !u->VerifySignature))
        host_finding(HOST_FINDING_INTEGRITY_WITHOUT_ENTRY,
                     "table %lu claims SECPKG_FLAG_INTEGRITY but no user-mode table from "
                     "SpUserModeInitialize has MakeSignature and VerifySignature", i);
    if ((caps & SECPKG_FLAG_PRIVACY) && (!u || !u->SealMessage || !u->UnsealMessage))
        host_finding(HOST_FINDING_PRIVACY_WITHOUT_ENTRY,
                     "table %lu claims SECPKG_FLAG_PRIVACY but no user-mode table from "
                     "SpUserModeInitialize has SealMessage and UnsealMessage", i);
}

/* The copy of a table's Name lsahost names the package by (host_package.h). */
static void keep_name(host_package *pkg, ULONG i)
{
    char text[3 * HOST_NAME_CHARS + 1];

    pkg->names[i][0] = 0;
    if (!host_wstring_read(pkg->info[i].Name, HOST_NAME_CHARS, text, sizeof(text)))
        wcsncpy(pkg->names[i], pkg->info[i].Name, HOST_NAME_CHARS);
}

NTSTATUS host_package_start(host_package *pkg, ULONG first_id, char *why, size_t why_size)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = &host_lsa_table_get()->Base;
    NTSTATUS status = STATUS_SUCCESS;

    pkg->first_id = first_id;
    for (ULONG i = 0; i < pkg->table_count; i++) {
        LSAHOST_SECPKG_FUNCTION_TABLE *t = &pkg->tables[i];
        ULONG id = first_id + i;

        if (t->InitializePackage) {
            host_call_begin(id, "LsaApInitializePackage");
            status = t->InitializePackage(id, (PLSA_DISPATCH_TABLE)lsa, NULL, NULL,
                                          &pkg->ap_names[i]);
            host_call_end();
            host_trace("LsaApInitializePackage(AuthenticationPackageId=%lu) = %s", id,
                       host_status_name(status));
            if (status != STATUS_SUCCESS) {
                snprintf(why, why_size, "table %lu: LsaApInitializePackage failed with %s", i,
                         host_status_name(status));
                return status;
            }
        }

        if (t->Initialize) {
            host_call_begin(id, "SpInitialize");
            status = t->Initialize(id, &parameters, lsa);
            host_call_end();
            host_trace("SpInitialize(PackageId=%lu) = %s", id, host_status_name(status));
            if (status != STATUS_SUCCESS) {
                snprintf(why, why_size, "table %lu: SpInitialize failed with %s", i,
                         host_status_name(status));
                return status;
            }
        }
        pkg->started = i + 1;

        memset(&pkg->info[i], 0, sizeof(pkg->info[i]));
        host_call_begin(id, "SpGetInfo");
        status = t->GetInfo(&pkg->info[i]);
        host_call_end();
        host_trace("SpGetInfo(PackageInfo=%p) = %s [package %lu]", (void *)&pkg->info[i],
                   host_status_name(status), id);
        if (status != STATUS_SUCCESS) {
            snprintf(why, why_size, "table %lu: SpGetInfo failed with %s", i,
                     host_status_name(status));
            return status;
        }
        keep_name(pkg, i);
        host_account_name_package(id, pkg->names[i]);
    }
    start_user_mode(pkg);
    for (ULONG i = 0; i < pkg->started; i++) {
        check_info_strings(pkg, i);
        check_capabilities(pkg, i);
    }
    return status;
}

void host_package_show(const host_package *pkg)
{
    for (ULONG i = 0; i < pkg->started; i++)
        print_info(pkg->first_id + i, &pkg->info[i]);
}

NTSTATUS host_package_shutdown_table(host_package *pkg, ULONG i)
{
    NTSTATUS status = STATUS_NOT_IMPLEMENTED;

    if (pkg->shut_down[i])
        return status;
    /* Marked first: SpShutdown's own return may end an unloading package's last call. */
    pkg->shut_down[i] = TRUE;
    if (pkg->tables[i].Shutdown) {
        host_call_begin(pkg->first_id + i, "SpShutdown");
        status = pkg->tables[i].Shutdown();
        host_call_end();
        host_trace("SpShutdown() = %s [table %lu, package %lu]", host_status_name(status), i,
                   pkg->first_id + i);
    }
    return status;
}

void host_package_shutdown(host_package *pkg, NTSTATUS *statuses)
{
    for (ULONG i = pkg->started; i-- > 0;) {
        NTSTATUS status = host_package_shutdown_table(pkg, i);
        if (statuses)
            statuses[i] = status;
    }
}

void host_package_unload(host_package *pkg)
{
    host_package_shutdown(pkg, NULL);
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
        LONG64 running;

        /* Threads of its packages, and threads nobody is known to own, might run its
         * code: unloading it under them would crash them, so it stays. */
        host_account_get_package(HOST_PACKAGE_NONE, HOST_RES_THREAD, &threads);
        running = threads.live;
        for (ULONG i = 0; i < pkg->table_count; i++) {
            host_account_get_package(pkg->first_id + i, HOST_RES_THREAD, &threads);
            running += threads.live;
        }
        if (running) {
            WCHAR name[MAX_PATH] = L"?";
            GetModuleFileNameW(pkg->module, name, MAX_PATH);
            host_say("leak: %lld package thread(s) still running after shutdown; the DLL "
                     "stays loaded (%ls)", (long long)running, name);
        } else
            FreeLibrary(pkg->module);
    }
    memset(pkg, 0, sizeof(*pkg));
}
