/* host_unload.c - what happens to a package that unloads itself (UnloadPackage,
 * src/host/lsa/host_unload_package.c), as lsahost does it:
 *   1. host_packages_request_unload marks it HOST_SECPKG_UNLOADING. From then on every
 *      call into it, from any thread (in-process commands, lsahost serve's requests,
 *      other packages' CallPackage*, the release of handles it issued), goes through the
 *      table below, which refuses the call and says so. By name it is no longer found.
 *   2. When its last call in progress returns (its own included: the call that asked,
 *      or the package thread that asked outside any call, until its start routine
 *      returns), host_secpkg_finish_unload calls its SpShutdown, once, then stops the
 *      notifications it registered.
 *   3. Its DLL stays loaded until lsahost exits: another table of the same DLL may still
 *      serve, a thread the package made may still run its code, and lsahost cannot see
 *      every pointer into the DLL it has handed out (a client's mapped context). So do
 *      its LSA and private heap blocks and the CallPackage return buffers it was given:
 *      the call that asked may have returned some blocks for the LSA to read and free (a
 *      logon's names, credentials and token information), and its threads may still use
 *      the rest; the leak report at exit lists those left. Its token handles and client
 *      buffers, and the logon sessions and shared-memory sections charged to no
 *      package, stay until exit too.
 * The statuses of refused calls: LsaLookupAuthenticationPackage and
 * LsaCallAuthenticationPackage answer STATUS_NO_SUCH_PACKAGE for a package lsass does not
 * have (as LSA_CALL_PACKAGE documents for CallPackage), AcquireCredentialsHandle
 * SEC_E_SECPKG_NOT_FOUND; so the LsaAp and logon entries give the first, the SSPI
 * entries the second. */
#include "host_packages.h"
#include "../lsa/host_account.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "../host_trace.h"

#include <stddef.h>

static NTSTATUS refuse(NTSTATUS status)
{
    char who[96];
    const char *what = host_call_innermost();

    host_say("%s refused: %s unloaded itself (UnloadPackage): %s", what ? what : "a call",
             host_account_package_text(host_call_package(), who, sizeof(who)),
             host_status_name(status));
    return status;
}

/* Entries take no parameters: sound on x64 Windows, the only target (the caller reserves
 * and pops stack arguments; host_lsa_table.c does the same). */
static NTSTATUS NTAPI gone_lsa_entry(void)
{
    return refuse(STATUS_NO_SUCH_PACKAGE);
}

static NTSTATUS NTAPI gone_sspi_entry(void)
{
    return refuse(SEC_E_SECPKG_NOT_FOUND);
}

#define SLOT(member) (offsetof(LSAHOST_SECPKG_FUNCTION_TABLE, member) / sizeof(void *))

static LSAHOST_SECPKG_FUNCTION_TABLE gone;
static INIT_ONCE gone_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK build_gone(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    typedef NTSTATUS (NTAPI *entry)(void);
    entry *slots = (entry *)&gone;
    static const size_t lsa_slots[] = {
        SLOT(InitializePackage), SLOT(LogonUser), SLOT(CallPackage), SLOT(LogonTerminated),
        SLOT(CallPackageUntrusted), SLOT(CallPackagePassthrough), SLOT(LogonUserEx),
        SLOT(LogonUserEx2), SLOT(LogonUserEx3), SLOT(PreLogonUserSurrogate),
        SLOT(PostLogonUserSurrogate), SLOT(PostLogonUser),
    };

    (void)once;
    (void)parameter;
    (void)context;
    for (size_t i = 0; i < sizeof(gone) / sizeof(void *); i++)
        slots[i] = gone_sspi_entry;
    for (size_t i = 0; i < sizeof(lsa_slots) / sizeof(lsa_slots[0]); i++)
        slots[lsa_slots[i]] = gone_lsa_entry;
    return TRUE;
}

LSAHOST_SECPKG_FUNCTION_TABLE *host_packages_gone_table(void)
{
    InitOnceExecuteOnce(&gone_once, build_gone, NULL, NULL);
    return &gone;
}

void host_secpkg_finish_unload(host_secpkg *p)
{
    host_package *dll = p->dll;
    NTSTATUS shutdown = host_package_shutdown_table(dll, p->table);
    ULONG notifications = host_notifications_stop_package(p->id);
    ULONG buffers = host_return_buffers_of_package(p->id);
    ULONG blocks = host_heap_blocks_of_package(p->id);
    BOOL whole_dll = TRUE;
    char who[96];

    /* The user-mode half serves every table of the DLL: it goes when they all have. */
    for (ULONG i = 0; i < dll->started; i++) {
        const host_secpkg *sibling = host_packages_by_id(dll->first_id + i);
        if (sibling && sibling->state == HOST_SECPKG_LOADED)
            whole_dll = FALSE;
    }
    if (whole_dll)
        dll->user_table = NULL;
    host_say("%s unloaded: SpShutdown %s; lsahost stopped %lu notification(s) it had not "
             "cancelled; its %lu CallPackage return buffer(s), %lu heap block(s) and its DLL "
             "stay until lsahost exits",
             host_account_package_text(p->id, who, sizeof(who)),
             dll->tables[p->table].Shutdown ? host_status_name(shutdown) : "absent (not called)",
             notifications, buffers, blocks);
}
