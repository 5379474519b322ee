/* logon_client.c - LsaLogonUser through sspkg_client.dll against lsahost serve with the
 * test authentication package (test/packages/authpkg.c: alice/pencil), linked as a
 * logon program written for secur32 would be (test/t/68-lsa-logon.t runs it). TAP. */
#include "../../src/winapi.h"
#include "../tap.h"

#include <string.h>
#include <wchar.h>

/* An MSV1_0_INTERACTIVE_LOGON-shaped submit buffer, the strings after the structure,
 * the pointers into this buffer (the caller's own memory, as LsaLogonUser's caller
 * builds it). */
typedef struct submit_buffer {
    MSV1_0_INTERACTIVE_LOGON logon;
    WCHAR text[64];
} submit_buffer;

static ULONG build(submit_buffer *b, const WCHAR *user, const WCHAR *password)
{
    const WCHAR *text[3] = { L"", user, password };
    UNICODE_STRING *field[3] = { &b->logon.LogonDomainName, &b->logon.UserName, &b->logon.Password };
    WCHAR *at = b->text;

    memset(b, 0, sizeof(*b));
    b->logon.MessageType = MsV1_0InteractiveLogon;
    for (int i = 0; i < 3; i++) {
        USHORT bytes = (USHORT)(wcslen(text[i]) * sizeof(WCHAR));
        memcpy(at, text[i], bytes);
        field[i]->Length = field[i]->MaximumLength = bytes;
        field[i]->Buffer = at;
        at += bytes / sizeof(WCHAR);
    }
    return (ULONG)((BYTE *)at - (BYTE *)b);
}

static LSA_STRING ansi(char *s)
{
    LSA_STRING l = { (USHORT)strlen(s), (USHORT)(strlen(s) + 1), s };
    return l;
}

typedef struct logon_out {
    void *profile;
    ULONG profile_length;
    LUID id;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
} logon_out;

static NTSTATUS logon(HANDLE lsa, SECURITY_LOGON_TYPE type, void *submit, ULONG length,
                      PTOKEN_GROUPS groups, logon_out *o)
{
    char origin_text[] = "logon_client";
    LSA_STRING origin = ansi(origin_text);
    TOKEN_SOURCE source = { "logoncl", { 0, 0 } };

    memset(o, 0x5a, sizeof(*o));
    return LsaLogonUser(lsa, &origin, type, 0, submit, length, groups, &source, &o->profile,
                        &o->profile_length, &o->id, &o->token, &o->quotas, &o->sub);
}

static BOOL cleared(const logon_out *o)
{
    static const QUOTA_LIMITS zero;
    return !o->profile && !o->profile_length && !o->id.LowPart && !o->id.HighPart && !o->token &&
           !memcmp(&o->quotas, &zero, sizeof(zero));
}

/* Whether two tokens have the same user. */
static BOOL same_user(HANDLE a, HANDLE b)
{
    BYTE ua[256], ub[256];
    DWORD got;

    return GetTokenInformation(a, TokenUser, ua, sizeof(ua), &got) &&
           GetTokenInformation(b, TokenUser, ub, sizeof(ub), &got) &&
           EqualSid(((TOKEN_USER *)ua)->User.Sid, ((TOKEN_USER *)ub)->User.Sid);
}

/* `logon_client twice`: two logons with package 0, the first one's outputs still held
 * while the second is made, against whatever serves SSPKG_PIPE (test/t/64-fake-server.t:
 * a server that hands out the first logon's profile again). Not TAP: one line each. */
static int twice(void)
{
    static BYTE submit[16] = { 2 };
    HANDLE lsa = NULL;
    logon_out first, second;
    NTSTATUS s = LsaConnectUntrusted(&lsa);

    printf("logon_client: connect: 0x%08lx\n", (unsigned long)s);
    if (s != STATUS_SUCCESS)
        return 1;
    s = logon(lsa, Interactive, submit, sizeof(submit), NULL, &first);
    printf("logon_client: logon 1: 0x%08lx\n", (unsigned long)s);
    if (s != STATUS_SUCCESS)
        return 1;
    s = logon(lsa, Interactive, submit, sizeof(submit), NULL, &second);
    printf("logon_client: logon 2: 0x%08lx%s\n", (unsigned long)s,
           s == STATUS_SUCCESS && second.profile == first.profile
               ? ", the first logon's profile again" : "");
    LsaFreeReturnBuffer(first.profile);
    CloseHandle(first.token);
    if (s == STATUS_SUCCESS) {
        printf("logon_client: freeing logon 2's profile: 0x%08lx\n",
               (unsigned long)LsaFreeReturnBuffer(second.profile));
        CloseHandle(second.token);
    }
    LsaDeregisterLogonProcess(lsa);
    return s == STATUS_SUCCESS ? 0 : 1;
}

/* `logon_client once`: alice logs on with package 0 (authpkg), and the session ends
 * with the connection (test/t/68-lsa-logon.t: what the other packages lsahost serves are
 * told). Not TAP: one line. */
static int once(void)
{
    HANDLE lsa = NULL;
    submit_buffer b;
    ULONG length = build(&b, L"alice", L"pencil");
    logon_out o;
    NTSTATUS s = LsaConnectUntrusted(&lsa);

    if (s == STATUS_SUCCESS)
        s = logon(lsa, Interactive, &b, length, NULL, &o);
    printf("logon_client: logon: 0x%08lx\n", (unsigned long)s);
    if (s == STATUS_SUCCESS) {
        LsaFreeReturnBuffer(o.profile);
        CloseHandle(o.token);
    }
    if (lsa)
        LsaDeregisterLogonProcess(lsa);
    return s == STATUS_SUCCESS ? 0 : 1;
}

int main(int argc, char **argv)
{
    char name_text[] = "authpkg";
    LSA_STRING name = ansi(name_text);
    HANDLE lsa = NULL, own = NULL;
    ULONG package = 99;
    submit_buffer b;
    ULONG length;
    logon_out o;
    NTSTATUS s;
    TOKEN_GROUPS groups = { 0, { { NULL, 0 } } };
    void *gone;
    int made = 0;

    if (argc == 2 && !strcmp(argv[1], "twice"))
        return twice();
    if (argc == 2 && !strcmp(argv[1], "once"))
        return once();
    tap_start();
    s = LsaConnectUntrusted(&lsa);
    ok(s == STATUS_SUCCESS, "LsaConnectUntrusted (0x%08lx)", s);
    s = LsaLookupAuthenticationPackage(lsa, &name, &package);
    ok(s == STATUS_SUCCESS && package == 0, "LsaLookupAuthenticationPackage(\"authpkg\"): 0 (0x%08lx)", s);

    length = build(&b, L"alice", L"pencil");
    s = logon(lsa, Interactive, &b, length, NULL, &o);
    ok(s == STATUS_SUCCESS && o.sub == STATUS_SUCCESS,
       "LsaLogonUser(alice, pencil): STATUS_SUCCESS (0x%08lx, sub 0x%08lx)", s, o.sub);
    ok(o.id.LowPart || o.id.HighPart, "... a logon id (%08lx:%08lx)", (unsigned long)o.id.HighPart,
       o.id.LowPart);
    ok(o.profile_length == 16 && o.profile && !memcmp(o.profile, "authpkg profile", 16),
       "... the package's 16-byte profile, in this process");
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &own);
    ok(o.token && o.token != own && same_user(o.token, own),
       "... a token handle of this process: a copy of its own token (lsahost's stand-in)");
    ok(!o.quotas.PagedPoolLimit && !o.quotas.MaximumWorkingSetSize,
       "... quotas all zero (lsahost applies none)");
    ok(LsaFreeReturnBuffer(o.profile) == STATUS_SUCCESS, "LsaFreeReturnBuffer(profile): STATUS_SUCCESS");
    ok(CloseHandle(o.token), "the token closes");

    length = build(&b, L"alice", L"wrong");
    s = logon(lsa, Interactive, &b, length, NULL, &o);
    ok(s == STATUS_LOGON_FAILURE && o.sub == STATUS_WRONG_PASSWORD && cleared(&o),
       "wrong password: STATUS_LOGON_FAILURE, sub-status STATUS_WRONG_PASSWORD, outputs cleared "
       "(0x%08lx, 0x%08lx)", s, o.sub);

    s = logon(lsa, Interactive, &b, 8, NULL, &o);
    ok(s == STATUS_INVALID_PARAMETER && cleared(&o),
       "a submit buffer shorter than its structure: the package's STATUS_INVALID_PARAMETER (0x%08lx)", s);

    /* Past the end of the user address space. (Not reserved memory: Wine reads another
     * process's memory through /proc, where reserved pages read as zeros.) */
    gone = (void *)(ULONG_PTR)0x0000800000000000ull;
    s = logon(lsa, Interactive, gone, 64, NULL, &o);
    ok(s == STATUS_ACCESS_VIOLATION && cleared(&o),
       "a submit buffer at an address no process has: STATUS_ACCESS_VIOLATION (0x%08lx)", s);

    s = logon(lsa, Interactive, &b, 64 * 1024 + 1, NULL, &o);
    ok(s == STATUS_INVALID_PARAMETER, "a submit buffer over 64 KiB: STATUS_INVALID_PARAMETER (0x%08lx)", s);

    length = build(&b, L"alice", L"pencil");
    s = logon(lsa, (SECURITY_LOGON_TYPE)99, &b, length, NULL, &o);
    ok(s == STATUS_INVALID_LOGON_TYPE, "logon type 99: STATUS_INVALID_LOGON_TYPE (0x%08lx)", s);

    s = logon(lsa, Interactive, &b, length, &groups, &o);
    ok(s == STATUS_PRIVILEGE_NOT_HELD && cleared(&o),
       "LocalGroups on an untrusted handle: STATUS_PRIVILEGE_NOT_HELD, as documented (0x%08lx)", s);

    s = LsaLogonUser(lsa, NULL, Interactive, 0, &b, length, NULL, NULL, &o.profile,
                     &o.profile_length, &o.id, &o.token, &o.quotas, &o.sub);
    ok(s == STATUS_INVALID_PARAMETER, "no OriginName: STATUS_INVALID_PARAMETER (0x%08lx)", s);
    s = LsaLogonUser(lsa, &name, Interactive, 1, &b, length, NULL, NULL, &o.profile,
                     &o.profile_length, &o.id, &o.token, &o.quotas, &o.sub);
    ok(s == STATUS_NO_SUCH_PACKAGE, "package id 1: STATUS_NO_SUCH_PACKAGE (0x%08lx)", s);

    /* A connection holds at most 16 logon sessions; they end with it. */
    for (int i = 0; i < 17; i++) {
        s = logon(lsa, Network, &b, length, NULL, &o);
        if (s != STATUS_SUCCESS)
            break;
        made++;
        LsaFreeReturnBuffer(o.profile);
        CloseHandle(o.token);
    }
    /* The first logon above still holds its session (closing the token does not end it). */
    ok(made == 15 && s == STATUS_QUOTA_EXCEEDED,
       "logon sessions on one connection: 16 in all, then STATUS_QUOTA_EXCEEDED (%d more, 0x%08lx)",
       made, s);
    ok(LsaDeregisterLogonProcess(lsa) == STATUS_SUCCESS, "LsaDeregisterLogonProcess: its sessions end");
    CloseHandle(own);
    return done_testing();
}
