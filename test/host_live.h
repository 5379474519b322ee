/* host_live.h - for tests that call lsahost's callbacks: how many of a resource the
 * package holds now (host_account.h). */
#ifndef SSPKG_TEST_HOST_LIVE_H
#define SSPKG_TEST_HOST_LIVE_H

#include "../src/host/lsa/host_account.h"

static inline int64_t live(host_resource r)
{
    host_account_entry e;
    host_account_get(r, &e);
    return e.live;
}

#endif
