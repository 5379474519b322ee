/* lsa_wire.h - the messages between the client SSPI DLL and lsahost's server mode, as
 * they travel over the named pipe: a fixed header, then typed fields.
 *
 *   header (16 bytes, little-endian):
 *     magic   u32  "SSPW"
 *     version u16  LSA_WIRE_VERSION
 *     type    u16  LSA_WIRE_* message type
 *     call    u32  the caller's number for the call; the answer carries the same one
 *     length  u32  bytes of fields that follow, at most LSA_WIRE_MAX_FIELDS_SIZE
 *   fields, each:
 *     tag     u16  what the field is (LSA_FIELD_*)
 *     kind    u16  LSA_KIND_U32, LSA_KIND_U64 or LSA_KIND_BYTES
 *     size    u32  4 for U32, 8 for U64, else the byte count
 *     value        the value, then zero padding to a multiple of 4
 *
 * Both ends treat everything that arrives as hostile: the reader checks the header,
 * every field's bounds, its kind against the tag's, the padding, and that each tag
 * appears at most once and nothing is left over. Readers and writers work in buffers
 * the caller supplies; nothing here allocates. Every reader and getter that fails leaves
 * its outputs zero (NULL, 0, a message with no type, call or fields), never half
 * filled. Portable C17 (native tests, fuzzing). */
#ifndef SSPKG_LSA_WIRE_H
#define SSPKG_LSA_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define LSA_WIRE_MAGIC 0x57505353u          /* "SSPW" */
#define LSA_WIRE_VERSION 1u
#define LSA_WIRE_HEADER_SIZE 16u
#define LSA_WIRE_MAX_FIELDS_SIZE (80u * 1024u)
#define LSA_WIRE_MAX_MESSAGE (LSA_WIRE_HEADER_SIZE + LSA_WIRE_MAX_FIELDS_SIZE)
/* The largest channel bindings lsahost takes: ten times what a TLS binding needs (32
 * bytes of SEC_CHANNEL_BINDINGS, a type name, at most 64 bytes of hash). */
#define LSA_WIRE_MAX_CHANNEL_BINDINGS 1024u
/* The largest attribute value SET_ATTRIBUTES carries (SetContextAttributes,
 * SetCredentialsAttributes): 64 KiB, the most lsahost takes of any one thing a client
 * hands the package (a token, a CallPackage request). The client refuses a larger one
 * before sending (SEC_E_INSUFFICIENT_MEMORY); lsahost drops a client that sends one. */
#define LSA_WIRE_MAX_ATTRIBUTE 65536u
/* The longest string CHANGE_PASSWORD carries (domain, account, old and new password):
 * 1024 UTF-16 units, 2048 bytes. A UNICODE_STRING could hold 32767, but no account name
 * or password anyone types comes near 1024 (Windows caps passwords at 256 characters),
 * and the four at the cap still fit one message. The client refuses a longer one before
 * sending (SEC_E_INVALID_PARAMETER); lsahost drops a client that sends one. */
#define LSA_WIRE_MAX_PASSWORD_STRING 1024u
/* DOMAIN_PASSWORD_INFORMATION as ntsecapi.h lays it out (two USHORTs, a ULONG, two
 * LARGE_INTEGERs): what CHANGE_PASSWORD's answer carries when the package wrote one. */
#define LSA_WIRE_PASSWORD_INFO_SIZE 24u

/* Message types: a request from the client, answered by the same type with
 * LSA_WIRE_ANSWER set. */
#define LSA_WIRE_ANSWER 0x8000u
/* Requests about a package's credentials, contexts or messages carry LSA_FIELD_PACKAGE,
 * the package id (absent: 0); the server checks it against the packages it has. */
enum {
    LSA_WIRE_HELLO = 1,          /* process id -> package 0's SecPkgInfo fields and DLL,
                                    the number of packages */
    LSA_WIRE_ACQUIRE,            /* use, identity address -> status, credential */
    LSA_WIRE_FREE_CREDENTIAL,    /* credential -> status */
    LSA_WIRE_INIT,               /* credential, context, flags, token, channel bindings ->
                                    status, context, attributes, token, packed-context
                                    handle */
    LSA_WIRE_ACCEPT,             /* the same for the server side */
    LSA_WIRE_DELETE,             /* context -> status */
    LSA_WIRE_QUERY,              /* context or credential, attribute, address -> status;
                                    the package writes the answer into the client */
    LSA_WIRE_GOODBYE,            /* the server is shutting down (server to client) */
    LSA_WIRE_CALL_PACKAGE,       /* request bytes, their address in the client -> status,
                                    protocol status, return buffer address and length */
    LSA_WIRE_LOGON,              /* logon type, submit buffer address and length in the
                                    client, origin, source -> status, sub-status, logon
                                    id, profile address and length, token handle */
    LSA_WIRE_PACKAGE_INFO,       /* package id -> status, its SecPkgInfo fields and DLL */
    LSA_WIRE_SET_ATTRIBUTES,     /* context or credential, attribute, value (at most
                                    LSA_WIRE_MAX_ATTRIBUTE bytes) -> status: the
                                    package's SpSetContextAttributes or
                                    SpSetCredentialsAttributes on a copy in LSA memory */
    LSA_WIRE_CHANGE_PASSWORD,    /* domain, user, password, new password (each at most
                                    LSA_WIRE_MAX_PASSWORD_STRING UTF-16 units),
                                    impersonating -> status and, when the package wrote
                                    one, PASSWORD_INFO: the package's
                                    SpChangeAccountPassword (ChangeAccountPasswordW) */
    LSA_WIRE_TYPE_LAST = LSA_WIRE_CHANGE_PASSWORD
};

/* Field tags, and the kind each must have. */
enum {
    LSA_FIELD_STATUS = 1,        /* U32: SECURITY_STATUS / NTSTATUS */
    LSA_FIELD_PROCESS_ID,        /* U32 */
    LSA_FIELD_USE,               /* U32: SECPKG_CRED_INBOUND / OUTBOUND */
    LSA_FIELD_USER,              /* BYTES: UTF-16LE, no terminator */
    LSA_FIELD_PASSWORD,          /* BYTES: UTF-16LE, no terminator */
    LSA_FIELD_CREDENTIAL,        /* U64: LSA_SEC_HANDLE */
    LSA_FIELD_CONTEXT,           /* U64: LSA_SEC_HANDLE */
    LSA_FIELD_FLAGS,             /* U32: ISC_REQ_* / ASC_REQ_* */
    LSA_FIELD_ATTRIBUTES,        /* U32: ISC_RET_* / ASC_RET_* */
    LSA_FIELD_TOKEN,             /* BYTES */
    LSA_FIELD_PACKED_HANDLE,     /* U64: SHAllocShared handle, valid in the client */
    LSA_FIELD_PACKED_SIZE,       /* U32 */
    LSA_FIELD_SECTION,           /* U64: section handle, valid in the client */
    LSA_FIELD_SECTION_SIZE,      /* U32 */
    LSA_FIELD_NAME,              /* BYTES: UTF-16LE */
    LSA_FIELD_ATTRIBUTE,         /* U32: SECPKG_ATTR_* */
    LSA_FIELD_VALUE,             /* BYTES */
    LSA_FIELD_IDENTITY,          /* U64: address of a SEC_WINNT_AUTH_IDENTITY_W(_EX) in
                                    the client, which the LSA reads from there */
    LSA_FIELD_ADDRESS,           /* U64: where in the client a query's answer goes */
    LSA_FIELD_CAPABILITIES,      /* U32: SecPkgInfo fCapabilities */
    LSA_FIELD_VERSION,           /* U32: wVersion | wRPCID << 16 */
    LSA_FIELD_MAX_TOKEN,         /* U32: cbMaxToken */
    LSA_FIELD_COMMENT,           /* BYTES: UTF-16LE */
    LSA_FIELD_PROTOCOL_STATUS,   /* U32: NTSTATUS from the package's CallPackage */
    LSA_FIELD_LENGTH,            /* U32 */
    LSA_FIELD_LOGON_PROCESS,     /* U32 in HELLO: 1 when the client connects as a logon
                                    process (LsaRegisterLogonProcess); lsahost checks
                                    the client's SeTcbPrivilege itself */
    LSA_FIELD_LOGON_TYPE,        /* U32: SECURITY_LOGON_TYPE */
    LSA_FIELD_SUB_STATUS,        /* U32: NTSTATUS, LsaLogonUser's SubStatus */
    LSA_FIELD_LOGON_ID,          /* U64: LUID, HighPart << 32 | LowPart */
    LSA_FIELD_TOKEN_HANDLE,      /* U64: a token handle, valid in the client */
    LSA_FIELD_ORIGIN,            /* BYTES: LsaLogonUser's OriginName, ANSI */
    LSA_FIELD_SOURCE,            /* BYTES: a TOKEN_SOURCE (16 bytes) */
    LSA_FIELD_PACKAGE,           /* U32: package id */
    LSA_FIELD_PACKAGE_COUNT,     /* U32: how many packages the server has */
    LSA_FIELD_MODULE,            /* BYTES: UTF-16LE, the file name of the package's DLL */
    LSA_FIELD_CHANNEL_BINDINGS,  /* BYTES: the SECBUFFER_CHANNEL_BINDINGS buffer the
                                    application passed, as it is (SEC_CHANNEL_BINDINGS
                                    and its data, read by the package as hostile), at
                                    most LSA_WIRE_MAX_CHANNEL_BINDINGS bytes */
    LSA_FIELD_DOMAIN,            /* BYTES: UTF-16LE, no terminator */
    LSA_FIELD_NEW_PASSWORD,      /* BYTES: UTF-16LE, no terminator */
    LSA_FIELD_IMPERSONATING,     /* U32: ChangeAccountPassword's bImpersonating, 0 or 1 */
    LSA_FIELD_PASSWORD_INFO,     /* BYTES: a DOMAIN_PASSWORD_INFORMATION,
                                    LSA_WIRE_PASSWORD_INFO_SIZE bytes */
    LSA_FIELD_LAST = LSA_FIELD_PASSWORD_INFO
};

enum { LSA_KIND_U32 = 1, LSA_KIND_U64 = 2, LSA_KIND_BYTES = 3 };

typedef enum lsa_wire_result {
    LSA_WIRE_OK = 0,
    LSA_WIRE_SHORT,              /* fewer bytes than the header says: read more */
    LSA_WIRE_BAD_HEADER,         /* magic, version, type or length wrong */
    LSA_WIRE_BAD_FIELD,          /* a field out of bounds, of the wrong kind or size,
                                    with bad padding, an unknown tag, or repeated */
    LSA_WIRE_MISSING,            /* a field the reader asked for is not there */
    LSA_WIRE_TOO_BIG             /* the writer's buffer, or a reader's limit, is too small */
} lsa_wire_result;

const char *lsa_wire_result_text(lsa_wire_result r);

/* ---- Writing ------------------------------------------------------------------------ */

typedef struct lsa_wire_writer {
    uint8_t *buffer;
    size_t capacity;
    size_t used;
    lsa_wire_result error;       /* sticky: the first failure */
} lsa_wire_writer;

/* Starts a message in buffer (capacity bytes); finish returns its whole length (header
 * and fields), or 0 when something did not fit (w->error says what). */
void lsa_wire_begin(lsa_wire_writer *w, void *buffer, size_t capacity, uint16_t type,
                    uint32_t call);
void lsa_wire_put_u32(lsa_wire_writer *w, uint16_t tag, uint32_t value);
void lsa_wire_put_u64(lsa_wire_writer *w, uint16_t tag, uint64_t value);
void lsa_wire_put_bytes(lsa_wire_writer *w, uint16_t tag, const void *data, size_t size);
size_t lsa_wire_finish(lsa_wire_writer *w);

/* ---- Reading ------------------------------------------------------------------------ */

typedef struct lsa_wire_field {
    uint16_t kind;
    uint32_t size;
    const uint8_t *value;
} lsa_wire_field;

typedef struct lsa_wire_message {
    uint16_t type;
    uint32_t call;
    lsa_wire_field fields[LSA_FIELD_LAST + 1];  /* kind 0: absent */
} lsa_wire_message;

/* How many bytes the message starting at data occupies, once at least the header is
 * there: LSA_WIRE_SHORT when fewer than LSA_WIRE_HEADER_SIZE bytes, BAD_HEADER when the
 * header is wrong. Lets a reader size its next read. */
lsa_wire_result lsa_wire_message_size(const void *data, size_t len, size_t *size);

/* Parses and checks one whole message of exactly len bytes. Field values point into
 * data, which must outlive *out. On failure *out is all zero. */
lsa_wire_result lsa_wire_parse(const void *data, size_t len, lsa_wire_message *out);

/* One field's value; on failure *value is 0 (*data NULL and *size 0). */
lsa_wire_result lsa_wire_get_u32(const lsa_wire_message *m, uint16_t tag, uint32_t *value);
lsa_wire_result lsa_wire_get_u64(const lsa_wire_message *m, uint16_t tag, uint64_t *value);
/* A BYTES field of at most max bytes. */
lsa_wire_result lsa_wire_get_bytes(const lsa_wire_message *m, uint16_t tag, size_t max,
                                   const uint8_t **data, size_t *size);

#endif
