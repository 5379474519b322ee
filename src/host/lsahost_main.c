/* lsahost_main.c - lsahost, the mock LSA: loads a security package DLL in an ordinary
 * process, hands it a complete LSA_SECPKG_FUNCTION_TABLE, and reports what it did. */
#include "../winapi.h"
#include "lsa/host_account.h"
#include "lsa/host_callbacks.h"
#include "commands/host_commands.h"
#include "lsa/host_heap.h"
#include "lsa/host_identity.h"
#include "commands/host_monitor.h"
#include "serve/host_server.h"
#include "packages/host_check.h"
#include "packages/host_packages.h"
#include "shm/host_shm.h"
#include "commands/host_show.h"
#include "host_trace.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <wchar.h>

/* Exit statuses, documented in the usage text and README. */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_LOAD_FAILED = 2,
    EXIT_PACKAGE_FAILED = 3,
    EXIT_LEAKED = 4,
    EXIT_CRASHED = 5
};

static const char usage[] =
    "usage: lsahost [options] [package.dll ...]\n"
    "       lsahost [options] COMMAND ...\n"
    "\n"
    "Loads LSA security package DLLs (default: sspkg.dll beside lsahost.exe) in the\n"
    "order given, as lsass loads its Security Packages list: SpLsaModeInitialize, then\n"
    "for each table InitializePackage, SpInitialize and SpGetInfo, with package ids in\n"
    "order across all tables of all DLLs; shows what the packages published in shared\n"
    "memory, shuts them down (the last first) and reports anything they leaked.\n"
    "\n"
    "commands (against one package: --use=NAME, else the first that has what the\n"
    "command needs; sspkg's messages for user; serve offers them all):\n"
    "  user add NAME [--password=P | --verifier=V] [--iterations=N] [--account=A]\n"
    "                          set a user (without --password: asked on the console),\n"
    "                          mapped to a Windows account A (a SID or a name; none: unmap);\n"
    "                          options take --name=VALUE or --name VALUE\n"
    "  user del NAME           remove a user\n"
    "  user list               list users, their iteration counts and accounts\n"
    "  client --user=U [--password=P] [--max-iterations=N] [--no-empty-final]\n"
    "                          client end: tokens as base64 lines, ours on stdout,\n"
    "                          the server's read from stdin; N lowers the largest\n"
    "                          iteration count accepted (4096..100000; sets\n"
    "                          SSPKG_MAX_ITERATIONS). Once the server is verified it\n"
    "                          sends the empty response SASL clients give in\n"
    "                          protocols that carry v= as a challenge (IMAP, SMTP,\n"
    "                          gsasl); --no-empty-final for those that carry it with\n"
    "                          the outcome (PostgreSQL, LDAP)\n"
    "  server [--no-empty-final]\n"
    "                          server end: the client's tokens on stdin, ours on stdout;\n"
    "                          after v= it takes the client's empty response when one\n"
    "                          comes (an empty line or the end of input; anything\n"
    "                          else fails), or with --no-empty-final exits at once\n"
    "  handshake --user=U [--password=P] [--max-iterations=N]\n"
    "                          both ends in this process; shows each message\n"
    "    --set-credentials-attribute=N:HEX|N:@FILE\n"
    "                          SetCredentialsAttributes(N, bytes) on each credential\n"
    "    --set-context-attribute=N:HEX|N:@FILE\n"
    "                          SetContextAttributes(N, bytes) on each context after\n"
    "                          the handshake (values up to 64 KiB)\n"
    "    --metadata            QueryMetaData and ExchangeMetaData both ways before the\n"
    "                          first token, as Negotiate's NegoEx does\n"
    "  client, server and handshake also take\n"
    "    --channel-binding=TYPE:HEX|TYPE:@FILE\n"
    "                          bind to a TLS channel (SCRAM-SHA-256-PLUS): TYPE is\n"
    "                          tls-server-end-point, tls-unique or tls-exporter, passed\n"
    "                          as SEC_CHANNEL_BINDINGS, as Schannel gives it\n"
    "    --sec-channel-bindings=@FILE\n"
    "                          pass a whole SEC_CHANNEL_BINDINGS from a file, as it is\n"
    "  serve [--pipe=NAME] [--exit-after=N] [limits]\n"
    "                          the LSA for client processes, on a named pipe (default\n"
    "                          \\\\.\\pipe\\sspkg-lsahost) until Ctrl+C or N clients;\n"
    "                          refuses to start when another process holds the name.\n"
    "                          limits (defaults in brackets):\n"
    "                            --max-connections=N [64] in all\n"
    "                            --max-connections-per-process=N [4]\n"
    "                            --max-credentials-per-process=N [128]\n"
    "                            --max-contexts-per-process=N [128]\n"
    "                            --max-logons-per-process=N [16] logon sessions\n"
    "                            --hello-timeout=MS [5000] from connecting to HELLO\n"
    "                            --write-timeout=MS [10000] for a client to take an answer\n"
    "                            --cpu-per-process=MS [250] the package's CPU time a\n"
    "                            process may use per second, on average\n"
    "  logon [--type=interactive|network|batch|service]\n"
    "        (--user=U --password=P [--domain=D] [--shape=msv1_0|kerb] |\n"
    "         --shape=msv1_0-network [--user=U] [--domain=D] [--workstation=W]\n"
    "           [--challenge=HEX8] [--nt-response=HEX] [--lm-response=HEX]\n"
    "           [--parameter-control=HEX] |\n"
    "         --submit-file=PATH)\n"
    "                          drive the package's SpLogonUserEx3 or LsaApLogonUser(Ex/Ex2)\n"
    "                          as lsass does for LsaLogonUser, and\n"
    "                          print the logon id, token, profile and credentials\n"
    "  change-password --user=U --old-password=O --new-password=N [--domain=D]\n"
    "        [--impersonating]\n"
    "                          drive the package's SpChangeAccountPassword as lsass\n"
    "                          does for ChangeAccountPasswordW\n"
    "  check PKG.dll [PKG.dll ...] [--json[=FILE]]\n"
    "                          conformance run for CI: load, SpGetInfo, every\n"
    "                          SpGetExtendedInformation class, a credential of each\n"
    "                          use, a context with and without a target, shutdown;\n"
    "                          prints each answer, finding and leak (--json: the same\n"
    "                          as JSON on stdout, or in FILE). Several DLLs are loaded\n"
    "                          together, in order, each reported on its own; one that\n"
    "                          fails leaves the others checked. Exit (the worst over\n"
    "                          all DLLs): 2 not loadable, 3 failed to start,\n"
    "                          7 findings, 4 leaks, 0 clean\n"
    "  monitor [--pipe=NAME] [--count=N] [--interval=MS]\n"
    "                          from another process: show what a serving lsahost's\n"
    "                          package publishes (status block, events), N times\n"
    "\n"
    "options:\n"
    "  --package=PATH          a package DLL (repeat for several, loaded in order)\n"
    "  --use=NAME              the package commands act on, by SecPkgInfo Name (any case)\n"
    "  --store=PATH            sspkg's verifier store (sets SSPKG_VERIFIER_STORE)\n"
    "  --trace                 print every callback the package makes (stderr), and\n"
    "                          sspkg's own trace of its entries (sets SSPKG_TRACE)\n"
    "  --allow-leaks           report leaks but exit 0 for them\n"
    "  --audit=FILE            also append the package's audit lines (AuditLogon,\n"
    "                          AuditAccountLogon) to FILE\n"
    "  --shm-provider=NAME     shared-memory provider: filemap (default) or heap\n"
    "  --shm-fail-nth=N        fail the Nth shared-memory allocation request\n"
    "  --shm-fail-after=N      fail every shared-memory allocation request after the Nth\n"
    "  --help                  this text\n"
    "\n"
    "exit status: 0 success, 1 usage, 2 package not loadable, 3 package failed,\n"
    "             4 package leaked, 5 package crashed, 6 command failed (for example\n"
    "             authentication denied), 7 findings (check)\n";

typedef struct options {
    const WCHAR *packages[HOST_MAX_DLLS];
    ULONG package_count;
    host_command_fn command;
    int check_argc;                 /* lsahost check: the rest of the line */
    WCHAR **check_argv;
    int command_argc;
    WCHAR **command_argv;
    int allow_leaks;
    const shm_provider *provider;
    ULONG fail_nth, fail_after;
} options;

static int parse_count(const WCHAR *text, ULONG *out)
{
    WCHAR *end;
    unsigned long v;

    if (!*text || *text == L'-')
        return 0;
    v = wcstoul(text, &end, 10);
    if (*end || v == 0 || v > 0xffffffffUL)
        return 0;
    *out = (ULONG)v;
    return 1;
}

static int parse_options(int argc, WCHAR **argv, options *o)
{
    static WCHAR default_package[MAX_PATH];
    const WCHAR *v;

    o->provider = shm_provider_filemap();
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i];
        if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h")) {
            fputs(usage, stdout);
            exit(EXIT_OK);
        } else if (!wcscmp(a, L"--trace")) {
            host_trace_enabled = 1;
            /* sspkg traces its own entries when this is set as it is loaded; other
             * packages ignore it. */
            SetEnvironmentVariableW(L"SSPKG_TRACE", L"1");
        } else if (!wcscmp(a, L"--allow-leaks")) {
            o->allow_leaks = 1;
        } else if (!wcsncmp(a, L"--shm-provider=", 15)) {
            v = a + 15;
            if (!wcscmp(v, L"filemap"))
                o->provider = shm_provider_filemap();
            else if (!wcscmp(v, L"heap"))
                o->provider = shm_provider_heap();
            else {
                fprintf(stderr, "lsahost: unknown shared-memory provider '%ls' (filemap or heap)\n", v);
                return 0;
            }
        } else if ((!wcsncmp(a, L"--package=", 10) && a[10]) || (a[0] != L'-' &&
                   wcscmp(a, L"check") && !(o->command = host_command_find(a)))) {
            const WCHAR *path = a[0] == L'-' ? a + 10 : a;
            if (o->package_count == HOST_MAX_DLLS) {
                fprintf(stderr, "lsahost: at most %d package DLLs ('%ls' is one more)\n",
                        HOST_MAX_DLLS, path);
                return 0;
            }
            o->packages[o->package_count++] = path;
        } else if (!wcsncmp(a, L"--use=", 6) && a[6]) {
            host_packages_use(a + 6);
        } else if (!wcsncmp(a, L"--audit=", 8) && a[8]) {
            if (!host_audit_open(a + 8)) {
                fprintf(stderr, "lsahost: cannot open the audit file '%ls'\n", a + 8);
                return 0;
            }
        } else if (!wcsncmp(a, L"--store=", 8) && a[8]) {
            SetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", a + 8);
        } else if (!wcsncmp(a, L"--shm-fail-nth=", 15)) {
            if (!parse_count(a + 15, &o->fail_nth)) {
                fprintf(stderr, "lsahost: --shm-fail-nth needs a count of 1 or more\n");
                return 0;
            }
        } else if (!wcsncmp(a, L"--shm-fail-after=", 17)) {
            if (!parse_count(a + 17, &o->fail_after)) {
                fprintf(stderr, "lsahost: --shm-fail-after needs a count of 1 or more\n");
                return 0;
            }
        } else if (a[0] == L'-') {
            fprintf(stderr, "lsahost: unknown option '%ls' (try --help)\n", a);
            return 0;
        } else if (!wcscmp(a, L"check")) {
            o->check_argc = argc - i;
            o->check_argv = argv + i;
            break;
        } else {
            /* A command: the rest of the line belongs to it. */
            o->command_argc = argc - i;
            o->command_argv = argv + i;
            break;
        }
    }
    if (!o->package_count) {
        /* sspkg.dll from the folder lsahost.exe is in. */
        DWORD n = GetModuleFileNameW(NULL, default_package, MAX_PATH);
        WCHAR *slash = wcsrchr(default_package, L'\\');
        if (!n || n >= MAX_PATH - 16 || !slash) {
            fprintf(stderr, "lsahost: cannot locate the default package; name one\n");
            return 0;
        }
        wcscpy(slash + 1, L"sspkg.dll");
        o->packages[o->package_count++] = default_package;
    }
    if (o->fail_nth || o->fail_after)
        o->provider = shm_provider_fault(o->provider, o->fail_nth, o->fail_after);
    return 1;
}

/* A package that crashes takes lsass down with it on Windows; here the host says what
 * happened, in which call and where, and exits with its own status. */
static LONG WINAPI report_crash(EXCEPTION_POINTERS *e)
{
    void *at = e->ExceptionRecord->ExceptionAddress;
    WCHAR module[MAX_PATH] = L"?";
    HMODULE m = NULL;
    const char *during = host_call_current();

    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, at, &m))
        GetModuleFileNameW(m, module, MAX_PATH);
    host_say("crash: exception 0x%08lx at %p (%ls+0x%llx)%s%s",
             e->ExceptionRecord->ExceptionCode, at, module,
             (unsigned long long)((ULONG_PTR)at - (ULONG_PTR)m), during ? " during " : "",
             during ? during : "");
    fflush(stdout);
    ExitProcess(EXIT_CRASHED);
}

/* Everything the package still holds: totals first, then each item, then clean up. */
static int report_leaks(void)
{
    int kinds;

    host_tokens_sweep();
    kinds = host_account_report_leaks();
    host_return_buffers_release_all();
    host_heap_report_and_destroy();
    host_shm_report_and_delete_all();
    host_client_buffers_release_all();
    host_logon_sessions_release_all();
    host_tokens_release_all();
    return kinds;
}

/* lsahost monitor: a client of another lsahost, loading no package of its own. */
static int monitor(int argc, WCHAR **argv)
{
    const WCHAR *pipe = HOST_DEFAULT_PIPE;
    ULONG count = 1, interval = 1000;

    for (int i = 2; i < argc; i++) {
        if (!wcsncmp(argv[i], L"--pipe=", 7) && argv[i][7])
            pipe = argv[i] + 7;
        else if (!wcsncmp(argv[i], L"--count=", 8) && parse_count(argv[i] + 8, &count))
            ;
        else if (!wcsncmp(argv[i], L"--interval=", 11) && parse_count(argv[i] + 11, &interval))
            ;
        else {
            fprintf(stderr, "lsahost: usage: lsahost monitor [--pipe=NAME] [--count=N] "
                            "[--interval=MS]\n");
            return EXIT_USAGE;
        }
    }
    return host_monitor(pipe, count, interval);
}

int wmain(int argc, WCHAR **argv)
{
    options o = { 0 };
    char why[768];
    int status = EXIT_OK, leaked;

    /* Plain \n line ends on pipes, whatever reads them. */
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    if (argc > 1 && !wcscmp(argv[1], L"monitor"))
        return monitor(argc, argv);
    if (!parse_options(argc, argv, &o))
        return EXIT_USAGE;
    if (!host_heap_init()) {
        host_say("cannot create the LSA heaps (error %lu)", GetLastError());
        return EXIT_LOAD_FAILED;
    }
    host_shm_init(o.provider);
    SetUnhandledExceptionFilter(report_crash);
    if (o.check_argv) {
        status = host_check_command(o.check_argc, o.check_argv, o.allow_leaks, report_leaks);
        host_audit_close();
        return status;
    }

    switch (host_packages_load(o.packages, o.package_count, why, sizeof(why))) {
    case 0:
        if (o.command) {
            status = o.command(o.command_argc, o.command_argv);
        } else {
            host_packages_show();
            host_show_shared();
        }
        break;
    case 2:
        host_say("cannot load package: %s", why);
        return EXIT_LOAD_FAILED;
    default:
        host_say("package failed: %s", why);
        status = EXIT_PACKAGE_FAILED;
    }

    host_packages_unload();

    if (o.fail_nth || o.fail_after) {
        ULONG requests, failed;
        shm_provider_fault_counts(&requests, &failed);
        host_say("fault provider: %lu shared-memory allocation request(s), %lu failed on "
                 "purpose", requests, failed);
    }
    leaked = report_leaks();
    host_audit_close();
    if (!leaked)
        host_say("no leaks");
    else if (!o.allow_leaks && status == EXIT_OK)
        status = EXIT_LEAKED;
    fflush(stdout);
    return status;
}
