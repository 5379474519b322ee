/* host_lsa_table.c - the LSA_SECPKG_FUNCTION_TABLE lsahost hands to SpInitialize.
 *
 * Every slot holds a real function. Those lsahost implements are set by member name
 * (so the compiler checks their types), or, past MinGW-w64's declaration, by position;
 * every other slot holds a stub that says, on stderr, that the package called something
 * lsahost does not implement, and returns STATUS_NOT_IMPLEMENTED.
 *
 * The stubs take no parameters. That is sound on x64 Windows, the only target: the
 * caller reserves and pops any stack arguments, so a callee may ignore them. */
#include "host_callbacks.h"
#include "host_heap.h"
#include "host_identity.h"
#include "../shm/host_shm.h"
#include "../host_trace.h"

#include <stddef.h>

_Static_assert(sizeof(host_lsa_table) == 66 * sizeof(void *),
               "the Windows SDK's table has 66 entries");
_Static_assert(offsetof(LSA_SECPKG_FUNCTION_TABLE, CreateSharedMemory) == 26 * sizeof(void *),
               "MinGW-w64's table must match the SDK's layout");
_Static_assert(offsetof(LSA_SECPKG_FUNCTION_TABLE, AllocatePrivateHeap) == 48 * sizeof(void *),
               "MinGW-w64's table must match the SDK's layout");

static NTSTATUS not_implemented(const char *name)
{
    const char *during = host_call_current(), *why = host_lsa_unimplemented_reason(name);

    host_say("package called %s, which lsahost does not implement%s%s%s: "
             "STATUS_NOT_IMPLEMENTED%s%s%s", name, why ? " (" : "", why ? why : "",
             why ? ")" : "", during ? " (during " : "", during ? during : "", during ? ")" : "");
    host_trace("%s(...) = STATUS_NOT_IMPLEMENTED", name);
    return STATUS_NOT_IMPLEMENTED;
}

#define STUB(name) \
    static NTSTATUS NTAPI stub_##name(void) { return not_implemented(#name); }

STUB(SaveSupplementalCredentials) STUB(OpenSamUser) STUB(GetUserCredentials)
STUB(GetUserAuthData) STUB(CloseSamUser) STUB(ConvertAuthDataToToken) STUB(ClientCallback)
STUB(UpdateCredentials) STUB(GetAuthDataForUser) STUB(CrackSingleName) STUB(CrediRead)
STUB(CrediReadDomainCredentials) STUB(CrediFreeCredentials) STUB(ExpandAuthDataForDomain)
STUB(CrediWrite) STUB(CrediUnmarshalandDecodeString) STUB(DummyFunction6)
STUB(GetServiceAccountPassword) STUB(DummyFunction7)

#define IMPLEMENTED(name) { #name, NULL }
#define NOT_IMPLEMENTED(name) { #name, (host_lsa_slot)stub_##name }

/* In table order. */
static const struct {
    const char *name;
    host_lsa_slot stub; /* NULL: implemented, set by name in build_table */
} slot_info[HOST_LSA_SLOT_COUNT] = {
    IMPLEMENTED(CreateLogonSession), IMPLEMENTED(DeleteLogonSession),
    IMPLEMENTED(AddCredential), IMPLEMENTED(GetCredentials),
    IMPLEMENTED(DeleteCredential), IMPLEMENTED(AllocateLsaHeap), IMPLEMENTED(FreeLsaHeap),
    IMPLEMENTED(AllocateClientBuffer), IMPLEMENTED(FreeClientBuffer),
    IMPLEMENTED(CopyToClientBuffer), IMPLEMENTED(CopyFromClientBuffer),
    IMPLEMENTED(ImpersonateClient), IMPLEMENTED(UnloadPackage),
    IMPLEMENTED(DuplicateHandle), NOT_IMPLEMENTED(SaveSupplementalCredentials),
    IMPLEMENTED(CreateThread), IMPLEMENTED(GetClientInfo), IMPLEMENTED(RegisterNotification),
    IMPLEMENTED(CancelNotification), IMPLEMENTED(MapBuffer), IMPLEMENTED(CreateToken),
    IMPLEMENTED(AuditLogon), IMPLEMENTED(CallPackage), IMPLEMENTED(FreeReturnBuffer),
    IMPLEMENTED(GetCallInfo), IMPLEMENTED(CallPackageEx), IMPLEMENTED(CreateSharedMemory),
    IMPLEMENTED(AllocateSharedMemory), IMPLEMENTED(FreeSharedMemory),
    IMPLEMENTED(DeleteSharedMemory), NOT_IMPLEMENTED(OpenSamUser),
    NOT_IMPLEMENTED(GetUserCredentials), NOT_IMPLEMENTED(GetUserAuthData),
    NOT_IMPLEMENTED(CloseSamUser), NOT_IMPLEMENTED(ConvertAuthDataToToken),
    NOT_IMPLEMENTED(ClientCallback), NOT_IMPLEMENTED(UpdateCredentials),
    NOT_IMPLEMENTED(GetAuthDataForUser), NOT_IMPLEMENTED(CrackSingleName),
    IMPLEMENTED(AuditAccountLogon), IMPLEMENTED(CallPackagePassthrough),
    NOT_IMPLEMENTED(CrediRead), NOT_IMPLEMENTED(CrediReadDomainCredentials),
    NOT_IMPLEMENTED(CrediFreeCredentials), IMPLEMENTED(LsaProtectMemory),
    IMPLEMENTED(LsaUnprotectMemory), IMPLEMENTED(OpenTokenByLogonId),
    NOT_IMPLEMENTED(ExpandAuthDataForDomain), IMPLEMENTED(AllocatePrivateHeap),
    IMPLEMENTED(FreePrivateHeap), IMPLEMENTED(CreateTokenEx), NOT_IMPLEMENTED(CrediWrite),
    /* Past MinGW-w64's declaration. */
    NOT_IMPLEMENTED(CrediUnmarshalandDecodeString), NOT_IMPLEMENTED(DummyFunction6),
    IMPLEMENTED(GetExtendedCallFlags), IMPLEMENTED(DuplicateTokenHandle),
    NOT_IMPLEMENTED(GetServiceAccountPassword), NOT_IMPLEMENTED(DummyFunction7),
    IMPLEMENTED(AuditLogonEx), IMPLEMENTED(CheckProtectedUserByToken),
    IMPLEMENTED(QueryClientRequest), IMPLEMENTED(GetAppModeInfo),
    IMPLEMENTED(SetAppModeInfo), IMPLEMENTED(GetClientInfoEx),
    IMPLEMENTED(GetSecpkgFailureReason), IMPLEMENTED(SetSecpkgFailureReason),
};

static host_lsa_table table;
static INIT_ONCE table_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK build_table(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    host_lsa_slot *slots = (host_lsa_slot *)&table;
    LSA_SECPKG_FUNCTION_TABLE *t = &table.Base;

    (void)once;
    (void)parameter;
    (void)context;
    for (size_t i = 0; i < HOST_LSA_SLOT_COUNT; i++)
        slots[i] = slot_info[i].stub;

    t->CreateLogonSession = host_CreateLogonSession;
    t->DeleteLogonSession = host_DeleteLogonSession;
    t->AllocateLsaHeap = host_AllocateLsaHeap;
    t->FreeLsaHeap = host_FreeLsaHeap;
    t->AllocateClientBuffer = host_AllocateClientBuffer;
    t->FreeClientBuffer = host_FreeClientBuffer;
    t->CopyToClientBuffer = host_CopyToClientBuffer;
    t->CopyFromClientBuffer = host_CopyFromClientBuffer;
    t->DuplicateHandle = host_DuplicateHandle;
    t->CreateThread = host_CreateThread;
    t->GetClientInfo = host_GetClientInfo;
    t->MapBuffer = host_MapBuffer;
    t->GetCallInfo = host_GetCallInfo;
    t->CreateSharedMemory = host_CreateSharedMemory;
    t->AllocateSharedMemory = host_AllocateSharedMemory;
    t->FreeSharedMemory = host_FreeSharedMemory;
    t->DeleteSharedMemory = host_DeleteSharedMemory;
    t->LsaProtectMemory = host_LsaProtectMemory;
    t->LsaUnprotectMemory = host_LsaUnprotectMemory;
    t->AllocatePrivateHeap = host_AllocatePrivateHeap;
    t->FreePrivateHeap = host_FreePrivateHeap;
    t->AddCredential = host_AddCredential;
    t->GetCredentials = host_GetCredentials;
    t->DeleteCredential = host_DeleteCredential;
    t->ImpersonateClient = host_ImpersonateClient;
    t->UnloadPackage = host_UnloadPackage;
    t->RegisterNotification = host_RegisterNotification;
    t->CancelNotification = host_CancelNotification;
    t->CreateToken = host_CreateToken;
    t->AuditLogon = host_AuditLogon;
    t->OpenTokenByLogonId = host_OpenTokenByLogonId;
    t->CreateTokenEx = host_CreateTokenEx;
    t->CallPackage = host_CallPackage;
    t->CallPackageEx = host_CallPackageEx;
    t->CallPackagePassthrough = host_CallPackagePassthrough;
    t->FreeReturnBuffer = host_FreeReturnBuffer;
    t->AuditAccountLogon = host_AuditAccountLogon;
    /* Past MinGW-w64's declaration: by position, with the SDK's types (host_identity.h). */
    table.Extension[HOST_LSA_EXT_GET_EXTENDED_CALL_FLAGS] = (host_lsa_slot)host_GetExtendedCallFlags;
    table.Extension[HOST_LSA_EXT_DUPLICATE_TOKEN_HANDLE] = (host_lsa_slot)host_DuplicateTokenHandle;
    table.Extension[HOST_LSA_EXT_AUDIT_LOGON_EX] = (host_lsa_slot)host_AuditLogonEx;
    table.Extension[HOST_LSA_EXT_GET_CLIENT_INFO_EX] = (host_lsa_slot)host_GetClientInfoEx;
    table.Extension[HOST_LSA_EXT_CHECK_PROTECTED_USER_BY_TOKEN] =
        (host_lsa_slot)host_CheckProtectedUserByToken;
    table.Extension[HOST_LSA_EXT_QUERY_CLIENT_REQUEST] = (host_lsa_slot)host_QueryClientRequest;
    table.Extension[HOST_LSA_EXT_GET_APP_MODE_INFO] = (host_lsa_slot)host_GetAppModeInfo;
    table.Extension[HOST_LSA_EXT_SET_APP_MODE_INFO] = (host_lsa_slot)host_SetAppModeInfo;
    table.Extension[HOST_LSA_EXT_GET_SECPKG_FAILURE_REASON] =
        (host_lsa_slot)host_GetSecpkgFailureReason;
    table.Extension[HOST_LSA_EXT_SET_SECPKG_FAILURE_REASON] =
        (host_lsa_slot)host_SetSecpkgFailureReason;
    return TRUE;
}

host_lsa_table *host_lsa_table_get(void)
{
    InitOnceExecuteOnce(&table_once, build_table, NULL, NULL);
    return &table;
}

const char *host_lsa_slot_name(size_t index)
{
    return index < HOST_LSA_SLOT_COUNT ? slot_info[index].name : NULL;
}
