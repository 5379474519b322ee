/* fake_lsa.c - a server on lsahost's pipe that is not lsahost, or is lsahost gone
 * wrong, for test/t/64-fake-server.t: what the client end of the pipe
 * (src/client/client_pipe.c) does when the server is not who it must be, or says what
 * it must not.
 *
 *   fake_lsa squat PIPE CLIENTS   holds PIPE before lsahost does (the first instance) and
 *                                 plays lsahost to CLIENTS clients: it logs every message
 *                                 and, given an identity's address, reads the user and
 *                                 password out of the client with ReadProcessMemory, as
 *                                 the attack of issue 9 did.
 *   fake_lsa bad CASE PIPE [CLIENTS]
 *                                 "the real lsahost, misbehaving": plausible answers to
 *                                 CLIENTS clients (default 1) but one, which breaks a rule
 *                                 (CASE, see `cases` below). The client is told to trust
 *                                 this image (SSPKG_LSAHOST_IMAGE), so its check of the
 *                                 server passes and its checks of each answer are what
 *                                 is tested.
 *
 * Everything it sees and does goes to stdout, one line each. */
#include "../../src/winapi.h"
#include "../../src/common/lsa_wire.h"

#include <shlwapi.h>
#include <stdio.h>
#include <string.h>

/* Far above anything Wine or Windows maps in a 64-bit process's low half. */
#define UNMAPPED_ADDRESS 0x00000FEDCBA00000ull
#define CREDENTIAL 0x0100000001000001ull
#define CONTEXT 0x0200000001000002ull
/* The kind of handle sspkg's user-mode half gives imported contexts (pkg.h). */
#define IMPORTED_CONTEXT 0x0300000000000001ull

static const char *const cases[] = {
    "none",             /* every answer plausible: the control */
    "odd-name",         /* HELLO: a package name of an odd number of bytes */
    "nul-name",         /* HELLO: a package name with a NUL inside */
    "max-token",        /* HELLO: cbMaxToken of 2 GiB */
    "section-size",     /* HELLO: a real 64 KiB section said to be 1 MiB */
    "section-handle",   /* HELLO: a section handle that is no handle in the client */
    "bad-status",       /* ACQUIRE: a success code that no SSPI call returns */
    "cred-zero",        /* ACQUIRE: SEC_E_OK and credential handle 0 */
    "wrong-call",       /* ACQUIRE: the answer carries another call's number */
    "wrong-type",       /* ACQUIRE: answered as if it were INIT */
    "oversized",        /* ACQUIRE: an answer larger than any message */
    "silent",           /* ACQUIRE: never answered */
    "context-zero",     /* INIT: SEC_I_CONTINUE_NEEDED with context handle 0 */
    "imported-context", /* INIT: a context handle of the kind of imported contexts */
    "token-long",       /* INIT: a token longer than the package's cbMaxToken */
    "token-room",       /* INIT: a token within cbMaxToken, longer than the caller's buffer */
    "packed-size",      /* INIT: a packed context said to be larger than its block */
    "packed-handle",    /* INIT: a packed-context handle that is no handle in the client */
    "packed-section",   /* INIT: the packed-context handle is the section HELLO offered */
    "query-pointer",    /* QUERY(NAMES): sUserName points at unmapped memory */
    "callpkg-unmapped", /* CALL_PACKAGE: a return buffer at unmapped memory */
    "callpkg-length",   /* CALL_PACKAGE: a real 4 KiB return buffer said to be 1 MiB */
    "logon-old-token",  /* LOGON: the second logon's token is the first's, still held */
    "logon-old-profile",/* LOGON: the second logon's profile is the first's, still held */
};

static const char *bad = "";        /* the case being played; "" when squatting */
static BOOL squatting;

typedef struct fake_client {
    int number;
    HANDLE pipe;
    DWORD pid;
    HANDLE process;
    HANDLE section;             /* the section offered at HELLO, valid in the client */
    HANDLE logon_token;         /* the last LOGON's token, valid in the client */
    uint64_t logon_profile;     /* the last LOGON's profile, in the client */
    BYTE in[LSA_WIRE_MAX_MESSAGE];
    BYTE out[LSA_WIRE_MAX_MESSAGE + 4096];
} fake_client;

static BOOL is(const char *name)
{
    return !strcmp(bad, name);
}

/* The squatter's prize: the identity the client sent the address of. */
static void steal_identity(fake_client *c, uint64_t address)
{
    SEC_WINNT_AUTH_IDENTITY_W id;
    WCHAR user[128] = L"", password[128] = L"";
    SIZE_T n;

    if (!ReadProcessMemory(c->process, (void *)(ULONG_PTR)address, &id, sizeof(id), &n) ||
        id.UserLength >= 128 || id.PasswordLength >= 128 ||
        !ReadProcessMemory(c->process, id.User, user, id.UserLength * sizeof(WCHAR), &n) ||
        !ReadProcessMemory(c->process, id.Password, password, id.PasswordLength * sizeof(WCHAR), &n)) {
        printf("client %d: could not read the identity at %llx\n", c->number,
               (unsigned long long)address);
        return;
    }
    printf("client %d: read the caller's identity: user '%ls' password '%ls'\n", c->number,
           user, password);
}

/* Memory in the client, as lsahost's AllocateClientBuffer makes it. */
static uint64_t client_alloc(fake_client *c, const void *data, SIZE_T size)
{
    void *p = VirtualAllocEx(c->process, NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    SIZE_T n;

    if (p && data)
        WriteProcessMemory(c->process, p, data, size, &n);
    return (uint64_t)(ULONG_PTR)p;
}

static void hello(fake_client *c, lsa_wire_writer *w)
{
    static const WCHAR name[] = L"SCRAM-SHA-256", nul_name[] = L"SCRAM\0SHA-256";

    lsa_wire_put_u32(w, LSA_FIELD_STATUS, SEC_E_OK);
    if (is("odd-name"))
        lsa_wire_put_bytes(w, LSA_FIELD_NAME, name, 5);
    else if (is("nul-name"))
        lsa_wire_put_bytes(w, LSA_FIELD_NAME, nul_name, sizeof(nul_name) - sizeof(WCHAR));
    else
        lsa_wire_put_bytes(w, LSA_FIELD_NAME, name, sizeof(name) - sizeof(WCHAR));
    lsa_wire_put_bytes(w, LSA_FIELD_COMMENT, L"fake", 8);
    lsa_wire_put_u32(w, LSA_FIELD_CAPABILITIES, SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY);
    lsa_wire_put_u32(w, LSA_FIELD_VERSION, 1);
    lsa_wire_put_u32(w, LSA_FIELD_MAX_TOKEN, is("max-token") ? 0x80000000u : 4096);
    if (is("section-size") || is("packed-section")) {
        HANDLE mine = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, NULL);
        DuplicateHandle(GetCurrentProcess(), mine, c->process, &c->section,
                        FILE_MAP_READ | FILE_MAP_WRITE, FALSE, 0);
        lsa_wire_put_u64(w, LSA_FIELD_SECTION, (uint64_t)(ULONG_PTR)c->section);
        lsa_wire_put_u32(w, LSA_FIELD_SECTION_SIZE, is("section-size") ? 1u << 20 : 65536);
    } else if (is("section-handle")) {
        lsa_wire_put_u64(w, LSA_FIELD_SECTION, 0x00fffffcull);
        lsa_wire_put_u32(w, LSA_FIELD_SECTION_SIZE, 65536);
    }
}

static void step(fake_client *c, lsa_wire_writer *w)
{
    static BYTE token[8192];
    BYTE blob[680];
    HANDLE shared;
    BOOL packed = is("packed-size") || is("packed-handle") || is("packed-section");

    memset(token, 'x', sizeof(token));
    memset(blob, 0x5a, sizeof(blob));
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, packed ? SEC_E_OK : SEC_I_CONTINUE_NEEDED);
    lsa_wire_put_u64(w, LSA_FIELD_CONTEXT, is("context-zero")       ? 0
                                           : is("imported-context") ? IMPORTED_CONTEXT
                                                                    : CONTEXT);
    lsa_wire_put_u32(w, LSA_FIELD_ATTRIBUTES, ISC_RET_MUTUAL_AUTH | ISC_RET_CONNECTION);
    lsa_wire_put_bytes(w, LSA_FIELD_TOKEN, token, is("token-long") ? 5000 : is("token-room") ? 100 : 40);
    if (is("packed-size")) {
        shared = SHAllocShared(blob, sizeof(blob), c->pid);
        lsa_wire_put_u64(w, LSA_FIELD_PACKED_HANDLE, (uint64_t)(ULONG_PTR)shared);
        lsa_wire_put_u32(w, LSA_FIELD_PACKED_SIZE, 100000);
    } else if (packed) {
        lsa_wire_put_u64(w, LSA_FIELD_PACKED_HANDLE,
                         is("packed-section") ? (uint64_t)(ULONG_PTR)c->section : 0x00fffffcull);
        lsa_wire_put_u32(w, LSA_FIELD_PACKED_SIZE, sizeof(blob));
    }
}

/* QUERY(NAMES): the package writes the answer into the client at the given address. */
static void query(fake_client *c, const lsa_wire_message *m, lsa_wire_writer *w)
{
    uint64_t address = 0;
    SecPkgContext_NamesW names;
    SIZE_T n;

    lsa_wire_get_u64(m, LSA_FIELD_ADDRESS, &address);
    names.sUserName = is("query-pointer") ? (WCHAR *)(ULONG_PTR)UNMAPPED_ADDRESS
                                          : (WCHAR *)(ULONG_PTR)client_alloc(c, L"alice", 12);
    WriteProcessMemory(c->process, (void *)(ULONG_PTR)address, &names, sizeof(names), &n);
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, SEC_E_OK);
}

static void call_package(fake_client *c, lsa_wire_writer *w)
{
    BYTE status_block[72] = { 0 };

    lsa_wire_put_u32(w, LSA_FIELD_STATUS, STATUS_SUCCESS);
    lsa_wire_put_u32(w, LSA_FIELD_PROTOCOL_STATUS, STATUS_SUCCESS);
    if (is("callpkg-unmapped")) {
        lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, UNMAPPED_ADDRESS);
        lsa_wire_put_u32(w, LSA_FIELD_LENGTH, sizeof(status_block));
    } else if (is("callpkg-length")) {
        lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, client_alloc(c, NULL, 4096));
        lsa_wire_put_u32(w, LSA_FIELD_LENGTH, 1u << 20);
    } else {
        lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, client_alloc(c, status_block, sizeof(status_block)));
        lsa_wire_put_u32(w, LSA_FIELD_LENGTH, sizeof(status_block));
    }
}

/* LOGON: a fresh copy of our own token and a fresh profile in the client each time, or
 * (logon-old-token, logon-old-profile) the token or the profile the previous logon gave,
 * which the client still holds. */
static void logon(fake_client *c, lsa_wire_writer *w)
{
    static const BYTE profile[32] = { 1 };
    HANDLE own, copy;

    if (!(is("logon-old-profile") && c->logon_profile))
        c->logon_profile = client_alloc(c, profile, sizeof(profile));

    if (!(is("logon-old-token") && c->logon_token)) {
        c->logon_token = NULL;
        if (OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &own)) {
            if (DuplicateTokenEx(own, TOKEN_QUERY, NULL, SecurityImpersonation, TokenPrimary,
                                 &copy))
                DuplicateHandle(GetCurrentProcess(), copy, c->process, &c->logon_token, 0,
                                FALSE, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE);
            CloseHandle(own);
        }
    }
    lsa_wire_put_u32(w, LSA_FIELD_STATUS, STATUS_SUCCESS);
    lsa_wire_put_u32(w, LSA_FIELD_SUB_STATUS, STATUS_SUCCESS);
    lsa_wire_put_u64(w, LSA_FIELD_LOGON_ID, 0x12345678ull);
    lsa_wire_put_u64(w, LSA_FIELD_TOKEN_HANDLE, (uint64_t)(ULONG_PTR)c->logon_token);
    lsa_wire_put_u64(w, LSA_FIELD_ADDRESS, c->logon_profile);
    lsa_wire_put_u32(w, LSA_FIELD_LENGTH, c->logon_profile ? sizeof(profile) : 0);
}

/* Answers one request; FALSE to say nothing (the "silent" case). */
static BOOL answer(fake_client *c, const lsa_wire_message *m)
{
    uint16_t type = is("wrong-type") && m->type == LSA_WIRE_ACQUIRE ? LSA_WIRE_INIT : m->type;
    uint32_t call = is("wrong-call") && m->type == LSA_WIRE_ACQUIRE ? m->call + 7 : m->call;
    lsa_wire_writer w;
    uint64_t identity;
    size_t n;
    DWORD done;

    lsa_wire_begin(&w, c->out, LSA_WIRE_MAX_MESSAGE, (uint16_t)(type | LSA_WIRE_ANSWER), call);
    switch (m->type) {
    case LSA_WIRE_HELLO:
        hello(c, &w);
        break;
    case LSA_WIRE_ACQUIRE:
        if (lsa_wire_get_u64(m, LSA_FIELD_IDENTITY, &identity) == LSA_WIRE_OK)
            steal_identity(c, identity);
        if (is("silent"))
            return FALSE;
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, is("bad-status") ? 0x00090399u : SEC_E_OK);
        lsa_wire_put_u64(&w, LSA_FIELD_CREDENTIAL, is("cred-zero") ? 0 : CREDENTIAL);
        break;
    case LSA_WIRE_INIT:
    case LSA_WIRE_ACCEPT:
        step(c, &w);
        break;
    case LSA_WIRE_QUERY:
        query(c, m, &w);
        break;
    case LSA_WIRE_CALL_PACKAGE:
        call_package(c, &w);
        break;
    case LSA_WIRE_LOGON:
        logon(c, &w);
        break;
    default:
        lsa_wire_put_u32(&w, LSA_FIELD_STATUS, SEC_E_OK);
        break;
    }
    n = lsa_wire_finish(&w);
    if (is("oversized") && m->type == LSA_WIRE_ACQUIRE) {
        /* A well-formed header, then more bytes than any message has. */
        memset(c->out + n, 0, sizeof(c->out) - n);
        n = sizeof(c->out);
    }
    WriteFile(c->pipe, c->out, (DWORD)n, &done, NULL);
    return TRUE;
}

static DWORD WINAPI serve(void *arg)
{
    fake_client *c = arg;
    lsa_wire_message m;
    DWORD got;
    int messages = 0;

    GetNamedPipeClientProcessId(c->pipe, &c->pid);
    c->process = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE |
                                 PROCESS_DUP_HANDLE | PROCESS_QUERY_LIMITED_INFORMATION,
                             FALSE, c->pid);
    printf("client %d: connected, process %lu\n", c->number, c->pid);
    while (ReadFile(c->pipe, c->in, sizeof(c->in), &got, NULL)) {
        messages++;
        if (lsa_wire_parse(c->in, got, &m)) {
            printf("client %d: received %lu bytes that are no message\n", c->number, got);
            continue;
        }
        printf("client %d: received message type %u, call %u\n", c->number, m.type, m.call);
        if (!answer(c, &m))
            printf("client %d: not answering\n", c->number);
    }
    printf("client %d: hung up after sending %d message(s)\n", c->number, messages);
    CloseHandle(c->process);
    CloseHandle(c->pipe);
    return 0;
}

int main(int argc, char **argv)
{
    WCHAR name[MAX_PATH];
    HANDLE threads[8];
    int clients = 1;
    BOOL known = FALSE;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 4 && !strcmp(argv[1], "squat")) {
        squatting = TRUE;
        clients = atoi(argv[3]);
        MultiByteToWideChar(CP_UTF8, 0, argv[2], -1, name, MAX_PATH);
    } else if ((argc == 4 || argc == 5) && !strcmp(argv[1], "bad")) {
        bad = argv[2];
        clients = argc == 5 ? atoi(argv[4]) : 1;
        MultiByteToWideChar(CP_UTF8, 0, argv[3], -1, name, MAX_PATH);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
            known |= is(cases[i]);
    }
    if ((!squatting && !known) || clients < 1 || clients > 8) {
        fprintf(stderr, "usage: fake_lsa squat PIPE CLIENTS | fake_lsa bad CASE PIPE [CLIENTS]\n");
        return 2;
    }
    for (int i = 0; i < clients; i++) {
        fake_client *c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
        c->number = i + 1;
        /* The first instance claims the name, as lsahost does with its own. */
        c->pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | (i ? 0 : FILE_FLAG_FIRST_PIPE_INSTANCE),
                                   PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT,
                                   PIPE_UNLIMITED_INSTANCES, sizeof(c->out), sizeof(c->in), 0, NULL);
        if (c->pipe == INVALID_HANDLE_VALUE) {
            printf("cannot create the pipe (error %lu)\n", GetLastError());
            return 1;
        }
        if (!i)
            printf("fake_lsa: holding the pipe (%s)\n", squatting ? "squatting" : bad);
        if (!ConnectNamedPipe(c->pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED)
            return 1;
        threads[i] = CreateThread(NULL, 0, serve, c, 0, NULL);
    }
    WaitForMultipleObjects(clients, threads, TRUE, INFINITE);
    printf("fake_lsa: done\n");
    return 0;
}
