/* attacker.c - a hostile local process against lsahost serve, for the tests. It speaks
 * the pipe protocol by hand (src/common/lsa_wire.h), as an attacker would, and prints
 * what it achieved, one line per fact, for the test to check.
 *
 *   attacker squat PIPE SECONDS       create PIPE first and hold it SECONDS
 *   attacker add-instance PIPE SECONDS
 *                                     add an instance to a pipe someone else serves, and
 *                                     report any client that connects to it within SECONDS
 *                                     and what it sent
 *   attacker idle PIPE N SECONDS      N connections that never send anything
 *   attacker hello-idle PIPE N SECONDS
 *                                     N connections that say HELLO, then nothing
 *   attacker handles PIPE KIND SECONDS
 *                                     one connection taking credentials (KIND cred),
 *                                     contexts (KIND context) or logon sessions (KIND
 *                                     logon, LsaLogonUser as alice) until refused, then
 *                                     held SECONDS
 *   attacker logons PIPE N SECONDS  N connections of this one process, each taking logon
 *                                     sessions (LsaLogonUser as alice) until refused, then
 *                                     held SECONDS: a quota per connection would give N
 *                                     times the process's share
 *   attacker acquire PIPE ID N        N inbound credentials of package ID, on one connection,
 *                                     each answer's status printed
 *   attacker logon-process PIPE FLAG  say HELLO as a logon process (the flag's value FLAG)
 *                                     without SeTcbPrivilege, then call the package as if
 *                                     admitted
 *   attacker set-attributes PIPE       SET_ATTRIBUTES as no client DLL sends it: on a
 *                                     credential another connection of ours made, with no
 *                                     attribute, and with a value one byte over the limit
 *                                     (each on a connection of its own; what lsahost
 *                                     answered, or "dropped")
 *   attacker change-password PIPE GUESSES
 *                                     CHANGE_PASSWORD as no client DLL sends it (strings
 *                                     over the limit, missing or of an odd number of
 *                                     bytes, a flag that is not 0 or 1, a package id
 *                                     lsahost lacks, package 1 (which has no such entry),
 *                                     each on a connection of its own), then GUESSES wrong
 *                                     old passwords for alice on one connection, as a
 *                                     password-guessing process would
 *   attacker grind PIPE ITERATIONS ROUNDS CONNECTIONS
 *                                     play the SCRAM server to our own client contexts,
 *                                     sending server-first with i=ITERATIONS: each round
 *                                     makes lsahost run PBKDF2 that many iterations, on
 *                                     CONNECTIONS connections at once
 *
 * Each connection reports how lsahost answered: "accepted", or "refused 0x..." with the
 * status of the GOODBYE lsahost sent instead. */
#include "../../src/winapi.h"
#include "../../src/common/lsa_wire.h"
#include "../../include/sspkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef struct conn {
    HANDLE pipe;
    uint32_t call;
    BYTE in[LSA_WIRE_MAX_MESSAGE];
    BYTE out[LSA_WIRE_MAX_MESSAGE];
    lsa_wire_message m;
} conn;

static BOOL open_pipe(conn *c, const WCHAR *name)
{
    DWORD mode = PIPE_READMODE_MESSAGE;

    memset(c, 0, sizeof(*c));
    for (int tries = 0; tries < 100; tries++) {
        c->pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                              NULL);
        if (c->pipe != INVALID_HANDLE_VALUE) {
            SetNamedPipeHandleState(c->pipe, &mode, NULL, NULL);
            return TRUE;
        }
        Sleep(50);
    }
    return FALSE;
}

/* Sends what w holds, reads the answer into c->m. Returns the answer's status, or the
 * GOODBYE's (0xffffffff when the pipe broke). */
static uint32_t exchange(conn *c, lsa_wire_writer *w)
{
    DWORD n = (DWORD)lsa_wire_finish(w), done;
    uint32_t status = 0xffffffffu;

    WriteFile(c->pipe, c->out, n, &done, NULL);
    if (!ReadFile(c->pipe, c->in, sizeof(c->in), &done, NULL) ||
        lsa_wire_parse(c->in, done, &c->m) != LSA_WIRE_OK)
        return status;
    lsa_wire_get_u32(&c->m, LSA_FIELD_STATUS, &status);
    return status;
}

static void begin(conn *c, lsa_wire_writer *w, uint16_t type)
{
    lsa_wire_begin(w, c->out, sizeof(c->out), type, c->call++);
}

/* HELLO, claiming to be a logon process when logon_process is not 0 (the value sent);
 * prints and returns whether lsahost accepted us. */
static BOOL hello_as(conn *c, int number, uint32_t logon_process)
{
    lsa_wire_writer w;
    uint32_t status;

    begin(c, &w, LSA_WIRE_HELLO);
    lsa_wire_put_u32(&w, LSA_FIELD_PROCESS_ID, GetCurrentProcessId());
    if (logon_process)
        lsa_wire_put_u32(&w, LSA_FIELD_LOGON_PROCESS, logon_process);
    status = exchange(c, &w);
    if (status == 0 && c->m.type == (LSA_WIRE_HELLO | LSA_WIRE_ANSWER)) {
        printf("connection %d: accepted\n", number);
        return TRUE;
    }
    printf("connection %d: refused 0x%08lx%s\n", number, (unsigned long)status,
           c->m.type == LSA_WIRE_GOODBYE ? " (GOODBYE)" : "");
    return FALSE;
}

static BOOL hello(conn *c, int number)
{
    return hello_as(c, number, 0);
}

static uint32_t acquire(conn *c, ULONG use, const void *identity, uint64_t *cred)
{
    lsa_wire_writer w;
    uint32_t status;

    begin(c, &w, LSA_WIRE_ACQUIRE);
    lsa_wire_put_u32(&w, LSA_FIELD_USE, use);
    if (identity)
        lsa_wire_put_u64(&w, LSA_FIELD_IDENTITY, (uint64_t)(ULONG_PTR)identity);
    status = exchange(c, &w);
    *cred = 0;
    lsa_wire_get_u64(&c->m, LSA_FIELD_CREDENTIAL, cred);
    return status;
}

/* One INIT step; the token lsahost answered is left in *token and *len (in c->in). */
static uint32_t init_step(conn *c, uint64_t cred, uint64_t *ctx, const char *in,
                          const uint8_t **token, size_t *len)
{
    lsa_wire_writer w;
    uint32_t status;

    begin(c, &w, LSA_WIRE_INIT);
    lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, cred);
    lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, *ctx);
    lsa_wire_put_u32(&w, LSA_FIELD_FLAGS, ISC_REQ_MUTUAL_AUTH);
    if (in)
        lsa_wire_put_bytes(&w, LSA_FIELD_TOKEN, in, strlen(in));
    status = exchange(c, &w);
    lsa_wire_get_u64(&c->m, LSA_FIELD_CONTEXT, ctx);
    *token = NULL;
    *len = 0;
    lsa_wire_get_bytes(&c->m, LSA_FIELD_TOKEN, 65536, token, len);
    return status;
}

static void delete_context(conn *c, uint64_t ctx)
{
    lsa_wire_writer w;

    begin(c, &w, LSA_WIRE_DELETE);
    lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, ctx);
    exchange(c, &w);
}

static SEC_WINNT_AUTH_IDENTITY_W mallory = {
    (unsigned short *)L"mallory", 7, NULL, 0, (unsigned short *)L"secret", 6,
    SEC_WINNT_AUTH_IDENTITY_UNICODE
};

/* ---- Modes ------------------------------------------------------------------------------ */

static int squat(const WCHAR *name, DWORD seconds)
{
    HANDLE p = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
    if (p == INVALID_HANDLE_VALUE) {
        printf("squat: cannot create the pipe (error %lu)\n", GetLastError());
        return 1;
    }
    printf("squat: holding the name\n");
    fflush(stdout);
    Sleep(seconds * 1000);
    CloseHandle(p);
    return 0;
}

static int add_instance(const WCHAR *name, DWORD seconds)
{
    OVERLAPPED o = { 0 };
    BYTE got[4096];
    DWORD n = 0;
    HANDLE p = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
    if (p == INVALID_HANDLE_VALUE) {
        printf("add-instance: refused (error %lu)\n", GetLastError());
        return 0;
    }
    printf("add-instance: added an instance\n");
    fflush(stdout);
    o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ConnectNamedPipe(p, &o) && GetLastError() == ERROR_IO_PENDING &&
        WaitForSingleObject(o.hEvent, seconds * 1000) != WAIT_OBJECT_0) {
        printf("add-instance: no client came\n");
        return 0;
    }
    printf("add-instance: a client connected\n");
    fflush(stdout);
    ResetEvent(o.hEvent);
    if ((ReadFile(p, got, sizeof(got), &n, &o) || GetLastError() == ERROR_IO_PENDING) &&
        WaitForSingleObject(o.hEvent, 2000) == WAIT_OBJECT_0 &&
        GetOverlappedResult(p, &o, &n, FALSE))
        printf("add-instance: the client sent %lu bytes\n", n);
    else
        printf("add-instance: the client sent nothing\n");
    return 0;
}

/* N connections; with say_hello, each says HELLO. Held for `seconds`, then each reports
 * whether lsahost still has it. */
static int connections(const WCHAR *name, int count, BOOL say_hello, DWORD seconds)
{
    conn *c = calloc((size_t)count, sizeof(conn));
    int accepted = 0;

    for (int i = 0; c && i < count; i++) {
        if (!open_pipe(&c[i], name)) {
            printf("connection %d: cannot connect (error %lu)\n", i + 1, GetLastError());
            continue;
        }
        if (say_hello)
            accepted += hello(&c[i], i + 1);
        fflush(stdout);
    }
    printf("%d of %d accepted\n", accepted, count);
    fflush(stdout);
    Sleep(seconds * 1000);
    for (int i = 0; c && i < count; i++) {
        DWORD avail = 0;
        BOOL alive = c[i].pipe != INVALID_HANDLE_VALUE &&
                     PeekNamedPipe(c[i].pipe, NULL, 0, NULL, &avail, NULL);
        printf("connection %d: %s\n", i + 1, alive ? "still connected" : "hung up by lsahost");
    }
    return 0;
}

/* LsaLogonUser as alice/pencil, the submit buffer in this process (sspkg's logon
 * structure has MSV1_0_INTERACTIVE_LOGON's layout). */
static uint32_t logon(conn *c)
{
    static struct {
        MSV1_0_INTERACTIVE_LOGON logon;
        WCHAR text[11];
    } submit = { { MsV1_0InteractiveLogon, { 0, 0, NULL }, { 10, 10, NULL }, { 12, 12, NULL } },
                 L"alicepencil" };
    static const char origin[] = "attacker";
    lsa_wire_writer w;

    submit.logon.UserName.Buffer = submit.text;
    submit.logon.Password.Buffer = submit.text + 5;
    begin(c, &w, LSA_WIRE_LOGON);
    lsa_wire_put_u32(&w, LSA_FIELD_LOGON_TYPE, Network);
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (uint64_t)(ULONG_PTR)&submit);
    lsa_wire_put_u32(&w, LSA_FIELD_LENGTH, sizeof(submit));
    lsa_wire_put_bytes(&w, LSA_FIELD_ORIGIN, origin, sizeof(origin) - 1);
    return exchange(c, &w);
}

static int handles(const WCHAR *name, const char *kind, DWORD seconds)
{
    conn c;
    uint64_t cred, ctx;
    const uint8_t *token;
    size_t len;
    uint32_t status = 0;
    int made = 0;

    if (!open_pipe(&c, name) || !hello(&c, 1))
        return 1;
    if (!strcmp(kind, "cred")) {
        while ((status = acquire(&c, SECPKG_CRED_INBOUND, NULL, &cred)) == 0 && made < 100000)
            made++;
    } else if (!strcmp(kind, "logon")) {
        while ((status = logon(&c)) == 0 && made < 100000)
            made++;
    } else {
        if (acquire(&c, SECPKG_CRED_OUTBOUND, &mallory, &cred) != 0)
            return 1;
        do {
            ctx = 0;
            status = init_step(&c, cred, &ctx, NULL, &token, &len);
        } while (status == (uint32_t)SEC_I_CONTINUE_NEEDED && ++made < 100000);
    }
    printf("handles: made %d %s(s), then 0x%08lx\n", made, kind, (unsigned long)status);
    Sleep(seconds * 1000);
    return 0;
}

/* SET_ATTRIBUTES on `cred` (package 0), with `attribute` unless it is NULL and a value of
 * `size` bytes. */
static uint32_t set_attributes(conn *c, uint64_t cred, const uint32_t *attribute, size_t size)
{
    static BYTE value[LSA_WIRE_MAX_ATTRIBUTE + 1];
    lsa_wire_writer w;

    begin(c, &w, LSA_WIRE_SET_ATTRIBUTES);
    lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, cred);
    if (attribute)
        lsa_wire_put_u32(&w, LSA_FIELD_ATTRIBUTE, *attribute);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, value, size);
    return exchange(c, &w);
}

static void say_answer(const char *what, uint32_t status)
{
    if (status == 0xffffffffu)
        printf("%s: dropped\n", what);
    else
        printf("%s: 0x%08lx\n", what, (unsigned long)status);
}

static int set_attributes_attacks(const WCHAR *name)
{
    static conn owner, other, third, fourth;
    uint32_t attribute = 77;
    uint64_t cred = 0;

    if (!open_pipe(&owner, name) || !hello(&owner, 1) || !open_pipe(&other, name) ||
        !hello(&other, 2) || acquire(&owner, SECPKG_CRED_INBOUND, NULL, &cred) != 0)
        return 1;
    say_answer("set on our own credential", set_attributes(&owner, cred, &attribute, 3));
    say_answer("set on another connection's credential",
               set_attributes(&other, cred, &attribute, 3));
    say_answer("set on a credential never made", set_attributes(&other, cred + 77, &attribute, 3));
    if (!open_pipe(&third, name) || !hello(&third, 3) || !open_pipe(&fourth, name) ||
        !hello(&fourth, 4))
        return 1;
    say_answer("set without an attribute", set_attributes(&third, cred, NULL, 3));
    say_answer("set with a value over the limit",
               set_attributes(&fourth, cred, &attribute, LSA_WIRE_MAX_ATTRIBUTE + 1));
    say_answer("the owner's credential after all that",
               set_attributes(&owner, cred, &attribute, 0));
    return 0;
}

/* A CHANGE_PASSWORD as an attacker writes it: the fields of `omit` left out, the old
 * password `old_bytes` bytes of 'x' (not a multiple of 2 if the attacker likes). */
typedef struct pw_request {
    uint32_t package;
    const char *user;
    size_t old_bytes;
    uint32_t impersonating;
    uint16_t omit;
} pw_request;

static uint32_t change_password(conn *c, const pw_request *rq)
{
    static BYTE old[2 * LSA_WIRE_MAX_PASSWORD_STRING + 2];
    WCHAR user[32];
    lsa_wire_writer w;

    memset(old, 'x', sizeof(old));
    swprintf(user, 32, L"%hs", rq->user);
    begin(c, &w, LSA_WIRE_CHANGE_PASSWORD);
    lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, rq->package);
    if (rq->omit != LSA_FIELD_USER)
        lsa_wire_put_bytes(&w, LSA_FIELD_USER, user, wcslen(user) * sizeof(WCHAR));
    if (rq->omit != LSA_FIELD_PASSWORD)
        lsa_wire_put_bytes(&w, LSA_FIELD_PASSWORD, old, rq->old_bytes);
    if (rq->omit != LSA_FIELD_NEW_PASSWORD)
        lsa_wire_put_bytes(&w, LSA_FIELD_NEW_PASSWORD, L"ink", 6);
    lsa_wire_put_u32(&w, LSA_FIELD_IMPERSONATING, rq->impersonating);
    return exchange(c, &w);
}

static int change_password_attacks(const WCHAR *name, int guesses)
{
    static const struct {
        const char *what;
        pw_request rq;
    } attacks[] = {
        { "a wrong old password", { 0, "alice", 10, 0, 0 } },
        { "an unknown user", { 0, "nobody", 10, 0, 0 } },
        { "a package lsahost lacks", { 9, "alice", 10, 0, 0 } },
        { "a package without the entry", { 1, "alice", 10, 0, 0 } },
        { "an old password over the limit", { 0, "alice", 2 * LSA_WIRE_MAX_PASSWORD_STRING + 2, 0, 0 } },
        { "an old password of an odd number of bytes", { 0, "alice", 9, 0, 0 } },
        { "no user", { 0, "alice", 10, 0, LSA_FIELD_USER } },
        { "no old password", { 0, "alice", 10, 0, LSA_FIELD_PASSWORD } },
        { "no new password", { 0, "alice", 10, 0, LSA_FIELD_NEW_PASSWORD } },
        { "impersonating 2", { 0, "alice", 10, 2, 0 } },
    };
    static conn c;
    pw_request guess = { 0, "alice", 0, 0, 0 };
    int denied = 0;
    ULONGLONG start;

    for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
        if (!open_pipe(&c, name) || !hello(&c, (int)i + 1))
            return 1;
        say_answer(attacks[i].what, change_password(&c, &attacks[i].rq));
        CloseHandle(c.pipe);
    }
    if (!open_pipe(&c, name) || !hello(&c, 99))
        return 1;
    start = GetTickCount64();
    for (int i = 0; i < guesses; i++) {
        guess.old_bytes = 2 + 2 * (size_t)(i % 100);
        denied += change_password(&c, &guess) == (uint32_t)SEC_E_LOGON_DENIED;
    }
    printf("guesses: %d of %d SEC_E_LOGON_DENIED in %llu ms\n", denied, guesses,
           (unsigned long long)(GetTickCount64() - start));
    CloseHandle(c.pipe);
    return 0;
}

static int logons(const WCHAR *name, int count, DWORD seconds)
{
    conn *c = calloc((size_t)count, sizeof(conn));
    int made = 0, opened = 0;
    uint32_t status = 0;

    if (!c || count < 1)
        return 1;
    printf("logons:");
    for (int i = 0; i < count; i++) {
        int here = 0;
        if (!open_pipe(&c[i], name) || !hello(&c[i], i + 1))
            break;
        opened++;
        while ((status = logon(&c[i])) == 0 && here < 100000)
            here++;
        printf(" connection %d made %d, then 0x%08lx;", i + 1, here, (unsigned long)status);
        made += here;
    }
    printf("\nlogons: made %d over %d connection(s)\n", made, opened);
    Sleep(seconds * 1000);
    return 0;
}

static int acquire_of(const WCHAR *name, uint32_t package, int count)
{
    lsa_wire_writer w;
    conn c;

    if (!open_pipe(&c, name) || !hello(&c, 1))
        return 1;
    for (int i = 1; i <= count; i++) {
        begin(&c, &w, LSA_WIRE_ACQUIRE);
        lsa_wire_put_u32(&w, LSA_FIELD_PACKAGE, package);
        lsa_wire_put_u32(&w, LSA_FIELD_USE, SECPKG_CRED_INBOUND);
        printf("acquire %d of package %lu: 0x%08lx\n", i, (unsigned long)package,
               (unsigned long)exchange(&c, &w));
    }
    CloseHandle(c.pipe);
    return 0;
}

typedef struct grinder {
    const WCHAR *pipe;
    unsigned long iterations;
    int rounds;
    int done;
    uint32_t status;             /* of the last step that sent our server-first */
} grinder;

static DWORD WINAPI grind_one(void *arg)
{
    grinder *g = arg;
    conn *c = malloc(sizeof(conn));
    uint64_t cred;
    char server_first[256];
    const uint8_t *token;
    size_t len;

    if (!c || !open_pipe(c, g->pipe) || !hello(c, 1) ||
        acquire(c, SECPKG_CRED_OUTBOUND, &mallory, &cred) != 0)
        return 1;
    for (int i = 0; i < g->rounds; i++) {
        uint64_t ctx = 0;
        const char *r;
        char first[128];
        if (init_step(c, cred, &ctx, NULL, &token, &len) != (uint32_t)SEC_I_CONTINUE_NEEDED ||
            len >= sizeof(first))
            break;
        memcpy(first, token, len);
        first[len] = 0;
        if (!(r = strstr(first, ",r=")))
            break;
        /* Our own server-first: the client's nonce, a salt of its own each round (the
         * credential caches keys per salt, and we want PBKDF2 every time), and the
         * iteration count. */
        snprintf(server_first, sizeof(server_first), "%sattacker,s=QSXCR+Q6%02u%06d,i=%lu",
                 r + 1, (unsigned)(GetCurrentThreadId() % 100), i % 1000000, g->iterations);
        g->status = init_step(c, cred, &ctx, server_first, &token, &len);
        g->done++;
        delete_context(c, ctx);
    }
    return 0;
}

static int grind(const WCHAR *pipe, unsigned long iterations, int rounds, int count)
{
    grinder g[16];
    HANDLE threads[16];
    int done = 0;

    if (count < 1 || count > 16)
        return 1;
    for (int i = 0; i < count; i++) {
        g[i] = (grinder){ pipe, iterations, rounds, 0, 0 };
        threads[i] = CreateThread(NULL, 0, grind_one, &g[i], 0, NULL);
    }
    WaitForMultipleObjects((DWORD)count, threads, TRUE, INFINITE);
    for (int i = 0; i < count; i++)
        done += g[i].done;
    printf("grind: %d round(s) at i=%lu, the last answered 0x%08lx\n", done, iterations,
           (unsigned long)g[0].status);
    return 0;
}

/* Says HELLO as a logon process (flag value FLAG) without SeTcbPrivilege, then asks the
 * package for its status (LsaCallAuthenticationPackage) as if admitted. */
static int claim_logon_process(const WCHAR *pipe, uint32_t flag)
{
    static const uint32_t get_status = SSPKG_CALL_GET_STATUS;
    lsa_wire_writer w;
    conn c;
    uint32_t status;

    if (!open_pipe(&c, pipe))
        return 1;
    hello_as(&c, 1, flag);
    begin(&c, &w, LSA_WIRE_CALL_PACKAGE);
    lsa_wire_put_bytes(&w, LSA_FIELD_VALUE, &get_status, sizeof(get_status));
    lsa_wire_put_u64(&w, LSA_FIELD_ADDRESS, (uint64_t)(ULONG_PTR)&get_status);
    status = exchange(&c, &w);
    if (status == 0xffffffffu)
        printf("call after HELLO: dropped\n");
    else
        printf("call after HELLO: answered 0x%08lx\n", (unsigned long)status);
    CloseHandle(c.pipe);
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 4 && !wcscmp(argv[1], L"squat"))
        return squat(argv[2], wcstoul(argv[3], NULL, 10));
    if (argc == 4 && !wcscmp(argv[1], L"add-instance"))
        return add_instance(argv[2], wcstoul(argv[3], NULL, 10));
    if (argc == 5 && !wcscmp(argv[1], L"idle"))
        return connections(argv[2], _wtoi(argv[3]), FALSE, wcstoul(argv[4], NULL, 10));
    if (argc == 5 && !wcscmp(argv[1], L"hello-idle"))
        return connections(argv[2], _wtoi(argv[3]), TRUE, wcstoul(argv[4], NULL, 10));
    if (argc == 5 && !wcscmp(argv[1], L"handles")) {
        char kind[16];
        snprintf(kind, sizeof(kind), "%ls", argv[3]);
        return handles(argv[2], kind, wcstoul(argv[4], NULL, 10));
    }
    if (argc == 5 && !wcscmp(argv[1], L"logons"))
        return logons(argv[2], _wtoi(argv[3]), wcstoul(argv[4], NULL, 10));
    if (argc == 5 && !wcscmp(argv[1], L"acquire"))
        return acquire_of(argv[2], wcstoul(argv[3], NULL, 10), _wtoi(argv[4]));
    if (argc == 4 && !wcscmp(argv[1], L"logon-process"))
        return claim_logon_process(argv[2], wcstoul(argv[3], NULL, 10));
    if (argc == 3 && !wcscmp(argv[1], L"set-attributes"))
        return set_attributes_attacks(argv[2]);
    if (argc == 4 && !wcscmp(argv[1], L"change-password"))
        return change_password_attacks(argv[2], _wtoi(argv[3]));
    if (argc == 6 && !wcscmp(argv[1], L"grind"))
        return grind(argv[2], wcstoul(argv[3], NULL, 10), _wtoi(argv[4]), _wtoi(argv[5]));
    fprintf(stderr, "usage: see the comment at the top of test/wine/attacker.c\n");
    return 2;
}
