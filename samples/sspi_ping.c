/* sspi_ping.c - a client and a server that authenticate with SCRAM-SHA-256 and then
 * exchange sealed and signed messages, written the way any SSPI program is: it takes a
 * provider's SecurityFunctionTableW from InitSecurityInterfaceW and uses nothing else.
 *
 *   sspi_ping [--provider=DLL] [--channel-binding=DATA] server PIPE
 *   sspi_ping [--provider=DLL] [--channel-binding=DATA] client PIPE USER PASSWORD
 *
 * The provider defaults to sspkg_client.dll, which talks to lsahost serve; any DLL with
 * InitSecurityInterfaceW can stand in (Wine's secur32.dll, say). The two ends talk over
 * the named pipe \\.\pipe\PIPE: each message is a 4-byte length and the bytes. Exit
 * status 0 when everything worked.
 *
 * --channel-binding binds the authentication to a channel (SCRAM-SHA-256-PLUS): DATA is
 * the application data of SEC_CHANNEL_BINDINGS as text, a type, a colon and the bytes
 * ("tls-unique:..."). A program over TLS takes the whole structure from Schannel instead
 * (QueryContextAttributes(SECPKG_ATTR_UNIQUE_BINDINGS or SECPKG_ATTR_ENDPOINT_BINDINGS))
 * and passes it the same way: a SECBUFFER_CHANNEL_BINDINGS buffer beside the token, in
 * every InitializeSecurityContext and AcceptSecurityContext call. */
#define SECURITY_WIN32
#include <windows.h>
#include <sspi.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static const WCHAR package[] = L"SCRAM-SHA-256";
static PSecurityFunctionTableW sspi;
static HANDLE link_;

/* SEC_CHANNEL_BINDINGS and its application data, as Schannel lays them out; length 0
 * when the program runs without. */
static union {
    SEC_CHANNEL_BINDINGS header;
    BYTE bytes[2048];
} bindings;
static ULONG bindings_len;

static int set_bindings(const WCHAR *text)
{
    size_t n = wcslen(text);

    if (n > sizeof(bindings) - sizeof(bindings.header))
        return 0;
    memset(&bindings, 0, sizeof(bindings));
    bindings.header.cbApplicationDataLength = (ULONG)n;
    bindings.header.dwApplicationDataOffset = sizeof(bindings.header);
    for (size_t i = 0; i < n; i++)
        bindings.bytes[sizeof(bindings.header) + i] = (BYTE)text[i];
    bindings_len = (ULONG)(sizeof(bindings.header) + n);
    return 1;
}

/* The input buffers of a context call: the token (when there is one) and the channel
 * bindings (when there are any). NULL when there is neither. */
static SecBufferDesc *input_buffers(SecBufferDesc *d, SecBuffer b[2], SecBuffer *token)
{
    ULONG n = 0;

    if (token)
        b[n++] = *token;
    if (bindings_len)
        b[n++] = (SecBuffer){ bindings_len, SECBUFFER_CHANNEL_BINDINGS, bindings.bytes };
    *d = (SecBufferDesc){ SECBUFFER_VERSION, n, b };
    return n ? d : NULL;
}

static int say(const char *what, SECURITY_STATUS s)
{
    printf("%s: 0x%08lx\n", what, (unsigned long)s);
    fflush(stdout);
    return s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED;
}

/* ---- The link between the two ends ---------------------------------------------------- */

static int send_blob(const void *data, ULONG len)
{
    DWORD done;
    return WriteFile(link_, &len, 4, &done, NULL) && (!len || WriteFile(link_, data, len, &done, NULL));
}

static int recv_blob(void *data, ULONG cap, ULONG *len)
{
    DWORD done, got = 0;

    if (!ReadFile(link_, len, 4, &done, NULL) || done != 4 || *len > cap)
        return 0;
    while (got < *len) {
        if (!ReadFile(link_, (BYTE *)data + got, *len - got, &done, NULL) || !done)
            return 0;
        got += done;
    }
    return 1;
}

/* ---- Messages after the handshake ------------------------------------------------------- */

/* Sends text sealed: [trailer length][trailer][data], as one blob. */
static int send_sealed(PCtxtHandle ctx, const char *text, ULONG trailer_size)
{
    BYTE blob[1024];
    ULONG len = (ULONG)strlen(text);
    SecBuffer b[2] = { { trailer_size, SECBUFFER_TOKEN, blob + 4 },
                       { len, SECBUFFER_DATA, blob + 4 + trailer_size } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };

    memcpy(blob + 4 + trailer_size, text, len);
    if (!say("EncryptMessage", sspi->EncryptMessage(ctx, 0, &d, 0)))
        return 0;
    memcpy(blob, &b[0].cbBuffer, 4);
    memmove(blob + 4 + b[0].cbBuffer, blob + 4 + trailer_size, len);
    return send_blob(blob, 4 + b[0].cbBuffer + len);
}

static int recv_sealed(PCtxtHandle ctx, char *text, ULONG cap)
{
    BYTE blob[1024];
    ULONG len, trailer;
    ULONG qop;

    if (!recv_blob(blob, sizeof(blob), &len) || len < 4)
        return 0;
    memcpy(&trailer, blob, 4);
    if (trailer > len - 4 || len - 4 - trailer >= cap)
        return 0;
    {
        SecBuffer b[2] = { { trailer, SECBUFFER_TOKEN, blob + 4 },
                           { len - 4 - trailer, SECBUFFER_DATA, blob + 4 + trailer } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
        if (!say("DecryptMessage", sspi->DecryptMessage(ctx, &d, 0, &qop)))
            return 0;
        memcpy(text, b[1].pvBuffer, b[1].cbBuffer);
        text[b[1].cbBuffer] = 0;
    }
    return 1;
}

static int send_signed(PCtxtHandle ctx, const char *text, ULONG sig_size)
{
    BYTE sig[256];
    ULONG len = (ULONG)strlen(text);
    SecBuffer b[2] = { { len, SECBUFFER_DATA, (void *)text }, { sig_size, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };

    if (!say("MakeSignature", sspi->MakeSignature(ctx, 0, &d, 0)))
        return 0;
    return send_blob(text, len) && send_blob(sig, b[1].cbBuffer);
}

static int recv_signed(PCtxtHandle ctx)
{
    char text[256];
    BYTE sig[256];
    ULONG len, sig_len, qop;

    if (!recv_blob(text, sizeof(text), &len) || !recv_blob(sig, sizeof(sig), &sig_len))
        return 0;
    {
        SecBuffer b[2] = { { len, SECBUFFER_DATA, text }, { sig_len, SECBUFFER_TOKEN, sig } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
        printf("signed message: '%.*s'\n", (int)len, text);
        return say("VerifySignature", sspi->VerifySignature(ctx, &d, 0, &qop));
    }
}

/* ---- The two ends ------------------------------------------------------------------------ */

static int client(const WCHAR *user, const WCHAR *password)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)user, (ULONG)wcslen(user), NULL, 0,
                                     (unsigned short *)password, (ULONG)wcslen(password),
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    ULONG flags = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
                  ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_ALLOCATE_MEMORY;
    CredHandle cred;
    CtxtHandle ctx;
    PSecPkgInfoW info;
    SecPkgContext_Sizes sizes;
    BYTE in[8192];
    ULONG in_len = 0, attrs;
    char text[256];
    SECURITY_STATUS s;
    int first = 1;

    if (!say("QuerySecurityPackageInfoW", sspi->QuerySecurityPackageInfoW((WCHAR *)package, &info)))
        return 1;
    printf("package %ls, max token %lu, capabilities 0x%08lx\n", info->Name, info->cbMaxToken,
           info->fCapabilities);
    sspi->FreeContextBuffer(info);
    if (!say("AcquireCredentialsHandleW", sspi->AcquireCredentialsHandleW(
             NULL, (WCHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred, NULL)))
        return 1;
    do {
        SecBuffer ib = { in_len, SECBUFFER_TOKEN, in }, ob = { 0, SECBUFFER_TOKEN, NULL }, ibs[2];
        SecBufferDesc id_, od = { SECBUFFER_VERSION, 1, &ob };
        s = sspi->InitializeSecurityContextW(&cred, first ? NULL : &ctx, NULL, flags, 0, 0,
                                             input_buffers(&id_, ibs, first ? NULL : &ib), 0,
                                             &ctx, &od, &attrs, NULL);
        first = 0;
        if (!say("InitializeSecurityContextW", s))
            return 1;
        if (ob.cbBuffer && !send_blob(ob.pvBuffer, ob.cbBuffer))
            return 1;
        sspi->FreeContextBuffer(ob.pvBuffer);
        if (s == SEC_I_CONTINUE_NEEDED && !recv_blob(in, sizeof(in), &in_len))
            return 1;
    } while (s == SEC_I_CONTINUE_NEEDED);
    printf("client: authenticated, attributes 0x%08lx\n", attrs);
    if (!say("QueryContextAttributesW(SIZES)",
             sspi->QueryContextAttributesW(&ctx, SECPKG_ATTR_SIZES, &sizes)))
        return 1;
    if (!send_sealed(&ctx, "ping from the client", sizes.cbSecurityTrailer) ||
        !recv_sealed(&ctx, text, sizeof(text)))
        return 1;
    printf("client got: '%s'\n", text);
    if (!send_signed(&ctx, "signed by the client", sizes.cbMaxSignature) || !recv_signed(&ctx))
        return 1;
    sspi->DeleteSecurityContext(&ctx);
    sspi->FreeCredentialsHandle(&cred);
    return strcmp(text, "pong from the server") != 0;
}

/* The server acts as the client for a moment: the thread takes the context's token
 * (the logon the package made for the user, docs/protocol.md), says whose it is, and
 * reverts. A provider that gives no token says so; the program goes on. */
static void show_impersonation(PCtxtHandle ctx)
{
    BYTE user[256];
    DWORD got;
    HANDLE token;
    WCHAR *sid = NULL;

    if (!say("ImpersonateSecurityContext", sspi->ImpersonateSecurityContext(ctx)))
        return;
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        if (GetTokenInformation(token, TokenUser, user, sizeof(user), &got) &&
            ConvertSidToStringSidW(((TOKEN_USER *)user)->User.Sid, &sid)) {
            printf("server: impersonating the client, the thread's token user is %ls\n", sid);
            LocalFree(sid);
        }
        CloseHandle(token);
    }
    say("RevertSecurityContext", sspi->RevertSecurityContext(ctx));
}

static int server(void)
{
    ULONG flags = ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
                  ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_ALLOCATE_MEMORY;
    CredHandle cred;
    CtxtHandle ctx;
    SecPkgContext_Sizes sizes;
    SecPkgContext_NamesW names;
    BYTE in[8192];
    ULONG in_len, attrs;
    char text[256];
    SECURITY_STATUS s;
    int first = 1;

    if (!say("AcquireCredentialsHandleW", sspi->AcquireCredentialsHandleW(
             NULL, (WCHAR *)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred, NULL)))
        return 1;
    do {
        SecBuffer ib = { 0, SECBUFFER_TOKEN, in }, ob = { 0, SECBUFFER_TOKEN, NULL }, ibs[2];
        SecBufferDesc id_, od = { SECBUFFER_VERSION, 1, &ob };
        if (!recv_blob(in, sizeof(in), &in_len))
            return 1;
        ib.cbBuffer = in_len;
        s = sspi->AcceptSecurityContext(&cred, first ? NULL : &ctx, input_buffers(&id_, ibs, &ib),
                                        flags, 0, &ctx, &od, &attrs, NULL);
        first = 0;
        if (ob.cbBuffer && !send_blob(ob.pvBuffer, ob.cbBuffer))
            return 1;
        sspi->FreeContextBuffer(ob.pvBuffer);
        if (!say("AcceptSecurityContext", s))
            return 1;
    } while (s == SEC_I_CONTINUE_NEEDED);
    if (say("QueryContextAttributesW(NAMES)",
            sspi->QueryContextAttributesW(&ctx, SECPKG_ATTR_NAMES, &names))) {
        printf("server: authenticated %ls, attributes 0x%08lx\n", names.sUserName, attrs);
        sspi->FreeContextBuffer(names.sUserName);
    }
    show_impersonation(&ctx);
    if (!say("QueryContextAttributesW(SIZES)",
             sspi->QueryContextAttributesW(&ctx, SECPKG_ATTR_SIZES, &sizes)))
        return 1;
    if (!recv_sealed(&ctx, text, sizeof(text)))
        return 1;
    printf("server got: '%s'\n", text);
    if (!send_sealed(&ctx, "pong from the server", sizes.cbSecurityTrailer) || !recv_signed(&ctx) ||
        !send_signed(&ctx, "signed by the server", sizes.cbMaxSignature))
        return 1;
    sspi->DeleteSecurityContext(&ctx);
    sspi->FreeCredentialsHandle(&cred);
    return strcmp(text, "ping from the client") != 0;
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *provider = L"sspkg_client.dll";
    WCHAR pipe_name[MAX_PATH];
    INIT_SECURITY_INTERFACE_W init;
    HMODULE dll;
    int a = 1;

    for (; a < argc && !wcsncmp(argv[a], L"--", 2); a++) {
        if (!wcsncmp(argv[a], L"--provider=", 11))
            provider = argv[a] + 11;
        else if (wcsncmp(argv[a], L"--channel-binding=", 18) || !set_bindings(argv[a] + 18))
            break;
    }
    if (argc - a < 2 || (wcscmp(argv[a], L"server") && (wcscmp(argv[a], L"client") || argc - a != 4))) {
        fprintf(stderr, "usage: sspi_ping [--provider=DLL] [--channel-binding=DATA] server PIPE\n"
                        "       sspi_ping [--provider=DLL] [--channel-binding=DATA] client PIPE "
                        "USER PASSWORD\n");
        return 2;
    }
    dll = LoadLibraryW(provider);
    init = dll ? (INIT_SECURITY_INTERFACE_W)(void *)GetProcAddress(dll, "InitSecurityInterfaceW") : NULL;
    if (!init || !(sspi = init())) {
        fprintf(stderr, "sspi_ping: %ls has no InitSecurityInterfaceW\n", provider);
        return 2;
    }
    swprintf(pipe_name, MAX_PATH, L"\\\\.\\pipe\\%ls", argv[a + 1]);
    if (!wcscmp(argv[a], L"server")) {
        link_ = CreateNamedPipeW(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1,
                                 8192, 8192, 0, NULL);
        if (link_ == INVALID_HANDLE_VALUE || (!ConnectNamedPipe(link_, NULL) &&
                                              GetLastError() != ERROR_PIPE_CONNECTED))
            return 2;
        return server();
    }
    for (int i = 0; (link_ = CreateFileW(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                         OPEN_EXISTING, 0, NULL)) == INVALID_HANDLE_VALUE; i++) {
        if (i == 200)
            return 2;
        Sleep(50);
    }
    return client(argv[a + 2], argv[a + 3]);
}
