/* host_logon_user.c - the LSA's side of LsaLogonUser (see host_logon_user.h). */
#include "host_logon_user.h"
#include "host_logon_credentials.h"
#include "host_callbacks.h"
#include "host_heap.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

/* What a logon entry hands back besides the result's members, until the LSA frees it. */
typedef struct host_logon_outputs {
    LSA_TOKEN_INFORMATION_TYPE info_type;
    PVOID info;
    PUNICODE_STRING account, authority, machine;
    SECPKG_PRIMARY_CRED primary;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental;
} host_logon_outputs;

/* A name the package returned, as text, then freed as lsass frees it. */
static void take_name(PUNICODE_STRING s, char *out, size_t size)
{
    host_unicode_format(s, out, size);
    if (s && host_memory_readable(s, sizeof(*s))) {
        host_FreeLsaHeap(s->Buffer);
        host_FreeLsaHeap(s);
    }
}

static void free_groups(PTOKEN_GROUPS groups)
{
    if (!groups)
        return;
    for (ULONG i = 0; i < groups->GroupCount; i++)
        host_FreePrivateHeap(groups->Groups[i].Sid);
    host_FreePrivateHeap(groups);
}

/* V1 and NULL information come in pieces from the private heap, the structure from the
 * LSA heap; V2 and V3 are one LSA heap block. */
static void free_token_information(ULONG type, PVOID info)
{
    if (type == LsaTokenInformationV1) {
        const LSA_TOKEN_INFORMATION_V1 *v1 = info;
        host_FreePrivateHeap(v1->User.User.Sid);
        free_groups(v1->Groups);
        host_FreePrivateHeap(v1->PrimaryGroup.PrimaryGroup);
        host_FreePrivateHeap(v1->Privileges);
        host_FreePrivateHeap(v1->Owner.Owner);
        host_FreePrivateHeap(v1->DefaultDacl.DefaultDacl);
    } else if (type == LsaTokenInformationNull) {
        free_groups(((const LSA_TOKEN_INFORMATION_NULL *)info)->Groups);
    }
    host_FreeLsaHeap(info);
}

/* The token lsass would make from the token information, which is then freed. */
static void take_token_information(host_logon_result *r, SECURITY_LOGON_TYPE type, PVOID info)
{
    TOKEN_SOURCE source = { "lsahost", { 0, 0 } };
    NTSTATUS sub;

    r->has_token_information = TRUE;
    r->token_status = host_token_information_read(r->token_information_type, info,
                                                  &r->identity, r->token_why,
                                                  sizeof(r->token_why));
    if (r->token_status != STATUS_SUCCESS) {
        /* Malformed: its pieces cannot be followed safely; only the block is freed, and
         * whatever else the package allocated shows in the leak report. */
        host_FreeLsaHeap(info);
        return;
    }
    r->token_status = host_CreateToken(&r->logon_id, &source, type, SecurityImpersonation,
                                       (LSA_TOKEN_INFORMATION_TYPE)r->token_information_type,
                                       info, NULL, NULL, NULL, NULL, NULL, &r->token, &sub);
    free_token_information(r->token_information_type, info);
}

/* Only through FreeLsaHeap, which frees live blocks alone and wipes each it frees: a
 * Buffer may be a string constant, or run past its block. */
static void free_primary_credentials(SECPKG_PRIMARY_CRED *cred)
{
    UNICODE_STRING *strings[] = { &cred->DownlevelName, &cred->DomainName, &cred->Password,
                                  &cred->OldPassword, &cred->LogonServer,
                                  &cred->Upn, &cred->DnsDomainName };

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        host_FreeLsaHeap(strings[i]->Buffer);
    host_FreeLsaHeap(cred->UserSid);
}

/* The logon proper: the newest entry the package has. */
static void call_logon(const host_secpkg *pkg, SECURITY_LOGON_TYPE type, PVOID copy,
                       PVOID submit, ULONG length, LSAHOST_SURROGATE_LOGON *surrogate,
                       host_logon_result *r, host_logon_outputs *o)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);

    host_call_begin(pkg->id, r->entry);
    if (t->LogonUserEx3)
        r->status = t->LogonUserEx3(NULL, type, copy, submit, length, surrogate, &r->profile,
                                    &r->profile_length, &r->logon_id, &r->sub_status,
                                    &o->info_type, &o->info, &o->account, &o->authority,
                                    &o->machine, &o->primary, &o->supplemental);
    else if (t->LogonUserEx2)
        r->status = t->LogonUserEx2(NULL, type, copy, submit, length, &r->profile,
                                    &r->profile_length, &r->logon_id, &r->sub_status,
                                    &o->info_type, &o->info, &o->account, &o->authority,
                                    &o->machine, &o->primary, &o->supplemental);
    else if (t->LogonUserEx)
        r->status = t->LogonUserEx(NULL, type, copy, submit, length, &r->profile,
                                   &r->profile_length, &r->logon_id, &r->sub_status,
                                   &o->info_type, &o->info, &o->account, &o->authority,
                                   &o->machine);
    else
        r->status = t->LogonUser(NULL, type, copy, submit, length, &r->profile,
                                 &r->profile_length, &r->logon_id, &r->sub_status, &o->info_type,
                                 &o->info, (PLSA_UNICODE_STRING *)&o->account,
                                 (PLSA_UNICODE_STRING *)&o->authority);
    host_call_end();
}

/* Version 10's surrogate logon: before the logon, the package may refuse it (or, in
 * lsass, add entries for another package); after it, the package sees the outcome. */
static NTSTATUS pre_surrogate(const host_secpkg *pkg, SECURITY_LOGON_TYPE type,
                              PVOID copy, PVOID submit, ULONG length,
                              LSAHOST_SURROGATE_LOGON *surrogate, host_logon_result *r)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    NTSTATUS status;

    if (!t->PreLogonUserSurrogate)
        return STATUS_SUCCESS;
    host_call_begin(pkg->id, "SpPreLogonUserSurrogate");
    status = t->PreLogonUserSurrogate(NULL, type, copy, submit, length, surrogate, &r->sub_status);
    host_call_end();
    host_trace("SpPreLogonUserSurrogate(LogonType=%s, SubmitBufferSize=%lu) = %s",
               host_logon_type_name(type), length, host_status_name(status));
    return status;
}

static void post_surrogate(const host_secpkg *pkg, SECURITY_LOGON_TYPE type,
                           PVOID copy, PVOID submit, ULONG length,
                           LSAHOST_SURROGATE_LOGON *surrogate, host_logon_result *r,
                           host_logon_outputs *o)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    NTSTATUS status;

    if (!t->PostLogonUserSurrogate)
        return;
    host_call_begin(pkg->id, "SpPostLogonUserSurrogate");
    status = t->PostLogonUserSurrogate(NULL, type, copy, submit, length, surrogate, r->profile,
                                       r->profile_length, &r->logon_id, r->status,
                                       r->sub_status, o->info_type, o->info, o->account,
                                       o->authority, o->machine, &o->primary, o->supplemental);
    host_call_end();
    host_trace("SpPostLogonUserSurrogate(Status=%s) = %s", host_status_name(r->status),
               host_status_name(status));
}

void host_logon_user(const host_secpkg *pkg, SECURITY_LOGON_TYPE type, PVOID submit,
                     ULONG length, host_logon_result *r)
{
    LSAHOST_SECPKG_FUNCTION_TABLE *t = host_secpkg_table(pkg);
    PVOID copy = NULL;
    LSAHOST_SURROGATE_LOGON surrogate = { LSAHOST_SURROGATE_LOGON_VERSION_1, { 0, 0 }, 0, NULL };
    host_logon_outputs o;

    memset(r, 0, sizeof(*r));
    memset(&o, 0, sizeof(o));
    o.info_type = LsaTokenInformationNull;
    r->entry = t->LogonUserEx3   ? "SpLogonUserEx3"
               : t->LogonUserEx2 ? "LsaApLogonUserEx2"
               : t->LogonUserEx  ? "LsaApLogonUserEx"
                                 : "LsaApLogonUser";
    if (!length || length > HOST_LOGON_MAX_SUBMIT) {
        r->status = STATUS_INVALID_PARAMETER;
        return;
    }
    if (!(copy = host_AllocateLsaHeap(length))) {
        r->status = STATUS_NO_MEMORY;
        return;
    }
    r->status = host_CopyFromClientBuffer(NULL, length, copy, submit);
    if (r->status != STATUS_SUCCESS) {
        host_FreeLsaHeap(copy);
        return;
    }
    r->status = pre_surrogate(pkg, type, copy, submit, length, &surrogate, r);
    if (r->status == STATUS_SUCCESS) {
        call_logon(pkg, type, copy, submit, length, &surrogate, r, &o);
        post_surrogate(pkg, type, copy, submit, length, &surrogate, r, &o);
    }
    SecureZeroMemory(copy, length);
    host_FreeLsaHeap(copy);
    if (r->status == STATUS_SUCCESS && (t->LogonUserEx3 || t->LogonUserEx2))
        host_logon_hand_credentials(pkg, type, o.account, &o.primary, o.supplemental,
                                    &r->logon_id, r->credentials_handed,
                                    sizeof(r->credentials_handed));
    else
        snprintf(r->credentials_handed, sizeof(r->credentials_handed), "none (%s returns no "
                 "credentials for other packages)", r->entry);
    take_name(o.account, r->account, sizeof(r->account));
    take_name(o.authority, r->authority, sizeof(r->authority));
    take_name(o.machine, r->machine, sizeof(r->machine));
    free_primary_credentials(&o.primary);
    host_FreeLsaHeap(o.supplemental);
    if (r->status != STATUS_SUCCESS) {
        /* A failed logon returns nothing the caller keeps. */
        if (r->profile)
            host_FreeClientBuffer(NULL, r->profile);
        r->profile = NULL;
        r->profile_length = 0;
        return;
    }
    r->token_information_type = o.info_type;
    if (o.info)
        take_token_information(r, type, o.info);
}

/* Every package hears of the session's end, not only the one that made it: any of them
 * may hold credentials for it (SpAcceptCredentials, AddCredential). */
void host_logon_user_end(host_logon_result *r)
{
    for (ULONG id = 0; id < host_packages_count(); id++) {
        const host_secpkg *p = host_packages_by_id(id);
        LSAHOST_SECPKG_FUNCTION_TABLE *t = p ? host_secpkg_table(p) : NULL;

        if (!t || p->state != HOST_SECPKG_LOADED || !t->LogonTerminated)
            continue;
        host_call_begin(p->id, "LsaApLogonTerminated");
        t->LogonTerminated(&r->logon_id);
        host_call_end();
        r->terminated_told++;
    }
    if (host_logon_session_exists(&r->logon_id))
        host_DeleteLogonSession(&r->logon_id);
    if (r->token)
        CloseHandle(r->token);
    r->token = NULL;
}
