/* auth_identity.h - the marshalled identity applications pass to AcquireCredentialsHandle
 * (SEC_WINNT_AUTH_IDENTITY_EX2, what SspiEncodeStringsAsAuthIdentity and CredUI make),
 * read from a copy of its bytes, and the PackageList of every identity form.
 *
 * Portable: no Windows header, no allocation. The parser reads only the bytes it is
 * given and returns spans into them; a span is checked against the blob before it is
 * returned, so a caller may follow it without another check.
 *
 * The layout (sspi.h, x64 and x86 alike: natural alignment, little-endian):
 *
 *   EX2 header, 48 bytes
 *     0 Version u32 (0x201)   4 cbHeaderLength u16     8 cbStructureLength u32
 *    12 UserOffset u32        16 UserLength u16        20 DomainOffset u32
 *    24 DomainLength u16      28 PackedCredentialsOffset u32
 *    32 PackedCredentialsLength u16                    36 Flags u32
 *    40 PackageListOffset u32 44 PackageListLength u16
 *   SEC_WINNT_AUTH_PACKED_CREDENTIALS, 28 bytes
 *     0 cbHeaderLength u16     2 cbStructureLength u16  4 CredType GUID (16 bytes)
 *    20 CredData.ByteArrayOffset u32                   24 CredData.ByteArrayLength u16
 *
 * Offsets in the header count from the start of the EX2 structure; CredData's offset
 * counts from the start of the packed credentials (SEC_WINNT_AUTH_BYTE_VECTOR: "from the
 * beginning of a structure", the structure that holds the vector). Lengths are in bytes;
 * strings are UTF-16LE without a terminator. */
#ifndef SSPKG_COMMON_AUTH_IDENTITY_H
#define SSPKG_COMMON_AUTH_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define AUTH_IDENTITY_EX2_VERSION 0x201u
#define AUTH_IDENTITY_EX2_HEADER 48u
#define AUTH_IDENTITY_PACKED_HEADER 28u
/* The largest EX2 the package copies: four strings of at most 64 KiB - 1 each (the
 * lengths are u16) and the header. */
#define AUTH_IDENTITY_EX2_MAX (AUTH_IDENTITY_EX2_HEADER + 4u * 65535u)

/* The identity flags EX2 carries (sspi.h values). */
#define AUTH_IDENTITY_FLAG_ANSI 0x1u
#define AUTH_IDENTITY_FLAG_UNICODE 0x2u
/* SspiEncryptAuthIdentity(Ex)'s marks: the strings are encrypted for a process, the
 * system or the user, which only the encrypting side can undo. */
#define AUTH_IDENTITY_FLAGS_ENCRYPTED 0xf0u

typedef enum auth_identity_result {
    AUTH_IDENTITY_OK = 0,
    AUTH_IDENTITY_E_SHORT,          /* fewer bytes than the header or cbStructureLength */
    AUTH_IDENTITY_E_VERSION,        /* Version is not SEC_WINNT_AUTH_IDENTITY_VERSION_2 */
    AUTH_IDENTITY_E_HEADER,         /* cbHeaderLength is not the header's size */
    AUTH_IDENTITY_E_LENGTH,         /* cbStructureLength is not the blob's size */
    AUTH_IDENTITY_E_RANGE,          /* a string starts in the header or ends past the blob */
    AUTH_IDENTITY_E_ODD,            /* a UTF-16 string of an odd number of bytes */
    AUTH_IDENTITY_E_OVERLAP,        /* two strings share bytes */
    AUTH_IDENTITY_E_PACKED,         /* the packed credentials do not hold together */
    AUTH_IDENTITY_E_ANSI,           /* EX2 says ANSI: its strings are UTF-16 by definition */
    /* Well formed, but not something this package can use. */
    AUTH_IDENTITY_E_CREDENTIAL_TYPE,/* packed credentials that are not a password */
    AUTH_IDENTITY_E_ENCRYPTED,      /* strings encrypted by SspiEncryptAuthIdentity */
} auth_identity_result;

/* A sentence for a result ("UserOffset 4 + UserLength 10 ..." is not given: the kind). */
const char *auth_identity_text(auth_identity_result r);

typedef struct auth_identity_span {
    uint32_t offset;    /* into the blob given to the parser */
    uint32_t length;    /* bytes; 0: absent */
} auth_identity_span;

typedef struct auth_identity_ex2 {
    auth_identity_span user, domain, password, package_list;
    uint32_t flags;
} auth_identity_ex2;

/* Reads an EX2 of exactly size bytes (what cbStructureLength says; the caller copied
 * that many). *out is cleared first and filled only on AUTH_IDENTITY_OK. Every string
 * must lie after the header and inside the blob, be of an even length, and share no
 * byte with another (the password lies inside the packed credentials, which count as
 * one region); an empty string's offset may be anything up to the blob's end. A
 * credential type other than SEC_WINNT_AUTH_DATA_TYPE_PASSWORD is
 * AUTH_IDENTITY_E_CREDENTIAL_TYPE, checked after the form. */
auth_identity_result auth_identity_ex2_parse(const uint8_t *blob, size_t size,
                                             auth_identity_ex2 *out);

/* Whether a PackageList lets an identity be used by the package called name (ASCII,
 * compared without regard to ASCII case). The list is Negotiate's syntax: names
 * separated by commas, spaces around them ignored, a name after '!' excluded. The
 * identity is for the package unless the list excludes it, or includes some names and
 * not it. An empty list (or one of only separators) lets every package use it. The list
 * is given as code units: UTF-16LE bytes (wide) or single bytes (ANSI, EXA's list). */
typedef enum auth_identity_listed {
    AUTH_IDENTITY_LISTED = 0,       /* named, or the list names nobody in particular */
    AUTH_IDENTITY_EXCLUDED,         /* "!name" */
    AUTH_IDENTITY_NOT_LISTED,       /* the list names others only */
} auth_identity_listed;
auth_identity_listed auth_identity_package_listed(const uint8_t *list, size_t bytes, int wide,
                                                  const char *name);

#endif
