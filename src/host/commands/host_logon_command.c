/* host_logon_command.c - lsahost logon: drives a package's LsaApLogonUserEx2 (or Ex, or
 * LogonUser) the way lsass does for LsaLogonUser:
 *   - the submit buffer is put in client memory, then copied into LSA heap
 *     (CopyFromClientBuffer); the package gets the copy and the client's address
 *     (ClientBufferBase), so pointers inside it are relative to the client's buffer;
 *   - what it returns is printed: status, sub-status, logon id, token information,
 *     profile buffer, names, and the credentials it added to the session;
 *   - lsass makes the token from the token information (CreateToken: emulated here);
 *   - what lsass frees is freed: the token information (V2/V3 in one FreeLsaHeap; V1
 *     and NULL piece by piece from the private heap, the structure from the LSA heap),
 *     the names and the primary credentials' strings (FreeLsaHeap), the profile
 *     (FreeClientBuffer, as the client would);
 *   - the session ends: LsaApLogonTerminated, then the LSA deletes the logon session
 *     if the package left it. */
#include "../lsa/host_callbacks.h"
#include "host_commands.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "host_logon_command.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define MAX_SUBMIT (64 * 1024)

static const struct {
    const WCHAR *name;
    SECURITY_LOGON_TYPE type;
} logon_types[] = {
    { L"interactive", Interactive }, { L"network", Network }, { L"batch", Batch },
    { L"service", Service },
};

/* MSV1_0_INTERACTIVE_LOGON and KERB_INTERACTIVE_LOGON share one layout: a message type
 * and three UNICODE_STRINGs, the strings after the structure, their pointers aimed at
 * the client's copy (as LsaLogonUser's caller builds it). */
static ULONG build_interactive(BYTE *out, ULONG message_type, const WCHAR *domain,
                               const WCHAR *user, const WCHAR *password, BYTE *client_base)
{
    MSV1_0_INTERACTIVE_LOGON *logon = (MSV1_0_INTERACTIVE_LOGON *)out;
    const WCHAR *text[3] = { domain, user, password };
    UNICODE_STRING *field[3] = { &logon->LogonDomainName, &logon->UserName, &logon->Password };
    ULONG at = sizeof(*logon);

    memset(logon, 0, sizeof(*logon));
    logon->MessageType = (MSV1_0_LOGON_SUBMIT_TYPE)message_type;
    for (int i = 0; i < 3; i++) {
        USHORT bytes = (USHORT)(wcslen(text[i]) * sizeof(WCHAR));
        memcpy(out + at, text[i], bytes);
        field[i]->Length = field[i]->MaximumLength = bytes;
        field[i]->Buffer = (PWSTR)(client_base + at);
        at += bytes;
    }
    return at;
}

static ULONG read_submit_file(const WCHAR *path, BYTE *out)
{
    FILE *f = _wfopen(path, L"rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(out, 1, MAX_SUBMIT, f);
    fclose(f);
    return (ULONG)n;
}

static void print_name(const char *label, PUNICODE_STRING s)
{
    char text[256];

    host_unicode_format(s, text, sizeof(text));
    printf("%-22s %s\n", label, text);
    if (s && host_memory_readable(s, sizeof(*s))) {
        host_FreeLsaHeap(s->Buffer);
        host_FreeLsaHeap(s);
    }
}

/* The profile is in client memory: read back as the client would, its first bytes. */
static void print_profile(PVOID profile, ULONG length)
{
    BYTE head[16];
    ULONG shown = length < sizeof(head) ? length : sizeof(head);

    printf("%-22s %lu byte(s)", "profile buffer", length);
    if (profile && shown && host_CopyFromClientBuffer(NULL, shown, head, profile) == STATUS_SUCCESS)
        for (ULONG i = 0; i < shown; i++)
            printf("%s%02x", i ? " " : ": ", head[i]);
    printf("\n");
}

static void free_v1_pieces(const LSA_TOKEN_INFORMATION_V1 *v1)
{
    host_FreePrivateHeap(v1->User.User.Sid);
    if (v1->Groups) {
        for (ULONG i = 0; i < v1->Groups->GroupCount; i++)
            host_FreePrivateHeap(v1->Groups->Groups[i].Sid);
        host_FreePrivateHeap(v1->Groups);
    }
    host_FreePrivateHeap(v1->PrimaryGroup.PrimaryGroup);
    host_FreePrivateHeap(v1->Privileges);
    host_FreePrivateHeap(v1->Owner.Owner);
    host_FreePrivateHeap(v1->DefaultDacl.DefaultDacl);
}

/* Prints the token information, makes the token lsass would make, and frees it as lsass
 * does. Returns the token (or NULL). */
static HANDLE take_token_information(LUID *logon, SECURITY_LOGON_TYPE type, ULONG info_type,
                                     PVOID info)
{
    host_token_identity id;
    TOKEN_SOURCE source = { "lsahost", { 0, 0 } };
    HANDLE token = NULL;
    NTSTATUS status, sub;
    char why[256];

    status = host_token_information_read(info_type, info, &id, why, sizeof(why));
    printf("%-22s %s\n", "token information", host_token_information_name(info_type));
    if (status != STATUS_SUCCESS) {
        printf("%-22s malformed: %s (%s)\n", "", why, host_status_name(status));
        return NULL;
    }
    printf("%-22s user %s, %lu group(s), %lu privilege(s), primary group %s%s%s\n", "", id.user,
           id.groups, id.privileges, id.primary_group[0] ? id.primary_group : "(none)",
           id.owner[0] ? ", owner " : "", id.owner);
    status = host_CreateToken(logon, &source, type, SecurityImpersonation,
                              (LSA_TOKEN_INFORMATION_TYPE)info_type, info, NULL, NULL, NULL, NULL,
                              NULL, &token, &sub);
    if (status == STATUS_SUCCESS)
        printf("%-22s %p (emulated: lsahost's own token, standing for %s)\n", "token", token,
               id.user);
    else
        printf("%-22s none: %s\n", "token", host_status_name(status));
    if (info_type == LsaTokenInformationV1)
        free_v1_pieces(info);
    else if (info_type == LsaTokenInformationNull) {
        const LSA_TOKEN_INFORMATION_NULL *null_info = info;
        if (null_info->Groups) {
            for (ULONG i = 0; i < null_info->Groups->GroupCount; i++)
                host_FreePrivateHeap(null_info->Groups->Groups[i].Sid);
            host_FreePrivateHeap(null_info->Groups);
        }
    }
    host_FreeLsaHeap(info);
    return token;
}

static void print_credentials(const LUID *logon, ULONG package)
{
    char key_text[256];
    LSA_STRING key = { 0, sizeof(key_text), key_text }, value;
    ULONG context = 0, key_length;

    printf("%-22s %lu\n", "credentials added", host_credentials_count(logon));
    while (host_GetCredentials((PLUID)logon, package, &context, TRUE, &key, &key_length,
                               &value) == STATUS_SUCCESS) {
        /* Keys are names; credentials are secrets: their length only. */
        printf("%-22s key \"%.*s\", %u byte(s)\n", "", key.Length, key.Buffer, value.Length);
        SecureZeroMemory(value.Buffer, value.Length);
        host_FreeLsaHeap(value.Buffer);
    }
}

static void free_primary_credentials(SECPKG_PRIMARY_CRED *cred)
{
    UNICODE_STRING *strings[] = { &cred->DownlevelName, &cred->DomainName, &cred->Password,
                                  &cred->OldPassword, &cred->LogonServer,
                                  &cred->Upn, &cred->DnsDomainName };

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (strings[i]->Buffer) {
            SecureZeroMemory(strings[i]->Buffer, strings[i]->Length);
            host_FreeLsaHeap(strings[i]->Buffer);
        }
    host_FreeLsaHeap(cred->UserSid);
}

static int usage(const char *why)
{
    fprintf(stderr, "lsahost: logon: %s\nusage: lsahost [--package=PKG.dll] logon "
                    "[--type=interactive|network|batch|service]\n"
                    "       (--user=U --password=P [--domain=D] [--shape=msv1_0|kerb] | "
                    "--submit-file=PATH)\n", why);
    return 1;
}

int host_logon_command(int argc, WCHAR **argv)
{
    static BYTE submit[MAX_SUBMIT];
    const WCHAR *user = NULL, *password = NULL, *domain = L"", *file = NULL, *shape = L"msv1_0";
    SECURITY_LOGON_TYPE type = Interactive;
    const host_secpkg *pkg;
    LSAHOST_SECPKG_FUNCTION_TABLE *t;
    ULONG length;
    PVOID client = NULL, copy = NULL, profile = NULL, info = NULL;
    ULONG profile_length = 0;
    LUID logon = { 0, 0 };
    NTSTATUS status, sub = 0;
    LSA_TOKEN_INFORMATION_TYPE info_type = LsaTokenInformationNull;
    PUNICODE_STRING account = NULL, authority = NULL, machine = NULL;
    SECPKG_PRIMARY_CRED primary;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental = NULL;
    HANDLE token;

    memset(&primary, 0, sizeof(primary));
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i];
        if (!wcsncmp(a, L"--user=", 7))
            user = a + 7;
        else if (!wcsncmp(a, L"--password=", 11))
            password = a + 11;
        else if (!wcsncmp(a, L"--domain=", 9))
            domain = a + 9;
        else if (!wcsncmp(a, L"--shape=", 8))
            shape = a + 8;
        else if (!wcsncmp(a, L"--submit-file=", 14))
            file = a + 14;
        else if (!wcsncmp(a, L"--type=", 7)) {
            size_t k;
            for (k = 0; k < sizeof(logon_types) / sizeof(logon_types[0]); k++)
                if (!wcscmp(a + 7, logon_types[k].name))
                    break;
            if (k == sizeof(logon_types) / sizeof(logon_types[0]))
                return usage("unknown --type");
            type = logon_types[k].type;
        } else
            return usage("unknown argument");
    }
    if (!file && (!user || !password))
        return usage("give --user and --password, or --submit-file");
    if (!file && wcscmp(shape, L"msv1_0") && wcscmp(shape, L"kerb"))
        return usage("--shape is msv1_0 or kerb");
    if (!file && (wcslen(domain) + wcslen(user) + wcslen(password)) * sizeof(WCHAR) >
                     MAX_SUBMIT - sizeof(MSV1_0_INTERACTIVE_LOGON))
        return usage("names too long");
    if (!(pkg = host_packages_pick(HOST_NEED_LOGON, "logon")))
        return HOST_EXIT_COMMAND_FAILED;
    t = host_secpkg_table(pkg);

    /* The submit buffer, in client memory first (its length decides the allocation). */
    if (file) {
        if (!(length = read_submit_file(file, submit))) {
            host_say("logon: cannot read a submit buffer from '%ls'", file);
            return HOST_EXIT_COMMAND_FAILED;
        }
        host_AllocateClientBuffer(NULL, length, &client);
    } else {
        /* MsV1_0InteractiveLogon and KerbInteractiveLogon are both 2. */
        length = build_interactive(submit, 2, domain, user, password, submit);
        host_AllocateClientBuffer(NULL, length, &client);
        if (client)
            build_interactive(submit, 2, domain, user, password, client);
    }
    copy = host_AllocateLsaHeap(length);
    if (!client || !copy ||
        host_CopyToClientBuffer(NULL, length, client, submit) != STATUS_SUCCESS ||
        host_CopyFromClientBuffer(NULL, length, copy, client) != STATUS_SUCCESS) {
        host_say("logon: cannot stage a %lu-byte submit buffer", length);
        status = STATUS_NO_MEMORY;
        goto done;
    }
    SecureZeroMemory(submit, length);

    host_call_begin(pkg->id, "LsaApLogonUser");
    if (t->LogonUserEx2)
        status = t->LogonUserEx2(NULL, type, copy, client, length, &profile, &profile_length,
                                 &logon, &sub, &info_type, &info, &account, &authority,
                                 &machine, &primary, &supplemental);
    else if (t->LogonUserEx)
        status = t->LogonUserEx(NULL, type, copy, client, length, &profile, &profile_length,
                                &logon, &sub, &info_type, &info, &account, &authority, &machine);
    else
        status = t->LogonUser(NULL, type, copy, client, length, &profile, &profile_length,
                              &logon, &sub, &info_type, &info, (PLSA_UNICODE_STRING *)&account,
                              (PLSA_UNICODE_STRING *)&authority);
    host_call_end();

    printf("%-22s %s\n", t->LogonUserEx2 ? "LsaApLogonUserEx2" : t->LogonUserEx ?
                         "LsaApLogonUserEx" : "LsaApLogonUser", host_status_name(status));
    printf("%-22s %s\n", "sub-status", host_status_name(sub));
    print_name("account", account);
    print_name("authority", authority);
    print_name("machine", machine);
    if (status != STATUS_SUCCESS)
        goto done;
    printf("%-22s %08lx:%08lx\n", "logon id", (unsigned long)logon.HighPart, logon.LowPart);
    print_profile(profile, profile_length);
    token = info ? take_token_information(&logon, type, info_type, info) : NULL;
    print_credentials(&logon, pkg->id);
    if (token)
        CloseHandle(token);
    /* The session ends: the package hears of it, and the LSA drops what is left. */
    if (t->LogonTerminated) {
        host_call_begin(pkg->id, "LsaApLogonTerminated");
        t->LogonTerminated(&logon);
        host_call_end();
        printf("%-22s called\n", "LsaApLogonTerminated");
    }
    if (host_logon_session_exists(&logon))
        host_DeleteLogonSession(&logon);

done:
    free_primary_credentials(&primary);
    host_FreeLsaHeap(supplemental);
    if (profile)
        host_FreeClientBuffer(NULL, profile);
    if (client)
        host_FreeClientBuffer(NULL, client);
    host_FreeLsaHeap(copy);
    return status == STATUS_SUCCESS ? 0 : HOST_EXIT_COMMAND_FAILED;
}
