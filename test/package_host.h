/* package_host.h - what the tests that drive sspkg through lsahost's code share:
 * the package loaded and started as lsahost does it, with a verifier store of the
 * test's own (emptied first) and the file-mapping shared-memory provider. */
#ifndef SSPKG_TEST_PACKAGE_HOST_H
#define SSPKG_TEST_PACKAGE_HOST_H

#include "../src/host/lsa/host_callbacks.h"
#include "../src/host/lsa/host_heap.h"
#include "../src/host/packages/host_packages.h"
#include "../src/host/shm/host_shm.h"
#include "../src/host/packages/host_sspi.h"
#include "../include/sspkg.h"
#include "tap.h"

#include <string.h>

/* One TAP line; 0 when the package did not start (the test should stop). */
static inline int start_sspkg(const host_secpkg **pkg, const WCHAR *store)
{
    static const WCHAR *const paths[] = { L"sspkg.dll" };
    char why[256] = "";

    SetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", store);
    DeleteFileW(store);
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    return ok(host_packages_load(paths, 1, why, sizeof(why)) == 0 &&
                  (*pkg = host_packages_by_id(0)) != NULL,
              "sspkg loads and starts (%s)", why);
}

/* Deletes both contexts of a handshake and frees both credentials. */
static inline void close_handshake(const host_secpkg *pkg, LSA_SEC_HANDLE cctx, LSA_SEC_HANDLE sctx,
                                   LSA_SEC_HANDLE cc, LSA_SEC_HANDLE sc)
{
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
}

/* One TAP line: the user (ASCII name) added with a verifier in PostgreSQL's form. */
static inline int add_user_verifier(const host_secpkg *pkg, const char *name, const char *verifier)
{
    BYTE buf[1024];
    SSPKG_CALL_REQUEST *r = (SSPKG_CALL_REQUEST *)buf;
    void *response = NULL;
    ULONG rlen, i, n = (ULONG)strlen(name);
    NTSTATUS protocol = STATUS_UNSUCCESSFUL;
    int done;

    memset(buf, 0, sizeof(buf));
    r->MessageType = SSPKG_CALL_SET_USER;
    r->Flags = SSPKG_SET_USER_VERIFIER;
    r->NameOffset = sizeof(*r);
    r->NameLength = n * sizeof(WCHAR);
    for (i = 0; i < n; i++)
        ((WCHAR *)(buf + r->NameOffset))[i] = (WCHAR)name[i];
    r->SecretOffset = r->NameOffset + r->NameLength;
    r->SecretLength = (ULONG)strlen(verifier);
    memcpy(buf + r->SecretOffset, verifier, r->SecretLength);
    done = host_sspi_call_package(pkg, buf, r->SecretOffset + r->SecretLength, &response, &rlen,
                                  &protocol) == STATUS_SUCCESS && protocol == STATUS_SUCCESS;
    if (response)
        host_FreeClientBuffer(NULL, response);
    return ok(done, "user %s added from its verifier", name);
}

#endif
