/* host_impersonate.c - ImpersonateClient: the calling thread takes the client's identity
 * until the package calls RevertToSelf, as in lsass.
 *
 * A client process of lsahost serve: ImpersonateNamedPipeClient on its pipe. In-process,
 * the client is lsahost's own caller on this very thread: a thread that already
 * impersonates keeps its token; otherwise it takes a copy of the process token
 * (ImpersonateSelf), so the package's RevertToSelf has something to revert. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "../host_trace.h"

NTSTATUS NTAPI host_ImpersonateClient(void)
{
    host_client *client = host_client_current();
    NTSTATUS status = STATUS_SUCCESS;
    HANDLE token;
    DWORD error = 0;

    if (!host_call_current()) {
        /* A package thread of its own, or a notification: there is no caller. */
        status = STATUS_NO_TOKEN;
    } else if (client) {
        if (!client->pipe || !ImpersonateNamedPipeClient(client->pipe))
            error = client->pipe ? GetLastError() : ERROR_INVALID_HANDLE;
        else
            host_call_impersonated();
    } else if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        CloseHandle(token);
    } else if (!ImpersonateSelf(SecurityImpersonation)) {
        error = GetLastError();
    } else {
        host_call_impersonated();
    }
    if (error)
        status = error == ERROR_CANNOT_IMPERSONATE ? STATUS_CANNOT_IMPERSONATE : STATUS_NO_TOKEN;
    if (status != STATUS_SUCCESS)
        host_say("ImpersonateClient failed: %s%s", host_status_name(status),
                 host_call_current() ? "" : " (called outside a call from a client)");
    host_trace("ImpersonateClient() = %s%s", host_status_name(status),
               status ? "" : client ? ", the pipe client's token" : ", lsahost's caller's token");
    return status;
}
