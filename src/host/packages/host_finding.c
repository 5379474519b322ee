/* host_finding.c - findings about a package (see host_finding.h). */
#include "host_finding.h"
#include "../host_trace.h"

#include <stdarg.h>
#include <stdio.h>

static host_finding_entry kept[HOST_FINDINGS_KEPT];
static size_t count;

void host_finding(const char *doc, const char *fmt, ...)
{
    host_finding_entry e;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e.text, sizeof(e.text), fmt, ap);
    va_end(ap);
    snprintf(e.doc, sizeof(e.doc), "%s", doc);
    host_say("finding: %s (documented in %s)", e.text, e.doc);
    if (count < HOST_FINDINGS_KEPT)
        kept[count] = e;
    count++;
}

size_t host_finding_count(void)
{
    return count;
}

const host_finding_entry *host_finding_get(size_t i)
{
    return i < count && i < HOST_FINDINGS_KEPT ? &kept[i] : NULL;
}
