/* sspkg.h - what a client program or a monitor needs to know about the sspkg package.
 *
 * The layouts below are published in the package's shared section, which client
 * processes can write: a reader validates Magic, LayoutVersion and Size before it
 * believes anything else, and treats every counter as a hint. All fields are
 * fixed-width and little-endian; the layout is the same for every reader.
 *
 * Every client process has the section mapped, so whatever is published there every
 * client can read: counts, times, sides, states and outcomes, and user names only when
 * an administrator opts in (PublishUserNames; docs/protocol.md). */
#ifndef SSPKG_H
#define SSPKG_H

#include <stdint.h>

/* SecPkgInfo Name of the package. */
#define SSPKG_PACKAGE_NAME_W L"SCRAM-SHA-256"
#define SSPKG_PACKAGE_NAME_A "SCRAM-SHA-256"

/* The largest token the package sends or accepts (SecPkgInfo cbMaxToken). */
#define SSPKG_MAX_TOKEN 4096

/* Message protection (docs/protocol.md): MakeSignature's token and EncryptMessage's
 * trailer (SECBUFFER_TOKEN) are these sizes, as SECPKG_ATTR_SIZES reports. */
#define SSPKG_SIGNATURE_SIZE 40     /* sequence number (8) + HMAC-SHA-256 (32) */
#define SSPKG_SEAL_TRAILER_SIZE 24  /* sequence number (8) + AES-GCM tag (16) */

/* Package version: major.minor.patch, as in SSPKG_STATUS_BLOCK.PackageVersion. */
#define SSPKG_VERSION_MAJOR 0
#define SSPKG_VERSION_MINOR 1
#define SSPKG_VERSION_PATCH 0
#define SSPKG_VERSION ((SSPKG_VERSION_MAJOR << 16) | (SSPKG_VERSION_MINOR << 8) | SSPKG_VERSION_PATCH)

/* Status block: the first thing the package allocates in its section.
 * Magic is "SSPK" read as a little-endian uint32. */
#define SSPKG_STATUS_MAGIC 0x4b505353u
#define SSPKG_STATUS_LAYOUT_VERSION 3u

/* Flags of the status block. */
#define SSPKG_STATUS_USER_NAMES 0x1u  /* events and records carry user names (opt-in);
                                         without it User is empty (UserLength 0) */

typedef struct SSPKG_STATUS_BLOCK {
    uint32_t Magic;             /* SSPKG_STATUS_MAGIC */
    uint32_t LayoutVersion;     /* SSPKG_STATUS_LAYOUT_VERSION */
    uint32_t Size;              /* sizeof(SSPKG_STATUS_BLOCK) for this layout */
    uint32_t PackageVersion;    /* SSPKG_VERSION of the package that wrote it */
    uint64_t StartTime;         /* FILETIME (100 ns since 1601, UTC) of SpInitialize */
    uint64_t ContextsActive;    /* security contexts that exist now */
    uint64_t ContextsCreated;   /* security contexts ever created */
    uint64_t HandshakesSucceeded;
    uint64_t HandshakesFailed;
    uint32_t EventRingOffset;   /* SSPKG_EVENT_RING, from the status block; 0: none */
    uint32_t ContextTableOffset;/* SSPKG_CONTEXT_TABLE, from the status block; 0: none */
    uint32_t Flags;             /* SSPKG_STATUS_* */
    uint32_t Reserved;          /* zero */
} SSPKG_STATUS_BLOCK;

/* The newest authentication outcomes, oldest overwritten first. Next counts every
 * event ever written; the newest is Events[(Next - 1) % Capacity]. */
#define SSPKG_EVENT_MAGIC 0x56455353u        /* "SSEV" */
#define SSPKG_EVENT_RING_CAPACITY 64u
#define SSPKG_USER_BYTES 64u                 /* user names are cut to this many bytes */

typedef struct SSPKG_EVENT {
    uint64_t Time;              /* FILETIME of the outcome */
    uint64_t Sequence;          /* 1 for the first event ever; 0: slot never written */
    int32_t Status;             /* SEC_E_OK, SEC_E_LOGON_DENIED, ... */
    uint32_t Side;              /* SSPKG_SIDE_* */
    uint32_t UserLength;        /* bytes of UTF-8 in User (at most SSPKG_USER_BYTES);
                                   0 unless the status block has SSPKG_STATUS_USER_NAMES */
    uint32_t Reserved;
    char User[SSPKG_USER_BYTES];
} SSPKG_EVENT;

#define SSPKG_SIDE_CLIENT 0u
#define SSPKG_SIDE_SERVER 1u

typedef struct SSPKG_EVENT_RING {
    uint32_t Magic;             /* SSPKG_EVENT_MAGIC */
    uint32_t Capacity;          /* SSPKG_EVENT_RING_CAPACITY */
    uint64_t Next;
    SSPKG_EVENT Events[SSPKG_EVENT_RING_CAPACITY];
} SSPKG_EVENT_RING;

/* One record per security context, in a block of its own; the table holds the offsets
 * (from the status block) of the records that exist, 0 for a free slot. */
#define SSPKG_CONTEXT_MAGIC 0x58435353u      /* "SSCX" */
#define SSPKG_CONTEXT_TABLE_SLOTS 1024u

typedef struct SSPKG_CONTEXT_RECORD {
    uint32_t Magic;             /* SSPKG_CONTEXT_MAGIC */
    uint32_t Side;              /* SSPKG_SIDE_* */
    uint32_t State;             /* the protocol state (docs/protocol.md) */
    int32_t Outcome;            /* STATUS_PENDING (0x103) until the handshake ends */
    uint64_t StartTime;         /* FILETIME */
    uint32_t UserLength;        /* as in SSPKG_EVENT */
    uint32_t Reserved;
    char User[SSPKG_USER_BYTES];
} SSPKG_CONTEXT_RECORD;

typedef struct SSPKG_CONTEXT_TABLE {
    uint32_t Magic;             /* SSPKG_CONTEXT_MAGIC */
    uint32_t Slots;             /* SSPKG_CONTEXT_TABLE_SLOTS */
    uint32_t RecordOffset[SSPKG_CONTEXT_TABLE_SLOTS];
} SSPKG_CONTEXT_TABLE;

/* ---- Why a context failed: QueryContextAttributes(SSPKG_ATTR_FAILURE) ----------------
 *
 * A package-defined context attribute (far from the SECPKG_ATTR_* numbers Windows
 * uses). The buffer receives an SSPKG_CONTEXT_FAILURE: Status is the SECURITY_STATUS
 * the handshake failed with (SEC_E_OK while it has not), Reason a NUL-terminated UTF-8
 * sentence for a person, at most SSPKG_FAILURE_REASON_MAX bytes with its NUL, empty
 * while nothing failed; the caller frees Reason with FreeContextBuffer. A first call
 * that fails leaves no context to ask: its status is all there is. */
#define SSPKG_ATTR_FAILURE 0x53530001u
#define SSPKG_FAILURE_REASON_MAX 160u

typedef struct SSPKG_CONTEXT_FAILURE {
    int32_t Status;
    uint32_t Reserved;          /* zero */
    char *Reason;
} SSPKG_CONTEXT_FAILURE;

/* ---- User management through LsaCallAuthenticationPackage (LsaApCallPackage) --------
 *
 * Trusted callers only (a logon process registered with LsaRegisterLogonProcess): the
 * package answers management messages in LsaApCallPackage, never in the untrusted
 * entry. A request is one buffer: the header below, then the strings it points to by
 * offset from the start of the buffer. Every offset and length is checked. */
#define SSPKG_CALL_SET_USER    1   /* add or replace a user: name + password or verifier */
#define SSPKG_CALL_REMOVE_USER 2   /* name */
#define SSPKG_CALL_LIST_USERS  3   /* nothing; the response lists the users */
#define SSPKG_CALL_GET_STATUS  4   /* nothing; the response is an SSPKG_STATUS_BLOCK, from
                                      the package's own counters (not the section) */

/* Flags of SSPKG_CALL_SET_USER. */
#define SSPKG_SET_USER_VERIFIER 0x1 /* the secret is a verifier text, not a password */
#define SSPKG_SET_USER_ACCOUNT  0x2 /* set the Windows account the user maps to: the last
                                       AccountLength bytes of the request, UTF-16LE, a SID
                                       string (S-1-5-21-...) or an account name the package
                                       resolves with LookupAccountNameW now; 0 bytes: no
                                       mapping. Without the flag a user keeps its account. */

typedef struct SSPKG_CALL_REQUEST {
    uint32_t MessageType;      /* SSPKG_CALL_* */
    uint32_t Flags;            /* SSPKG_SET_USER_* */
    uint32_t Iterations;       /* for a password: 0 means the package's default (4096) */
    uint32_t NameOffset;       /* user name, UTF-16LE, no terminator */
    uint32_t NameLength;       /* in bytes */
    uint32_t SecretOffset;     /* password (UTF-16LE) or verifier text (ASCII) */
    uint32_t SecretLength;     /* in bytes */
    uint32_t AccountLength;    /* with SSPKG_SET_USER_ACCOUNT (else zero): in bytes */
} SSPKG_CALL_REQUEST;

/* Response to SSPKG_CALL_LIST_USERS: the header, Count entries, then the names they
 * point to by offset from the start of the response. */
typedef struct SSPKG_USER_ENTRY {
    uint32_t NameOffset;       /* UTF-16LE, no terminator */
    uint32_t NameLength;       /* in bytes */
    uint32_t Iterations;
    uint32_t AccountLength;    /* bytes of the account's SID string, UTF-16LE, right after
                                  the name; 0: the user maps to no account */
} SSPKG_USER_ENTRY;

typedef struct SSPKG_LIST_RESPONSE {
    uint32_t MessageType;      /* SSPKG_CALL_LIST_USERS */
    uint32_t Count;
    SSPKG_USER_ENTRY Users[];
} SSPKG_LIST_RESPONSE;

/* When a management call fails, ProtocolStatus says why and the response (if any) is
 * an SSPKG_ERROR_RESPONSE: a sentence for a person, such as the store's file and line. */
#define SSPKG_CALL_ERROR 0xffffffffu
typedef struct SSPKG_ERROR_RESPONSE {
    uint32_t MessageType;      /* SSPKG_CALL_ERROR */
    uint32_t TextLength;       /* bytes of UTF-8 that follow, no terminator */
    char Text[];
} SSPKG_ERROR_RESPONSE;

/* ---- LsaLogonUser with the package (LsaApLogonUserEx2) ----------------------------
 *
 * The submit buffer: SSPKG_INTERACTIVE_LOGON, laid out as MSV1_0_INTERACTIVE_LOGON (so
 * a caller that builds one for MSV1_0 can name this package instead), its strings
 * after the structure in the same buffer, their Buffer pointers aimed at the caller's
 * copy (LsaLogonUser's ProtocolSubmitBuffer). The package rebases each pointer on the
 * copy the LSA gives it and checks that every string lies inside the buffer. The domain
 * is ignored (SCRAM users are the store's). For logon types Interactive, Network,
 * Batch and Service alike. */
#define SSPKG_INTERACTIVE_LOGON_TYPE 2u   /* MessageType (MsV1_0InteractiveLogon's value) */

typedef struct SSPKG_UNICODE_STRING {
    uint16_t Length;           /* bytes, no terminator */
    uint16_t MaximumLength;
    uint16_t *Buffer;          /* UTF-16LE */
} SSPKG_UNICODE_STRING;

typedef struct SSPKG_INTERACTIVE_LOGON {
    uint32_t MessageType;      /* SSPKG_INTERACTIVE_LOGON_TYPE */
    SSPKG_UNICODE_STRING LogonDomainName;
    SSPKG_UNICODE_STRING UserName;
    SSPKG_UNICODE_STRING Password;
} SSPKG_INTERACTIVE_LOGON;

/* The profile buffer LsaLogonUser returns (in the caller's memory, freed with
 * LsaFreeReturnBuffer): this header, then the strings it points to by offset from the
 * profile's start, UTF-16LE without terminators. */
#define SSPKG_PROFILE_TYPE 1u
#define SSPKG_PROFILE_MAPPED 0x1u   /* the user maps to a Windows account (else the token
                                       is ANONYMOUS LOGON's) */
typedef struct SSPKG_LOGON_PROFILE {
    uint32_t MessageType;      /* SSPKG_PROFILE_TYPE */
    uint32_t Flags;            /* SSPKG_PROFILE_* */
    int64_t LogonTime;         /* FILETIME, UTC */
    uint32_t Iterations;       /* the user's verifier's iteration count */
    uint32_t UserNameOffset;   /* the user as the store has it (SASLprepped) */
    uint32_t UserNameLength;   /* bytes */
    uint32_t AccountOffset;    /* the token user's SID string */
    uint32_t AccountLength;    /* bytes */
    uint32_t Reserved;         /* zero */
} SSPKG_LOGON_PROFILE;

/* The credential a logon session holds for the package (AddCredential, by
 * LsaApLogonUserEx2 or SpAcceptCredentials): this key, and the SASLprepped UTF-8 user
 * name, a NUL, the SASLprepped UTF-8 password, zero-padded to a multiple of 8 bytes and
 * encrypted with LsaProtectMemory. Outbound credentials acquired without an identity
 * use it (single sign-on). */
#define SSPKG_CREDENTIAL_KEY "SCRAM-SHA-256 password"

/* The package's section: small, as the LSA asks (sections are costly). */
#define SSPKG_SECTION_MAX_SIZE (256u * 1024u)
#define SSPKG_SECTION_INITIAL_SIZE (16u * 1024u)

#ifdef __cplusplus
static_assert(sizeof(SSPKG_STATUS_BLOCK) == 72, "published layout is fixed");
#else
_Static_assert(sizeof(SSPKG_STATUS_BLOCK) == 72, "published layout is fixed");
_Static_assert(__builtin_offsetof(SSPKG_STATUS_BLOCK, StartTime) == 16, "published layout is fixed");
_Static_assert(__builtin_offsetof(SSPKG_STATUS_BLOCK, Flags) == 64, "published layout is fixed");
_Static_assert(sizeof(SSPKG_CALL_REQUEST) == 32, "message layout is fixed");
_Static_assert(sizeof(SSPKG_EVENT) == 96, "published layout is fixed");
_Static_assert(sizeof(SSPKG_CONTEXT_RECORD) == 96, "published layout is fixed");
_Static_assert(sizeof(SSPKG_LIST_RESPONSE) == 8, "message layout is fixed");
_Static_assert(sizeof(SSPKG_LOGON_PROFILE) == 40, "message layout is fixed");
#endif

#endif
