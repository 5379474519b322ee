/* host_finding.h - what a package does against the documentation but lsahost can still
 * run: each finding is printed at once ("lsahost: finding: ..." on stderr, with the
 * document it contradicts), counted, and kept for `lsahost check`'s report. */
#ifndef SSPKG_HOST_FINDING_H
#define SSPKG_HOST_FINDING_H

#include <stddef.h>

/* Findings kept for the report; later ones are still printed and counted. */
#define HOST_FINDINGS_KEPT 64

typedef struct host_finding_entry {
    char text[1024];
    char doc[160];
} host_finding_entry;

/* Records one finding; `doc` names the documentation it contradicts. */
void host_finding(const char *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* How many findings so far, and the i-th kept one (i < HOST_FINDINGS_KEPT). */
size_t host_finding_count(void);
const host_finding_entry *host_finding_get(size_t i);

#endif
