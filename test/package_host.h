/* package_host.h - what the tests that drive sspkg through lsahost's code share:
 * the package loaded and started as lsahost does it, with a verifier store of the
 * test's own (emptied first) and the file-mapping shared-memory provider. */
#ifndef SSPKG_TEST_PACKAGE_HOST_H
#define SSPKG_TEST_PACKAGE_HOST_H

#include "../src/host/lsa/host_account.h"
#include "../src/host/lsa/host_callbacks.h"
#include "../src/host/lsa/host_identity.h"
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

/* One TAP line: after unloading the package, none of the kinds of resource it took from
 * the LSA is still live. */
static inline int unload_clean(const host_resource *kinds, size_t count)
{
    host_account_entry e;
    BOOL clean = TRUE;

    host_packages_unload();
    /* As lsahost's leak report does: token handles the package closed stop counting. */
    host_tokens_sweep();
    for (size_t i = 0; i < count; i++) {
        host_account_get(kinds[i], &e);
        if (e.live) {
            diag("resource %d: %lld still live", (int)kinds[i], (long long)e.live);
            clean = FALSE;
        }
    }
    return ok(clean, "after SpShutdown nothing the package took from the LSA is left");
}

/* Runs a whole handshake; returns the client's final status, *server_status the
 * server's. Contexts are left for the caller in *cctx / *sctx (0: none). */
static inline SECURITY_STATUS package_handshake(const host_secpkg *pkg, LSA_SEC_HANDLE ccred,
                                                LSA_SEC_HANDLE scred, LSA_SEC_HANDLE *cctx,
                                                LSA_SEC_HANDLE *sctx,
                                                SECURITY_STATUS *server_status)
{
    host_token *a = HeapAlloc(GetProcessHeap(), 0, sizeof(*a));
    host_token *b = HeapAlloc(GetProcessHeap(), 0, sizeof(*b));
    SECURITY_STATUS cs, ss = SEC_E_INTERNAL_ERROR;
    ULONG attr;

    *cctx = *sctx = 0;
    cs = host_sspi_init(pkg, ccred, cctx, NULL, a, &attr);
    while (cs == SEC_I_CONTINUE_NEEDED && a->length) {
        ss = host_sspi_accept(pkg, scred, sctx, a, b, &attr);
        if (!b->length)
            break;
        cs = host_sspi_init(pkg, ccred, cctx, b, a, &attr);
    }
    HeapFree(GetProcessHeap(), 0, a);
    HeapFree(GetProcessHeap(), 0, b);
    *server_status = ss;
    return cs;
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

/* One TAP line: the user added with a password. */
static inline int add_user_password(const host_secpkg *pkg, const WCHAR *name,
                                    const WCHAR *password)
{
    BYTE buf[512];
    SSPKG_CALL_REQUEST *r = (SSPKG_CALL_REQUEST *)buf;
    void *response = NULL;
    ULONG rlen, nlen = (ULONG)(wcslen(name) * 2), plen = (ULONG)(wcslen(password) * 2);
    NTSTATUS protocol = STATUS_UNSUCCESSFUL;
    int done;

    memset(buf, 0, sizeof(buf));
    r->MessageType = SSPKG_CALL_SET_USER;
    r->NameOffset = sizeof(*r);
    r->NameLength = nlen;
    r->SecretOffset = sizeof(*r) + nlen;
    r->SecretLength = plen;
    memcpy(buf + r->NameOffset, name, nlen);
    memcpy(buf + r->SecretOffset, password, plen);
    done = host_sspi_call_package(pkg, buf, sizeof(*r) + nlen + plen, &response, &rlen,
                                  &protocol) == STATUS_SUCCESS && protocol == STATUS_SUCCESS;
    if (response)
        host_FreeClientBuffer(NULL, response);
    SecureZeroMemory(buf, sizeof(buf));
    return ok(done, "user %ls added", name);
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
