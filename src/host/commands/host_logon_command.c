/* host_logon_command.c - lsahost logon: builds a submit buffer (the interactive layout
 * of MSV1_0 or Kerberos, MSV1_0's network layout (host_logon_network.c), or a file's
 * bytes), puts it in client memory, and logs on with
 * it as lsass does for LsaLogonUser (host_logon_user.c); prints what the package
 * returned: status, sub-status, names, logon id, profile buffer, token information and
 * the credentials it added to the session; then ends the session and frees the profile,
 * as the client would. */
#include "../lsa/host_callbacks.h"
#include "host_commands.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "../lsa/host_logon_user.h"
#include "host_logon_command.h"
#include "host_logon_network.h"
#include "../host_trace.h"

#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>


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
    n = fread(out, 1, HOST_LOGON_MAX_SUBMIT, f);
    fclose(f);
    return (ULONG)n;
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

static void print_token(const host_logon_result *r)
{
    const host_token_identity *id = &r->identity;

    printf("%-22s %s\n", "token information",
           r->has_token_information ? host_token_information_name(r->token_information_type)
                                    : "none");
    if (!r->has_token_information)
        return;
    if (r->token_why[0]) {
        printf("%-22s malformed: %s (%s)\n", "", r->token_why, host_status_name(r->token_status));
        return;
    }
    printf("%-22s user %s, %lu group(s), %lu privilege(s), primary group %s%s%s\n", "", id->user,
           id->groups, id->privileges, id->primary_group[0] ? id->primary_group : "(none)",
           id->owner[0] ? ", owner " : "", id->owner);
    if (r->token)
        printf("%-22s %p (emulated: lsahost's own token, standing for %s)\n", "token", r->token,
               id->user);
    else
        printf("%-22s none: %s\n", "token", host_status_name(r->token_status));
}

/* What every package keeps for the session: the one that logged on, and any other that
 * SpAcceptCredentials gave the logon's credentials. */
static void print_credentials(const LUID *logon)
{
    char key_text[256];
    LSA_STRING key = { 0, sizeof(key_text), key_text }, value;
    ULONG key_length;

    printf("%-22s %lu\n", "credentials added", host_credentials_count(logon));
    for (ULONG id = 0; id < host_packages_count(); id++) {
        ULONG context = 0;
        while (host_GetCredentials((PLUID)logon, id, &context, TRUE, &key, &key_length,
                                   &value) == STATUS_SUCCESS) {
            /* Keys are names; credentials are secrets: their length only. */
            printf("%-22s %ls (id %lu): key \"%.*s\", %u byte(s)\n", "",
                   host_secpkg_name(host_packages_by_id(id)), id, key.Length, key.Buffer,
                   value.Length);
            SecureZeroMemory(value.Buffer, value.Length);
            host_FreeLsaHeap(value.Buffer);
        }
    }
}

static int usage(const char *why)
{
    fprintf(stderr, "lsahost: logon: %s\nusage: lsahost [--package=PKG.dll] logon "
                    "[--type=interactive|network|batch|service]\n"
                    "       (--user=U --password=P [--domain=D] [--shape=msv1_0|kerb] |\n"
                    "        --shape=msv1_0-network [--user=U] [--domain=D] [--workstation=W]\n"
                    "          [--challenge=HEX8] [--nt-response=HEX] [--lm-response=HEX]\n"
                    "          [--parameter-control=HEX] |\n"
                    "        --submit-file=PATH)\n", why);
    return 1;
}

/* One of the network shape's options into net; NULL when `a` is none of them, else ""
 * when it was read, or what is wrong with its value. */
static const char *network_option(const WCHAR *a, host_network_logon *net, BOOL *challenge_given)
{
    size_t n;
    const char *why;
    WCHAR *end;

    if (!wcsncmp(a, L"--workstation=", 14)) {
        net->workstation = a + 14;
        return "";
    }
    if (!wcsncmp(a, L"--challenge=", 12)) {
        if ((why = host_logon_hex_option(a + 12, net->challenge, sizeof(net->challenge),
                                         sizeof(net->challenge), &n)))
            return why;
        *challenge_given = TRUE;
        return "";
    }
    if (!wcsncmp(a, L"--nt-response=", 14)) {
        why = host_logon_hex_option(a + 14, net->nt_response, sizeof(net->nt_response), 0, &n);
        net->nt_length = (USHORT)n;
        return why ? why : "";
    }
    if (!wcsncmp(a, L"--lm-response=", 14)) {
        why = host_logon_hex_option(a + 14, net->lm_response, sizeof(net->lm_response), 0, &n);
        net->lm_length = (USHORT)n;
        return why ? why : "";
    }
    if (!wcsncmp(a, L"--parameter-control=", 20)) {
        unsigned long v = wcstoul(a + 20, &end, 16);
        if (!a[20] || *end || v > 0xffffffffUL)
            return "not a 32-bit hex number";
        net->parameter_control = (ULONG)v;
        return "";
    }
    return NULL;
}

int host_logon_command(int argc, WCHAR **argv)
{
    static BYTE submit[HOST_LOGON_MAX_SUBMIT];
    static host_network_logon net;
    const WCHAR *user = NULL, *password = NULL, *domain = L"", *file = NULL, *shape = L"msv1_0";
    const char *network_why;
    BOOL network, challenge_given = FALSE, network_options = FALSE, type_given = FALSE;
    SECURITY_LOGON_TYPE type = Interactive;
    const host_secpkg *pkg;
    ULONG length;
    PVOID client = NULL;
    host_logon_result r;

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
        else if ((network_why = network_option(a, &net, &challenge_given))) {
            if (*network_why) {
                char why[200];
                snprintf(why, sizeof(why), "%ls: %s", a, network_why);
                return usage(why);
            }
            network_options = TRUE;
        } else if (!wcsncmp(a, L"--type=", 7)) {
            size_t k;
            for (k = 0; k < sizeof(logon_types) / sizeof(logon_types[0]); k++)
                if (!wcscmp(a + 7, logon_types[k].name))
                    break;
            if (k == sizeof(logon_types) / sizeof(logon_types[0]))
                return usage("unknown --type");
            type = logon_types[k].type;
            type_given = TRUE;
        } else
            return usage("unknown argument");
    }
    network = !wcscmp(shape, L"msv1_0-network");
    if (!file && !network && wcscmp(shape, L"msv1_0") && wcscmp(shape, L"kerb"))
        return usage("--shape is msv1_0, kerb or msv1_0-network");
    if (network_options && (file || !network))
        return usage("--workstation, --challenge, --nt-response, --lm-response and "
                     "--parameter-control belong to --shape=msv1_0-network");
    if (network && !file) {
        /* A network logon carries the responses a client computed, never a password. */
        if (password)
            return usage("--shape=msv1_0-network takes --nt-response/--lm-response, not "
                         "--password");
        net.domain = domain;
        net.user = user ? user : L"";
        if (!net.workstation)
            net.workstation = L"";
        if (!type_given)
            type = Network;
        if ((wcslen(net.domain) + wcslen(net.user) + wcslen(net.workstation)) * sizeof(WCHAR) >
                HOST_LOGON_MAX_SUBMIT - sizeof(MSV1_0_LM20_LOGON) - 2 * HOST_LOGON_MAX_RESPONSE)
            return usage("names too long");
        /* The server's challenge: random unless given, and printed for the caller's client
         * to answer. */
        if (!challenge_given &&
            BCryptGenRandom(NULL, net.challenge, sizeof(net.challenge),
                            BCRYPT_USE_SYSTEM_PREFERRED_RNG)) {
            host_say("logon: no random challenge from BCryptGenRandom");
            return HOST_EXIT_COMMAND_FAILED;
        }
        printf("%-22s", "challenge");
        for (size_t i = 0; i < sizeof(net.challenge); i++)
            printf("%s%02x", i ? "" : " ", net.challenge[i]);
        printf("\n");
    } else if (!file && (!user || !password))
        return usage("give --user and --password, or --submit-file");
    else if (!file && (wcslen(domain) + wcslen(user) + wcslen(password)) * sizeof(WCHAR) >
                          HOST_LOGON_MAX_SUBMIT - sizeof(MSV1_0_INTERACTIVE_LOGON))
        return usage("names too long");
    if (!(pkg = host_packages_pick(HOST_NEED_LOGON, "logon")))
        return HOST_EXIT_COMMAND_FAILED;

    /* The submit buffer, in client memory first (its length decides the allocation). */
    if (file) {
        if (!(length = read_submit_file(file, submit))) {
            host_say("logon: cannot read a submit buffer from '%ls'", file);
            return HOST_EXIT_COMMAND_FAILED;
        }
        host_AllocateClientBuffer(NULL, length, &client);
    } else if (network) {
        length = host_logon_network_size(&net);
        host_AllocateClientBuffer(NULL, length, &client);
        if (client)
            host_logon_network_build(submit, &net, client);
        SecureZeroMemory(&net, sizeof(net));
    } else {
        /* MsV1_0InteractiveLogon and KerbInteractiveLogon are both 2. */
        length = build_interactive(submit, 2, domain, user, password, submit);
        host_AllocateClientBuffer(NULL, length, &client);
        if (client)
            build_interactive(submit, 2, domain, user, password, client);
    }
    if (!client || host_CopyToClientBuffer(NULL, length, client, submit) != STATUS_SUCCESS) {
        host_say("logon: cannot stage a %lu-byte submit buffer", length);
        SecureZeroMemory(submit, length);
        if (client)
            host_FreeClientBuffer(NULL, client);
        return HOST_EXIT_COMMAND_FAILED;
    }
    SecureZeroMemory(submit, length);

    host_logon_user(pkg, type, client, length, &r);
    host_FreeClientBuffer(NULL, client);
    printf("%-22s %s\n", r.entry, host_status_name(r.status));
    printf("%-22s %s\n", "sub-status", host_status_name(r.sub_status));
    printf("%-22s %s\n", "account", r.account);
    printf("%-22s %s\n", "authority", r.authority);
    printf("%-22s %s\n", "machine", r.machine);
    if (r.status != STATUS_SUCCESS)
        return HOST_EXIT_COMMAND_FAILED;
    printf("%-22s %08lx:%08lx\n", "logon id", (unsigned long)r.logon_id.HighPart,
           r.logon_id.LowPart);
    print_profile(r.profile, r.profile_length);
    print_token(&r);
    printf("%-22s %s\n", "credentials handed", r.credentials_handed);
    print_credentials(&r.logon_id);
    /* The session ends: the packages hear of it, and the LSA drops what is left; the
     * client frees the profile. */
    host_logon_user_end(&r);
    if (r.terminated_told)
        printf("%-22s called in %lu package(s)\n", "LsaApLogonTerminated", r.terminated_told);
    if (r.profile)
        host_FreeClientBuffer(NULL, r.profile);
    return 0;
}
