/* host_monitor.h - lsahost monitor (host_monitor.c). */
#ifndef SSPKG_HOST_MONITOR_H
#define SSPKG_HOST_MONITOR_H

#include "../../winapi.h"

/* Shows what the package of the lsahost serving on pipe_name publishes, count times,
 * interval_ms apart. Returns an exit status: 0 fine, 6 when the published data is
 * damaged, 2 when lsahost cannot be reached, 3 when there is no section. */
int host_monitor(const WCHAR *pipe_name, ULONG count, ULONG interval_ms);

#endif
