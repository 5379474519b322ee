/* package_host.h - what the tests that drive sspkg through lsahost's code share:
 * the package loaded and started as lsahost does it, with a verifier store of the
 * test's own (emptied first) and the file-mapping shared-memory provider. */
#ifndef SSPKG_TEST_PACKAGE_HOST_H
#define SSPKG_TEST_PACKAGE_HOST_H

#include "../src/host/host_heap.h"
#include "../src/host/host_package.h"
#include "../src/host/host_shm.h"
#include "tap.h"

/* One TAP line; 0 when the package did not start (the test should stop). */
static inline int start_sspkg(host_package *pkg, const WCHAR *store)
{
    char why[256] = "";

    SetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", store);
    DeleteFileW(store);
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    return ok(host_package_load(L"sspkg.dll", pkg, why, sizeof(why)) == STATUS_SUCCESS &&
                  host_package_start(pkg, why, sizeof(why)) == STATUS_SUCCESS,
              "sspkg loads and starts (%s)", why);
}

#endif
