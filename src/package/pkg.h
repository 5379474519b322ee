/* pkg.h - state shared by the package's files: what the LSA gave it at SpInitialize.
 *
 * lsa is NULL when the host passed no function table: that is what Wine's own secur32
 * does, and the package then runs without the LSA's services (no shared memory). */
#ifndef SSPKG_PKG_H
#define SSPKG_PKG_H

#include "../winapi.h"

typedef struct pkg_state {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
} pkg_state;

extern pkg_state pkg;

/* SECPKG_FUNCTION_TABLE entries (pkg_lsa.c). */
NTSTATUS NTAPI pkg_LsaApInitializePackage(ULONG AuthenticationPackageId,
                                          PLSA_DISPATCH_TABLE LsaDispatchTable,
                                          PLSA_STRING Database, PLSA_STRING Confidentiality,
                                          PLSA_STRING *AuthenticationPackageName);
NTSTATUS NTAPI pkg_SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                PLSA_SECPKG_FUNCTION_TABLE FunctionTable);
NTSTATUS NTAPI pkg_SpShutdown(void);
NTSTATUS NTAPI pkg_SpGetInfo(PSecPkgInfoW PackageInfo);

/* SECPKG_USER_FUNCTION_TABLE entries (pkg_user.c). */
NTSTATUS NTAPI pkg_SpInstanceInit(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                  PVOID *UserFunctions);

/* What the package publishes in shared memory (pkg_publish.c). Both are no-ops when
 * there is no function table or the LSA could not give memory. */
void pkg_publish_start(void);
void pkg_publish_stop(void);

#endif
