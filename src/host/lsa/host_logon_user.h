/* host_logon_user.h - the LSA's side of LsaLogonUser, as lsass plays it for a package's
 * LsaApLogonUserEx2 (or Ex, or LogonUser): shared by `lsahost logon` and the LOGON
 * request of lsahost serve.
 *
 *   - the submit buffer is in the client's memory; the LSA copies it into its heap
 *     (CopyFromClientBuffer) and hands the package the copy and the client's address
 *     (ClientBufferBase), so pointers inside it are relative to the client's buffer;
 *   - lsass makes the token from the token information (CreateToken: emulated under
 *     lsahost, host_token.c) and frees what lsass frees: the token information (V2 and
 *     V3 in one FreeLsaHeap; V1 and NULL piece by piece from the private heap, the
 *     structure from the LSA heap), the names, the primary credentials' strings and the
 *     supplemental credentials;
 *   - the profile buffer stays in client memory, the client's to free;
 *   - the credentials the logon returns go to the other packages' SpAcceptCredentials
 *     (host_logon_credentials.h);
 *   - the logon session lives on until host_logon_user_end: every package's
 *     LsaApLogonTerminated, then the LSA deletes the session if the package left it, and
 *     closes its token. */
#ifndef SSPKG_HOST_LOGON_USER_H
#define SSPKG_HOST_LOGON_USER_H

#include "host_identity.h"
#include "../packages/host_packages.h"

/* The most a submit buffer may hold: lsass's own limit is not documented; every logon
 * structure Windows defines is far smaller. */
#define HOST_LOGON_MAX_SUBMIT (64 * 1024)

typedef struct host_logon_result {
    const char *entry;              /* the entry called: "LsaApLogonUserEx2", ... */
    NTSTATUS status, sub_status;
    LUID logon_id;
    PVOID profile;                  /* in client memory, the client's to free */
    ULONG profile_length;
    char account[128], authority[128], machine[128];  /* "(none)" when not given */
    BOOL has_token_information;
    ULONG token_information_type;
    host_token_identity identity;   /* what the token information says, when readable */
    NTSTATUS token_status;          /* reading the token information, then CreateToken */
    char token_why[256];            /* why the token information was refused */
    HANDLE token;                   /* the LSA's token for the session, or NULL */
    char credentials_handed[512];   /* whom SpAcceptCredentials told (host_logon_credentials.h) */
    ULONG terminated_told;          /* packages told of the session's end */
} host_logon_result;

/* Logs on with the submit buffer at `submit` (length bytes of the current client's
 * memory). r->status is the package's status; r->token_status says what became of its
 * token information. The logon session, when made, stays until host_logon_user_end. */
void host_logon_user(const host_secpkg *pkg, SECURITY_LOGON_TYPE type, PVOID submit,
                     ULONG length, host_logon_result *r);

/* Ends a successful logon's session as the LSA does when its last token goes: every
 * package's LsaApLogonTerminated, then the session and what the LSA keeps for it. */
void host_logon_user_end(host_logon_result *r);

#endif
