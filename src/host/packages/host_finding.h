/* host_finding.h - what a package does against the documentation but lsahost can still
 * run: each finding is printed at once ("lsahost: finding: ..." on stderr, with its name
 * and the Microsoft page it contradicts), counted, and kept for `lsahost check`'s report.
 * Every kind is listed here once, with a stable name a CI script can match; each is
 * explained in docs/writing-a-package.md. */
#ifndef SSPKG_HOST_FINDING_H
#define SSPKG_HOST_FINDING_H

#include <stddef.h>

typedef enum host_finding_id {
    HOST_FINDING_LAYOUT,                  /* tables valid only at another layout's stride */
    HOST_FINDING_NO_INITIALIZE,           /* NULL SpInitialize */
    HOST_FINDING_NO_SHUTDOWN,             /* NULL SpShutdown */
    HOST_FINDING_LOGON_WITHOUT_ENTRY,     /* SECPKG_FLAG_LOGON, no LogonUser* */
    HOST_FINDING_CONTEXTS_WITHOUT_ENTRY,  /* CONNECTION/DATAGRAM/STREAM, no context entry */
    HOST_FINDING_CONTEXTS_WITHOUT_HANDLES, /* contexts, no ACH, FreeCredentials or Delete */
    HOST_FINDING_INTEGRITY_WITHOUT_ENTRY, /* INTEGRITY, no user-mode signature entries */
    HOST_FINDING_PRIVACY_WITHOUT_ENTRY,   /* PRIVACY, no user-mode seal entries */
    HOST_FINDING_UNKNOWN_CAPABILITIES,    /* fCapabilities bits no SECPKG_FLAG_* defines */
    HOST_FINDING_BAD_NAME,                /* SecPkgInfoW.Name NULL, unreadable, ... */
    HOST_FINDING_BAD_COMMENT,             /* SecPkgInfoW.Comment unreadable, unterminated */
    HOST_FINDING_BAD_EXTENDED_INFO,       /* SpGetExtendedInformation's answer malformed */
    HOST_FINDING_BAD_OUTPUT_TOKEN,        /* a context's output token unreadable */
    HOST_FINDING_TOKEN_OVER_MAX,          /* an output token larger than cbMaxToken */
    HOST_FINDING_CREDENTIAL_NOT_FREED,    /* a credential just acquired cannot be freed */
    HOST_FINDING_CONTEXT_NOT_DELETED,     /* a context just made cannot be deleted */
    HOST_FINDING_UNLOADED_ITSELF,         /* called UnloadPackage during lsahost check */
    HOST_FINDING_KINDS
} host_finding_id;

typedef struct host_finding_kind {
    const char *name; /* stable, for scripts: "no-shutdown" */
    const char *doc;  /* the documentation it contradicts: page names */
    const char *url;  /* the first of those pages on learn.microsoft.com */
} host_finding_kind;

const host_finding_kind *host_finding_kind_of(host_finding_id id);

/* Findings kept for the report; later ones are still printed and counted. */
#define HOST_FINDINGS_KEPT 64

typedef struct host_finding_entry {
    const host_finding_kind *kind;
    unsigned dll;     /* the DLL it is about: host_finding_about's at the time */
    char text[1024];
} host_finding_entry;

/* Most DLLs findings are counted for one by one. */
#define HOST_FINDING_DLLS 8

/* The DLL later findings are about, by its place in the set (0 for the first DLL named;
 * host_packages.c sets it as it loads and starts each, lsahost check as it checks each). */
void host_finding_about(unsigned dll);

/* Records one finding of that kind. */
void host_finding(host_finding_id id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* How many findings so far (in all, or about DLL `dll`), and the i-th kept one
 * (i < HOST_FINDINGS_KEPT). */
size_t host_finding_count(void);
size_t host_finding_count_about(unsigned dll);
const host_finding_entry *host_finding_get(size_t i);

#endif
