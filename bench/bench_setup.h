/* bench_setup.h - what the package benchmarks share: a clock, and sspkg loaded in
 * lsahost's host code with one user in a store of its own. */
#ifndef SSPKG_BENCH_SETUP_H
#define SSPKG_BENCH_SETUP_H

#include "../src/host/lsa/host_heap.h"
#include "../src/host/packages/host_packages.h"
#include "../src/host/shm/host_shm.h"
#include "../src/host/packages/host_sspi.h"
#include "../include/sspkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline double bench_now_us(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER c;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e6 / (double)freq.QuadPart;
}

static inline int bench_by_value(const void *x, const void *y)
{
    double d = *(const double *)x - *(const double *)y;
    return (d > 0) - (d < 0);
}

/* The median of n timings (sorts them). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), bench_by_value);
    return v[n / 2];
}

/* One whole handshake through the package's tables in-process, contexts deleted;
 * exits the benchmark when it fails (timing a failing handshake measures nothing). */
static inline void bench_handshake(const host_secpkg *pkg, LSA_SEC_HANDLE cc, LSA_SEC_HANDLE sc)
{
    static host_token a, b;
    LSA_SEC_HANDLE cctx = 0, sctx = 0;
    SECURITY_STATUS cs, ss = 0;
    ULONG attr;

    cs = host_sspi_init(pkg, cc, &cctx, NULL, &a, &attr);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        ss = host_sspi_accept(pkg, sc, &sctx, &a, &b, &attr);
        cs = host_sspi_init(pkg, cc, &cctx, &b, &a, &attr);
    }
    if (cs != SEC_E_OK || ss != SEC_E_OK) {
        fprintf(stderr, "bench: handshake failed: client %#lx, server %#lx\n", cs, ss);
        exit(1);
    }
    host_sspi_delete(pkg, cctx);
    host_sspi_delete(pkg, sctx);
}

/* Loads and starts sspkg.dll from the current folder with the user bench/pencil in
 * bench-store.txt. Returns 0 (after saying why) when it cannot. */
static inline int bench_start_package(const host_secpkg **pkg)
{
    static const WCHAR *const paths[] = { L"sspkg.dll" };
    static BYTE request[256];
    SSPKG_CALL_REQUEST *r = (SSPKG_CALL_REQUEST *)request;
    char why[256];
    void *response;
    ULONG rlen;
    NTSTATUS protocol;

    SetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", L"bench-store.txt");
    DeleteFileW(L"bench-store.txt");
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    if (host_packages_load(paths, 1, why, sizeof(why)) != 0 || !(*pkg = host_packages_by_id(0))) {
        fprintf(stderr, "bench: %s\n", why);
        return 0;
    }
    r->MessageType = SSPKG_CALL_SET_USER;
    r->NameOffset = sizeof(*r);
    r->NameLength = 10;
    r->SecretOffset = sizeof(*r) + 10;
    r->SecretLength = 12;
    memcpy(request + r->NameOffset, L"bench", 10);
    memcpy(request + r->SecretOffset, L"pencil", 12);
    if (host_sspi_call_package(*pkg, request, sizeof(*r) + 22, &response, &rlen, &protocol) !=
            STATUS_SUCCESS || protocol != STATUS_SUCCESS) {
        fprintf(stderr, "bench: cannot add the benchmark's user\n");
        return 0;
    }
    return 1;
}

#endif
