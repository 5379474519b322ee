/* host_packages.h - the packages lsahost holds, as lsass holds the DLLs of its
 * `Security Packages` list: each DLL loaded and started in the order given, and each of
 * its tables a security package with an id. Ids run in order across all tables of all
 * DLLs (the first DLL's tables get 0..n-1, the next DLL's continue from n), and each
 * table receives its id in LsaApInitializePackage and SpInitialize, as lsass gives them.
 *
 * One set per process (lsahost holds one LSA), filled once by host_packages_load before
 * any package runs and emptied by host_packages_unload; lookups may then come from any
 * thread (the CallPackage callbacks, lsahost serve's clients). */
#ifndef SSPKG_HOST_PACKAGES_H
#define SSPKG_HOST_PACKAGES_H

#include "host_package.h"

/* Most DLLs lsahost loads at once. */
#define HOST_MAX_DLLS 8

/* A package's state after UnloadPackage (host_unload.c). */
enum {
    HOST_SECPKG_LOADED,
    HOST_SECPKG_UNLOADING,          /* it called UnloadPackage: calls into it are refused;
                                       SpShutdown follows when its last call returns */
    HOST_SECPKG_UNLOADED,           /* shut down, and what it held freed */
};

/* One security package: one table of a loaded DLL. */
typedef struct host_secpkg {
    host_package *dll;
    ULONG table;                    /* its index in dll->tables */
    ULONG id;                       /* its package id */
    volatile LONG state;            /* HOST_SECPKG_*: set once a package unloads itself */
} host_secpkg;

/* The table of a package that unloaded itself: every entry refuses the call, says so,
 * and returns STATUS_NO_SUCH_PACKAGE (the LsaAp and logon entries) or
 * SEC_E_SECPKG_NOT_FOUND (the SSPI entries), what lsass answers for a package it does
 * not have (host_unload.c). */
LSAHOST_SECPKG_FUNCTION_TABLE *host_packages_gone_table(void);

/* The table every call into the package goes through: lsahost's copy of the package's,
 * or, once it unloaded itself, the table that refuses. */
static inline LSAHOST_SECPKG_FUNCTION_TABLE *host_secpkg_table(const host_secpkg *p)
{
    return p->state != HOST_SECPKG_LOADED ? host_packages_gone_table()
                                          : &p->dll->tables[p->table];
}

static inline const SecPkgInfoW *host_secpkg_info(const host_secpkg *p)
{
    return &p->dll->info[p->table];
}

/* Its name, safe to read (empty when SpGetInfo's could not be kept; host_package.h). */
static inline const WCHAR *host_secpkg_name(const host_secpkg *p)
{
    return p->dll->names[p->table];
}

/* What a command needs of the package it acts on. */
typedef enum host_need {
    HOST_NEED_CONTEXTS,             /* AcquireCredentialsHandle and a context entry */
    HOST_NEED_CALL_PACKAGE,         /* LsaApCallPackage */
    HOST_NEED_LOGON,                /* LsaApLogonUser, Ex, Ex2, or SpLogonUserEx3 */
    HOST_NEED_CHANGE_PASSWORD,      /* SpChangeAccountPassword (version 4 on) */
} host_need;

/* Whether the package has what `need` asks for. */
BOOL host_packages_fits(const host_secpkg *p, host_need need);

/* Loads and starts each DLL in turn (host_package_load, then host_package_start).
 * Returns 0 when all started, 2 when a DLL could not be loaded (nothing is left loaded),
 * 3 when one failed to start (those loaded stay, for host_packages_unload); `why` says
 * which DLL and why. */
int host_packages_load(const WCHAR *const *paths, ULONG count, char *why, size_t why_size);

/* What became of one DLL under host_packages_load_each. */
typedef struct host_dll_result {
    host_package *dll;              /* NULL when it could not be loaded */
    int status;                     /* 0 started, 2 not loadable, 3 failed to start */
    char why[512];                  /* for 2 and 3, why (not naming the DLL) */
} host_dll_result;

/* lsahost check's way: as host_packages_load (count at most HOST_MAX_DLLS), but going on
 * past a DLL that cannot be loaded or fails to start, as lsass goes on past a package
 * that fails to initialize; results[d] says what became of paths[d]. A DLL not loaded
 * takes no package id. One that fails to start keeps the ids its tables were given
 * (ids are never reused) but none of its packages is listed: nothing reaches them, and
 * host_packages_unload shuts down the tables that started. */
void host_packages_load_each(const WCHAR *const *paths, ULONG count, host_dll_result *results);

/* Whether `module` is a DLL of the set already: host_package_load refuses to load a DLL
 * twice (LoadLibrary would give the same module, and its packages would share every
 * global it has). */
BOOL host_packages_holds(HMODULE module);

/* Shuts down and unloads every DLL, the last loaded first, as lsass would. */
void host_packages_unload(void);

/* Prints each package's id and SecPkgInfo to stdout. */
void host_packages_show(void);

/* How many packages started; the one with id `id`, or NULL. A package that unloaded
 * itself keeps its id (ids are never reused) and its record, but every call through
 * host_secpkg_table is refused. */
ULONG host_packages_count(void);
const host_secpkg *host_packages_by_id(ULONG id);

/* The package whose SecPkgInfo Name is `name` (`length` characters, not necessarily
 * terminated), compared without regard to case, as SSPI compares package names; NULL
 * for none, or for one that unloaded itself (no longer a valid package). */
const host_secpkg *host_packages_find(const WCHAR *name, size_t length);

/* --use=NAME: which package commands act on (NULL: the first that fits). */
void host_packages_use(const WCHAR *name);

/* The package a command acts on: the one --use named, or the first that has what the
 * command needs. NULL, said on stderr, when --use names no package, names one without
 * what the command needs, or no package has it. */
const host_secpkg *host_packages_pick(host_need need, const char *command);

/* UnloadPackage from package `id` (host_unload.c): marks it unloading and, when no call
 * into it is in progress, finishes the unload at once. STATUS_NO_SUCH_PACKAGE when `id`
 * is no started package. */
NTSTATUS host_packages_request_unload(ULONG id);
/* The last call into package `id` in progress returned (host_call_end): an unloading
 * package is shut down now. */
void host_packages_call_ended(ULONG id);
/* Ends an unload host_packages_request_unload began (host_unload.c): SpShutdown, then
 * what the package still held is reported and freed. */
void host_secpkg_finish_unload(host_secpkg *p);

#endif
