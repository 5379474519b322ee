/* host_server_logon.c - LsaLogonUser for lsahost serve's clients (the LOGON request).
 *
 * lsahost reads the submit buffer from the client's memory and logs on as lsass does
 * (host_logon_user.c); the profile buffer the package allocated in the client is the
 * client's. The client gets a handle to the session's token in its own process, as
 * LsaLogonUser returns it. That token is emulated (host_token.c): for a client of lsahost
 * serve it is a copy of the client's *own* process token (never lsahost's, which would
 * give the client lsahost's rights), and lsahost's trace says which identity it stands
 * for. The handle has only the rights its owner could ask of its own token anyway.
 * A logon session made this way ends when the connection that
 * made it ends (lsahost cannot see the client close the token's last handle).
 *
 * The sessions a client holds count against its *process's* quota (--max-logons-per-
 * process), across all the process's connections, as every quota of lsahost serve
 * does: a process opening more connections gets no more sessions. Process ids cannot be
 * reused while counted: the record lives as long as the process's last connection, each
 * connection holds a handle to the process, and sessions end with their connection. */
#include "host_server_client.h"
#include "../lsa/host_identity.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

/* Rights of the client's handle: what its owner may ask of its own token anyway. */
#define CLIENT_TOKEN_ACCESS (TOKEN_QUERY | TOKEN_DUPLICATE | TOKEN_IMPERSONATE)

/* A handle in the client to the session's token; NULL on failure. */
static HANDLE token_for_client(const host_client *client, HANDLE token)
{
    HANDLE remote = NULL;

    if (!DuplicateHandle(GetCurrentProcess(), token, client->process, &remote,
                         CLIENT_TOKEN_ACCESS, FALSE, 0))
        return NULL;
    return remote;
}

/* A free slot for one more session, counted against the client's *process*: a process
 * opening more connections gains no sessions. NULL, said in lsahost's log, when the
 * process holds its quota (across all its connections; the connection's list is as long
 * as that quota, so it then has a free slot). */
static server_logon *take_slot(server_client *c)
{
    char why[128];

    if (!server_process_take(c->process, SERVER_QUOTA_LOGON, why, sizeof(why))) {
        host_say("client %lu (process %lu): refused: %s", c->client.number,
                 c->client.process_id, why);
        return NULL;
    }
    for (ULONG i = 0; i < c->limits->max_logons_per_process; i++)
        if (!c->logons[i].pkg)
            return &c->logons[i];
    server_process_give(c->process, SERVER_QUOTA_LOGON);
    return NULL;
}

/* Checks what the request says before anything is done with it. FALSE: not a LOGON
 * request at all (the client goes). */
static BOOL read_request(server_client *c, const lsa_wire_message *m, uint32_t *type,
                         uint64_t *submit, uint32_t *length)
{
    const uint8_t *origin, *source;
    size_t origin_size = 0, source_size = 0;

    if (lsa_wire_get_u32(m, LSA_FIELD_LOGON_TYPE, type) ||
        lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, submit) ||
        lsa_wire_get_u32(m, LSA_FIELD_LENGTH, length) ||
        lsa_wire_get_bytes(m, LSA_FIELD_ORIGIN, 127, &origin, &origin_size) ||
        (m->fields[LSA_FIELD_SOURCE].kind &&
         (lsa_wire_get_bytes(m, LSA_FIELD_SOURCE, sizeof(TOKEN_SOURCE), &source, &source_size) ||
          source_size != sizeof(TOKEN_SOURCE)))) {
        snprintf(c->why, sizeof(c->why), "LOGON without its type, submit buffer or origin, or "
                                         "with a malformed one");
        return FALSE;
    }
    host_trace("client %lu: LsaLogonUser from origin \"%.*s\"", c->client.number,
               (int)origin_size, (const char *)origin);
    return TRUE;
}

BOOL server_logon_user(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    const host_secpkg *pkg = server_package_of(m);
    server_logon *slot = NULL;
    uint32_t type, length;
    uint64_t submit;
    HANDLE token = NULL;
    NTSTATUS status, sub = STATUS_SUCCESS;

    if (!read_request(c, m, &type, &submit, &length))
        return FALSE;
    if (!pkg)
        status = STATUS_NO_SUCH_PACKAGE;
    else if (!host_packages_fits(pkg, HOST_NEED_LOGON))
        status = STATUS_NOT_SUPPORTED;
    else if (type < Interactive || type > CachedUnlock)
        status = STATUS_INVALID_LOGON_TYPE;
    else if (!(slot = take_slot(c)))
        status = STATUS_QUOTA_EXCEEDED;
    else {
        host_logon_user(pkg, (SECURITY_LOGON_TYPE)type, (PVOID)(ULONG_PTR)submit, length,
                        &slot->result);
        status = slot->result.status;
        sub = slot->result.sub_status;
        /* Without a token there is no logon to give: lsass fails it the same way. */
        if (status == STATUS_SUCCESS && !slot->result.token)
            status = slot->result.has_token_information ? slot->result.token_status
                                                        : STATUS_INVALID_PARAMETER;
        if (status == STATUS_SUCCESS && !(token = token_for_client(&c->client, slot->result.token)))
            status = STATUS_NO_MEMORY;
        if (status == STATUS_SUCCESS)
            slot->pkg = pkg;
        else
            server_process_give(c->process, SERVER_QUOTA_LOGON);
        if (status != STATUS_SUCCESS && slot->result.status == STATUS_SUCCESS) {
            /* The package succeeded, the LSA could not: nothing reaches the client. */
            if (slot->result.profile)
                host_FreeClientBuffer(NULL, slot->result.profile);
            host_logon_user_end(&slot->result);
        }
        /* The profile is the client's from here on. */
        host_client_buffers_hand_over(&c->client);
    }
    host_trace("client %lu: LsaLogonUser(%s, %u-byte submit buffer) = %s, sub-status %s%s%s",
               c->client.number, host_logon_type_name((SECURITY_LOGON_TYPE)type), length,
               host_status_name(status), host_status_name(sub),
               token ? "; the client's token is a copy of its own, standing for " : "",
               token ? slot->result.identity.user : "");
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, (uint32_t)status);
    lsa_wire_put_u32(w, LSA_FIELD_SUB_STATUS, (uint32_t)sub);
    if (status == STATUS_SUCCESS) {
        const LUID *id = &slot->result.logon_id;
        lsa_wire_put_u64(w, LSA_FIELD_LOGON_ID, ((uint64_t)(uint32_t)id->HighPart << 32) |
                                                     id->LowPart);
        lsa_wire_put_u64(w, LSA_FIELD_TOKEN_HANDLE, (uint64_t)(ULONG_PTR)token);
        lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, (uint64_t)(ULONG_PTR)slot->result.profile);
        lsa_wire_put_u32(w, LSA_FIELD_LENGTH, slot->result.profile_length);
    }
    return TRUE;
}

ULONG server_logons_end(server_client *c)
{
    ULONG ended = 0;

    for (ULONG i = 0; i < c->limits->max_logons_per_process; i++) {
        if (!c->logons[i].pkg)
            continue;
        host_logon_user_end(&c->logons[i].result);
        c->logons[i].pkg = NULL;
        server_process_give(c->process, SERVER_QUOTA_LOGON);
        ended++;
    }
    return ended;
}
