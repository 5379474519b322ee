/* host_protected_user.c - CheckProtectedUserByToken: is the token's user a member of
 * Protected Users, the domain group (well-known RID 525, S-1-5-21-<domain>-525) whose
 * members' credentials packages must not cache or delegate.
 *
 * lsahost belongs to no domain and looks nothing up in one: it decides from the groups
 * the token carries. For a token lsahost made for the package (CreateToken, emulated),
 * those are the groups the package asked for; for any other token, the groups the token
 * itself holds (TokenGroups). A member is any domain's Protected Users group in them. */
#include "host_identity.h"
#include "../host_trace.h"

#include <string.h>

#define PROTECTED_USERS_RID 525 /* DOMAIN_GROUP_RID_PROTECTED_USERS */

BOOL host_sid_is_protected_users(PSID sid)
{
    static const SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };

    /* A domain SID is S-1-5-21 and three sub-authorities; the group's RID follows. */
    return !memcmp(GetSidIdentifierAuthority(sid), &nt, sizeof(nt)) &&
           *GetSidSubAuthorityCount(sid) == 5 &&
           *GetSidSubAuthority(sid, 0) == SECURITY_NT_NON_UNIQUE &&
           *GetSidSubAuthority(sid, 4) == PROTECTED_USERS_RID;
}

static NTSTATUS status_of_error(DWORD error)
{
    switch (error) {
    case ERROR_ACCESS_DENIED:
        return STATUS_ACCESS_DENIED;
    case ERROR_NOT_ENOUGH_MEMORY:
        return STATUS_NO_MEMORY;
    default: /* ERROR_INVALID_HANDLE: not a handle, or not a token's */
        return STATUS_INVALID_HANDLE;
    }
}

static NTSTATUS token_groups_member(HANDLE token, BOOLEAN *member)
{
    TOKEN_GROUPS *groups = NULL;
    DWORD size = 0;
    NTSTATUS status = STATUS_SUCCESS;

    *member = FALSE;
    if (!GetTokenInformation(token, TokenGroups, NULL, 0, &size) &&
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return status_of_error(GetLastError());
    if (!(groups = HeapAlloc(GetProcessHeap(), 0, size)))
        return STATUS_NO_MEMORY;
    if (!GetTokenInformation(token, TokenGroups, groups, size, &size)) {
        status = status_of_error(GetLastError());
        goto done;
    }
    for (ULONG i = 0; i < groups->GroupCount && !*member; i++)
        *member = host_sid_is_protected_users(groups->Groups[i].Sid);

done:
    HeapFree(GetProcessHeap(), 0, groups);
    return status;
}

NTSTATUS NTAPI host_CheckProtectedUserByToken(HANDLE UserToken, PBOOLEAN ProtectedUser)
{
    host_token_identity id;
    BOOLEAN member = FALSE;
    const char *from = "";
    NTSTATUS status = STATUS_SUCCESS;

    if (!host_memory_writable(ProtectedUser, sizeof(*ProtectedUser))) {
        status = STATUS_INVALID_PARAMETER;
        from = ": ProtectedUser is not writable memory";
    } else if (host_token_identity_of(UserToken, &id)) {
        member = (BOOLEAN)id.protected_user;
        from = ", from the groups the package gave CreateToken (emulated token)";
    } else if ((status = token_groups_member(UserToken, &member)) == STATUS_SUCCESS)
        from = ", from the token's groups";
    else
        from = ": not a token handle lsahost can query";
    if (status == STATUS_SUCCESS)
        *ProtectedUser = member;
    host_trace("CheckProtectedUserByToken(UserToken=%p) = %s%s%s", UserToken,
               host_status_name(status), status ? "" : member ? ", protected" : ", not protected",
               from);
    return status;
}
