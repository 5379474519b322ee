/* pg_login.c - a Windows program that logs in to PostgreSQL with SCRAM-SHA-256 through
 * SSPI alone, as any Windows client of a SASL protocol would: Winsock for the
 * connection, the SCRAM package for authentication (InitializeSecurityContextW turns
 * each server challenge into the next response), and with --tls, Schannel through SSPI
 * for TLS (PostgreSQL's SSLRequest first, then every message through EncryptMessage and
 * DecryptMessage).
 *
 *   pg_login [--provider=DLL] [--tls [--no-channel-binding | --corrupt-binding]]
 *            HOST PORT USER PASSWORD [DATABASE]
 *
 * The SCRAM package comes from DLL's InitSecurityInterfaceW (default sspkg_client.dll,
 * which talks to lsahost serve; secur32.dll with the package installed in Wine's LSA);
 * Schannel always from secur32.dll. It prints the server's parameters, runs
 * SELECT current_user, and prints the answer. Exit status: 0 logged in and queried,
 * 1 usage, 2 no connection (or TLS refused), 3 login refused (the server's message is
 * printed), 4 the server broke the protocol or the connection broke.
 *
 * Over TLS, when the server offers SCRAM-SHA-256-PLUS, the login is bound to the TLS
 * channel: Schannel gives tls-server-end-point (the server certificate's hash, RFC 5929)
 * with QueryContextAttributes(SECPKG_ATTR_ENDPOINT_BINDINGS) as SEC_CHANNEL_BINDINGS,
 * which goes to the SCRAM package as it is, in a SECBUFFER_CHANNEL_BINDINGS buffer
 * beside each token. --no-channel-binding logs in with SCRAM-SHA-256 instead;
 * --corrupt-binding (for tests) flips a bit of the binding, as a relay between two TLS
 * connections would present another certificate's hash, and the server must refuse.
 *
 * PostgreSQL's messages (protocol 3.0): a type byte, a 4-byte big-endian length that
 * counts itself, the body; the startup and SSL requests have no type byte. */
#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <sspi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pg_tls.h"

enum { EXIT_USAGE = 1, EXIT_NO_CONNECTION = 2, EXIT_REFUSED = 3, EXIT_BROKEN = 4 };

#define MAX_BODY (1024 * 1024)   /* the most this client accepts in one message */
#define SSL_REQUEST_CODE 80877103
#define PROTOCOL_3_0 196608
#define AUTH_OK 0
#define AUTH_SASL 10
#define AUTH_SASL_CONTINUE 11
#define AUTH_SASL_FINAL 12

static const WCHAR scram_package[] = L"SCRAM-SHA-256";

typedef struct pg_conn {
    SOCKET socket;
    pg_tls *tls;                 /* NULL: plain TCP */
    BYTE body[MAX_BODY];         /* the last message read */
    ULONG body_len;
    char type;
} pg_conn;

/* ---- Bytes on the connection ------------------------------------------------------------ */

static BOOL conn_send(pg_conn *c, const void *data, ULONG len)
{
    const char *p = data;

    if (c->tls)
        return pg_tls_send(c->tls, data, len);
    while (len) {
        int n = send(c->socket, p, (int)len, 0);
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (ULONG)n;
    }
    return TRUE;
}

static BOOL conn_recv(pg_conn *c, void *data, ULONG len)
{
    BYTE *p = data;

    while (len) {
        int n = c->tls ? (int)pg_tls_recv(c->tls, p, len) : recv(c->socket, (char *)p, (int)len, 0);
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (ULONG)n;
    }
    return TRUE;
}

static void put32(BYTE *p, ULONG v)
{
    p[0] = (BYTE)(v >> 24);
    p[1] = (BYTE)(v >> 16);
    p[2] = (BYTE)(v >> 8);
    p[3] = (BYTE)v;
}

static ULONG get32(const BYTE *p)
{
    return (ULONG)p[0] << 24 | (ULONG)p[1] << 16 | (ULONG)p[2] << 8 | p[3];
}

/* ---- Messages ----------------------------------------------------------------------------- */

/* Sends a message of `type` (0: none, as for startup) with the given body parts. */
static BOOL send_message(pg_conn *c, char type, const void *a, ULONG a_len, const void *b, ULONG b_len)
{
    BYTE header[5];
    ULONG at = 0;

    if (type)
        header[at++] = (BYTE)type;
    put32(header + at, 4 + a_len + b_len);
    return conn_send(c, header, at + 4) && (!a_len || conn_send(c, a, a_len)) &&
           (!b_len || conn_send(c, b, b_len));
}

/* Reads one message into c->type and c->body; FALSE (said why) when the connection
 * broke or the server sent a length this client does not accept. */
static BOOL read_message(pg_conn *c)
{
    BYTE header[5];
    ULONG len;

    if (!conn_recv(c, header, 5)) {
        printf("pg_login: the connection broke\n");
        return FALSE;
    }
    len = get32(header + 1);
    if (len < 4 || len - 4 > MAX_BODY) {
        printf("pg_login: the server sent a message of %lu bytes: not PostgreSQL's protocol\n", len);
        return FALSE;
    }
    c->type = (char)header[0];
    c->body_len = len - 4;
    if (!conn_recv(c, c->body, c->body_len)) {
        printf("pg_login: the connection broke\n");
        return FALSE;
    }
    return TRUE;
}

/* ErrorResponse and NoticeResponse: fields of a code byte and a string, then a zero. */
static void print_fields(const pg_conn *c, const char *what)
{
    const char *severity = "", *code = "", *message = "";
    ULONG at = 0;

    while (at < c->body_len && c->body[at]) {
        char field = (char)c->body[at++];
        const char *value = (const char *)c->body + at;
        size_t n = strnlen(value, c->body_len - at);
        if (at + n >= c->body_len)
            break;
        if (field == 'S')
            severity = value;
        else if (field == 'C')
            code = value;
        else if (field == 'M')
            message = value;
        at += (ULONG)n + 1;
    }
    printf("server %s: %s %s: %s\n", what, severity, code, message);
}

/* The next message that is not a notice; an ErrorResponse ends the exchange. */
static int next_message(pg_conn *c)
{
    for (;;) {
        if (!read_message(c))
            return EXIT_BROKEN;
        if (c->type == 'N') {
            print_fields(c, "notice");
            continue;
        }
        if (c->type == 'E') {
            print_fields(c, "error");
            return EXIT_REFUSED;
        }
        return 0;
    }
}

static int unexpected(const pg_conn *c, const char *during)
{
    printf("pg_login: during %s the server sent a '%c' message\n", during, c->type);
    return EXIT_BROKEN;
}

static int expect(pg_conn *c, char type, const char *during)
{
    int rc = next_message(c);

    if (!rc && c->type != type)
        rc = unexpected(c, during);
    return rc;
}

/* An authentication request of the given code, with its data after the code. */
static int expect_auth(pg_conn *c, ULONG code, const char *during)
{
    int rc = expect(c, 'R', during);

    if (rc)
        return rc;
    if (c->body_len < 4 || get32(c->body) != code) {
        printf("pg_login: during %s the server asked for authentication of kind %lu, not the "
               "SCRAM step this client expects (%lu)\n", during,
               c->body_len >= 4 ? get32(c->body) : 0ul, code);
        return c->body_len >= 4 && get32(c->body) != AUTH_SASL ? EXIT_REFUSED : EXIT_BROKEN;
    }
    return 0;
}

/* ---- Authentication ---------------------------------------------------------------------- */

static BOOL offers(const pg_conn *c, const char *mechanism)
{
    ULONG at = 4;

    while (at < c->body_len && c->body[at]) {
        const char *name = (const char *)c->body + at;
        size_t n = strnlen(name, c->body_len - at);
        if (at + n >= c->body_len)
            return FALSE;
        if (!strcmp(name, mechanism))
            return TRUE;
        at += (ULONG)n + 1;
    }
    return FALSE;
}

static void print_mechanisms(const pg_conn *c)
{
    printf("server offers:");
    for (ULONG at = 4; at < c->body_len && c->body[at];) {
        const char *name = (const char *)c->body + at;
        size_t n = strnlen(name, c->body_len - at);
        printf(" %.*s", (int)n, name);
        at += (ULONG)n + 1;
    }
    printf("\n");
}

/* One SCRAM step through the package: the server's data in, the next response out;
 * the channel bindings (NULL: none) beside the token in every call. */
static SECURITY_STATUS scram_step(PSecurityFunctionTableW sspi, CredHandle *cred, CtxtHandle *ctx,
                                  BOOL first, const BYTE *in, ULONG in_len,
                                  const SecPkgContext_Bindings *bindings, SecBuffer *out)
{
    SecBuffer ib[2] = { { in_len, SECBUFFER_TOKEN, (void *)in } };
    SecBufferDesc in_desc = { SECBUFFER_VERSION, first ? 0 : 1, first ? ib + 1 : ib };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, out };
    ULONG attributes;

    if (bindings) {
        ib[1] = (SecBuffer){ bindings->BindingsLength, SECBUFFER_CHANNEL_BINDINGS,
                             bindings->Bindings };
        in_desc.cBuffers++;
    }
    out->cbBuffer = 0;
    out->BufferType = SECBUFFER_TOKEN;
    out->pvBuffer = NULL;
    return sspi->InitializeSecurityContextW(cred, first ? NULL : ctx, NULL,
                                            ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY, 0, 0,
                                            in_desc.cBuffers ? &in_desc : NULL, 0, ctx,
                                            &out_desc, &attributes, NULL);
}

/* bindings: the TLS channel's, or NULL; used when the server offers -PLUS. */
static int authenticate(pg_conn *c, PSecurityFunctionTableW sspi, const WCHAR *user,
                        const WCHAR *password, const SecPkgContext_Bindings *bindings)
{
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)user, (ULONG)wcslen(user), NULL, 0,
                                     (unsigned short *)password, (ULONG)wcslen(password),
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    const char *mechanism = "SCRAM-SHA-256";
    size_t mechanism_size;
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer out;
    SECURITY_STATUS s;
    BYTE head[32];
    int rc;

    if ((rc = expect_auth(c, AUTH_SASL, "the login")))
        return rc;
    print_mechanisms(c);
    if (bindings && offers(c, "SCRAM-SHA-256-PLUS"))
        mechanism = "SCRAM-SHA-256-PLUS";
    else
        bindings = NULL;
    mechanism_size = strlen(mechanism) + 1;
    if (!offers(c, mechanism)) {
        printf("pg_login: the server does not offer %s\n", mechanism);
        return EXIT_REFUSED;
    }
    s = sspi->AcquireCredentialsHandleW(NULL, (WCHAR *)scram_package, SECPKG_CRED_OUTBOUND, NULL,
                                        &id, NULL, NULL, &cred, NULL);
    if (s != SEC_E_OK) {
        printf("pg_login: the %ls package refused credentials: 0x%08lx\n", scram_package, s);
        return EXIT_REFUSED;
    }
    /* client-first, in SASLInitialResponse: the mechanism, then the data's length. */
    s = scram_step(sspi, &cred, &ctx, TRUE, NULL, 0, bindings, &out);
    if (s == SEC_I_CONTINUE_NEEDED) {
        memcpy(head, mechanism, mechanism_size);
        put32(head + mechanism_size, out.cbBuffer);
        rc = send_message(c, 'p', head, (ULONG)mechanism_size + 4, out.pvBuffer, out.cbBuffer)
                 ? 0 : EXIT_BROKEN;
        sspi->FreeContextBuffer(out.pvBuffer);
        /* server-first -> client-final, in SASLResponse. */
        if (!rc && !(rc = expect_auth(c, AUTH_SASL_CONTINUE, "SCRAM"))) {
            s = scram_step(sspi, &cred, &ctx, FALSE, c->body + 4, c->body_len - 4, bindings,
                           &out);
            if (s == SEC_I_CONTINUE_NEEDED) {
                rc = send_message(c, 'p', out.pvBuffer, out.cbBuffer, NULL, 0) ? 0 : EXIT_BROKEN;
                sspi->FreeContextBuffer(out.pvBuffer);
            }
        }
        /* server-final: the package checks the server's signature. */
        if (!rc && s == SEC_I_CONTINUE_NEEDED && !(rc = expect_auth(c, AUTH_SASL_FINAL, "SCRAM"))) {
            s = scram_step(sspi, &cred, &ctx, FALSE, c->body + 4, c->body_len - 4, bindings,
                           &out);
            sspi->FreeContextBuffer(out.pvBuffer);
            if (s == SEC_E_OK)
                printf("authenticated with %s; the package verified the server's signature\n",
                       mechanism);
        }
        sspi->DeleteSecurityContext(&ctx);
    }
    sspi->FreeCredentialsHandle(&cred);
    if (!rc && s != SEC_E_OK) {
        printf("pg_login: the %ls package stopped the login: 0x%08lx\n", scram_package, s);
        /* The server may already have said why. */
        return EXIT_REFUSED;
    }
    return rc ? rc : expect_auth(c, AUTH_OK, "the end of the login");
}

/* ---- After the login ---------------------------------------------------------------------- */

/* ParameterStatus and BackendKeyData until ReadyForQuery. */
static int until_ready(pg_conn *c)
{
    for (;;) {
        int rc = next_message(c);
        if (rc || c->type == 'Z')
            return rc;
        if (c->type == 'S') {
            const char *name = (const char *)c->body;
            size_t n = strnlen(name, c->body_len);
            if (n + 1 < c->body_len)
                printf("server parameter %.*s = %.*s\n", (int)n, name,
                       (int)strnlen(name + n + 1, c->body_len - n - 1), name + n + 1);
        } else if (c->type != 'K') {
            return unexpected(c, "start-up");
        }
    }
}

static int query(pg_conn *c, const char *sql)
{
    int rc;

    if (!send_message(c, 'Q', sql, (ULONG)strlen(sql) + 1, NULL, 0))
        return EXIT_BROKEN;
    printf("query: %s\n", sql);
    for (;;) {
        if ((rc = next_message(c)) || c->type == 'Z')
            return rc;
        /* DataRow: a column count, then each column's length and bytes; one column here. */
        if (c->type == 'D' && c->body_len >= 6) {
            ULONG len = get32(c->body + 2);
            if (len != 0xffffffffu && len <= c->body_len - 6)
                printf("row: %.*s\n", (int)len, (const char *)c->body + 6);
        } else if (c->type != 'T' && c->type != 'C') {
            return unexpected(c, "the query");
        }
    }
}

/* ---- The program ---------------------------------------------------------------------------- */

static SOCKET connect_to(const WCHAR *host, const WCHAR *port)
{
    ADDRINFOW hints = { 0 }, *found = NULL;
    SOCKET s = INVALID_SOCKET;

    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (GetAddrInfoW(host, port, &hints, &found))
        return INVALID_SOCKET;
    for (ADDRINFOW *a = found; a && s == INVALID_SOCKET; a = a->ai_next) {
        s = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s != INVALID_SOCKET && connect(s, a->ai_addr, (int)a->ai_addrlen)) {
            closesocket(s);
            s = INVALID_SOCKET;
        }
    }
    FreeAddrInfoW(found);
    return s;
}

static PSecurityFunctionTableW load_sspi(const WCHAR *dll_name)
{
    HMODULE dll = LoadLibraryW(dll_name);
    INIT_SECURITY_INTERFACE_W init =
        dll ? (INIT_SECURITY_INTERFACE_W)(void *)GetProcAddress(dll, "InitSecurityInterfaceW") : NULL;
    return init ? init() : NULL;
}

static void put_string(BYTE *body, ULONG *at, const char *s)
{
    size_t n = strlen(s) + 1;

    memcpy(body + *at, s, n);
    *at += (ULONG)n;
}

/* The startup message: protocol 3.0, then name/value pairs, then a zero. The caller
 * keeps user and database under 257 bytes each. */
static BOOL send_startup(pg_conn *c, const char *user, const char *database)
{
    BYTE body[4 + 5 + 257 + 9 + 257 + 1];
    ULONG at = 4;

    put32(body, PROTOCOL_3_0);
    put_string(body, &at, "user");
    put_string(body, &at, user);
    put_string(body, &at, "database");
    put_string(body, &at, database);
    body[at++] = 0;
    return send_message(c, 0, body, at, NULL, 0);
}

static BOOL start_tls(pg_conn *c, pg_tls *tls, const WCHAR *host)
{
    BYTE request[4], answer = 0;

    put32(request, SSL_REQUEST_CODE);
    if (!send_message(c, 0, request, 4, NULL, 0) || !conn_recv(c, &answer, 1))
        return FALSE;
    if (answer != 'S') {
        printf("pg_login: the server does not speak TLS (it answered '%c' to SSLRequest)\n", answer);
        return FALSE;
    }
    if (!(tls->sspi = load_sspi(L"secur32.dll"))) {
        printf("pg_login: secur32.dll has no InitSecurityInterfaceW\n");
        return FALSE;
    }
    if (!pg_tls_start(tls, c->socket, host))
        return FALSE;
    c->tls = tls;
    return TRUE;
}

/* The TLS channel's binding from Schannel (tls-server-end-point), into *copy; with
 * corrupt, one bit of the certificate hash flipped. NULL when Schannel gives none. */
static const SecPkgContext_Bindings *channel_bindings(pg_tls *tls, BOOL corrupt,
                                                      SecPkgContext_Bindings *copy)
{
    static BYTE bytes[1024];
    SecPkgContext_Bindings b;
    SECURITY_STATUS s = tls->sspi->QueryContextAttributesW(&tls->ctx,
                                                           SECPKG_ATTR_ENDPOINT_BINDINGS, &b);

    if (s != SEC_E_OK || !b.Bindings || b.BindingsLength > sizeof(bytes) ||
        b.BindingsLength <= sizeof(SEC_CHANNEL_BINDINGS)) {
        printf("tls: Schannel gives no channel binding (0x%08lx): SCRAM-SHA-256 only\n", s);
        if (s == SEC_E_OK)
            tls->sspi->FreeContextBuffer(b.Bindings);
        return NULL;
    }
    memcpy(bytes, b.Bindings, b.BindingsLength);
    tls->sspi->FreeContextBuffer(b.Bindings);
    copy->BindingsLength = b.BindingsLength;
    copy->Bindings = (SEC_CHANNEL_BINDINGS *)bytes;
    printf("tls: channel binding from SECPKG_ATTR_ENDPOINT_BINDINGS, %lu bytes of application "
           "data (%.21s...)\n", copy->Bindings->cbApplicationDataLength,
           (const char *)bytes + copy->Bindings->dwApplicationDataOffset);
    if (corrupt) {
        bytes[copy->BindingsLength - 1] ^= 1;
        printf("tls: the binding's last byte corrupted (--corrupt-binding)\n");
    }
    return copy;
}

int wmain(int argc, WCHAR **argv)
{
    static pg_conn conn;
    static pg_tls tls;
    const WCHAR *provider = L"sspkg_client.dll";
    char user[257], database[257];
    PSecurityFunctionTableW sspi;
    BOOL use_tls = FALSE, no_binding = FALSE, corrupt = FALSE;
    SecPkgContext_Bindings copy;
    const SecPkgContext_Bindings *bindings = NULL;
    WSADATA wsa;
    int a = 1, rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    for (; a < argc && !wcsncmp(argv[a], L"--", 2); a++) {
        if (!wcsncmp(argv[a], L"--provider=", 11))
            provider = argv[a] + 11;
        else if (!wcscmp(argv[a], L"--tls"))
            use_tls = TRUE;
        else if (!wcscmp(argv[a], L"--no-channel-binding"))
            no_binding = TRUE;
        else if (!wcscmp(argv[a], L"--corrupt-binding"))
            corrupt = TRUE;
        else
            break;
    }
    if (argc - a < 4 || argc - a > 5 ||
        !WideCharToMultiByte(CP_UTF8, 0, argv[a + 2], -1, user, sizeof(user), NULL, NULL) ||
        !WideCharToMultiByte(CP_UTF8, 0, argc - a == 5 ? argv[a + 4] : L"postgres", -1,
                             database, sizeof(database), NULL, NULL)) {
        fprintf(stderr, "usage: pg_login [--provider=DLL] [--tls [--no-channel-binding | "
                        "--corrupt-binding]] HOST PORT USER PASSWORD [DATABASE]\n");
        return EXIT_USAGE;
    }
    if (!(sspi = load_sspi(provider))) {
        fprintf(stderr, "pg_login: %ls has no InitSecurityInterfaceW\n", provider);
        return EXIT_USAGE;
    }
    WSAStartup(MAKEWORD(2, 2), &wsa);
    conn.socket = connect_to(argv[a], argv[a + 1]);
    if (conn.socket == INVALID_SOCKET) {
        printf("pg_login: cannot connect to %ls port %ls\n", argv[a], argv[a + 1]);
        return EXIT_NO_CONNECTION;
    }
    if (use_tls && !start_tls(&conn, &tls, argv[a]))
        rc = EXIT_NO_CONNECTION;
    else if ((use_tls && !no_binding && !(bindings = channel_bindings(&tls, corrupt, &copy)) &&
              corrupt) || !send_startup(&conn, user, database))
        rc = EXIT_BROKEN;
    else if (!(rc = authenticate(&conn, sspi, argv[a + 2], argv[a + 3], bindings)) &&
             !(rc = until_ready(&conn)) && !(rc = query(&conn, "SELECT current_user")))
        send_message(&conn, 'X', NULL, 0, NULL, 0);
    if (conn.tls)
        pg_tls_close(&tls);
    closesocket(conn.socket);
    WSACleanup();
    printf("pg_login: %s\n", rc == 0 ? "done" : rc == EXIT_REFUSED ? "login refused" :
                             rc == EXIT_NO_CONNECTION ? "no connection" : "connection broken");
    return rc;
}
