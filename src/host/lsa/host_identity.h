/* host_identity.h - the LSA's identity callbacks under lsahost: tokens, impersonation,
 * credentials per logon session, audit, notifications, and the reading of what a package
 * hands over (all of it treated as hostile). */
#ifndef SSPKG_HOST_IDENTITY_H
#define SSPKG_HOST_IDENTITY_H

#include "../../winapi.h"

#include <stddef.h>

/* ---- Declarations MinGW-w64 lacks, from Microsoft's documentation of ntsecpkg.h ---- */

/* LSA_TOKEN_INFORMATION_TYPE's fourth value (MinGW-w64 stops at LsaTokenInformationV2). */
#define HOST_LSA_TOKEN_INFORMATION_V3 3

/* LSA_TOKEN_INFORMATION_V3: LSA_TOKEN_INFORMATION_V1's members, then the claims and the
 * device groups. */
typedef struct host_lsa_token_information_v3 {
    LARGE_INTEGER ExpirationTime;
    TOKEN_USER User;
    PTOKEN_GROUPS Groups;
    TOKEN_PRIMARY_GROUP PrimaryGroup;
    PTOKEN_PRIVILEGES Privileges;
    TOKEN_OWNER Owner;
    TOKEN_DEFAULT_DACL DefaultDacl;
    TOKEN_USER_CLAIMS UserClaims;
    TOKEN_DEVICE_CLAIMS DeviceClaims;
    PTOKEN_GROUPS DeviceGroups;
} host_lsa_token_information_v3;

/* SECPKG_CLIENT_INFO_EX (GetClientInfoEx). */
typedef struct host_secpkg_client_info_ex {
    LUID LogonId;
    ULONG ProcessID;
    ULONG ThreadID;
    BOOLEAN HasTcbPrivilege;
    BOOLEAN Impersonating;
    BOOLEAN Restricted;
    UCHAR ClientFlags;
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
    HANDLE ClientToken;
    LUID IdentificationLogonId;
    HANDLE IdentificationToken;
} host_secpkg_client_info_ex;

/* ---- Reading what the package hands over ---------------------------------------------- */

/* Whether [p, p+size) is committed, readable memory of this process. */
BOOL host_memory_readable(const void *p, SIZE_T size);
/* Whether [p, p+size) is committed memory of this process that may be written. */
BOOL host_memory_writable(void *p, SIZE_T size);
/* A SID the package gave: readable, well formed. STATUS_SUCCESS, STATUS_ACCESS_VIOLATION
 * or STATUS_INVALID_SID. */
NTSTATUS host_sid_check(PSID sid);
/* "S-1-5-..." for a checked SID, or what was wrong with it. */
void host_sid_format(PSID sid, char *out, size_t size);
/* "0000hhhh:llllllll" for a LUID the package gave, "(none)" or "(unreadable)". */
const char *host_luid_format(const LUID *id, char out[24]);
/* A UNICODE_STRING the package gave, whole: its header and its Length bytes readable,
 * Length even and at most MaximumLength. STATUS_SUCCESS, or STATUS_ACCESS_VIOLATION /
 * STATUS_INVALID_PARAMETER with a sentence naming `member` in why. */
NTSTATUS host_unicode_check(const UNICODE_STRING *s, const char *member, char *why,
                            size_t why_size);
/* A UNICODE_STRING the package gave, as UTF-8 for a message: "(none)" for NULL, and
 * "(unreadable)" for a string whose header or buffer cannot be read. */
void host_unicode_format(const UNICODE_STRING *s, char *out, size_t size);
/* A NUL-terminated string the package gave (a SecPkgInfoW's Name), read without touching
 * memory that is not readable and at most max_chars long: NULL with its UTF-8 form in out
 * (cut to size), or a phrase saying what is wrong with it ("NULL", "points to unreadable
 * memory", ...). */
const char *host_wstring_read(const WCHAR *s, size_t max_chars, char *out, size_t size);

/* ---- Token information (LSA_TOKEN_INFORMATION_NULL/V1/V2/V3) ------------------------ */

typedef struct host_token_identity {
    ULONG type;                 /* LSA_TOKEN_INFORMATION_TYPE */
    char user[192];             /* the user's SID; S-1-5-7 (anonymous) for NULL */
    char primary_group[192];
    char owner[192];            /* "" when the package gave none */
    char account[128];          /* CreateToken's AccountName, if any */
    char source[9];             /* TOKEN_SOURCE.SourceName */
    ULONG groups, privileges, device_groups;
    BOOL default_dacl, user_claims, device_claims;
    BOOL protected_user;        /* a group is a domain's Protected Users (RID 525) */
    BOOL of_client;             /* emulated as a copy of a serve client's token, not lsahost's */
    LUID logon_id;
    SECURITY_LOGON_TYPE logon_type;
    SECURITY_IMPERSONATION_LEVEL level;
} host_token_identity;

/* Checks every pointer and count of the token information and records what it says.
 * On failure, `why` says which member was wrong. */
NTSTATUS host_token_information_read(ULONG type, const void *info, host_token_identity *out,
                                     char *why, size_t why_size);
/* The identity the package asked for, when a handle (any handle, in this process) opens
 * a token lsahost made for it (CreateToken, CreateTokenEx); FALSE for any other token. */
BOOL host_token_identity_of(HANDLE token, host_token_identity *out);
/* "LsaTokenInformationV2", or "type N". */
const char *host_token_information_name(ULONG type);

/* ---- The callbacks -------------------------------------------------------------------- */

NTSTATUS NTAPI host_CreateToken(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                SECURITY_LOGON_TYPE LogonType,
                                SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
                                PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                PHANDLE Token, PNTSTATUS SubStatus);
NTSTATUS NTAPI host_CreateTokenEx(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                  SECURITY_LOGON_TYPE LogonType,
                                  SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                  LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                  PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                  PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                  PVOID SessionInformation,
                                  SECPKG_SESSIONINFO_TYPE SessionInformationType,
                                  PHANDLE Token, PNTSTATUS SubStatus);
NTSTATUS NTAPI host_OpenTokenByLogonId(PLUID LogonId, HANDLE *RetTokenHandle);
NTSTATUS NTAPI host_DuplicateTokenHandle(HANDLE SourceHandle, PHANDLE DestinationHandle);
NTSTATUS NTAPI host_ImpersonateClient(void);

NTSTATUS NTAPI host_AddCredential(PLUID LogonId, ULONG AuthenticationPackage,
                                  PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials);
NTSTATUS NTAPI host_GetCredentials(PLUID LogonId, ULONG AuthenticationPackage,
                                   PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                   PLSA_STRING PrimaryKeyValue, PULONG PrimaryKeyLength,
                                   PLSA_STRING Credentials);
NTSTATUS NTAPI host_DeleteCredential(PLUID LogonId, ULONG AuthenticationPackage,
                                     PLSA_STRING PrimaryKeyValue);

VOID NTAPI host_AuditLogon(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                           PUNICODE_STRING AuthenticatingAuthority,
                           PUNICODE_STRING WorkstationName, PSID UserSid,
                           SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                           PLUID LogonId);
VOID NTAPI host_AuditLogonEx(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                             PUNICODE_STRING AuthenticatingAuthority,
                             PUNICODE_STRING WorkstationName, PSID UserSid,
                             SECURITY_LOGON_TYPE LogonType,
                             SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                             PTOKEN_SOURCE TokenSource, PLUID LogonId);

HANDLE NTAPI host_RegisterNotification(SEC_THREAD_START StartFunction, PVOID Parameter,
                                       ULONG NotificationType, ULONG NotificationClass,
                                       ULONG NotificationFlags, ULONG IntervalMinutes,
                                       HANDLE WaitEvent);
NTSTATUS NTAPI host_CancelNotification(HANDLE NotifyHandle);

NTSTATUS NTAPI host_AuditAccountLogon(ULONG AuditId, BOOLEAN Success, PUNICODE_STRING Source,
                                      PUNICODE_STRING ClientName, PUNICODE_STRING MappedName,
                                      NTSTATUS Status);
NTSTATUS NTAPI host_CheckProtectedUserByToken(HANDLE UserToken, PBOOLEAN ProtectedUser);

/* QueryClientRequest's one query type (ntsecpkg.h). */
#define HOST_LSA_QUERY_CLIENT_PRELOGON_SESSION_ID 1
NTSTATUS NTAPI host_QueryClientRequest(PLSA_CLIENT_REQUEST ClientRequest, ULONG QueryType,
                                       PVOID *ReplyBuffer);
NTSTATUS NTAPI host_GetAppModeInfo(PULONG UserFunction, PULONG_PTR Argument1,
                                   PULONG_PTR Argument2, PSecBuffer UserData,
                                   PBOOLEAN ReturnToLsa);
NTSTATUS NTAPI host_SetAppModeInfo(ULONG UserFunction, ULONG_PTR Argument1, ULONG_PTR Argument2,
                                   PSecBuffer UserData, BOOLEAN ReturnToLsa);

/* SECPKG_FAILURE_REASON (ntsecpkg.h): an NTSTATUS and a SECPKG_FAILURE_SPECIAL_REASON. */
typedef struct host_secpkg_failure_reason {
    NTSTATUS Status;
    ULONG Reason;
} host_secpkg_failure_reason;
_Static_assert(sizeof(host_secpkg_failure_reason) == 8, "SECPKG_FAILURE_REASON is 8 bytes");
/* The failure-reason ledger (host_failure_reason.c): Set by value, as the SDK declares. */
NTSTATUS NTAPI host_SetSecpkgFailureReason(host_secpkg_failure_reason Reason);
NTSTATUS NTAPI host_GetSecpkgFailureReason(ULONG_PTR PackageId,
                                           host_secpkg_failure_reason *Reason);
NTSTATUS NTAPI host_GetClientInfoEx(host_secpkg_client_info_ex *ClientInfo, ULONG StructSize);
NTSTATUS NTAPI host_GetExtendedCallFlags(PULONG Flags);

/* ---- lsahost's side ------------------------------------------------------------------- */

static inline BOOL host_luid_equal(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}
/* Whether lsahost has this logon session (host_logon.c). */
BOOL host_logon_session_exists(const LUID *id);
/* For a callback's LogonId: STATUS_INVALID_PARAMETER for NULL or unreadable,
 * STATUS_NO_SUCH_LOGON_SESSION for one lsahost does not have, else STATUS_SUCCESS. */
NTSTATUS host_logon_session_check(const LUID *id);
/* A logon session is going: its credentials and the tokens lsahost keeps for it go too. */
void host_credentials_forget_logon(const LUID *id);
void host_tokens_forget_logon(const LUID *id);
/* How many credentials a logon session holds (for the leak report). */
ULONG host_credentials_count(const LUID *id);

/* Whether a checked SID is a domain's Protected Users group: S-1-5-21-x-y-z-525. */
BOOL host_sid_is_protected_users(PSID sid);
/* The current call into the package is over: app-mode info it set goes with it. */
void host_app_mode_call_ended(void);

/* At unload, before the leak report: which token handles the package made and still has
 * open (each stays counted, and is named); the rest are forgotten. */
void host_tokens_sweep(void);
/* After the leak report: closes what the package left and forgets every record. */
void host_tokens_release_all(void);

/* Cancels every notification and waits for callbacks still running; called before the
 * package's DLL goes. */
void host_notifications_stop_all(void);
/* The same for the notifications package `id` registered, when it unloads itself;
 * returns how many it had not cancelled. */
ULONG host_notifications_stop_package(ULONG id);

/* "Interactive", "Network", ... for SECURITY_LOGON_TYPE's values; "unknown" else. */
const char *host_logon_type_name(SECURITY_LOGON_TYPE type);

/* --audit=FILE: the audit lines also go to this file (appended). FALSE if it cannot be
 * opened. */
BOOL host_audit_open(const WCHAR *path);
void host_audit_close(void);

#endif
