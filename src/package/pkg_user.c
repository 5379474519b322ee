/* pkg_user.c - the user-mode half, loaded in client processes. So far SpInstanceInit
 * only checks the interface version: context mapping, signing and sealing are the
 * other entries of SECPKG_USER_FUNCTION_TABLE, left NULL (unsupported) until they
 * exist, and they are what will use the heap functions FunctionTable offers. */
#include "pkg.h"

NTSTATUS NTAPI pkg_SpInstanceInit(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                  PVOID *UserFunctions)
{
    (void)FunctionTable;
    (void)UserFunctions;
    return Version < SECPKG_INTERFACE_VERSION ? STATUS_REVISION_MISMATCH : STATUS_SUCCESS;
}
