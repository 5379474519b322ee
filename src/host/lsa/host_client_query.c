/* host_client_query.c - QueryClientRequest: what the LSA knows about the client of a
 * request. ntsecpkg.h defines one query, LSA_QUERY_CLIENT_PRELOGON_SESSION_ID, and
 * Microsoft documents neither its meaning nor the form of its reply.
 *
 * lsahost's reading: the prelogon session is the Terminal Services session the client
 * process runs in before any logon it asks for (ProcessIdToSessionId of the client;
 * in-process, lsahost's own). The reply is a ULONG in LSA heap, as the LSA hands packages
 * every other answer, which the package frees with FreeLsaHeap (a reply never freed is
 * reported as a leak). Any other query type: STATUS_INVALID_PARAMETER. */
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_identity.h"
#include "../host_trace.h"

NTSTATUS NTAPI host_QueryClientRequest(PLSA_CLIENT_REQUEST ClientRequest, ULONG QueryType,
                                       PVOID *ReplyBuffer)
{
    host_client *client = host_client_current();
    DWORD pid = client ? client->process_id : GetCurrentProcessId(), session = 0;
    NTSTATUS status = STATUS_SUCCESS;
    const char *why = "";
    ULONG *reply;

    if (!host_memory_writable(ReplyBuffer, sizeof(*ReplyBuffer))) {
        status = STATUS_INVALID_PARAMETER;
        why = " (ReplyBuffer is not writable memory)";
    } else if (!host_client_request_valid(ClientRequest)) {
        status = STATUS_INVALID_PARAMETER;
        why = " (not a client request lsahost gave)";
    } else if (QueryType != HOST_LSA_QUERY_CLIENT_PRELOGON_SESSION_ID) {
        status = STATUS_INVALID_PARAMETER;
        why = " (ntsecpkg.h defines query type 1 only)";
    } else if (!ProcessIdToSessionId(pid, &session)) {
        status = STATUS_UNSUCCESSFUL;
        why = " (the client's session cannot be read)";
    } else if (!(reply = host_AllocateLsaHeap(sizeof(*reply))))
        status = STATUS_NO_MEMORY;
    else {
        *reply = session;
        *ReplyBuffer = reply;
    }
    if (status == STATUS_SUCCESS)
        host_trace("QueryClientRequest(ClientRequest=%p, QueryType=%lu) = STATUS_SUCCESS, "
                   "prelogon session %lu of process %lu", (void *)ClientRequest, QueryType,
                   session, pid);
    else
        host_trace("QueryClientRequest(ClientRequest=%p, QueryType=%lu) = %s%s",
                   (void *)ClientRequest, QueryType, host_status_name(status), why);
    return status;
}
