/* lsahost_secpkg.h - the SSP/AP function tables of every interface version, declared here
 * because MinGW-w64's ntsecpkg.h stops at SECPKG_INTERFACE_VERSION_3 (29 entries).
 *
 * Facts from Microsoft's documentation of SECPKG_FUNCTION_TABLE and
 * SECPKG_USER_FUNCTION_TABLE (learn.microsoft.com, "ntsecpkg.h"): member names, their
 * order and their types. Each SECPKG_INTERFACE_VERSION_n is one bit; the table of version
 * n holds every entry up to and including the last one that version added, cumulatively
 * 27, 28, 29, 30, 34, 35, 36, 38, 39, 42 and 43 entries for versions 1 to 11.
 *
 * The entries lsahost never calls take structures it never reads; those are declared as
 * incomplete types, so a pointer to one can be stored but not dereferenced by mistake.
 * Include after ../src/winapi.h (windows.h, sspi.h, ntsecapi.h, ntsecpkg.h). */
#ifndef LSAHOST_SECPKG_H
#define LSAHOST_SECPKG_H

#ifndef SECPKG_INTERFACE_VERSION_4
#define SECPKG_INTERFACE_VERSION_4  0x00080000
#define SECPKG_INTERFACE_VERSION_5  0x00100000
#define SECPKG_INTERFACE_VERSION_6  0x00200000
#define SECPKG_INTERFACE_VERSION_7  0x00400000
#define SECPKG_INTERFACE_VERSION_8  0x00800000
#define SECPKG_INTERFACE_VERSION_9  0x01000000
#define SECPKG_INTERFACE_VERSION_10 0x02000000
#define SECPKG_INTERFACE_VERSION_11 0x04000000
#endif

/* SECPKG_SURROGATE_LOGON, what SpLogonUserEx3 and the surrogate entries of version 10
 * take: lsahost passes version 1 with no entries (no other package adds any). */
#define LSAHOST_SURROGATE_LOGON_VERSION_1 1
typedef struct lsahost_surrogate_logon_entry {
    GUID Type;
    PVOID Data;
} LSAHOST_SURROGATE_LOGON_ENTRY;
typedef struct lsahost_surrogate_logon {
    ULONG Version;
    LUID SurrogateLogonID;
    ULONG EntryCount;
    LSAHOST_SURROGATE_LOGON_ENTRY *Entries;
} LSAHOST_SURROGATE_LOGON;

/* Never dereferenced by lsahost (see above). */
struct lsahost_redirected_logon_callback;
struct lsahost_redirected_logon_cleanup;

/* SECPKG_TARGETINFO, what SpValidateTargetInfo fills in. */
typedef struct lsahost_secpkg_targetinfo {
    PSID DomainSid;
    PCWSTR ComputerName;
} LSAHOST_SECPKG_TARGETINFO;

/* SECPKG_POST_LOGON_USER_INFO, what LsaApPostLogonUser receives. */
typedef struct lsahost_post_logon_user_info {
    ULONG Flags;
    LUID LogonId;
    LUID LinkedLogonId;
} LSAHOST_POST_LOGON_USER_INFO;

/* Version 4 */
typedef NTSTATUS NTAPI LsahostChangeAccountPasswordFn(PUNICODE_STRING DomainName,
    PUNICODE_STRING AccountName, PUNICODE_STRING OldPassword, PUNICODE_STRING NewPassword,
    BOOLEAN Impersonating, PSecBufferDesc Output);
/* Version 5 */
typedef NTSTATUS NTAPI LsahostQueryMetaDataFn(LSA_SEC_HANDLE CredentialHandle,
    PUNICODE_STRING TargetName, ULONG ContextRequirements, PULONG MetaDataLength,
    PUCHAR *MetaData, PLSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS NTAPI LsahostExchangeMetaDataFn(LSA_SEC_HANDLE CredentialHandle,
    PUNICODE_STRING TargetName, ULONG ContextRequirements, ULONG MetaDataLength,
    PUCHAR MetaData, PLSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS NTAPI LsahostGetCredUIContextFn(LSA_SEC_HANDLE ContextHandle, GUID *CredType,
    PULONG FlatCredUIContextLength, PUCHAR *FlatCredUIContext);
typedef NTSTATUS NTAPI LsahostUpdateCredentialsFn(LSA_SEC_HANDLE ContextHandle, GUID *CredType,
    ULONG FlatCredUIContextLength, PUCHAR FlatCredUIContext);
/* Version 6 */
typedef NTSTATUS NTAPI LsahostValidateTargetInfoFn(PLSA_CLIENT_REQUEST ClientRequest,
    PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase, ULONG SubmitBufferLength,
    LSAHOST_SECPKG_TARGETINFO *TargetInfo);
/* Version 7 */
typedef NTSTATUS NTAPI LsahostPostLogonUserFn(LSAHOST_POST_LOGON_USER_INFO *PostLogonUserInfo);
/* Version 8 */
typedef NTSTATUS NTAPI LsahostGetRemoteCredGuardLogonBufferFn(LSA_SEC_HANDLE CredHandle,
    LSA_SEC_HANDLE ContextHandle, const UNICODE_STRING *TargetName,
    PHANDLE RedirectedLogonHandle, struct lsahost_redirected_logon_callback **Callback,
    struct lsahost_redirected_logon_cleanup **CleanupCallback, PULONG LogonBufferSize,
    PVOID *LogonBuffer);
typedef NTSTATUS NTAPI LsahostGetRemoteCredGuardSupplementalCredsFn(LSA_SEC_HANDLE CredHandle,
    const UNICODE_STRING *TargetName, PHANDLE RedirectedLogonHandle,
    struct lsahost_redirected_logon_callback **Callback,
    struct lsahost_redirected_logon_cleanup **CleanupCallback,
    PULONG SupplementalCredsSize, PVOID *SupplementalCreds);
/* Version 9 */
typedef NTSTATUS NTAPI LsahostGetTbalSupplementalCredsFn(LUID LogonId,
    PULONG SupplementalCredsSize, PVOID *SupplementalCreds);
/* Version 10 */
typedef NTSTATUS NTAPI LsahostLogonUserEx3Fn(PLSA_CLIENT_REQUEST ClientRequest,
    SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
    ULONG SubmitBufferSize, struct lsahost_surrogate_logon *SurrogateLogon,
    PVOID *ProfileBuffer, PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
    PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,
    PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);
typedef NTSTATUS NTAPI LsahostPreLogonUserSurrogateFn(PLSA_CLIENT_REQUEST ClientRequest,
    SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
    ULONG SubmitBufferSize, struct lsahost_surrogate_logon *SurrogateLogon,
    PNTSTATUS SubStatus);
typedef NTSTATUS NTAPI LsahostPostLogonUserSurrogateFn(PLSA_CLIENT_REQUEST ClientRequest,
    SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
    ULONG SubmitBufferSize, struct lsahost_surrogate_logon *SurrogateLogon,
    PVOID ProfileBuffer, ULONG ProfileBufferSize, PLUID LogonId, NTSTATUS Status,
    NTSTATUS SubStatus, LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID TokenInformation, PUNICODE_STRING AccountName,
    PUNICODE_STRING AuthenticatingAuthority, PUNICODE_STRING MachineName,
    PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY SupplementalCredentials);
/* Version 11 */
typedef NTSTATUS NTAPI LsahostExtractTargetInfoFn(PLSA_CLIENT_REQUEST ClientRequest,
    PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase, ULONG SubmitBufferLength,
    PVOID *TargetInfo, PULONG TargetInfoSize);

/* SECPKG_FUNCTION_TABLE as of version 11. The first 29 members are MinGW-w64's whole
 * structure, with the same names and types. */
typedef struct lsahost_secpkg_function_table {
    PLSA_AP_INITIALIZE_PACKAGE InitializePackage;
    PLSA_AP_LOGON_USER LogonUser;
    PLSA_AP_CALL_PACKAGE CallPackage;
    PLSA_AP_LOGON_TERMINATED LogonTerminated;
    PLSA_AP_CALL_PACKAGE_UNTRUSTED CallPackageUntrusted;
    PLSA_AP_CALL_PACKAGE_PASSTHROUGH CallPackagePassthrough;
    PLSA_AP_LOGON_USER_EX LogonUserEx;
    PLSA_AP_LOGON_USER_EX2 LogonUserEx2;
    SpInitializeFn *Initialize;
    SpShutdownFn *Shutdown;
    SpGetInfoFn *GetInfo;
    SpAcceptCredentialsFn *AcceptCredentials;
    SpAcquireCredentialsHandleFn *AcquireCredentialsHandle;
    SpQueryCredentialsAttributesFn *QueryCredentialsAttributes;
    SpFreeCredentialsHandleFn *FreeCredentialsHandle;
    SpSaveCredentialsFn *SaveCredentials;
    SpGetCredentialsFn *GetCredentials;
    SpDeleteCredentialsFn *DeleteCredentials;
    SpInitLsaModeContextFn *InitLsaModeContext;
    SpAcceptLsaModeContextFn *AcceptLsaModeContext;
    SpDeleteContextFn *DeleteContext;
    SpApplyControlTokenFn *ApplyControlToken;
    SpGetUserInfoFn *GetUserInfo;
    SpGetExtendedInformationFn *GetExtendedInformation;
    SpQueryContextAttributesFn *QueryContextAttributes;
    SpAddCredentialsFn *AddCredentials;
    SpSetExtendedInformationFn *SetExtendedInformation;        /* last of version 1 */
    SpSetContextAttributesFn *SetContextAttributes;            /* version 2 */
    SpSetCredentialsAttributesFn *SetCredentialsAttributes;    /* version 3 */
    LsahostChangeAccountPasswordFn *ChangeAccountPassword;     /* version 4 */
    LsahostQueryMetaDataFn *QueryMetaData;                     /* version 5 ... */
    LsahostExchangeMetaDataFn *ExchangeMetaData;
    LsahostGetCredUIContextFn *GetCredUIContext;
    LsahostUpdateCredentialsFn *UpdateCredentials;             /* ... version 5 */
    LsahostValidateTargetInfoFn *ValidateTargetInfo;           /* version 6 */
    LsahostPostLogonUserFn *PostLogonUser;                     /* version 7 */
    LsahostGetRemoteCredGuardLogonBufferFn *GetRemoteCredGuardLogonBuffer; /* version 8 */
    LsahostGetRemoteCredGuardSupplementalCredsFn *GetRemoteCredGuardSupplementalCreds;
    LsahostGetTbalSupplementalCredsFn *GetTbalSupplementalCreds;           /* version 9 */
    LsahostLogonUserEx3Fn *LogonUserEx3;                       /* version 10 ... */
    LsahostPreLogonUserSurrogateFn *PreLogonUserSurrogate;
    LsahostPostLogonUserSurrogateFn *PostLogonUserSurrogate;   /* ... version 10 */
    LsahostExtractTargetInfoFn *ExtractTargetInfo;             /* version 11 */
} LSAHOST_SECPKG_FUNCTION_TABLE;

/* Entries in the table of each interface version, 1 to 11 (index 0 unused). */
#define LSAHOST_SECPKG_ENTRIES { 0, 27, 28, 29, 30, 34, 35, 36, 38, 39, 42, 43 }
#define LSAHOST_SECPKG_NEWEST_VERSION 11

/* The documented SECPKG_USER_FUNCTION_TABLE (SpUserModeInitialize): MinGW-w64's 14
 * entries, then MarshalAttributeData, which came with user-mode interface version 2. */
typedef NTSTATUS NTAPI LsahostMarshalAttributeDataFn(ULONG AttributeInfo, ULONG Attribute,
    ULONG AttributeDataSize, PBYTE AttributeData, PULONG MarshaledAttributeDataSize,
    PBYTE *MarshaledAttributeData);

typedef struct lsahost_secpkg_user_function_table {
    SpInstanceInitFn *InstanceInit;
    SpInitUserModeContextFn *InitUserModeContext;
    SpMakeSignatureFn *MakeSignature;
    SpVerifySignatureFn *VerifySignature;
    SpSealMessageFn *SealMessage;
    SpUnsealMessageFn *UnsealMessage;
    SpGetContextTokenFn *GetContextToken;
    SpQueryContextAttributesFn *QueryContextAttributes;
    SpCompleteAuthTokenFn *CompleteAuthToken;
    SpDeleteContextFn *DeleteUserModeContext;
    SpFormatCredentialsFn *FormatCredentials;
    SpMarshallSupplementalCredsFn *MarshallSupplementalCreds;
    SpExportSecurityContextFn *ExportContext;
    SpImportSecurityContextFn *ImportContext;                  /* last of version 1 */
    LsahostMarshalAttributeDataFn *MarshalAttributeData;       /* version 2 */
} LSAHOST_SECPKG_USER_FUNCTION_TABLE;

#endif
