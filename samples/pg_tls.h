/* pg_tls.h - a TLS client stream over a connected socket, with Schannel through SSPI
 * (secur32.dll): the handshake, then records sealed with EncryptMessage and opened with
 * DecryptMessage. Part of samples/pg_login.c. */
#ifndef SSPKG_SAMPLE_PG_TLS_H
#define SSPKG_SAMPLE_PG_TLS_H

#define SECURITY_WIN32
#include <winsock2.h>
#include <windows.h>
#include <sspi.h>

typedef struct pg_tls {
    SOCKET socket;
    PSecurityFunctionTableW sspi;   /* secur32's, for Schannel */
    CredHandle cred;
    CtxtHandle ctx;
    BOOL have_ctx;
    SecPkgContext_StreamSizes sizes;
    /* Bytes read from the socket not yet decrypted, and plaintext not yet handed out. */
    BYTE raw[32768];
    ULONG raw_len;
    BYTE clear[16384];              /* a TLS record holds at most 2^14 bytes */
    BYTE *plain;
    ULONG plain_len;
} pg_tls;

/* Handshake with the server named `host`. The server's certificate is not validated
 * (the tests' is self-signed): the sample prints its subject instead. FALSE with a
 * message printed on failure. */
BOOL pg_tls_start(pg_tls *t, SOCKET s, const WCHAR *host);

BOOL pg_tls_send(pg_tls *t, const void *data, ULONG len);
/* Up to len bytes of plaintext; 0 when the connection ended or failed. */
ULONG pg_tls_recv(pg_tls *t, void *data, ULONG len);

void pg_tls_close(pg_tls *t);

#endif
