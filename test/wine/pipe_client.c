/* pipe_client.c - a client process of lsahost serve, for the tests: speaks the pipe
 * protocol through src/client/client_pipe.c and runs sspkg's user-mode half itself.
 *
 *   pipe_client pair PIPE USER PASSWORD [ROUNDS]
 *                                         both ends of a handshake in this process, then
 *                                         a sealed message; ROUNDS times (default 1);
 *                                         exit 0 if all worked
 *   pipe_client die PIPE USER PASSWORD    credentials and half a handshake, then exit
 *                                         without cleaning up (exit 3)
 *   pipe_client rogue PIPE KIND           misbehave: garbage, huge, early, liar, forged
 *   pipe_client callpkg PIPE              SSPKG_CALL_GET_STATUS and SSPKG_CALL_SET_USER
 *                                         through LsaCallAuthenticationPackage's path
 *   pipe_client scribble PIPE MS          map the package's section read-write and write
 *                                         random bytes over every committed page for MS
 *                                         milliseconds
 *   pipe_client hold PIPE USER PASSWORD   start a handshake (client-first only), say
 *                                         "holding", and keep the context until stdin ends
 *   pipe_client peek PIPE NAME            look for NAME (UTF-8 and UTF-16LE) in every
 *                                         committed byte of the package's section, as any
 *                                         client may
 *   pipe_client probe PIPE                each kind of call once (ACQUIRE with an identity,
 *                                         INIT into a 64-byte buffer, QUERY(NAMES),
 *                                         CALL_PACKAGE), stopping at the first failure;
 *                                         for test/t/64-fake-server.t's fake lsahost
 *   pipe_client packages PIPE             against an lsahost serving authpkg and
 *                                         SCRAM-SHA-256: package ids lsahost has no
 *                                         package for, and one package's handle named
 *                                         as another's; one line per check, exit 0 when
 *                                         each got the status it must
 */
#include "../../src/client/client_pipe.h"
#include "../../include/sspkg.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static client_pipe pipe_;
static PSECPKG_USER_FUNCTION_TABLE user;

static int fail(const char *what, SECURITY_STATUS s)
{
    printf("pipe_client: %s failed: 0x%08lx\n", what, (unsigned long)s);
    return 1;
}

static SEC_WINNT_AUTH_IDENTITY_W identity(const WCHAR *u, const WCHAR *p)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)u, (ULONG)wcslen(u), NULL, 0,
                                     (unsigned short *)p, (ULONG)wcslen(p),
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    return id;
}

/* One line for a status, and whether it was the one wanted. */
static int expect(const char *what, long got, long wanted)
{
    printf("pipe_client: %s: 0x%08lx%s\n", what, (unsigned long)got, got == wanted ? "" : " (wrong)");
    return got == wanted;
}

/* A client that names packages lsahost does not have, or the wrong one: lsahost checks
 * the id of every request. */
static int packages(void)
{
    ULONG64 cred = 0, ctx = 0;
    void *response = NULL;
    ULONG length = 0, out_len = 16, attr, plen;
    NTSTATUS protocol;
    BYTE out[16], *packed;
    int good = 1;

    printf("pipe_client: %u packages: %ls, %ls (%ls)\n", pipe_.package_count,
           pipe_.packages[0].name, pipe_.package_count > 1 ? pipe_.packages[1].name : L"-",
           pipe_.package_count > 1 ? pipe_.packages[1].module : L"-");
    good &= expect("ACQUIRE for package 99", client_pipe_acquire(&pipe_, 99, SECPKG_CRED_INBOUND,
                   NULL, &cred), SEC_E_SECPKG_NOT_FOUND);
    good &= expect("CALL_PACKAGE to package 7", client_pipe_call_package(&pipe_, 7, "hello", 5,
                   &response, &length, &protocol), STATUS_NO_SUCH_PACKAGE);
    good &= expect("ACQUIRE for package 1", client_pipe_acquire(&pipe_, 1, SECPKG_CRED_INBOUND,
                   NULL, &cred), SEC_E_OK);
    good &= expect("INIT on package 1's credential named as package 0's",
                   client_pipe_step(&pipe_, 0, FALSE, cred, &ctx, 0, NULL, 0, NULL, 0, out, &out_len,
                                    &attr, &packed, &plen), SEC_E_INVALID_HANDLE);
    good &= expect("FREE_CREDENTIAL of it named as package 0's",
                   client_pipe_free_credential(&pipe_, 0, cred), SEC_E_INVALID_HANDLE);
    good &= expect("FREE_CREDENTIAL of it named as package 99's",
                   client_pipe_free_credential(&pipe_, 99, cred), SEC_E_INVALID_HANDLE);
    good &= expect("FREE_CREDENTIAL of it as package 1's",
                   client_pipe_free_credential(&pipe_, 1, cred), SEC_E_OK);
    return good ? 0 : 1;
}

static int load_user_mode(void)
{
    HMODULE dll = LoadLibraryW(L"sspkg.dll");
    SpUserModeInitializeFn init = dll ? (SpUserModeInitializeFn)(void *)GetProcAddress(
                                            dll, "SpUserModeInitialize")
                                      : NULL;
    ULONG version, count;
    PVOID functions;

    return init && init(SECPKG_INTERFACE_VERSION, &version, &user, &count) == STATUS_SUCCESS &&
           user->InstanceInit(SECPKG_INTERFACE_VERSION, NULL, &functions) == STATUS_SUCCESS;
}

static int pair(const WCHAR *u, const WCHAR *pw)
{
    SEC_WINNT_AUTH_IDENTITY_W id = identity(u, pw);
    ULONG64 cc, sc, cctx = 0, sctx = 0;
    BYTE a[4096], b[4096], *packed;
    ULONG alen, blen, attr, plen;
    SECURITY_STATUS cs, ss = SEC_E_INTERNAL_ERROR, s;
    SecBuffer pk;
    char msg[] = "through lsahost";
    BYTE trailer[SSPKG_SEAL_TRAILER_SIZE];
    SecBuffer bufs[2] = { { sizeof(msg), SECBUFFER_DATA, msg }, { sizeof(trailer), SECBUFFER_TOKEN, trailer } };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, bufs };
    ULONG qop;
    int mapped = 0;

    if ((s = client_pipe_acquire(&pipe_, 0, SECPKG_CRED_OUTBOUND, &id, &cc)) != SEC_E_OK)
        return fail("acquire (client)", s);
    if ((s = client_pipe_acquire(&pipe_, 0, SECPKG_CRED_INBOUND, NULL, &sc)) != SEC_E_OK)
        return fail("acquire (server)", s);
    alen = sizeof(a);
    cs = client_pipe_step(&pipe_, 0, FALSE, cc, &cctx, ISC_REQ_CONFIDENTIALITY | ISC_REQ_MUTUAL_AUTH,
                          NULL, 0, NULL, 0, a, &alen, &attr, &packed, &plen);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        blen = sizeof(b);
        ss = client_pipe_step(&pipe_, 0, TRUE, sc, &sctx, ASC_REQ_CONFIDENTIALITY, a, alen, NULL, 0, b,
                              &blen, &attr, &packed, &plen);
        if (packed) {
            pk = (SecBuffer){ plen, SECBUFFER_TOKEN, packed };
            mapped += user->InitUserModeContext(sctx, &pk) == SEC_E_OK;
            HeapFree(GetProcessHeap(), 0, packed);
        }
        if (!blen)
            break;
        alen = sizeof(a);
        cs = client_pipe_step(&pipe_, 0, FALSE, cc, &cctx, ISC_REQ_CONFIDENTIALITY, b, blen, NULL, 0, a,
                              &alen, &attr, &packed, &plen);
        if (packed) {
            pk = (SecBuffer){ plen, SECBUFFER_TOKEN, packed };
            mapped += user->InitUserModeContext(cctx, &pk) == SEC_E_OK;
            HeapFree(GetProcessHeap(), 0, packed);
        }
    }
    printf("pipe_client: handshake: client 0x%08lx, server 0x%08lx, %d context(s) mapped\n",
           (unsigned long)cs, (unsigned long)ss, mapped);
    if (cs != SEC_E_OK || ss != SEC_E_OK || mapped != 2)
        return 1;
    s = user->SealMessage(cctx, 0, &desc, 0);
    if (s == SEC_E_OK)
        s = user->UnsealMessage(sctx, &desc, 0, &qop);
    printf("pipe_client: sealed through the user-mode half: 0x%08lx '%s'\n", (unsigned long)s, msg);
    if (s != SEC_E_OK || strcmp(msg, "through lsahost"))
        return 1;
    user->DeleteUserModeContext(cctx);
    user->DeleteUserModeContext(sctx);
    if (client_pipe_delete(&pipe_, 0, cctx) != SEC_E_OK || client_pipe_delete(&pipe_, 0, sctx) != SEC_E_OK ||
        client_pipe_delete(&pipe_, 0, sctx) != SEC_E_INVALID_HANDLE ||
        client_pipe_free_credential(&pipe_, 0, cc) != SEC_E_OK ||
        client_pipe_free_credential(&pipe_, 0, sc) != SEC_E_OK)
        return fail("clean-up", 0);
    printf("pipe_client: all well\n");
    return 0;
}

static int die(const WCHAR *u, const WCHAR *pw)
{
    SEC_WINNT_AUTH_IDENTITY_W id = identity(u, pw);
    ULONG64 cc, ctx = 0;
    BYTE a[4096], *packed;
    ULONG alen = sizeof(a), attr, plen;

    client_pipe_acquire(&pipe_, 0, SECPKG_CRED_OUTBOUND, &id, &cc);
    client_pipe_step(&pipe_, 0, FALSE, cc, &ctx, 0, NULL, 0, NULL, 0, a, &alen, &attr, &packed, &plen);
    printf("pipe_client: dying with a credential and a context open\n");
    fflush(stdout);
    ExitProcess(3);
}

/* Raw bytes on a fresh pipe, without HELLO unless the kind needs it. */
static int rogue(const WCHAR *name, const char *kind)
{
    static BYTE buf[LSA_WIRE_MAX_MESSAGE + 4096];
    lsa_wire_writer w;
    DWORD done, mode = PIPE_READMODE_MESSAGE;
    HANDLE h;
    size_t n = 0;

    if (!strcmp(kind, "forged")) {
        /* A well-behaved client naming a handle it never got: refused, not dropped. */
        ULONG64 ctx = 0x0200000001000001ull;
        BYTE out[64], *packed;
        ULONG out_len = sizeof(out), attr, plen;
        SECURITY_STATUS s = client_pipe_step(&pipe_, 0, FALSE, 0, &ctx, 0, "x", 1, NULL, 0, out, &out_len,
                                             &attr, &packed, &plen);
        SECURITY_STATUS d = client_pipe_delete(&pipe_, 0, 0x0200000001000001ull);
        SECURITY_STATUS f = client_pipe_free_credential(&pipe_, 0, 0x0100000001000001ull);
        printf("pipe_client: forged handles: step 0x%08lx, delete 0x%08lx, free 0x%08lx\n",
               (unsigned long)s, (unsigned long)d, (unsigned long)f);
        return s == SEC_E_INVALID_HANDLE && d == SEC_E_INVALID_HANDLE && f == SEC_E_INVALID_HANDLE
                   ? 0 : 1;
    }
    if (!strcmp(kind, "bigbinding")) {
        /* Channel bindings larger than lsahost takes (1024 bytes): the client is sent
         * away before the package sees them. */
        static BYTE bindings[2048];
        ULONG64 ctx = 0;
        BYTE out[64], *packed;
        ULONG out_len = sizeof(out), attr, plen;
        SECURITY_STATUS s = client_pipe_step(&pipe_, 0, FALSE, 0x0100000001000001ull, &ctx, 0,
                                             NULL, 0, bindings, sizeof(bindings), out, &out_len,
                                             &attr, &packed, &plen);
        SECURITY_STATUS d = client_pipe_delete(&pipe_, 0, 0x0200000001000001ull);
        printf("pipe_client: rogue bigbinding: step 0x%08lx, then %s\n", (unsigned long)s,
               d == SEC_E_INVALID_HANDLE ? "still connected (wrong)" : "dropped");
        return d == SEC_E_INVALID_HANDLE;
    }
    for (int tries = 0; (h = CreateFileW(name, CLIENT_PIPE_ACCESS, 0, NULL,
                                         OPEN_EXISTING, 0, NULL)) == INVALID_HANDLE_VALUE;
         tries++) {
        if (tries == 200)
            return fail("connect", GetLastError());
        Sleep(50);
    }
    SetNamedPipeHandleState(h, &mode, NULL, NULL);
    if (!strcmp(kind, "garbage")) {
        memcpy(buf, "this is not a pipe message at all", 33);
        n = 33;
    } else if (!strcmp(kind, "huge")) {
        memset(buf, 'A', sizeof(buf));
        n = sizeof(buf);
    } else if (!strcmp(kind, "early")) {
        lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_DELETE, 1);
        lsa_wire_put_u64(&w, LSA_FIELD_CONTEXT, 1);
        n = lsa_wire_finish(&w);
    } else if (!strcmp(kind, "liar")) {
        lsa_wire_begin(&w, buf, sizeof(buf), LSA_WIRE_HELLO, 1);
        lsa_wire_put_u32(&w, LSA_FIELD_PROCESS_ID, GetCurrentProcessId() + 4);
        n = lsa_wire_finish(&w);
    }
    WriteFile(h, buf, (DWORD)n, &done, NULL);
    /* The server hangs up: the read fails. */
    n = ReadFile(h, buf, sizeof(buf), &done, NULL);
    printf("pipe_client: rogue %s: %s\n", kind, n ? "answered (wrong)" : "dropped");
    CloseHandle(h);
    return n ? 1 : 0;
}

/* CallPackage over the pipe: the status anyone may read; user management only for a
 * trusted caller, which this process is not unless its token holds SeTcbPrivilege. */
static int call_package(void)
{
    SSPKG_CALL_REQUEST req = { SSPKG_CALL_GET_STATUS, 0, 0, 0, 0, 0, 0, 0 };
    BYTE set[64];
    SSPKG_CALL_REQUEST *r = (SSPKG_CALL_REQUEST *)set;
    void *response;
    ULONG len;
    NTSTATUS s, protocol;
    const SSPKG_STATUS_BLOCK *b;

    s = client_pipe_call_package(&pipe_, 0, &req, sizeof(req), &response, &len, &protocol);
    b = response;
    printf("pipe_client: GET_STATUS: 0x%08lx/0x%08lx, %lu bytes, magic %s, %llu handshakes succeeded\n",
           (unsigned long)s, (unsigned long)protocol, len,
           b && len == sizeof(*b) && b->Magic == SSPKG_STATUS_MAGIC ? "ok" : "wrong",
           b && len == sizeof(*b) ? (unsigned long long)b->HandshakesSucceeded : 0ull);
    if (response)
        VirtualFree(response, 0, MEM_RELEASE);
    memset(set, 0, sizeof(set));
    r->MessageType = SSPKG_CALL_SET_USER;
    r->NameOffset = sizeof(*r);
    r->NameLength = 6;
    r->SecretOffset = sizeof(*r) + 6;
    r->SecretLength = 2;
    memcpy(set + sizeof(*r), L"eve", 6);
    memcpy(set + sizeof(*r) + 6, L"x", 2);
    s = client_pipe_call_package(&pipe_, 0, set, sizeof(*r) + 8, &response, &len, &protocol);
    printf("pipe_client: SET_USER: 0x%08lx/0x%08lx\n", (unsigned long)s, (unsigned long)protocol);
    if (response)
        VirtualFree(response, 0, MEM_RELEASE);
    return 0;
}

/* A hostile client: it may write the section (Windows lets it), and does. */
static int scribble(DWORD ms)
{
    BYTE *view;
    DWORD start = GetTickCount();
    unsigned seed = GetCurrentProcessId();
    size_t committed = 0, passes = 0;

    if (!pipe_.section)
        return fail("section", 0);
    view = MapViewOfFile(pipe_.section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, pipe_.section_size);
    if (!view)
        return fail("map", GetLastError());
    while (GetTickCount() - start < ms) {
        /* Only committed pages (writing reserved ones faults on Windows); this view
         * and the client's read-only one are of the same section. */
        committed = client_pipe_section_readable(&pipe_);
        for (size_t i = 0; i < committed; i++) {
            seed = seed * 1103515245u + 12345u;
            view[i] = (BYTE)(seed >> 16);
        }
        passes++;
    }
    printf("pipe_client: scribbled over %zu committed bytes, %zu passes\n", committed, passes);
    UnmapViewOfFile(view);
    return 0;
}

/* A context that stays open, so its record is in the section while another process
 * looks: client-first sent, then nothing until stdin ends. */
static int hold(const WCHAR *u, const WCHAR *pw)
{
    SEC_WINNT_AUTH_IDENTITY_W id = identity(u, pw);
    ULONG64 cc, ctx = 0;
    BYTE a[4096], *packed;
    ULONG alen = sizeof(a), attr, plen;
    SECURITY_STATUS s;

    if ((s = client_pipe_acquire(&pipe_, 0, SECPKG_CRED_OUTBOUND, &id, &cc)) != SEC_E_OK)
        return fail("acquire", s);
    s = client_pipe_step(&pipe_, 0, FALSE, cc, &ctx, 0, NULL, 0, NULL, 0, a, &alen, &attr, &packed, &plen);
    if (s != SEC_I_CONTINUE_NEEDED)
        return fail("client-first", s);
    printf("pipe_client: holding\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    client_pipe_delete(&pipe_, 0, ctx);
    client_pipe_free_credential(&pipe_, 0, cc);
    return 0;
}

/* Where `needle` first occurs in the n bytes at `hay`, or -1. */
static long find_bytes(const BYTE *hay, size_t n, const void *needle, size_t len)
{
    for (size_t i = 0; len && i + len <= n; i++)
        if (!memcmp(hay + i, needle, len))
            return (long)i;
    return -1;
}

static int peek(const WCHAR *name)
{
    const BYTE *view = pipe_.section_view;
    size_t committed;
    char utf8[256];
    int n8 = WideCharToMultiByte(CP_UTF8, 0, name, -1, utf8, sizeof(utf8), NULL, NULL);
    size_t n16 = wcslen(name) * sizeof(WCHAR);

    if (!view || n8 <= 1)
        return fail("section", 0);
    committed = client_pipe_section_readable(&pipe_);
    printf("pipe_client: peek: %zu committed bytes; as UTF-8 at %ld; as UTF-16 at %ld\n",
           committed, find_bytes(view, committed, utf8, (size_t)n8 - 1),
           find_bytes(view, committed, name, n16));
    return 0;
}

/* Each call once, with its status: the fake lsahost answers one of them wrongly, and
 * the client code must refuse that answer without crashing. */
/* Two logons, the first one's token still held while the second is made: each answer's
 * token must be a new one, never a handle this process held already. */
static int probe_logons(void)
{
    static const BYTE submit[16] = { 2 };
    client_pipe_logon_request rq = { 0, Interactive, submit, sizeof(submit), "probe", 5, NULL };
    client_pipe_logon_answer first, second;
    NTSTATUS s;

    s = client_pipe_logon(&pipe_, &rq, &first);
    printf("pipe_client: logon 1: 0x%08lx\n", (unsigned long)s);
    if (s != STATUS_SUCCESS)
        return 1;
    s = client_pipe_logon(&pipe_, &rq, &second);
    printf("pipe_client: logon 2: 0x%08lx%s\n", (unsigned long)s,
           s == STATUS_SUCCESS && second.token == first.token ? ", the first logon's token again"
                                                               : "");
    CloseHandle(first.token);
    VirtualFree(first.profile, 0, MEM_RELEASE);
    if (s == STATUS_SUCCESS && second.token != first.token)
        CloseHandle(second.token);
    if (s == STATUS_SUCCESS && second.profile != first.profile)
        VirtualFree(second.profile, 0, MEM_RELEASE);
    return s == STATUS_SUCCESS ? 0 : 1;
}

static int probe(void)
{
    SEC_WINNT_AUTH_IDENTITY_W id = identity(L"alice", L"pencil");
    SSPKG_CALL_REQUEST req = { SSPKG_CALL_GET_STATUS, 0, 0, 0, 0, 0, 0, 0 };
    ULONG64 cred, ctx = 0;
    struct {
        BYTE token[64];
        BYTE canary[16];
    } out;
    BYTE *packed;
    ULONG out_len = sizeof(out.token), attr, plen, len;
    SecPkgContext_NamesW names;
    void *response;
    NTSTATUS protocol;
    SECURITY_STATUS s;

    memset(&out, 0xcc, sizeof(out));
    s = client_pipe_acquire(&pipe_, 0, SECPKG_CRED_OUTBOUND, &id, &cred);
    printf("pipe_client: acquire: 0x%08lx\n", (unsigned long)s);
    if (s != SEC_E_OK)
        return 1;
    s = client_pipe_step(&pipe_, 0, FALSE, cred, &ctx, 0, NULL, 0, NULL, 0, out.token, &out_len, &attr,
                         &packed, &plen);
    printf("pipe_client: init: 0x%08lx, %lu-byte token, the bytes after the buffer %s\n",
           (unsigned long)s, out_len, out.canary[0] == 0xcc && out.canary[15] == 0xcc
                                          ? "untouched" : "OVERWRITTEN");
    if (packed)
        HeapFree(GetProcessHeap(), 0, packed);
    if (s != SEC_E_OK && s != SEC_I_CONTINUE_NEEDED)
        return 1;
    s = client_pipe_query(&pipe_, 0, TRUE, ctx, SECPKG_ATTR_NAMES, &names);
    printf("pipe_client: query: 0x%08lx\n", (unsigned long)s);
    if (s != SEC_E_OK)
        return 1;
    printf("pipe_client: query names '%ls'\n", names.sUserName);
    VirtualFree(names.sUserName, 0, MEM_RELEASE);
    s = client_pipe_call_package(&pipe_, 0, &req, sizeof(req), &response, &len, &protocol);
    printf("pipe_client: call package: 0x%08lx, %lu bytes\n", (unsigned long)s, len);
    if (response)
        VirtualFree(response, 0, MEM_RELEASE);
    if (s != STATUS_SUCCESS)
        return 1;
    return probe_logons();
}

int wmain(int argc, WCHAR **argv)
{
    SECURITY_STATUS s;
    char kind[32] = "";

    _setmode(_fileno(stdout), _O_BINARY);
    if (argc < 3)
        return 2;
    if (!wcscmp(argv[1], L"rogue") && argc == 4)
        WideCharToMultiByte(CP_UTF8, 0, argv[3], -1, kind, sizeof(kind), NULL, NULL);
    /* Rogues other than "forged" and "bigbinding" make their own connection, and say no
     * HELLO. */
    if (!kind[0] || !strcmp(kind, "forged") || !strcmp(kind, "bigbinding")) {
        s = client_pipe_connect(&pipe_, argv[2], 10000, CLIENT_PIPE_UNTRUSTED);
        if (s != SEC_E_OK)
            return fail("connect", s);
    }
    if (kind[0])
        return rogue(argv[2], kind);
    if (!wcscmp(argv[1], L"callpkg") && argc == 3)
        return call_package();
    if (!wcscmp(argv[1], L"probe") && argc == 3)
        return probe();
    if (!wcscmp(argv[1], L"packages") && argc == 3)
        return packages();
    if (!wcscmp(argv[1], L"scribble") && argc == 4)
        return scribble((DWORD)_wtoi(argv[3]));
    if (!wcscmp(argv[1], L"peek") && argc == 4)
        return peek(argv[3]);
    if (!wcscmp(argv[1], L"hold") && argc == 5)
        return hold(argv[3], argv[4]);
    if ((argc != 5 && argc != 6) || !load_user_mode())
        return 2;
    if (!wcscmp(argv[1], L"pair")) {
        int rounds = argc == 6 ? _wtoi(argv[5]) : 1, r = 0;
        for (int i = 0; i < rounds && r == 0; i++)
            r = pair(argv[3], argv[4]);
        return r;
    }
    if (!wcscmp(argv[1], L"die"))
        return die(argv[3], argv[4]);
    return 2;
}
