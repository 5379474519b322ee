/* sspkg.h - what a client program or a monitor needs to know about the sspkg package.
 *
 * The layouts below are published in the package's shared section, which client
 * processes can write: a reader validates Magic, LayoutVersion and Size before it
 * believes anything else, and treats every counter as a hint. All fields are
 * fixed-width and little-endian; the layout is the same for every reader. */
#ifndef SSPKG_H
#define SSPKG_H

#include <stdint.h>

/* SecPkgInfo Name of the package. */
#define SSPKG_PACKAGE_NAME_W L"SCRAM-SHA-256"
#define SSPKG_PACKAGE_NAME_A "SCRAM-SHA-256"

/* Package version: major.minor.patch, as in SSPKG_STATUS_BLOCK.PackageVersion. */
#define SSPKG_VERSION_MAJOR 0
#define SSPKG_VERSION_MINOR 1
#define SSPKG_VERSION_PATCH 0
#define SSPKG_VERSION ((SSPKG_VERSION_MAJOR << 16) | (SSPKG_VERSION_MINOR << 8) | SSPKG_VERSION_PATCH)

/* Status block: the first thing the package allocates in its section.
 * Magic is "SSPK" read as a little-endian uint32. */
#define SSPKG_STATUS_MAGIC 0x4b505353u
#define SSPKG_STATUS_LAYOUT_VERSION 1u

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
    uint64_t Reserved[2];       /* zero */
} SSPKG_STATUS_BLOCK;

/* The package's section: small, as the LSA asks (sections are costly). */
#define SSPKG_SECTION_MAX_SIZE (256u * 1024u)
#define SSPKG_SECTION_INITIAL_SIZE (16u * 1024u)

#ifdef __cplusplus
static_assert(sizeof(SSPKG_STATUS_BLOCK) == 72, "published layout is fixed");
#else
_Static_assert(sizeof(SSPKG_STATUS_BLOCK) == 72, "published layout is fixed");
_Static_assert(__builtin_offsetof(SSPKG_STATUS_BLOCK, StartTime) == 16, "published layout is fixed");
#endif

#endif
