/* sspkg_user.c - sspkg-user: the SCRAM-SHA-256 package's users, managed through the LSA
 * client API only (LsaRegisterLogonProcess or LsaConnectUntrusted,
 * LsaLookupAuthenticationPackage, LsaCallAuthenticationPackage with the messages of
 * include/sspkg.h, LsaFreeReturnBuffer).
 *
 *   sspkg-user add NAME --password=P [--iterations=N] [--account=SID|NAME|none]
 *   sspkg-user add NAME --verifier=SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>
 *                       [--account=SID|NAME|none]
 *   sspkg-user del NAME
 *   sspkg-user list
 *
 * Linked with sspkg_client.dll (as the Makefile builds it) it talks to lsahost serve;
 * the same source linked with secur32 talks to the real LSA on Windows, where the
 * package is installed. Managing users needs a trusted connection (a logon process:
 * SeTcbPrivilege); without one the tool connects untrusted and prints what the package
 * answers, which for add, del and list is STATUS_ACCESS_DENIED.
 *
 * Exit status: 0 done, 1 usage, 6 the LSA or the package refused (the status and the
 * package's sentence on stderr). */
#include "../winapi.h"
#include "../status_names.h"
#include "../common/scram.h"
#include "../common/sspkg_call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define EXIT_OK 0
#define EXIT_USAGE 1
#define EXIT_REFUSED 6

static const char *name_of(NTSTATUS s)
{
    static char hex[16];
    return status_name(s, 0, hex);
}

static int usage(void)
{
    fprintf(stderr, "usage: sspkg-user add NAME --password=P [--iterations=N] [--account=A]\n"
                    "       sspkg-user add NAME --verifier=V [--account=A]   (V e.g. from "
                    "PostgreSQL; A a SID or an account name)\n"
                    "       sspkg-user del NAME\n"
                    "       sspkg-user list\n");
    return EXIT_USAGE;
}

/* A connection to the LSA and the package's id: as a logon process when this process
 * may be one, else untrusted (and the package decides what an untrusted caller gets). */
static NTSTATUS open_package(HANDLE *lsa, ULONG *package)
{
    char process[] = "sspkg-user", pkg[] = SSPKG_PACKAGE_NAME_A;
    LSA_STRING process_name = { sizeof(process) - 1, sizeof(process), process };
    LSA_STRING package_name = { sizeof(pkg) - 1, sizeof(pkg), pkg };
    LSA_OPERATIONAL_MODE mode;
    NTSTATUS s = LsaRegisterLogonProcess(&process_name, lsa, &mode);

    if (s == STATUS_PORT_CONNECTION_REFUSED) {
        fprintf(stderr, "sspkg-user: not a logon process (no SeTcbPrivilege): connecting "
                        "untrusted\n");
        s = LsaConnectUntrusted(lsa);
    }
    if (s != STATUS_SUCCESS) {
        fprintf(stderr, "sspkg-user: cannot connect to the LSA: %s\n", name_of(s));
        return s;
    }
    s = LsaLookupAuthenticationPackage(*lsa, &package_name, package);
    if (s != STATUS_SUCCESS) {
        fprintf(stderr, "sspkg-user: the LSA has no package %s: %s\n", pkg, name_of(s));
        LsaDeregisterLogonProcess(*lsa);
    }
    return s;
}

/* Sends the request (and frees it); *response is the package's answer, for the caller
 * to LsaFreeReturnBuffer. A refusal is printed: the LSA's status, or the package's with
 * its sentence. */
static int call(void *request, uint32_t length, void **response, ULONG *response_length)
{
    HANDLE lsa;
    ULONG package;
    NTSTATUS s, protocol = STATUS_SUCCESS;
    const char *text;
    size_t text_len;

    *response = NULL;
    *response_length = 0;
    if (!request) {
        fprintf(stderr, "sspkg-user: out of memory\n");
        return EXIT_REFUSED;
    }
    s = open_package(&lsa, &package);
    if (s == STATUS_SUCCESS) {
        s = LsaCallAuthenticationPackage(lsa, package, request, length, response,
                                         response_length, &protocol);
        LsaDeregisterLogonProcess(lsa);
        if (s != STATUS_SUCCESS)
            fprintf(stderr, "sspkg-user: LsaCallAuthenticationPackage failed: %s\n",
                    name_of(s));
    }
    sspkg_call_free(request, length);
    if (s != STATUS_SUCCESS)
        return EXIT_REFUSED;
    if (protocol == STATUS_SUCCESS)
        return EXIT_OK;
    text = sspkg_call_error_text(*response, *response_length, &text_len);
    if (text)
        fprintf(stderr, "sspkg-user: the package refused: %s: %.*s\n", name_of(protocol),
                (int)text_len, text);
    else
        fprintf(stderr, "sspkg-user: the package refused: %s\n", name_of(protocol));
    return EXIT_REFUSED;
}

static void done_with(void *response)
{
    if (response)
        LsaFreeReturnBuffer(response);
}

/* --name=VALUE, or NULL. */
static const WCHAR *option(int argc, WCHAR **argv, const WCHAR *name)
{
    size_t n = wcslen(name);

    for (int i = 0; i < argc; i++)
        if (!wcsncmp(argv[i], name, n) && argv[i][n] == L'=')
            return argv[i] + n + 1;
    return NULL;
}

/* The request of `add` in *request (NULL when out of memory): a password (UTF-16LE)
 * and its work factor, or a verifier's text (UTF-8). FALSE, after saying why, when the
 * arguments do not make one. */
static BOOL add_request(const WCHAR *name, const WCHAR *password, const WCHAR *verifier,
                        const WCHAR *count, const WCHAR *account, void **request,
                        uint32_t *length)
{
    char text[SCRAM_VERIFIER_TEXT_MAX];
    unsigned long iterations = 0;
    WCHAR *end;
    int n;

    if (count && (iterations = wcstoul(count, &end, 10), *end || !*count || iterations > UINT32_MAX)) {
        fprintf(stderr, "sspkg-user: --iterations takes a number\n");
        return FALSE;
    }
    if (password) {
        *request = sspkg_call_request_account(SSPKG_CALL_SET_USER, 0, (uint32_t)iterations,
                                              (const uint16_t *)name, wcslen(name), password,
                                              wcslen(password) * sizeof(WCHAR),
                                              (const uint16_t *)account,
                                              account ? wcslen(account) : 0, length);
        return TRUE;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, verifier, -1, text, sizeof(text), NULL, NULL);
    if (n <= 1 || count) {
        fprintf(stderr, "sspkg-user: --verifier takes SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:"
                        "<ServerKey> (%d bytes at most), without --iterations\n",
                (int)sizeof(text) - 1);
        return FALSE;
    }
    *request = sspkg_call_request_account(SSPKG_CALL_SET_USER, SSPKG_SET_USER_VERIFIER, 0,
                                          (const uint16_t *)name, wcslen(name), text,
                                          (size_t)n - 1, (const uint16_t *)account,
                                          account ? wcslen(account) : 0, length);
    return TRUE;
}

static int user_add(int argc, WCHAR **argv)
{
    const WCHAR *password = option(argc, argv, L"--password");
    const WCHAR *verifier = option(argc, argv, L"--verifier");
    const WCHAR *account = option(argc, argv, L"--account");
    void *request, *response;
    uint32_t length = 0;
    ULONG response_length;
    int status;

    for (int i = 1; i < argc; i++)
        if (argv[i][0] != L'-' || (!option(1, argv + i, L"--password") &&
                                   !option(1, argv + i, L"--verifier") &&
                                   !option(1, argv + i, L"--iterations") &&
                                   !option(1, argv + i, L"--account")))
            return usage();
    if (argc < 1 || argv[0][0] == L'-' || !password == !verifier ||
        (password && !*password))
        return usage();
    /* --account=none unmaps (an account really called "none" is given by its SID). */
    if (account && !_wcsicmp(account, L"none"))
        account = L"";
    if (!add_request(argv[0], password, verifier, option(argc, argv, L"--iterations"), account,
                     &request, &length))
        return EXIT_USAGE;
    status = call(request, length, &response, &response_length);
    done_with(response);
    if (status == EXIT_OK)
        printf("user %ls set\n", argv[0]);
    return status;
}

static int user_del(int argc, WCHAR **argv)
{
    void *request, *response;
    uint32_t length = 0;
    ULONG response_length;
    int status;

    if (argc != 1 || argv[0][0] == L'-')
        return usage();
    request = sspkg_call_request(SSPKG_CALL_REMOVE_USER, 0, 0, (const uint16_t *)argv[0],
                                 wcslen(argv[0]), NULL, 0, &length);
    status = call(request, length, &response, &response_length);
    done_with(response);
    if (status == EXIT_OK)
        printf("user %ls removed\n", argv[0]);
    return status;
}

static int user_list(int argc)
{
    void *request, *response;
    uint32_t length = 0;
    ULONG response_length;
    long count = 0;
    int status;

    if (argc)
        return usage();
    request = sspkg_call_request(SSPKG_CALL_LIST_USERS, 0, 0, NULL, 0, NULL, 0, &length);
    status = call(request, length, &response, &response_length);
    /* The answer is the package's: checked before it is believed. */
    if (status == EXIT_OK && (count = sspkg_call_list_count(response, response_length)) < 0) {
        fprintf(stderr, "sspkg-user: the package's list response is malformed\n");
        status = EXIT_REFUSED;
    }
    for (long i = 0; status == EXIT_OK && i < count; i++) {
        const uint16_t *name, *account;
        size_t units, account_units;
        uint32_t iterations;
        sspkg_call_list_user(response, (uint32_t)i, &name, &units, &iterations);
        sspkg_call_list_account(response, (uint32_t)i, &account, &account_units);
        printf("%.*ls\t%u iterations%ls%.*ls\n", (int)units, (const WCHAR *)name, iterations,
               account_units ? L"\t" : L"", (int)account_units, (const WCHAR *)account);
    }
    done_with(response);
    return status;
}

int wmain(int argc, WCHAR **argv)
{
    if (argc >= 2 && !wcscmp(argv[1], L"add"))
        return user_add(argc - 2, argv + 2);
    if (argc >= 2 && !wcscmp(argv[1], L"del"))
        return user_del(argc - 2, argv + 2);
    if (argc >= 2 && !wcscmp(argv[1], L"list"))
        return user_list(argc - 2);
    return usage();
}
