/* host_monitor.c - lsahost monitor: another process's view of a running lsahost. It
 * connects like any client (which maps the package's section read-only through the
 * handle lsahost duplicates into it), and shows the status block and the event ring, validating
 * every byte it reads: a section scribbled over by a hostile client shows as damaged,
 * and the monitor never trusts an offset or a length it finds there. */
#include "host_monitor.h"
#include "host_show.h"
#include "../host_trace.h"
#include "../../client/client_pipe.h"

#include <stdio.h>
#include <wchar.h>

int host_monitor(const WCHAR *pipe_name, ULONG count, ULONG interval_ms)
{
    static client_pipe p;
    const BYTE *view;
    SECURITY_STATUS s = client_pipe_connect(&p, pipe_name, 5000, CLIENT_PIPE_UNTRUSTED);
    int damaged = 0;

    if (s != SEC_E_OK) {
        host_say("monitor: cannot reach lsahost on %ls (0x%08lx)", pipe_name, (unsigned long)s);
        return 2;
    }
    if (!p.section) {
        host_say("monitor: the package (%ls) has no shared section to show", p.packages[0].name);
        client_pipe_close(&p);
        return 3;
    }
    view = p.section_view;
    if (!view) {
        host_say("monitor: cannot map the section");
        client_pipe_close(&p);
        return 3;
    }
    for (ULONG i = 0; i < count; i++) {
        size_t readable = client_pipe_section_readable(&p);
        printf("monitor: %ls, section of %u bytes, %zu committed\n", p.packages[0].name, p.section_size,
               readable);
        /* sspkg's status block is its first block: offset 0 with lsahost's allocator. */
        if (!host_show_published(view, readable)) {
            printf("    status block: damaged (magic, layout or size wrong)\n");
            damaged = 1;
        }
        fflush(stdout);
        if (i + 1 < count)
            Sleep(interval_ms);
    }
    client_pipe_close(&p);
    return damaged ? 6 : 0;
}
