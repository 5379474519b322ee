/* scram_binding.h - channel bindings for SCRAM-SHA-256-PLUS (RFC 5802 section 6): the
 * binding a context is given, and SEC_CHANNEL_BINDINGS, the form in which Windows
 * applications pass it (a SECBUFFER_CHANNEL_BINDINGS input buffer, filled from
 * Schannel's SECPKG_ATTR_ENDPOINT_BINDINGS or SECPKG_ATTR_UNIQUE_BINDINGS).
 *
 * SEC_CHANNEL_BINDINGS is eight 32-bit little-endian fields (initiator address type,
 * length, offset; acceptor address type, length, offset; application data length,
 * offset), then the data they point at; offsets count from the structure's first byte.
 * SCRAM binds only the application data, which Schannel fills with the binding's name,
 * a colon and the bytes: "tls-server-end-point:" and the certificate's hash (RFC 5929
 * section 4), "tls-unique:" and the first Finished message (RFC 5929 section 3), and
 * by the same rule "tls-exporter:" and 32 bytes of exporter output (RFC 9266).
 *
 * Nothing here allocates; every offset and length of the buffer is checked. */
#ifndef SSPKG_SCRAM_BINDING_H
#define SSPKG_SCRAM_BINDING_H

#include <stddef.h>
#include <stdint.h>

/* The longest binding data: tls-server-end-point with SHA-512 (RFC 5929 section 4.1
 * hashes the certificate with its signature's hash, SHA-256 at least). tls-unique is
 * 12 bytes in TLS 1.2, tls-exporter 32. */
#define SCRAM_MAX_BINDING 64
#define SCRAM_MAX_BINDING_TYPE 20   /* "tls-server-end-point" */
#define SCRAM_SEC_CHANNEL_BINDINGS_SIZE 32

typedef struct scram_binding {
    char type[SCRAM_MAX_BINDING_TYPE + 1];  /* one of the three names, NUL-terminated */
    size_t type_len;
    uint8_t data[SCRAM_MAX_BINDING];
    size_t data_len;                        /* 1..SCRAM_MAX_BINDING */
} scram_binding;

/* Why a buffer is not a binding sspkg can use. */
typedef enum scram_binding_error {
    SCRAM_BINDING_OK = 0,
    SCRAM_BINDING_SHORT,         /* smaller than SEC_CHANNEL_BINDINGS itself */
    SCRAM_BINDING_OUT_OF_RANGE,  /* an offset and length reach past the buffer */
    SCRAM_BINDING_NO_DATA,       /* no application data */
    SCRAM_BINDING_UNKNOWN_TYPE,  /* application data not "<known type>:<bytes>" */
    SCRAM_BINDING_EMPTY,         /* a type with no bytes after it */
    SCRAM_BINDING_TOO_LONG       /* more bytes than any TLS binding has */
} scram_binding_error;

/* A sentence for a person. */
const char *scram_binding_error_text(scram_binding_error e);

/* 1 when name[0..len) is one of tls-server-end-point, tls-unique, tls-exporter. */
int scram_binding_type_known(const char *name, size_t len);

/* Sets *out from a type name and its bytes, checked as from a buffer. */
scram_binding_error scram_binding_set(scram_binding *out, const char *type, size_t type_len,
                                      const uint8_t *data, size_t data_len);

/* Reads SEC_CHANNEL_BINDINGS (len bytes at buf, from anyone). The addresses, which
 * SCRAM has no place for, are checked but not used: *addresses is 1 when there were
 * any, so the caller can say it ignored them. */
scram_binding_error scram_binding_from_sec_channel_bindings(const uint8_t *buf, size_t len,
                                                            scram_binding *out,
                                                            int *addresses);

/* Writes b as SEC_CHANNEL_BINDINGS with its application data right after the
 * structure, as Schannel does. Returns the length, or 0 when cap is too small. */
size_t scram_binding_to_sec_channel_bindings(const scram_binding *b, uint8_t *out, size_t cap);

#endif
