/* host_unload_package.c - UnloadPackage (LSA_UNLOAD_PACKAGE, learn.microsoft.com
 * previous-versions aa380520): "available for use by SSP/APs that detect some
 * unrecoverable problem after being loaded. The calling package is unloaded and removed
 * from the list of valid packages." It takes no parameters, so the calling package is
 * the one lsahost's call context names (host_call_package): the package whose call is in
 * progress on this thread, or whose thread (CreateThread) this is. What unloading does
 * is in src/host/packages/host_unload.c. */
#include "host_callbacks.h"
#include "../packages/host_packages.h"
#include "../host_trace.h"

NTSTATUS NTAPI host_UnloadPackage(void)
{
    ULONG id = host_call_package();
    NTSTATUS status;

    host_call_thread_hold();
    status = host_packages_request_unload(id);

    /* The page documents only STATUS_SUCCESS. A call lsahost cannot pin on a package
     * (from a thread of no known package, or lsahost's own) has no package to unload:
     * STATUS_NO_SUCH_PACKAGE, and said. */
    if (status != STATUS_SUCCESS)
        host_say("UnloadPackage called outside any call into a package lsahost knows: there "
                 "is no package to unload: %s", host_status_name(status));
    host_trace("UnloadPackage() = %s", host_status_name(status));
    return status;
}
