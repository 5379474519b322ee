/* pkg_trace_entries.c - one trace line for every entry the LSA (SECPKG_FUNCTION_TABLE)
 * or the caller's process (SECPKG_USER_FUNCTION_TABLE) calls: its arguments and its
 * result, written when it returns. The tables are pointed at these wrappers only when
 * tracing is on (pkg_entry.c), so a package that does not trace pays nothing, and the
 * package's own calls from one entry to another are not traced. Tokens, packed contexts
 * and messages appear as their lengths, never their bytes. Notes from inside the
 * entries (what they ignore, what they do not honour, why they failed) come before the
 * line of the call they belong to. */
#include "pkg.h"
#include "../../include/sspkg.h"

#include <stdio.h>
#include <string.h>

static LSAHOST_SECPKG_FUNCTION_TABLE lsa;  /* the entries themselves */
static SECPKG_USER_FUNCTION_TABLE user;

typedef unsigned long long handle_value;   /* LSA_SEC_HANDLEs print as %llx */

/* A UNICODE_STRING the LSA passed (in its own memory), as UTF-8 in quotes. */
static const char *text_of(const UNICODE_STRING *s, char *out, int cap)
{
    int n;

    if (!s || !s->Buffer || !s->Length)
        return "none";
    n = WideCharToMultiByte(CP_UTF8, 0, s->Buffer, s->Length / sizeof(WCHAR), out + 1, cap - 3,
                            NULL, NULL);
    if (n <= 0)
        return "(too long to show)";
    out[0] = '"';
    out[n + 1] = '"';
    out[n + 2] = '\0';
    return out;
}

/* What a SecBufferDesc holds, by type and length: "100-byte token", "21 data bytes". */
static const char *buffers_of(const SecBufferDesc *d, char *out, size_t cap)
{
    size_t used = 0;

    if (!d || !d->pBuffers || !d->cBuffers)
        return "no buffers";
    out[0] = '\0';
    for (ULONG i = 0; i < d->cBuffers && used < cap; i++) {
        const SecBuffer *b = &d->pBuffers[i];
        ULONG type = b->BufferType & ~SECBUFFER_ATTRMASK;
        const char *sep = used ? " + " : "";
        int n;

        if (type == SECBUFFER_TOKEN)
            n = snprintf(out + used, cap - used, "%s%lu-byte token", sep, b->cbBuffer);
        else if (type == SECBUFFER_DATA)
            n = snprintf(out + used, cap - used, "%s%lu data bytes", sep, b->cbBuffer);
        else
            n = snprintf(out + used, cap - used, "%sbuffer type %lu (%lu bytes)", sep, type,
                         b->cbBuffer);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return out;
}

static const char *attribute_name(ULONG attribute)
{
    switch (attribute) {
    case SECPKG_ATTR_SIZES: return "SIZES";
    case SECPKG_ATTR_NAMES: return "NAMES";
    case SECPKG_ATTR_LIFESPAN: return "LIFESPAN";
    case SECPKG_ATTR_PACKAGE_INFO: return "PACKAGE_INFO";
    default: return "not answered";
    }
}

static const char *use_name(ULONG use)
{
    switch (use & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND)) {
    case SECPKG_CRED_INBOUND: return "INBOUND";
    case SECPKG_CRED_OUTBOUND: return "OUTBOUND";
    case SECPKG_CRED_BOTH: return "BOTH";
    default: return "neither";
    }
}

static const char *message_name(const void *submit, ULONG length)
{
    uint32_t type;

    if (!submit || length < sizeof(type))
        return "none";
    memcpy(&type, submit, sizeof(type));
    switch (type) {
    case SSPKG_CALL_SET_USER: return "SET_USER";
    case SSPKG_CALL_REMOVE_USER: return "REMOVE_USER";
    case SSPKG_CALL_LIST_USERS: return "LIST_USERS";
    case SSPKG_CALL_GET_STATUS: return "GET_STATUS";
    default: return "unknown";
    }
}

/* ---- The LSA-mode table ------------------------------------------------------------ */

static NTSTATUS NTAPI traced_LsaApInitializePackage(ULONG AuthenticationPackageId,
                                                    PLSA_DISPATCH_TABLE LsaDispatchTable,
                                                    PLSA_STRING Database,
                                                    PLSA_STRING Confidentiality,
                                                    PLSA_STRING *AuthenticationPackageName)
{
    NTSTATUS status = lsa.InitializePackage(AuthenticationPackageId, LsaDispatchTable, Database,
                                            Confidentiality, AuthenticationPackageName);
    pkg_trace("LsaApInitializePackage(package id %lu, dispatch table %p) = %s",
              AuthenticationPackageId, (void *)LsaDispatchTable, pkg_trace_status(status, FALSE));
    return status;
}

/* Both CallPackage entries: the message's type only (a request can hold a password). */
static NTSTATUS trace_call_package(const char *entry, NTSTATUS status, PVOID submit,
                                   ULONG submit_length, PULONG return_length,
                                   PNTSTATUS protocol_status)
{
    pkg_trace("%s(%lu-byte request, message %s) = %s, protocol status %s, %lu-byte response",
              entry, submit_length, message_name(submit, submit_length),
              pkg_trace_status(status, FALSE),
              protocol_status ? pkg_trace_status(*protocol_status, FALSE) : "none",
              return_length ? *return_length : 0);
    return status;
}

static NTSTATUS NTAPI traced_LsaApLogonUserEx2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer,
    PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
    PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,
    PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    NTSTATUS status = lsa.LogonUserEx2(ClientRequest, LogonType, ProtocolSubmitBuffer,
                                       ClientBufferBase, SubmitBufferSize, ProfileBuffer,
                                       ProfileBufferSize, LogonId, SubStatus,
                                       TokenInformationType, TokenInformation, AccountName,
                                       AuthenticatingAuthority, MachineName, PrimaryCredentials,
                                       SupplementalCredentials);
    /* The submit buffer holds a password: its size only. */
    pkg_trace("LsaApLogonUserEx2(type %d, %lu-byte submit buffer) = %s, sub-status %s, logon "
              "%08lx:%08lx, %lu-byte profile", (int)LogonType, SubmitBufferSize,
              pkg_trace_status(status, FALSE), SubStatus ? pkg_trace_status(*SubStatus, FALSE) : "-",
              LogonId ? (unsigned long)LogonId->HighPart : 0UL, LogonId ? LogonId->LowPart : 0UL,
              ProfileBufferSize ? *ProfileBufferSize : 0UL);
    return status;
}

static VOID NTAPI traced_LsaApLogonTerminated(PLUID LogonId)
{
    lsa.LogonTerminated(LogonId);
    pkg_trace("LsaApLogonTerminated(logon %08lx:%08lx)",
              LogonId ? (unsigned long)LogonId->HighPart : 0UL, LogonId ? LogonId->LowPart : 0UL);
}

static NTSTATUS NTAPI traced_SpAcceptCredentials(SECURITY_LOGON_TYPE LogonType,
                                                  PUNICODE_STRING AccountName,
                                                  PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                                  PSECPKG_SUPPLEMENTAL_CRED Supplemental)
{
    NTSTATUS status = lsa.AcceptCredentials(LogonType, AccountName, PrimaryCredentials,
                                            Supplemental);
    /* The primary credentials hold a password: the logon id only. */
    pkg_trace("SpAcceptCredentials(type %d, logon %08lx:%08lx) = %s", (int)LogonType,
              PrimaryCredentials ? (unsigned long)PrimaryCredentials->LogonId.HighPart : 0UL,
              PrimaryCredentials ? PrimaryCredentials->LogonId.LowPart : 0UL,
              pkg_trace_status(status, FALSE));
    return status;
}

static NTSTATUS NTAPI traced_LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest,
                                              PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                              ULONG SubmitBufferLength,
                                              PVOID *ProtocolReturnBuffer,
                                              PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    NTSTATUS status = lsa.CallPackage(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase,
                                      SubmitBufferLength, ProtocolReturnBuffer,
                                      ReturnBufferLength, ProtocolStatus);
    return trace_call_package("LsaApCallPackage", status, ProtocolSubmitBuffer,
                              SubmitBufferLength, ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI traced_LsaApCallPackageUntrusted(
    PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
    ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
    PNTSTATUS ProtocolStatus)
{
    NTSTATUS status = lsa.CallPackageUntrusted(ClientRequest, ProtocolSubmitBuffer,
                                               ClientBufferBase, SubmitBufferLength,
                                               ProtocolReturnBuffer, ReturnBufferLength,
                                               ProtocolStatus);
    return trace_call_package("LsaApCallPackageUntrusted", status, ProtocolSubmitBuffer,
                              SubmitBufferLength, ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI traced_SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                          PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS status = lsa.Initialize(PackageId, Parameters, FunctionTable);
    pkg_trace("SpInitialize(package id %llu, parameters %p, function table %p%s) = %s",
              (unsigned long long)PackageId, (void *)Parameters, (void *)FunctionTable,
              FunctionTable ? "" : ": none, the package runs without an LSA",
              pkg_trace_status(status, FALSE));
    return status;
}

static NTSTATUS NTAPI traced_SpShutdown(void)
{
    NTSTATUS status = lsa.Shutdown();
    pkg_trace("SpShutdown() = %s", pkg_trace_status(status, FALSE));
    return status;
}

static NTSTATUS NTAPI traced_SpGetInfo(PSecPkgInfoW PackageInfo)
{
    NTSTATUS status = lsa.GetInfo(PackageInfo);
    if (status == STATUS_SUCCESS)
        pkg_trace("SpGetInfo() = %s, \"%ls\", capabilities 0x%08lx, max token %lu",
                  pkg_trace_status(status, FALSE), PackageInfo->Name, PackageInfo->fCapabilities,
                  PackageInfo->cbMaxToken);
    else
        pkg_trace("SpGetInfo(%p) = %s", (void *)PackageInfo, pkg_trace_status(status, FALSE));
    return status;
}

static NTSTATUS NTAPI traced_SpAcquireCredentialsHandle(PUNICODE_STRING PrincipalName,
                                                        ULONG CredentialUseFlags, PLUID LogonId,
                                                        PVOID AuthorizationData,
                                                        PVOID GetKeyFunction, PVOID GetKeyArgument,
                                                        PLSA_SEC_HANDLE CredentialHandle,
                                                        PTimeStamp ExpirationTime)
{
    char principal[256];
    NTSTATUS status = lsa.AcquireCredentialsHandle(PrincipalName, CredentialUseFlags, LogonId,
                                                   AuthorizationData, GetKeyFunction,
                                                   GetKeyArgument, CredentialHandle,
                                                   ExpirationTime);
    pkg_trace("SpAcquireCredentialsHandle(principal %s, use %s, identity %s) = %s, "
              "credential %llx",
              text_of(PrincipalName, principal, sizeof(principal)), use_name(CredentialUseFlags),
              AuthorizationData ? "given" : "none", pkg_trace_status(status, TRUE),
              CredentialHandle ? (handle_value)*CredentialHandle : 0);
    return status;
}

static NTSTATUS NTAPI traced_SpFreeCredentialsHandle(LSA_SEC_HANDLE CredentialHandle)
{
    NTSTATUS status = lsa.FreeCredentialsHandle(CredentialHandle);
    pkg_trace("SpFreeCredentialsHandle(credential %llx) = %s", (handle_value)CredentialHandle,
              pkg_trace_status(status, TRUE));
    return status;
}

static NTSTATUS NTAPI traced_SpQueryCredentialsAttributes(LSA_SEC_HANDLE CredentialHandle,
                                                          ULONG CredentialAttribute, PVOID Buffer)
{
    NTSTATUS status = lsa.QueryCredentialsAttributes(CredentialHandle, CredentialAttribute,
                                                     Buffer);
    pkg_trace("SpQueryCredentialsAttributes(credential %llx, attribute %lu%s) = %s",
              (handle_value)CredentialHandle, CredentialAttribute,
              CredentialAttribute == SECPKG_CRED_ATTR_NAMES ? " (NAMES)" : "",
              pkg_trace_status(status, TRUE));
    return status;
}

/* ISC and ASC: handles, requirements, what came in and went out. */
static void trace_context_call(const char *entry, const char *target, LSA_SEC_HANDLE cred,
                               LSA_SEC_HANDLE context, ULONG requirements,
                               const SecBufferDesc *in, NTSTATUS status,
                               const LSA_SEC_HANDLE *new_context, const SecBufferDesc *out,
                               const ULONG *attributes, const BOOLEAN *mapped)
{
    char in_text[160], out_text[160];

    pkg_trace("%s(credential %llx, context %llx%s%s, requirements 0x%08lx, in: %s) = %s, "
              "context %llx, out: %s, attributes 0x%08lx%s",
              entry, (handle_value)cred, (handle_value)context, target ? ", target " : "",
              target ? target : "", requirements, buffers_of(in, in_text, sizeof(in_text)),
              pkg_trace_status(status, TRUE), new_context ? (handle_value)*new_context : 0,
              buffers_of(out, out_text, sizeof(out_text)), attributes ? *attributes : 0,
              mapped && *mapped ? ", mapped" : "");
}

static NTSTATUS NTAPI traced_SpInitLsaModeContext(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    char target[256];
    NTSTATUS status = lsa.InitLsaModeContext(CredentialHandle, ContextHandle, TargetName,
                                             ContextRequirements, TargetDataRep, InputBuffers,
                                             NewContextHandle, OutputBuffers, ContextAttributes,
                                             ExpirationTime, MappedContext, ContextData);
    trace_context_call("SpInitLsaModeContext", text_of(TargetName, target, sizeof(target)),
                       CredentialHandle, ContextHandle, ContextRequirements, InputBuffers,
                       status, NewContextHandle, OutputBuffers, ContextAttributes, MappedContext);
    return status;
}

static NTSTATUS NTAPI traced_SpAcceptLsaModeContext(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffers,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffers, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    NTSTATUS status = lsa.AcceptLsaModeContext(CredentialHandle, ContextHandle, InputBuffers,
                                               ContextRequirements, TargetDataRep,
                                               NewContextHandle, OutputBuffers,
                                               ContextAttributes, ExpirationTime, MappedContext,
                                               ContextData);
    trace_context_call("SpAcceptLsaModeContext", NULL, CredentialHandle, ContextHandle,
                       ContextRequirements, InputBuffers, status, NewContextHandle,
                       OutputBuffers, ContextAttributes, MappedContext);
    return status;
}

/* Deleting and querying a context have one signature on both sides. */
static NTSTATUS delete_traced(const char *entry, SpDeleteContextFn *fn, LSA_SEC_HANDLE context)
{
    NTSTATUS status = fn(context);
    pkg_trace("%s(context %llx) = %s", entry, (handle_value)context,
              pkg_trace_status(status, TRUE));
    return status;
}

static NTSTATUS query_traced(const char *entry, SpQueryContextAttributesFn *fn,
                             LSA_SEC_HANDLE context, ULONG attribute, PVOID buffer)
{
    NTSTATUS status = fn(context, attribute, buffer);
    pkg_trace("%s(context %llx, attribute %lu (%s)) = %s", entry, (handle_value)context,
              attribute, attribute_name(attribute), pkg_trace_status(status, TRUE));
    return status;
}

static NTSTATUS NTAPI traced_SpDeleteContext(LSA_SEC_HANDLE ContextHandle)
{
    return delete_traced("SpDeleteContext", lsa.DeleteContext, ContextHandle);
}

static NTSTATUS NTAPI traced_SpQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                                      ULONG ContextAttribute, PVOID Buffer)
{
    return query_traced("SpQueryContextAttributes", lsa.QueryContextAttributes, ContextHandle,
                        ContextAttribute, Buffer);
}

/* The passwords' lengths only; the account name is the user's, as in the store. */
static NTSTATUS NTAPI traced_SpChangeAccountPassword(PUNICODE_STRING DomainName,
                                                     PUNICODE_STRING AccountName,
                                                     PUNICODE_STRING OldPassword,
                                                     PUNICODE_STRING NewPassword,
                                                     BOOLEAN Impersonating,
                                                     PSecBufferDesc Output)
{
    char account[160];
    NTSTATUS status = lsa.ChangeAccountPassword(DomainName, AccountName, OldPassword,
                                                NewPassword, Impersonating, Output);
    pkg_trace("SpChangeAccountPassword(account %s, old %u bytes, new %u bytes, "
              "impersonating %d) = %s", text_of(AccountName, account, sizeof(account)),
              OldPassword ? OldPassword->Length : 0, NewPassword ? NewPassword->Length : 0,
              (int)Impersonating, pkg_trace_status(status, FALSE));
    return status;
}

void pkg_trace_wrap_lsa(LSAHOST_SECPKG_FUNCTION_TABLE *t)
{
    if (!pkg_tracing || lsa.Initialize)
        return;
    lsa = *t;
    t->InitializePackage = traced_LsaApInitializePackage;
    t->CallPackage = traced_LsaApCallPackage;
    t->LogonUserEx2 = traced_LsaApLogonUserEx2;
    t->LogonTerminated = traced_LsaApLogonTerminated;
    t->AcceptCredentials = traced_SpAcceptCredentials;
    t->CallPackageUntrusted = traced_LsaApCallPackageUntrusted;
    t->Initialize = traced_SpInitialize;
    t->Shutdown = traced_SpShutdown;
    t->GetInfo = traced_SpGetInfo;
    t->AcquireCredentialsHandle = traced_SpAcquireCredentialsHandle;
    t->FreeCredentialsHandle = traced_SpFreeCredentialsHandle;
    t->QueryCredentialsAttributes = traced_SpQueryCredentialsAttributes;
    t->InitLsaModeContext = traced_SpInitLsaModeContext;
    t->AcceptLsaModeContext = traced_SpAcceptLsaModeContext;
    t->DeleteContext = traced_SpDeleteContext;
    t->QueryContextAttributes = traced_SpQueryContextAttributes;
    t->ChangeAccountPassword = traced_SpChangeAccountPassword;
}

/* ---- The user-mode table ------------------------------------------------------------ */

static NTSTATUS NTAPI traced_SpInstanceInit(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                            PVOID *UserFunctions)
{
    NTSTATUS status = user.InstanceInit(Version, FunctionTable, UserFunctions);
    pkg_trace("SpInstanceInit(version 0x%lx, heap functions %p) = %s", Version,
              (void *)FunctionTable, pkg_trace_status(status, FALSE));
    return status;
}

static NTSTATUS NTAPI traced_SpInitUserModeContext(LSA_SEC_HANDLE ContextHandle,
                                                   PSecBuffer PackedContext)
{
    /* The entry wipes the blob: its size is taken first. */
    ULONG size = PackedContext ? PackedContext->cbBuffer : 0;
    NTSTATUS status = user.InitUserModeContext(ContextHandle, PackedContext);
    pkg_trace("SpInitUserModeContext(context %llx, %lu-byte packed context) = %s",
              (handle_value)ContextHandle, size, pkg_trace_status(status, TRUE));
    return status;
}

/* The four message functions: the sender's QOP goes in, the receiver's comes out. */
static void trace_message(const char *entry, LSA_SEC_HANDLE context, const ULONG *qop_in,
                          const SecBufferDesc *buffers, ULONG sequence, NTSTATUS status,
                          const ULONG *qop_out)
{
    char text[160], in[32] = "", out[32] = "";

    if (qop_in)
        snprintf(in, sizeof(in), "QOP %lu, ", *qop_in);
    if (qop_out)
        snprintf(out, sizeof(out), ", QOP %lu", *qop_out);
    pkg_trace("%s(context %llx, %s%s, sequence %lu) = %s%s", entry, (handle_value)context, in,
              buffers_of(buffers, text, sizeof(text)), sequence, pkg_trace_status(status, TRUE),
              out);
}

/* Signing and sealing have one signature, verifying and unsealing another. */
static NTSTATUS send_traced(const char *entry, SpMakeSignatureFn *fn, LSA_SEC_HANDLE context,
                            ULONG qop, PSecBufferDesc buffers, ULONG sequence)
{
    NTSTATUS status = fn(context, qop, buffers, sequence);
    trace_message(entry, context, &qop, buffers, sequence, status, NULL);
    return status;
}

static NTSTATUS receive_traced(const char *entry, SpVerifySignatureFn *fn,
                               LSA_SEC_HANDLE context, PSecBufferDesc buffers, ULONG sequence,
                               PULONG qop)
{
    NTSTATUS status = fn(context, buffers, sequence, qop);
    trace_message(entry, context, NULL, buffers, sequence, status, qop);
    return status;
}

/* The four entries, forwarded (m: the message's buffers, seq: the caller's number). */
static NTSTATUS NTAPI traced_SpMakeSignature(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m,
                                             ULONG seq)
{
    return send_traced("SpMakeSignature", user.MakeSignature, h, qop, m, seq);
}

static NTSTATUS NTAPI traced_SpSealMessage(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc m,
                                           ULONG seq)
{
    return send_traced("SpSealMessage", user.SealMessage, h, qop, m, seq);
}

static NTSTATUS NTAPI traced_SpVerifySignature(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq,
                                               PULONG qop)
{
    return receive_traced("SpVerifySignature", user.VerifySignature, h, m, seq, qop);
}

static NTSTATUS NTAPI traced_SpUnsealMessage(LSA_SEC_HANDLE h, PSecBufferDesc m, ULONG seq,
                                             PULONG qop)
{
    return receive_traced("SpUnsealMessage", user.UnsealMessage, h, m, seq, qop);
}

static NTSTATUS NTAPI traced_SpUserQueryContextAttributes(LSA_SEC_HANDLE ContextHandle,
                                                          ULONG ContextAttribute, PVOID Buffer)
{
    return query_traced("user-mode SpQueryContextAttributes", user.QueryContextAttributes,
                        ContextHandle, ContextAttribute, Buffer);
}

static NTSTATUS NTAPI traced_SpGetContextToken(LSA_SEC_HANDLE ContextHandle, PHANDLE Token)
{
    NTSTATUS status = user.GetContextToken(ContextHandle, Token);
    pkg_trace("SpGetContextToken(context %llx) = %s, token %p", (unsigned long long)ContextHandle,
              pkg_trace_status(status, TRUE), Token ? (void *)*Token : NULL);
    return status;
}

static NTSTATUS NTAPI traced_SpDeleteUserModeContext(LSA_SEC_HANDLE ContextHandle)
{
    return delete_traced("SpDeleteUserModeContext", user.DeleteUserModeContext, ContextHandle);
}

static NTSTATUS NTAPI traced_SpExportSecurityContext(LSA_SEC_HANDLE ContextHandle, ULONG Flags,
                                                     PSecBuffer PackedContext, PHANDLE Token)
{
    NTSTATUS status = user.ExportContext(ContextHandle, Flags, PackedContext, Token);
    pkg_trace("SpExportSecurityContext(context %llx, flags 0x%08lx) = %s, %lu-byte packed context",
              (handle_value)ContextHandle, Flags, pkg_trace_status(status, TRUE),
              PackedContext ? PackedContext->cbBuffer : 0);
    return status;
}

static NTSTATUS NTAPI traced_SpImportSecurityContext(PSecBuffer PackedContext, HANDLE Token,
                                                     PLSA_SEC_HANDLE ContextHandle)
{
    ULONG size = PackedContext ? PackedContext->cbBuffer : 0;
    NTSTATUS status = user.ImportContext(PackedContext, Token, ContextHandle);
    pkg_trace("SpImportSecurityContext(%lu-byte packed context, token %p) = %s, context %llx",
              size, (void *)Token, pkg_trace_status(status, TRUE),
              ContextHandle ? (handle_value)*ContextHandle : 0);
    return status;
}

void pkg_trace_wrap_user(SECPKG_USER_FUNCTION_TABLE *t)
{
    if (!pkg_tracing || user.InstanceInit)
        return;
    user = *t;
    t->InstanceInit = traced_SpInstanceInit;
    t->InitUserModeContext = traced_SpInitUserModeContext;
    t->MakeSignature = traced_SpMakeSignature;
    t->VerifySignature = traced_SpVerifySignature;
    t->SealMessage = traced_SpSealMessage;
    t->UnsealMessage = traced_SpUnsealMessage;
    t->QueryContextAttributes = traced_SpUserQueryContextAttributes;
    t->GetContextToken = traced_SpGetContextToken;
    t->DeleteUserModeContext = traced_SpDeleteUserModeContext;
    t->ExportContext = traced_SpExportSecurityContext;
    t->ImportContext = traced_SpImportSecurityContext;
}
