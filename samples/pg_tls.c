/* pg_tls.c - a TLS client stream with Schannel through SSPI (pg_tls.h). */
#include "pg_tls.h"

#include <schannel.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

#define TLS_FLAGS (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)

static BOOL send_all(SOCKET s, const void *data, ULONG len)
{
    const char *p = data;

    while (len) {
        int n = send(s, p, (int)len, 0);
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (ULONG)n;
    }
    return TRUE;
}

/* More ciphertext from the socket into t->raw; FALSE when the connection ended. */
static BOOL read_more(pg_tls *t)
{
    int n;

    if (t->raw_len == sizeof(t->raw))
        return FALSE;
    n = recv(t->socket, (char *)t->raw + t->raw_len, (int)(sizeof(t->raw) - t->raw_len), 0);
    if (n <= 0)
        return FALSE;
    t->raw_len += (ULONG)n;
    return TRUE;
}

/* Keeps the bytes a call did not use (a SECBUFFER_EXTRA) at the start of t->raw. */
static void keep_extra(pg_tls *t, const SecBuffer *extra)
{
    if (extra->BufferType == SECBUFFER_EXTRA && extra->cbBuffer) {
        memmove(t->raw, t->raw + t->raw_len - extra->cbBuffer, extra->cbBuffer);
        t->raw_len = extra->cbBuffer;
    } else {
        t->raw_len = 0;
    }
}

static void print_server_certificate(pg_tls *t)
{
    PCCERT_CONTEXT cert = NULL;
    WCHAR subject[256];

    if (t->sspi->QueryContextAttributesW(&t->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert) != SEC_E_OK)
        return;
    CertNameToStrW(X509_ASN_ENCODING, &cert->pCertInfo->Subject, CERT_X500_NAME_STR, subject, 256);
    printf("tls: server certificate %ls (not validated: this sample trusts it)\n", subject);
    CertFreeCertificateContext(cert);
}

BOOL pg_tls_start(pg_tls *t, SOCKET s, const WCHAR *host)
{
    SCHANNEL_CRED sc;
    SECURITY_STATUS status;
    ULONG attributes;
    BOOL first = TRUE;

    t->socket = s;
    memset(&sc, 0, sizeof(sc));
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    status = t->sspi->AcquireCredentialsHandleW(NULL, (WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND,
                                                NULL, &sc, NULL, NULL, &t->cred, NULL);
    if (status != SEC_E_OK) {
        printf("tls: Schannel refused credentials: 0x%08lx\n", (unsigned long)status);
        return FALSE;
    }
    do {
        SecBuffer in[2] = { { t->raw_len, SECBUFFER_TOKEN, t->raw }, { 0, SECBUFFER_EMPTY, NULL } };
        SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
        SecBufferDesc in_desc = { SECBUFFER_VERSION, 2, in }, out_desc = { SECBUFFER_VERSION, 1, &out };

        status = t->sspi->InitializeSecurityContextW(&t->cred, first ? NULL : &t->ctx,
                                                     (WCHAR *)host, TLS_FLAGS, 0, 0,
                                                     first ? NULL : &in_desc, 0, &t->ctx,
                                                     &out_desc, &attributes, NULL);
        if (first)
            t->have_ctx = status == SEC_I_CONTINUE_NEEDED || status == SEC_E_OK;
        first = FALSE;
        if (out.cbBuffer && out.pvBuffer) {
            BOOL sent = send_all(s, out.pvBuffer, out.cbBuffer);
            t->sspi->FreeContextBuffer(out.pvBuffer);
            if (!sent) {
                printf("tls: the connection broke during the handshake\n");
                return FALSE;
            }
        }
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            status = SEC_I_CONTINUE_NEEDED;
            if (!read_more(t))
                break;
            continue;
        }
        if (status == SEC_I_CONTINUE_NEEDED || status == SEC_E_OK)
            keep_extra(t, &in[1]);
        if (status == SEC_I_CONTINUE_NEEDED && !t->raw_len && !read_more(t))
            break;
    } while (status == SEC_I_CONTINUE_NEEDED);
    if (status != SEC_E_OK) {
        printf("tls: handshake failed: 0x%08lx\n", (unsigned long)status);
        return FALSE;
    }
    status = t->sspi->QueryContextAttributesW(&t->ctx, SECPKG_ATTR_STREAM_SIZES, &t->sizes);
    if (status != SEC_E_OK) {
        printf("tls: no stream sizes: 0x%08lx\n", (unsigned long)status);
        return FALSE;
    }
    print_server_certificate(t);
    return TRUE;
}

BOOL pg_tls_send(pg_tls *t, const void *data, ULONG len)
{
    BYTE record[16384 + 512];

    while (len) {
        ULONG n = len < t->sizes.cbMaximumMessage ? len : t->sizes.cbMaximumMessage;
        SecBuffer b[4] = { { t->sizes.cbHeader, SECBUFFER_STREAM_HEADER, record },
                           { n, SECBUFFER_DATA, record + t->sizes.cbHeader },
                           { t->sizes.cbTrailer, SECBUFFER_STREAM_TRAILER, record + t->sizes.cbHeader + n },
                           { 0, SECBUFFER_EMPTY, NULL } };
        SecBufferDesc d = { SECBUFFER_VERSION, 4, b };

        if (t->sizes.cbHeader + n + t->sizes.cbTrailer > sizeof(record))
            return FALSE;
        memcpy(record + t->sizes.cbHeader, data, n);
        if (t->sspi->EncryptMessage(&t->ctx, 0, &d, 0) != SEC_E_OK ||
            !send_all(t->socket, record, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer))
            return FALSE;
        data = (const BYTE *)data + n;
        len -= n;
    }
    return TRUE;
}

/* One record out of t->raw: its plaintext into t->clear, the bytes after it kept. */
static SECURITY_STATUS open_record(pg_tls *t)
{
    SecBuffer b[4] = { { t->raw_len, SECBUFFER_DATA, t->raw }, { 0, SECBUFFER_EMPTY, NULL },
                       { 0, SECBUFFER_EMPTY, NULL }, { 0, SECBUFFER_EMPTY, NULL } };
    SecBufferDesc d = { SECBUFFER_VERSION, 4, b };
    SECURITY_STATUS status = t->sspi->DecryptMessage(&t->ctx, &d, 0, NULL);
    const SecBuffer *extra = NULL;

    if (status != SEC_E_OK)
        return status;
    for (int i = 1; i < 4; i++) {
        if (b[i].BufferType == SECBUFFER_DATA && b[i].cbBuffer <= sizeof(t->clear)) {
            memcpy(t->clear, b[i].pvBuffer, b[i].cbBuffer);
            t->plain = t->clear;
            t->plain_len = b[i].cbBuffer;
        } else if (b[i].BufferType == SECBUFFER_EXTRA) {
            extra = &b[i];
        }
    }
    if (extra)
        keep_extra(t, extra);
    else
        t->raw_len = 0;
    return SEC_E_OK;
}

ULONG pg_tls_recv(pg_tls *t, void *data, ULONG len)
{
    while (!t->plain_len) {
        SECURITY_STATUS status = t->raw_len ? open_record(t) : SEC_E_INCOMPLETE_MESSAGE;

        if (status == SEC_E_INCOMPLETE_MESSAGE && read_more(t))
            continue;
        if (status != SEC_E_OK)
            return 0;
    }
    if (len > t->plain_len)
        len = t->plain_len;
    memcpy(data, t->plain, len);
    t->plain += len;
    t->plain_len -= len;
    return len;
}

void pg_tls_close(pg_tls *t)
{
    if (t->have_ctx)
        t->sspi->DeleteSecurityContext(&t->ctx);
    t->sspi->FreeCredentialsHandle(&t->cred);
}
