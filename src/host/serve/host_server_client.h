/* host_server_client.h - one connected client of lsahost serve, as the serving code
 * shares it: the listening loop and the client's thread (host_server.c), and the
 * requests (host_server_requests.c). */
#ifndef SSPKG_HOST_SERVER_CLIENT_H
#define SSPKG_HOST_SERVER_CLIENT_H

#include "../lsa/host_callbacks.h"
#include "../lsa/host_logon_user.h"
#include "host_server.h"
#include "host_server_quota.h"
#include "../../common/lsa_wire.h"

/* A handle a client made: a credential or context of one package. Two packages may
 * give the same value, so the package is part of it. */
typedef struct server_handle {
    LSA_SEC_HANDLE handle;              /* 0: a free slot */
    const host_secpkg *pkg;
} server_handle;

/* A logon session a connection made. */
typedef struct server_logon {
    const host_secpkg *pkg;        /* NULL: the slot is free */
    host_logon_result result;
} server_logon;

typedef struct server_client {
    host_client client;
    const host_serve_limits *limits;
    server_process *process;     /* what its process holds, across connections */
    HANDLE pipe;
    HANDLE thread;
    HANDLE wake;                 /* set to evict the client, or when lsahost stops */
    volatile LONG64 last_active; /* GetTickCount64() at its last request */
    BOOL said_hello;
    /* The handles it made, and may name; as many as its process's quotas. */
    server_handle *creds;
    server_handle *contexts;
    /* Its logon sessions (LsaLogonUser), each ended with the connection; as many as its
     * process's quota, counted across the process's connections. */
    server_logon *logons;
    BYTE in[LSA_WIRE_MAX_MESSAGE];
    BYTE out[LSA_WIRE_MAX_MESSAGE];
    char why[160];               /* why the client was dropped, if it was */
} server_client;

/* The package a request names (LSA_FIELD_PACKAGE; absent: package 0), or NULL for an
 * id lsahost has no package for. */
const host_secpkg *server_package_of(const lsa_wire_message *m);

/* Answers one checked request into c->out; *out_len is the answer's length. FALSE, with
 * c->why set, when the client must go. */
BOOL server_answer(server_client *c, const lsa_wire_message *m, size_t *out_len);

/* Deletes the client's contexts and frees its credentials through the package, ends
 * its logon sessions, and forgets its client buffers; says what it cleaned. */
void server_clean_up(server_client *c);

/* LOGON (host_server_logon.c): LsaLogonUser. FALSE, with c->why set, for a request
 * that is not one. */
BOOL server_logon_user(server_client *c, const lsa_wire_message *m, lsa_wire_writer *w);
/* Ends every logon session the client made; returns how many. */
ULONG server_logons_end(server_client *c);

#endif
