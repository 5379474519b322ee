/* host_commands.c - lsahost user|client|server|handshake (see host_commands.h and the
 * usage text in lsahost_main.c). Tokens travel as one base64 line each, as SASL
 * command-line tools print them, so the package can be tried against any other
 * SCRAM-SHA-256 implementation. */
#include "host_commands.h"
#include "host_logon_command.h"
#include "host_password_command.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_identity.h"
#include "../serve/host_server.h"
#include "host_attribute_options.h"
#include "host_show.h"
#include "../packages/host_sspi.h"
#include "../host_trace.h"
#include "../../../include/sspkg.h"
#include "../../common/scram.h"
#include "../../common/scram_base64.h"
#include "../../common/scram_binding.h"
#include "../../common/sspkg_call.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define EXIT_OK 0
#define EXIT_USAGE 1

/* ---- Arguments ---------------------------------------------------------------------- */

/* The value of --name=VALUE or --name VALUE in argv, or NULL. */
static const WCHAR *option(int argc, WCHAR **argv, const WCHAR *name)
{
    size_t n = wcslen(name);
    for (int i = 0; i < argc; i++) {
        if (wcsncmp(argv[i], name, n))
            continue;
        if (argv[i][n] == L'=')
            return argv[i] + n + 1;
        if (argv[i][n] == 0 && i + 1 < argc)
            return argv[i + 1];
    }
    return NULL;
}

/* Every argument is one of the allowed options (--name=VALUE or --name VALUE) or, when
 * positional is not NULL, the one positional argument. */
static int check_args(int argc, WCHAR **argv, const WCHAR *const *allowed,
                      const WCHAR **positional)
{
    if (positional)
        *positional = NULL;
    for (int i = 0; i < argc; i++) {
        const WCHAR *a = argv[i];
        int known = 0;
        if (a[0] != L'-' && positional && !*positional) {
            *positional = a;
            continue;
        }
        for (const WCHAR *const *o = allowed; *o && !known; o++) {
            size_t n = wcslen(*o);
            if (wcsncmp(a, *o, n))
                continue;
            if (a[n] == L'=' && a[n + 1])
                known = 1;
            else if (a[n] == 0 && i + 1 < argc)
                known = 1, i++;
        }
        if (!known) {
            host_say("unexpected argument '%ls' (try --help)", a);
            return 0;
        }
    }
    return 1;
}

/* Takes a flag (an option without a value) out of argv, so check_args sees only the
 * options that take one; TRUE when it was there. */
static BOOL take_flag(int *argc, WCHAR **argv, const WCHAR *name)
{
    BOOL found = FALSE;
    int kept = 0;

    for (int i = 0; i < *argc; i++) {
        if (!wcscmp(argv[i], name))
            found = TRUE;
        else
            argv[kept++] = argv[i];
    }
    *argc = kept;
    return found;
}

/* A count given as --name=N or --name N (1 or more) into *out; 0 when absent. Returns
 * FALSE, after saying so, when it is there but not a count. */
static BOOL count_option(int argc, WCHAR **argv, const WCHAR *name, ULONG *out)
{
    const WCHAR *text = option(argc, argv, name);
    WCHAR *end;

    *out = 0;
    if (!text)
        return TRUE;
    *out = wcstoul(text, &end, 10);
    if (*end || *out == 0 || *text == L'-') {
        host_say("%ls needs a count of 1 or more", name);
        return FALSE;
    }
    return TRUE;
}

/* A password from the console, without echo. Never from stdin, which carries tokens. */
static int read_password(const char *prompt, WCHAR *out, DWORD cap)
{
    HANDLE in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD mode, got = 0;
    int ok = 0;

    if (in == INVALID_HANDLE_VALUE || !GetConsoleMode(in, &mode)) {
        host_say("no console to read a password from: give --password=...");
        if (in != INVALID_HANDLE_VALUE)
            CloseHandle(in);
        return 0;
    }
    fprintf(stderr, "%s", prompt);
    fflush(stderr);
    SetConsoleMode(in, mode & ~(DWORD)ENABLE_ECHO_INPUT);
    if (ReadConsoleW(in, out, cap - 1, &got, NULL)) {
        while (got && (out[got - 1] == L'\n' || out[got - 1] == L'\r'))
            got--;
        out[got] = 0;
        ok = got > 0;
    }
    SetConsoleMode(in, mode);
    CloseHandle(in);
    fprintf(stderr, "\n");
    return ok;
}

/* ---- Tokens on stdin and stdout ----------------------------------------------------- */

static void print_token(const char *label, const host_token *t)
{
    static char line[SCRAM_BASE64_LEN(sizeof(((host_token *)0)->data)) + 1];

    scram_base64_encode(t->data, t->length, line, sizeof(line));
    if (label)
        printf("%s%s\n", label, line);
    else
        printf("%s\n", line);
    fflush(stdout);
}

/* One base64 line from stdin. 0 at end of input or for a line that is not base64. */
static int read_token(host_token *t)
{
    static char line[SCRAM_BASE64_LEN(sizeof(((host_token *)0)->data)) + 4];
    size_t n;
    int c;

    if (!fgets(line, sizeof(line), stdin)) {
        host_say("the peer's token did not come (end of input)");
        return 0;
    }
    n = strlen(line);
    if (n && line[n - 1] != '\n' && !feof(stdin)) {
        host_say("the peer's token is longer than any SCRAM message");
        while ((c = getchar()) != EOF && c != '\n')
            ;
        return 0;
    }
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (scram_base64_decode(line, n, t->data, sizeof(t->data), &n)) {
        host_say("the peer's token is not a line of base64");
        return 0;
    }
    t->length = (ULONG)n;
    return 1;
}

/* After the server's final message (v=), SASL clients answer with an empty response in
 * protocols that carry that message as a challenge (IMAP, SMTP, and GNU SASL's command
 * line), and the server waits for it before it tells the outcome. Protocols that carry
 * the server's final message with the outcome (PostgreSQL, LDAP) want nothing more. So
 * the client sends it unless told not to, and the server takes it when it comes: an
 * empty line or the end of input, never a token. */
static void send_empty_response(void)
{
    printf("\n");
    fflush(stdout);
}

static int read_empty_response(void)
{
    char line[8];
    size_t n;

    if (!fgets(line, sizeof(line), stdin))
        return 1;
    n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (n == 0)
        return 1;
    host_say("the client sent more after the server's final message: only an empty "
             "response may follow it");
    return 0;
}

/* The token as text, for people (SCRAM messages are printable). */
static void show_message(const char *who, const host_token *t)
{
    printf("%s %.*s\n", who, (int)t->length, (const char *)t->data);
}

/* ---- user add | del | list ---------------------------------------------------------- */

/* An SSPKG_CALL_REQUEST (src/common/sspkg_call.c, shared with sspkg-user); account NULL:
 * none given. */
static void *build_request(ULONG type, ULONG flags, ULONG iterations, const WCHAR *name,
                           const void *secret, ULONG secret_len, const WCHAR *account,
                           ULONG *length)
{
    uint32_t n = 0;
    void *r = sspkg_call_request_account(type, flags, iterations, (const uint16_t *)name,
                                         wcslen(name), secret, secret_len,
                                         (const uint16_t *)account, account ? wcslen(account) : 0,
                                         &n);

    *length = n;
    return r;
}

/* Sends the request; prints the package's sentence when it fails. */
static int call(const host_secpkg *pkg, void *request, ULONG length, void **response,
                ULONG *response_length)
{
    NTSTATUS status, protocol;

    status = host_sspi_call_package(pkg, request, length, response,
                                    response_length, &protocol);
    sspkg_call_free(request, length);
    if (status != STATUS_SUCCESS) {
        host_say("LsaApCallPackage failed: %s", host_sec_status_name(status));
        return HOST_EXIT_COMMAND_FAILED;
    }
    if (protocol != STATUS_SUCCESS) {
        size_t text_len = 0;
        const char *text = *response ? sspkg_call_error_text(*response, *response_length,
                                                             &text_len)
                                     : NULL;
        if (text)
            host_say("%s: %.*s", host_sec_status_name(protocol), (int)text_len, text);
        else
            host_say("the package refused: %s", host_sec_status_name(protocol));
        return HOST_EXIT_COMMAND_FAILED;
    }
    return EXIT_OK;
}

static void free_response(void *response)
{
    if (response)
        host_FreeClientBuffer(NULL, response);
}

static int user_add(const host_secpkg *pkg, int argc, WCHAR **argv)
{
    static const WCHAR *const allowed[] = { L"--password", L"--verifier", L"--iterations",
                                            L"--account", NULL };
    const WCHAR *name, *password, *verifier, *account;
    WCHAR typed[256], again[256];
    char text[SCRAM_VERIFIER_TEXT_MAX];
    void *request, *response = NULL;
    ULONG length, response_length, iterations = 0;
    int status;

    if (!check_args(argc, argv, allowed, &name) || !name) {
        host_say("usage: lsahost user add NAME [--password=P | --verifier=V] [--iterations=N] "
                 "[--account=SID|NAME|none]");
        return EXIT_USAGE;
    }
    password = option(argc, argv, L"--password");
    account = option(argc, argv, L"--account");
    /* --account=none unmaps (an account really called "none" is given by its SID). */
    if (account && !_wcsicmp(account, L"none"))
        account = L"";
    verifier = option(argc, argv, L"--verifier");
    if (password && verifier) {
        host_say("give a password or a verifier, not both");
        return EXIT_USAGE;
    }
    if (!count_option(argc, argv, L"--iterations", &iterations))
        return EXIT_USAGE;
    if (verifier) {
        int n = WideCharToMultiByte(CP_UTF8, 0, verifier, -1, text, sizeof(text), NULL, NULL);
        if (n <= 1) {
            host_say("the verifier is too long to be SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>");
            return EXIT_USAGE;
        }
        request = build_request(SSPKG_CALL_SET_USER, SSPKG_SET_USER_VERIFIER, 0, name, text,
                                (ULONG)n - 1, account, &length);
    } else {
        if (!password) {
            if (!read_password("Password: ", typed, 256) || !read_password("Again: ", again, 256))
                return EXIT_USAGE;
            if (wcscmp(typed, again)) {
                host_say("the passwords differ");
                return EXIT_USAGE;
            }
            password = typed;
        }
        request = build_request(SSPKG_CALL_SET_USER, 0, iterations, name, password,
                                (ULONG)(wcslen(password) * sizeof(WCHAR)), account, &length);
    }
    SecureZeroMemory(typed, sizeof(typed));
    SecureZeroMemory(again, sizeof(again));
    if (!request)
        return HOST_EXIT_COMMAND_FAILED;
    status = call(pkg, request, length, &response, &response_length);
    free_response(response);
    if (status == EXIT_OK)
        printf("user %ls set\n", name);
    return status;
}

static int user_del(const host_secpkg *pkg, int argc, WCHAR **argv)
{
    static const WCHAR *const allowed[] = { NULL };
    const WCHAR *name;
    void *request, *response = NULL;
    ULONG length, response_length;
    int status;

    if (!check_args(argc, argv, allowed, &name) || !name) {
        host_say("usage: lsahost user del NAME");
        return EXIT_USAGE;
    }
    request = build_request(SSPKG_CALL_REMOVE_USER, 0, 0, name, NULL, 0, NULL, &length);
    if (!request)
        return HOST_EXIT_COMMAND_FAILED;
    status = call(pkg, request, length, &response, &response_length);
    free_response(response);
    if (status == EXIT_OK)
        printf("user %ls removed\n", name);
    return status;
}

static int user_list(const host_secpkg *pkg, int argc, WCHAR **argv)
{
    static const WCHAR *const allowed[] = { NULL };
    void *request, *response = NULL;
    long count;
    ULONG length, response_length;
    int status;

    if (!check_args(argc, argv, allowed, NULL))
        return EXIT_USAGE;
    request = build_request(SSPKG_CALL_LIST_USERS, 0, 0, L"", NULL, 0, NULL, &length);
    if (!request)
        return HOST_EXIT_COMMAND_FAILED;
    status = call(pkg, request, length, &response, &response_length);
    /* The response is the package's: check it before believing it. */
    count = status == EXIT_OK && response ? sspkg_call_list_count(response, response_length)
                                          : -1;
    if (status == EXIT_OK && count < 0) {
        host_say("the package's list response is malformed");
        status = HOST_EXIT_COMMAND_FAILED;
    }
    for (long i = 0; status == EXIT_OK && i < count; i++) {
        const uint16_t *user, *account;
        size_t units, account_units;
        uint32_t iterations;
        sspkg_call_list_user(response, (uint32_t)i, &user, &units, &iterations);
        sspkg_call_list_account(response, (uint32_t)i, &account, &account_units);
        /* A mapped user's line ends in its account's SID; an unmapped one's as before. */
        printf("%.*ls\t%u iterations%ls%.*ls\n", (int)units, (const WCHAR *)user, iterations,
               account_units ? L"\t" : L"", (int)account_units, (const WCHAR *)account);
    }
    free_response(response);
    return status;
}

static int cmd_user(int argc, WCHAR **argv)
{
    const host_secpkg *pkg = host_packages_pick(HOST_NEED_CALL_PACKAGE, "user");

    if (!pkg)
        return HOST_EXIT_COMMAND_FAILED;
    if (argc >= 2 && !wcscmp(argv[1], L"add"))
        return user_add(pkg, argc - 2, argv + 2);
    if (argc >= 2 && (!wcscmp(argv[1], L"del") || !wcscmp(argv[1], L"remove")))
        return user_del(pkg, argc - 2, argv + 2);
    if (argc >= 2 && !wcscmp(argv[1], L"list"))
        return user_list(pkg, argc - 2, argv + 2);
    host_say("usage: lsahost user add|del|list ...");
    return EXIT_USAGE;
}

/* ---- client, server, handshake ------------------------------------------------------ */

/* The outcome of one side, with the package's reason when it gives one. */
static void say_outcome(const host_secpkg *pkg, LSA_SEC_HANDLE ctx, const char *side,
                        SECURITY_STATUS status, ULONG attributes)
{
    char reason[SSPKG_FAILURE_REASON_MAX];

    if (status == SEC_E_OK)
        host_say("%s: authenticated (SEC_E_OK, attributes 0x%08lx)", side, attributes);
    else if (host_sspi_failure_reason(pkg, ctx, reason, sizeof(reason)))
        host_say("%s: authentication failed: %s (%s)", side, host_sec_status_name(status),
                 reason);
    else
        host_say("%s: authentication failed: %s", side, host_sec_status_name(status));
}

/* --max-iterations=N: the package reads SSPKG_MAX_ITERATIONS when a client context gets
 * server-first (the command is in the package's process), and lets it only lower the
 * ceiling, so a value above the built-in one is refused here rather than ignored. */
static BOOL max_iterations_option(int argc, WCHAR **argv)
{
    const WCHAR *text = option(argc, argv, L"--max-iterations");
    ULONG n;

    if (!text)
        return TRUE;
    if (!count_option(argc, argv, L"--max-iterations", &n))
        return FALSE;
    if (n < SCRAM_MIN_ITERATIONS || n > SCRAM_CLIENT_MAX_ITERATIONS) {
        host_say("--max-iterations can only lower the ceiling: %u to %u",
                 SCRAM_MIN_ITERATIONS, SCRAM_CLIENT_MAX_ITERATIONS);
        return FALSE;
    }
    return SetEnvironmentVariableW(L"SSPKG_MAX_ITERATIONS", text);
}

long host_command_read_file(const WCHAR *path, BYTE *out, size_t cap)
{
    FILE *f = _wfopen(path, L"rb");
    size_t n;

    if (!f) {
        host_say("cannot open '%ls'", path);
        return -1;
    }
    n = fread(out, 1, cap + 1, f);
    fclose(f);
    if (n > cap) {
        host_say("'%ls' holds more than %lu bytes", path, (unsigned long)cap);
        return -1;
    }
    return (long)n;
}

long host_command_from_hex(const WCHAR *text, BYTE *out, size_t cap)
{
    size_t n = wcslen(text);

    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n; i++) {
        WCHAR ch = text[i];
        int v = ch >= L'0' && ch <= L'9'   ? ch - L'0'
                : ch >= L'a' && ch <= L'f' ? ch - L'a' + 10
                : ch >= L'A' && ch <= L'F' ? ch - L'A' + 10
                                           : -1;
        if (v < 0)
            return -1;
        out[i / 2] = (BYTE)(i % 2 ? out[i / 2] << 4 | v : v);
    }
    return (long)(n / 2);
}

/* --channel-binding=TYPE:HEX or TYPE:@FILE: the binding an application would take from
 * Schannel, passed as SEC_CHANNEL_BINDINGS with every context call.
 * --sec-channel-bindings=@FILE: a whole SEC_CHANNEL_BINDINGS (structure and data),
 * passed exactly as the file holds it, to see what a package makes of one. */
static BOOL channel_binding_option(int argc, WCHAR **argv)
{
    const WCHAR *text = option(argc, argv, L"--channel-binding");
    const WCHAR *raw = option(argc, argv, L"--sec-channel-bindings");
    BYTE data[SCRAM_MAX_BINDING + 1], blob[SCRAM_SEC_CHANNEL_BINDINGS_SIZE + 64 + sizeof(data)];
    char type[SCRAM_MAX_BINDING_TYPE + 1];
    const WCHAR *colon;
    scram_binding b;
    scram_binding_error e;
    long n;
    size_t blob_len;

    if (text && raw) {
        host_say("give --channel-binding or --sec-channel-bindings, not both");
        return FALSE;
    }
    if (raw) {
        if (raw[0] != L'@' || (n = host_command_read_file(raw + 1, blob, sizeof(blob))) < 0) {
            host_say("--sec-channel-bindings takes @FILE, a SEC_CHANNEL_BINDINGS of up to "
                     "%lu bytes", (unsigned long)sizeof(blob));
            return FALSE;
        }
        return host_sspi_set_channel_bindings(blob, (ULONG)n);
    }
    if (!text)
        return TRUE;
    colon = wcschr(text, L':');
    if (!colon || colon == text || (size_t)(colon - text) > SCRAM_MAX_BINDING_TYPE) {
        host_say("--channel-binding takes TYPE:HEX or TYPE:@FILE, TYPE one of "
                 "tls-server-end-point, tls-unique, tls-exporter");
        return FALSE;
    }
    for (size_t i = 0; i < (size_t)(colon - text); i++)
        type[i] = (char)(text[i] < 0x80 ? text[i] : '?');
    n = colon[1] == L'@' ? host_command_read_file(colon + 2, data, sizeof(data))
                         : host_command_from_hex(colon + 1, data, sizeof(data));
    if (n < 0) {
        host_say("--channel-binding: the data is not hex digits (or @FILE) of at most %d "
                 "bytes", SCRAM_MAX_BINDING);
        return FALSE;
    }
    e = scram_binding_set(&b, type, (size_t)(colon - text), data, (size_t)n);
    if (e) {
        host_say("--channel-binding: %s", scram_binding_error_text(e));
        return FALSE;
    }
    blob_len = scram_binding_to_sec_channel_bindings(&b, blob, sizeof(blob));
    return host_sspi_set_channel_bindings(blob, (ULONG)blob_len);
}

/* The credential a client command asks for. */
static int client_credential(const host_secpkg *pkg, int argc, WCHAR **argv, LSA_SEC_HANDLE *cred)
{
    static const WCHAR *const allowed[] = { L"--user", L"--password", L"--max-iterations",
                                            L"--channel-binding", L"--sec-channel-bindings",
                                            NULL };
    const WCHAR *user, *password;
    WCHAR typed[256];
    SECURITY_STATUS status;

    if (!check_args(argc - 1, argv + 1, allowed, NULL) ||
        !(user = option(argc, argv, L"--user"))) {
        host_say("usage: lsahost %ls --user=NAME [--password=P] [--max-iterations=N] "
                 "[--channel-binding=TYPE:HEX|TYPE:@FILE]", argv[0]);
        return EXIT_USAGE;
    }
    if (!max_iterations_option(argc, argv) || !channel_binding_option(argc, argv))
        return EXIT_USAGE;
    password = option(argc, argv, L"--password");
    if (!password) {
        if (!read_password("Password: ", typed, 256))
            return EXIT_USAGE;
        password = typed;
    }
    status = host_sspi_acquire(pkg, user, password, cred);
    SecureZeroMemory(typed, sizeof(typed));
    if (status != SEC_E_OK) {
        host_say("AcquireCredentialsHandle failed: %s", host_sec_status_name(status));
        return HOST_EXIT_COMMAND_FAILED;
    }
    return EXIT_OK;
}

static int cmd_client(int argc, WCHAR **argv)
{
    const host_secpkg *pkg = host_packages_pick(HOST_NEED_CONTEXTS, "client");
    LSA_SEC_HANDLE cred, ctx = 0;
    static host_token in, out;
    SECURITY_STATUS status;
    ULONG attributes = 0;
    BOOL no_empty_final = take_flag(&argc, argv, L"--no-empty-final");
    int r = pkg ? client_credential(pkg, argc, argv, &cred) : HOST_EXIT_COMMAND_FAILED;

    if (r != EXIT_OK)
        return r;
    status = host_sspi_init(pkg, cred, &ctx, NULL, &out, &attributes);
    while (status == SEC_I_CONTINUE_NEEDED) {
        if (out.length)
            print_token(NULL, &out);
        if (!read_token(&in)) {
            status = SEC_E_INCOMPLETE_MESSAGE;
            break;
        }
        status = host_sspi_init(pkg, cred, &ctx, &in, &out, &attributes);
    }
    if (status == SEC_E_OK && !no_empty_final)
        send_empty_response();
    say_outcome(pkg, ctx, "client", status, attributes);
    if (ctx)
        host_sspi_delete(pkg, ctx);
    host_sspi_free_credentials(pkg, cred);
    return status == SEC_E_OK ? EXIT_OK : HOST_EXIT_COMMAND_FAILED;
}

static int cmd_server(int argc, WCHAR **argv)
{
    static const WCHAR *const allowed[] = { L"--channel-binding", L"--sec-channel-bindings",
                                            NULL };
    const host_secpkg *pkg;
    LSA_SEC_HANDLE cred, ctx = 0;
    static host_token in, out;
    SECURITY_STATUS status;
    ULONG attributes = 0;
    BOOL no_empty_final = take_flag(&argc, argv, L"--no-empty-final");

    if (!check_args(argc - 1, argv + 1, allowed, NULL) || !channel_binding_option(argc, argv))
        return EXIT_USAGE;
    if (!(pkg = host_packages_pick(HOST_NEED_CONTEXTS, "server")))
        return HOST_EXIT_COMMAND_FAILED;
    status = host_sspi_acquire(pkg, NULL, NULL, &cred);
    if (status != SEC_E_OK) {
        host_say("AcquireCredentialsHandle failed: %s", host_sec_status_name(status));
        return HOST_EXIT_COMMAND_FAILED;
    }
    do {
        if (!read_token(&in)) {
            status = SEC_E_INCOMPLETE_MESSAGE;
            break;
        }
        status = host_sspi_accept(pkg, cred, &ctx, &in, &out, &attributes);
        /* The last token goes out whatever the outcome: e= tells the client why. */
        if (out.length)
            print_token(NULL, &out);
    } while (status == SEC_I_CONTINUE_NEEDED);
    say_outcome(pkg, ctx, "server", status, attributes);
    if (status == SEC_E_OK && !no_empty_final && !read_empty_response())
        status = SEC_E_INVALID_TOKEN;
    if (ctx)
        host_sspi_delete(pkg, ctx);
    host_sspi_free_credentials(pkg, cred);
    return status == SEC_E_OK ? EXIT_OK : HOST_EXIT_COMMAND_FAILED;
}

/* One message from one side to the other, sealed and then signed, as an application
 * would send it; returns 1 when the receiver got it intact both times. */
static int exchange(const host_secpkg *pkg, const char *from, LSA_SEC_HANDLE sender, const char *to,
                    LSA_SEC_HANDLE receiver, const char *text)
{
    char data[128];
    BYTE token[64];
    ULONG len = (ULONG)strlen(text), token_len = sizeof(token);
    SECURITY_STATUS s;

    memcpy(data, text, len);
    s = host_sspi_seal(pkg, sender, data, len, token, &token_len);
    if (s != SEC_E_OK) {
        host_say("%s: EncryptMessage failed: %s", from, host_sec_status_name(s));
        return 0;
    }
    s = host_sspi_unseal(pkg, receiver, data, len, token, token_len);
    printf("%s seals \"%s\" (%lu-byte trailer); %s unseals: %s \"%.*s\"\n", from, text,
           token_len, to, host_sec_status_name(s), (int)len, data);
    if (s != SEC_E_OK)
        return 0;
    token_len = sizeof(token);
    s = host_sspi_sign(pkg, sender, data, len, token, &token_len);
    if (s == SEC_E_OK)
        s = host_sspi_verify(pkg, receiver, data, len, token, token_len);
    printf("%s signs it (%lu-byte signature); %s verifies: %s\n", from, token_len, to,
           host_sec_status_name(s));
    return s == SEC_E_OK;
}

/* What a server does with an authenticated client: takes the context's token
 * (SpGetContextToken, what ImpersonateSecurityContext uses), impersonates it, reads the
 * thread's token user, reverts. Under Wine the token is emulated (lsahost's own), so the
 * line also says whom it stands for. */
static void impersonate(const host_secpkg *pkg, LSA_SEC_HANDLE sctx)
{
    PSECPKG_USER_FUNCTION_TABLE u = pkg->dll->user_table;
    BYTE user[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
    host_token_identity id;
    HANDLE token = NULL, thread;
    char sid[192] = "?";
    DWORD got;
    NTSTATUS s;

    if (!u->GetContextToken) {
        printf("server cannot impersonate: the package has no SpGetContextToken\n");
        return;
    }
    s = u->GetContextToken(sctx, &token);
    if (s != STATUS_SUCCESS || !SetThreadToken(NULL, token)) {
        printf("server cannot impersonate the client: %s\n", s != STATUS_SUCCESS
               ? host_status_name(s) : "SetThreadToken refused the context's token");
        return;
    }
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread)) {
        if (GetTokenInformation(thread, TokenUser, user, sizeof(user), &got))
            host_sid_format(((TOKEN_USER *)user)->User.Sid, sid, sizeof(sid));
        CloseHandle(thread);
    }
    RevertToSelf();
    printf("server impersonates the client: the thread's token user is %s", sid);
    if (host_token_identity_of(token, &id))
        printf(" (emulated: lsahost's own token, standing for %s)", id.user);
    printf("; reverted\n");
}

/* Both ends in this process, each token shown as the peer would receive it, then a
 * protected message each way, and the server impersonating the client. */
static int cmd_handshake(int argc, WCHAR **argv)
{
    const host_secpkg *pkg = host_packages_pick(HOST_NEED_CONTEXTS, "handshake");
    LSA_SEC_HANDLE client_cred, server_cred, cctx = 0, sctx = 0;
    static host_token to_server, to_client;
    static host_attribute_options extras;
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;
    ULONG cattr = 0, sattr = 0;
    int r = !host_attribute_options_take(&argc, argv, &extras) ? EXIT_USAGE
            : pkg ? client_credential(pkg, argc, argv, &client_cred)
                  : HOST_EXIT_COMMAND_FAILED;

    if (r != EXIT_OK)
        return r;
    ss = host_sspi_acquire(pkg, NULL, NULL, &server_cred);
    if (ss != SEC_E_OK) {
        host_say("AcquireCredentialsHandle (server) failed: %s", host_sec_status_name(ss));
        host_sspi_free_credentials(pkg, client_cred);
        return HOST_EXIT_COMMAND_FAILED;
    }
    host_attribute_options_credentials(pkg, &extras, "client", client_cred);
    host_attribute_options_credentials(pkg, &extras, "server", server_cred);
    host_attribute_options_metadata(pkg, &extras, client_cred, &cctx, server_cred, &sctx);
    cs = host_sspi_init(pkg, client_cred, &cctx, NULL, &to_server, &cattr);
    while (cs == SEC_I_CONTINUE_NEEDED && to_server.length) {
        show_message("client ->", &to_server);
        ss = host_sspi_accept(pkg, server_cred, &sctx, &to_server, &to_client, &sattr);
        if (to_client.length)
            show_message("server ->", &to_client);
        if (!to_client.length)
            break;
        cs = host_sspi_init(pkg, client_cred, &cctx, &to_client, &to_server, &cattr);
    }
    if (cs == SEC_E_OK && ss == SEC_E_OK && pkg->dll->user_table &&
        !(exchange(pkg, "client", cctx, "server", sctx, "hello from the client") &&
          exchange(pkg, "server", sctx, "client", cctx, "hello from the server")))
        cs = SEC_E_MESSAGE_ALTERED;
    if (cs == SEC_E_OK && ss == SEC_E_OK && pkg->dll->user_table)
        impersonate(pkg, sctx);
    host_attribute_options_context(pkg, &extras, "client", cctx);
    host_attribute_options_context(pkg, &extras, "server", sctx);
    fflush(stdout);
    say_outcome(pkg, sctx, "server", ss, sattr);
    say_outcome(pkg, cctx, "client", cs, cattr);
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    host_sspi_free_credentials(pkg, client_cred);
    host_sspi_free_credentials(pkg, server_cred);
    host_show_shared();
    return cs == SEC_E_OK && ss == SEC_E_OK ? EXIT_OK : HOST_EXIT_COMMAND_FAILED;
}

/* lsahost serve [--pipe=NAME] [--exit-after=N] [limits]: each limit is a count option
 * with the default host_serve_default_limits() gives it. */
static int cmd_serve(int argc, WCHAR **argv)
{
    static const WCHAR *const allowed[] = {
        L"--pipe", L"--exit-after", L"--max-connections", L"--max-connections-per-process",
        L"--max-credentials-per-process", L"--max-contexts-per-process",
        L"--max-logons-per-process", L"--hello-timeout", L"--write-timeout",
        L"--cpu-per-process", NULL
    };
    host_serve_limits limits = host_serve_default_limits();
    struct { const WCHAR *name; ULONG *value; } counts[] = {
        { L"--max-connections", &limits.max_connections },
        { L"--max-connections-per-process", &limits.max_connections_per_process },
        { L"--max-credentials-per-process", &limits.max_credentials_per_process },
        { L"--max-contexts-per-process", &limits.max_contexts_per_process },
        { L"--max-logons-per-process", &limits.max_logons_per_process },
        { L"--hello-timeout", &limits.hello_timeout_ms },
        { L"--write-timeout", &limits.write_timeout_ms },
        { L"--cpu-per-process", &limits.cpu_ms_per_second },
    };
    const WCHAR *pipe;
    ULONG exit_after, value;

    if (!check_args(argc - 1, argv + 1, allowed, NULL) ||
        !count_option(argc, argv, L"--exit-after", &exit_after))
        return EXIT_USAGE;
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        if (!count_option(argc, argv, counts[i].name, &value))
            return EXIT_USAGE;
        if (value)
            *counts[i].value = value;
    }
    pipe = option(argc, argv, L"--pipe");
    return host_serve(pipe ? pipe : HOST_DEFAULT_PIPE, exit_after, &limits);
}

host_command_fn host_command_find(const WCHAR *name)
{
    if (!wcscmp(name, L"serve"))
        return cmd_serve;
    if (!wcscmp(name, L"user"))
        return cmd_user;
    if (!wcscmp(name, L"client"))
        return cmd_client;
    if (!wcscmp(name, L"server"))
        return cmd_server;
    if (!wcscmp(name, L"handshake"))
        return cmd_handshake;
    if (!wcscmp(name, L"logon"))
        return host_logon_command;
    if (!wcscmp(name, L"change-password"))
        return host_password_command;
    return NULL;
}
