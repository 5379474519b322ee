/* host_package.h - loading a package DLL the way the LSA does: SpLsaModeInitialize, then
 * for each table InitializePackage (when present), SpInitialize and GetInfo; at the end
 * Shutdown and FreeLibrary. Every pointer the package returns is checked before use. */
#ifndef SSPKG_HOST_PACKAGE_H
#define SSPKG_HOST_PACKAGE_H

#include "../../winapi.h"
#include "../../../include/lsahost_secpkg.h"

/* Most tables lsahost accepts from one DLL. */
#define HOST_MAX_TABLES 16
/* The longest package name lsahost keeps (SecPkgInfoW Name, in characters). */
#define HOST_NAME_CHARS 64

typedef struct host_package {
    HMODULE module;
    ULONG first_id;                 /* package id of table 0; table i is first_id + i */
    ULONG version;                  /* what SpLsaModeInitialize returned */
    ULONG entries;                  /* entries of a table of that version (27 to 43) */
    ULONG table_count;
    /* lsahost's copies of the package's tables, as the LSA keeps its own: the entries
     * the declared version defines, the rest NULL. */
    LSAHOST_SECPKG_FUNCTION_TABLE tables[HOST_MAX_TABLES];
    ULONG started;                  /* tables whose SpInitialize succeeded */
    PLSA_STRING ap_names[HOST_MAX_TABLES]; /* from InitializePackage, LSA-owned */
    SecPkgInfoW info[HOST_MAX_TABLES];
    /* Each table's Name as lsahost names the package: a copy, when SpGetInfo's is
     * readable, terminated and at most HOST_NAME_CHARS long; else empty, and nothing can
     * name the package. */
    WCHAR names[HOST_MAX_TABLES][HOST_NAME_CHARS + 1];
    /* The user-mode half, when the DLL exports SpUserModeInitialize: lsahost plays the
     * client process for it in-process (SpInstanceInit, then SpInitUserModeContext for
     * each context the LSA-mode half maps). NULL when absent. */
    PSECPKG_USER_FUNCTION_TABLE user_table;
    BOOL shut_down[HOST_MAX_TABLES]; /* SpShutdown has been called for the table (at the
                                        end, or when it unloaded itself) */
} host_package;

/* The SECPKG_FLAG_* bits sspi.h defines for SecPkgInfoW's fCapabilities: bits 0 to 25. */
#define HOST_KNOWN_CAPABILITIES 0x03ffffffu

/* The name of one SECPKG_FLAG_* bit without its prefix ("INTEGRITY"), or NULL for a bit
 * sspi.h does not define. */
const char *host_capability_name(ULONG bit);

/* Loads the DLL (refused when the loaded set holds it already: host_packages_holds) and
 * checks what SpLsaModeInitialize returns. On failure, `why` holds a sentence for a
 * person and the package is unloaded. */
NTSTATUS host_package_load(const WCHAR *path, host_package *pkg, char *why, size_t why_size);

/* InitializePackage, SpInitialize and GetInfo for each table, table i with package id
 * first_id + i. Stops at the first failure (`why` says which). */
NTSTATUS host_package_start(host_package *pkg, ULONG first_id, char *why, size_t why_size);

/* Prints each started table's package id and SecPkgInfo to stdout. */
void host_package_show(const host_package *pkg);

/* SpShutdown for each started table, last first, once: statuses[i] (when not NULL)
 * receives table i's answer, STATUS_NOT_IMPLEMENTED for a table without SpShutdown
 * (or shut down already, when it unloaded itself). */
void host_package_shutdown(host_package *pkg, NTSTATUS *statuses);
/* SpShutdown for table i alone, unless done: its answer, STATUS_NOT_IMPLEMENTED when it
 * has none or was shut down already. */
NTSTATUS host_package_shutdown_table(host_package *pkg, ULONG i);

/* Shutdown for each started table (unless done), stops the notifications still
 * registered, frees the names InitializePackage returned, then FreeLibrary (kept, and
 * said, while a thread of its packages, or of no known package, still runs). With
 * several DLLs, shut every one down first: a notification of one package may still run
 * until then. */
void host_package_unload(host_package *pkg);

#endif
