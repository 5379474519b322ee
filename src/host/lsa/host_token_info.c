/* host_token_info.c - reads the token information a package hands CreateToken(Ex):
 * LSA_TOKEN_INFORMATION_NULL, V1, V2 (V1's layout) and V3 (V1's, then claims and device
 * groups), as Microsoft documents them. Every pointer and count is checked before it is
 * followed; the first member that is wrong is named in `why`. */
#include "host_identity.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A token holds at most 1024 groups (Windows' limit on SIDs in a token) and a few dozen
 * privileges; larger counts are a malformed structure, not a big user. */
#define MAX_TOKEN_GROUPS 1024
#define MAX_TOKEN_PRIVILEGES 256

const char *host_token_information_name(ULONG type)
{
    static __thread char other[24];

    switch (type) {
    case LsaTokenInformationNull: return "LsaTokenInformationNull";
    case LsaTokenInformationV1: return "LsaTokenInformationV1";
    case LsaTokenInformationV2: return "LsaTokenInformationV2";
    case HOST_LSA_TOKEN_INFORMATION_V3: return "LsaTokenInformationV3";
    default:
        snprintf(other, sizeof(other), "type %lu", type);
        return other;
    }
}

static NTSTATUS fail(NTSTATUS status, char *why, size_t why_size, const char *fmt,
                     const char *member, const void *at)
{
    snprintf(why, why_size, fmt, member, at);
    return status;
}

static NTSTATUS read_sid(PSID sid, const char *member, char *text, size_t text_size,
                         char *why, size_t why_size)
{
    NTSTATUS status = host_sid_check(sid);

    if (status == STATUS_ACCESS_VIOLATION)
        return fail(status, why, why_size, "%s: the SID at %p is not readable", member, sid);
    if (status != STATUS_SUCCESS)
        return fail(status, why, why_size, "%s: the SID at %p is malformed", member, sid);
    if (text)
        host_sid_format(sid, text, text_size);
    return STATUS_SUCCESS;
}

/* protected_user (NULL for device groups, which are the device's, not the user's) is set
 * when a group is a domain's Protected Users. */
static NTSTATUS read_groups(const TOKEN_GROUPS *groups, const char *member, ULONG *count,
                            BOOL *protected_user, char *why, size_t why_size)
{
    char each[64];

    *count = 0;
    if (!groups)
        return STATUS_SUCCESS;
    if (!host_memory_readable(groups, offsetof(TOKEN_GROUPS, Groups)))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s: TOKEN_GROUPS at %p is not "
                    "readable", member, groups);
    if (groups->GroupCount > MAX_TOKEN_GROUPS) {
        snprintf(why, why_size, "%s: GroupCount %lu is more than a token holds (%u)", member,
                 groups->GroupCount, MAX_TOKEN_GROUPS);
        return STATUS_INVALID_PARAMETER;
    }
    if (!host_memory_readable(groups, offsetof(TOKEN_GROUPS, Groups) +
                                          groups->GroupCount * sizeof(SID_AND_ATTRIBUTES)))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s: the group array at %p runs "
                    "into unreadable memory", member, groups);
    for (ULONG i = 0; i < groups->GroupCount; i++) {
        NTSTATUS status;
        snprintf(each, sizeof(each), "%s[%lu]", member, i);
        if ((status = read_sid(groups->Groups[i].Sid, each, NULL, 0, why, why_size)))
            return status;
        if (protected_user && host_sid_is_protected_users(groups->Groups[i].Sid))
            *protected_user = TRUE;
    }
    *count = groups->GroupCount;
    return STATUS_SUCCESS;
}

static NTSTATUS read_privileges(const TOKEN_PRIVILEGES *p, ULONG *count, char *why,
                                size_t why_size)
{
    *count = 0;
    if (!p)
        return STATUS_SUCCESS;
    if (!host_memory_readable(p, offsetof(TOKEN_PRIVILEGES, Privileges)))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s: TOKEN_PRIVILEGES at %p is "
                    "not readable", "Privileges", p);
    if (p->PrivilegeCount > MAX_TOKEN_PRIVILEGES) {
        snprintf(why, why_size, "Privileges: PrivilegeCount %lu is more than a token holds "
                 "(%u)", p->PrivilegeCount, MAX_TOKEN_PRIVILEGES);
        return STATUS_INVALID_PARAMETER;
    }
    if (!host_memory_readable(p, offsetof(TOKEN_PRIVILEGES, Privileges) +
                                     p->PrivilegeCount * sizeof(LUID_AND_ATTRIBUTES)))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s: the privilege array at %p "
                    "runs into unreadable memory", "Privileges", p);
    *count = p->PrivilegeCount;
    return STATUS_SUCCESS;
}

static NTSTATUS read_dacl(const ACL *acl, BOOL *present, char *why, size_t why_size)
{
    *present = acl != NULL;
    if (!acl)
        return STATUS_SUCCESS;
    if (!host_memory_readable(acl, sizeof(*acl)) || !host_memory_readable(acl, acl->AclSize))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s: the ACL at %p is not "
                    "readable", "DefaultDacl", acl);
    if (!IsValidAcl((PACL)acl))
        return fail(STATUS_INVALID_ACL, why, why_size, "%s: the ACL at %p is malformed",
                    "DefaultDacl", acl);
    return STATUS_SUCCESS;
}

/* LSA_TOKEN_INFORMATION_V1's members, which V2 and V3 begin with. */
static NTSTATUS read_v1(const LSA_TOKEN_INFORMATION_V1 *v1, host_token_identity *out,
                        char *why, size_t why_size)
{
    NTSTATUS status;

    if ((status = read_sid(v1->User.User.Sid, "User", out->user, sizeof(out->user), why,
                           why_size)) ||
        (status = read_groups(v1->Groups, "Groups", &out->groups, &out->protected_user, why,
                               why_size)))
        return status;
    /* The documentation: PrimaryGroup "is required and must be filled in". */
    if (!v1->PrimaryGroup.PrimaryGroup) {
        snprintf(why, why_size, "PrimaryGroup: NULL, and the documentation requires it");
        return STATUS_INVALID_PARAMETER;
    }
    if ((status = read_sid(v1->PrimaryGroup.PrimaryGroup, "PrimaryGroup", out->primary_group,
                           sizeof(out->primary_group), why, why_size)) ||
        (status = read_privileges(v1->Privileges, &out->privileges, why, why_size)))
        return status;
    /* Owner.Owner may be NULL: no default owner other than the user. */
    if (v1->Owner.Owner && (status = read_sid(v1->Owner.Owner, "Owner", out->owner,
                                              sizeof(out->owner), why, why_size)))
        return status;
    return read_dacl(v1->DefaultDacl.DefaultDacl, &out->default_dacl, why, why_size);
}

NTSTATUS host_token_information_read(ULONG type, const void *info, host_token_identity *out,
                                     char *why, size_t why_size)
{
    static const SIZE_T sizes[] = {
        [LsaTokenInformationNull] = sizeof(LSA_TOKEN_INFORMATION_NULL),
        [LsaTokenInformationV1] = sizeof(LSA_TOKEN_INFORMATION_V1),
        [LsaTokenInformationV2] = sizeof(LSA_TOKEN_INFORMATION_V2),
        [HOST_LSA_TOKEN_INFORMATION_V3] = sizeof(host_lsa_token_information_v3),
    };
    NTSTATUS status;

    memset(out, 0, sizeof(*out));
    out->type = type;
    if (type >= sizeof(sizes) / sizeof(sizes[0])) {
        snprintf(why, why_size, "TokenInformationType %lu is none of Null, V1, V2 or V3", type);
        return STATUS_INVALID_INFO_CLASS;
    }
    if (!info) {
        snprintf(why, why_size, "TokenInformation is NULL");
        return STATUS_INVALID_PARAMETER;
    }
    if (!host_memory_readable(info, sizes[type]))
        return fail(STATUS_ACCESS_VIOLATION, why, why_size, "%s at %p is not readable",
                    host_token_information_name(type), info);
    if (type == LsaTokenInformationNull) {
        /* An anonymous logon: the anonymous SID, and any groups the package adds. */
        const LSA_TOKEN_INFORMATION_NULL *null_info = info;
        snprintf(out->user, sizeof(out->user), "S-1-5-7");
        return read_groups(null_info->Groups, "Groups", &out->groups, &out->protected_user,
                           why, why_size);
    }
    if ((status = read_v1(info, out, why, why_size)))
        return status;
    if (type == HOST_LSA_TOKEN_INFORMATION_V3) {
        const host_lsa_token_information_v3 *v3 = info;
        /* Claims are opaque blobs to lsahost: it records that they are there. */
        out->user_claims = v3->UserClaims.UserClaims != NULL;
        out->device_claims = v3->DeviceClaims.DeviceClaims != NULL;
        return read_groups(v3->DeviceGroups, "DeviceGroups", &out->device_groups, NULL,
                           why, why_size);
    }
    return STATUS_SUCCESS;
}
