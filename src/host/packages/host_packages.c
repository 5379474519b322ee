/* host_packages.c - the packages lsahost holds, in lsass's order (see host_packages.h). */
#include "host_packages.h"
#include "../lsa/host_account.h"
#include "../lsa/host_callbacks.h"
#include "host_finding.h"
#include "../host_trace.h"

#include <stdio.h>
#include <wchar.h>

static host_package dlls[HOST_MAX_DLLS];
static ULONG dll_count;
static host_secpkg packages[HOST_MAX_DLLS * HOST_MAX_TABLES];
static ULONG package_count;
static const WCHAR *use_name;
/* Packages that called UnloadPackage while they started (InitializePackage,
 * SpInitialize, SpGetInfo), before lsahost listed them: unloaded once listed. */
static volatile LONG unload_when_started[HOST_ACCOUNT_MAX_PACKAGES];


/* With several DLLs, a reason names the DLL it is about. */
static void say_which(char *why, size_t why_size, ULONG count, const WCHAR *path,
                      const char *reason)
{
    if (count > 1)
        snprintf(why, why_size, "%ls: %s", path, reason);
    else
        snprintf(why, why_size, "%s", reason);
}

/* Loads every DLL, then starts each. With `results` (host_packages_load_each), a DLL that
 * cannot be loaded or fails to start is recorded there and the others go on; without,
 * the first failure ends the set (host_packages_load's statuses). */
static int load(const WCHAR *const *paths, ULONG count, host_dll_result *results, char *why,
                size_t why_size)
{
    char reason[512];
    ULONG next_id = 0, path_of[HOST_MAX_DLLS];

    if (count > HOST_MAX_DLLS) {
        snprintf(why, why_size, "%lu package DLLs named; lsahost loads at most %d", count,
                 HOST_MAX_DLLS);
        return 2;
    }
    /* Every DLL is loaded and checked before any starts, so a DLL that cannot be loaded
     * is refused before a package has run. (How lsass interleaves loading and starting
     * is not documented; the ids and the order are what a package can see.) */
    dll_count = 0;
    for (ULONG d = 0; d < count; d++) {
        host_finding_about(d);
        if (host_package_load(paths[d], &dlls[dll_count], reason, sizeof(reason)) ==
            STATUS_SUCCESS) {
            if (results)
                results[d] = (host_dll_result){ .dll = &dlls[dll_count] };
            path_of[dll_count++] = d;
        } else if (results) {
            results[d] = (host_dll_result){ .status = 2 };
            snprintf(results[d].why, sizeof(results[d].why), "%s", reason);
        } else {
            say_which(why, why_size, count, paths[d], reason);
            host_packages_unload();
            return 2;
        }
    }
    for (ULONG d = 0; d < dll_count; d++) {
        host_package *pkg = &dlls[d];
        NTSTATUS status;

        host_finding_about(path_of[d]);
        status = host_package_start(pkg, next_id, reason, sizeof(reason));
        if (status != STATUS_SUCCESS && results) {
            /* lsass goes on without a package that fails to initialize: none of this
             * DLL's tables is listed, and the ids it was given are not reused. */
            results[path_of[d]].status = 3;
            snprintf(results[path_of[d]].why, sizeof(results[path_of[d]].why), "%s", reason);
            next_id += pkg->table_count;
            continue;
        }
        for (ULONG i = 0; i < pkg->started && i < pkg->table_count; i++) {
            if (status != STATUS_SUCCESS && i + 1 == pkg->started)
                break; /* its SpGetInfo failed: it has no name */
            packages[package_count++] = (host_secpkg){ pkg, i, next_id + i, HOST_SECPKG_LOADED };
        }
        if (status != STATUS_SUCCESS) {
            say_which(why, why_size, count, paths[path_of[d]], reason);
            return 3;
        }
        for (ULONG i = 0; i < pkg->table_count; i++)
            if (next_id + i < HOST_ACCOUNT_MAX_PACKAGES && unload_when_started[next_id + i])
                host_packages_request_unload(next_id + i);
        next_id += pkg->table_count;
    }
    return 0;
}

int host_packages_load(const WCHAR *const *paths, ULONG count, char *why, size_t why_size)
{
    return load(paths, count, NULL, why, why_size);
}

void host_packages_load_each(const WCHAR *const *paths, ULONG count, host_dll_result *results)
{
    char why[16];

    load(paths, count, results, why, sizeof(why));
}

BOOL host_packages_holds(HMODULE module)
{
    for (ULONG d = 0; d < dll_count; d++)
        if (dlls[d].module == module)
            return TRUE;
    return FALSE;
}

void host_packages_unload(void)
{
    for (ULONG d = dll_count; d-- > 0;)
        host_package_shutdown(&dlls[d], NULL);
    for (ULONG d = dll_count; d-- > 0;)
        host_package_unload(&dlls[d]);
    dll_count = 0;
    package_count = 0;
}

void host_packages_show(void)
{
    for (ULONG d = 0; d < dll_count; d++)
        host_package_show(&dlls[d]);
}

ULONG host_packages_count(void)
{
    return package_count;
}

const host_secpkg *host_packages_by_id(ULONG id)
{
    for (ULONG i = 0; i < package_count; i++)
        if (packages[i].id == id)
            return &packages[i];
    return NULL;
}

const host_secpkg *host_packages_find(const WCHAR *name, size_t length)
{
    for (ULONG i = 0; i < package_count; i++) {
        const WCHAR *own = host_secpkg_name(&packages[i]);
        if (own[0] && wcslen(own) == length && !_wcsnicmp(own, name, length)) {
            if (packages[i].state == HOST_SECPKG_LOADED)
                return &packages[i];
            host_trace("package %lu (%ls) is asked for by name, but it unloaded itself "
                       "(UnloadPackage): no such package", packages[i].id, own);
        }
    }
    return NULL;
}

NTSTATUS host_packages_request_unload(ULONG id)
{
    host_secpkg *p = NULL;
    char who[96];

    for (ULONG i = 0; i < package_count && !p; i++)
        if (packages[i].id == id)
            p = &packages[i];
    if (!p && id < HOST_ACCOUNT_MAX_PACKAGES && host_call_in_flight(id)) {
        unload_when_started[id] = TRUE;
        host_say("package %lu called UnloadPackage%s%s%s before lsahost listed it (while it "
                 "starts): it is unloaded once listed", id, host_call_innermost() ? " (during " : "",
                 host_call_innermost() ? host_call_innermost() : "",
                 host_call_innermost() ? ")" : "");
        return STATUS_SUCCESS;
    }
    if (!p)
        return STATUS_NO_SUCH_PACKAGE;
    host_account_package_text(id, who, sizeof(who));
    if (InterlockedCompareExchange(&p->state, HOST_SECPKG_UNLOADING, HOST_SECPKG_LOADED) !=
        HOST_SECPKG_LOADED) {
        host_say("%s called UnloadPackage again: it is unloaded already", who);
        return STATUS_SUCCESS;
    }
    host_say("%s called UnloadPackage%s%s%s: it is no longer a valid package, and every later "
             "call to it is refused; SpShutdown follows when its calls in progress return",
             who, host_call_innermost() ? " (during " : "",
             host_call_innermost() ? host_call_innermost() : "",
             host_call_innermost() ? ")" : "");
    if (!host_call_in_flight(id))
        host_packages_call_ended(id);
    return STATUS_SUCCESS;
}

void host_packages_call_ended(ULONG id)
{
    for (ULONG i = 0; i < package_count; i++)
        if (packages[i].id == id &&
            InterlockedCompareExchange(&packages[i].state, HOST_SECPKG_UNLOADED,
                                       HOST_SECPKG_UNLOADING) == HOST_SECPKG_UNLOADING)
            host_secpkg_finish_unload(&packages[i]);
}

void host_packages_use(const WCHAR *name)
{
    use_name = name;
}

BOOL host_packages_fits(const host_secpkg *p, host_need need)
{
    const LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(p);

    switch (need) {
    case HOST_NEED_CONTEXTS:
        return t->AcquireCredentialsHandle && (t->InitLsaModeContext || t->AcceptLsaModeContext);
    case HOST_NEED_CALL_PACKAGE:
        return t->CallPackage != NULL;
    case HOST_NEED_LOGON:
        return t->LogonUserEx3 || t->LogonUserEx2 || t->LogonUserEx || t->LogonUser;
    case HOST_NEED_CHANGE_PASSWORD:
        return t->ChangeAccountPassword != NULL;
    }
    return FALSE;
}

static const char *const need_text[] = {
    [HOST_NEED_CONTEXTS] = "SpAcquireCredentialsHandle and a context entry",
    [HOST_NEED_CALL_PACKAGE] = "LsaApCallPackage",
    [HOST_NEED_LOGON] = "LsaApLogonUser, LsaApLogonUserEx, LsaApLogonUserEx2 or SpLogonUserEx3",
    [HOST_NEED_CHANGE_PASSWORD] = "SpChangeAccountPassword (interface version 4 and later)",
};

static void say_unfit(const host_secpkg *p, host_need need, const char *command)
{
    char who[96];

    host_say("%s: %s has no %s", command, host_account_package_text(p->id, who, sizeof(who)),
             need_text[need]);
}

const host_secpkg *host_packages_pick(host_need need, const char *command)
{
    const host_secpkg *p;

    if (use_name) {
        if (!(p = host_packages_find(use_name, wcslen(use_name)))) {
            host_say("%s: --use=%ls names no loaded package", command, use_name);
            return NULL;
        }
        if (!host_packages_fits(p, need)) {
            say_unfit(p, need, command);
            return NULL;
        }
        return p;
    }
    for (ULONG i = 0; i < package_count; i++)
        if (packages[i].state == HOST_SECPKG_LOADED && host_packages_fits(&packages[i], need))
            return &packages[i];
    for (ULONG i = 0; i < package_count; i++)
        say_unfit(&packages[i], need, command);
    return NULL;
}
