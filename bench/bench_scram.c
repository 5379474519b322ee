/* bench_scram.c - what a SCRAM-SHA-256 handshake costs, against its unavoidable part.
 *
 * Baseline: one BCryptDeriveKeyPBKDF2 (HMAC-SHA-256, 4096 iterations, 16-byte salt),
 * the work RFC 5802 puts on a client. Measured in the same run:
 *   - a full handshake through sspkg's tables in lsahost (a fresh client credential,
 *     AcquireCredentialsHandle, the four messages, both sides, DeleteContext), and
 *   - the same handshake with a credential that has already derived its keys for the
 *     server's salt (RFC 5802 allows the cache), so PBKDF2 is skipped.
 * Reported: the median of many runs for each, and the ratios.
 *
 * Targets (issue 3): full handshake / PBKDF2 <= 1.15; cached >= 20 x faster than full.
 * A benchmark, never a test. */
#include "../src/host/host_heap.h"
#include "../src/host/host_package.h"
#include "../src/host/host_shm.h"
#include "../src/host/host_sspi.h"
#include "../include/sspkg.h"

#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 41

static PSECPKG_FUNCTION_TABLE t;
static host_token a, b;

static double now_us(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER c;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e6 / (double)freq.QuadPart;
}

static int by_value(const void *x, const void *y)
{
    double d = *(const double *)x - *(const double *)y;
    return (d > 0) - (d < 0);
}

static double median(double *v)
{
    qsort(v, RUNS, sizeof(*v), by_value);
    return v[RUNS / 2];
}

static void pbkdf2_once(void)
{
    static BCRYPT_ALG_HANDLE alg;
    static const UCHAR salt[16] = "0123456789abcdef";
    UCHAR out[32];

    if (!alg)
        BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL,
                                    BCRYPT_ALG_HANDLE_HMAC_FLAG);
    BCryptDeriveKeyPBKDF2(alg, (PUCHAR)"pencil", 6, (PUCHAR)salt, sizeof(salt), 4096, out,
                          sizeof(out), 0);
}

/* One handshake with the given client credential; exits on failure (a benchmark of a
 * failing handshake would measure nothing useful). */
static void handshake(LSA_SEC_HANDLE cc, LSA_SEC_HANDLE sc)
{
    LSA_SEC_HANDLE cctx = 0, sctx = 0;
    SECURITY_STATUS cs, ss = 0;
    ULONG attr;

    cs = host_sspi_init(&pkg, cc, &cctx, NULL, &a, &attr);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        ss = host_sspi_accept(&pkg, sc, &sctx, &a, &b, &attr);
        cs = host_sspi_init(&pkg, cc, &cctx, &b, &a, &attr);
    }
    if (cs != SEC_E_OK || ss != SEC_E_OK) {
        fprintf(stderr, "bench_scram: handshake failed: client %#lx, server %#lx\n", cs, ss);
        exit(1);
    }
    host_sspi_delete(&pkg, cctx);
    host_sspi_delete(&pkg, sctx);
}

int main(void)
{
    double pbkdf2[RUNS], full[RUNS], cached[RUNS], start, p, f, c;
    static BYTE request[256];
    SSPKG_CALL_REQUEST *r = (SSPKG_CALL_REQUEST *)request;
    LSA_SEC_HANDLE sc, cc;
    host_package pkg;
    char why[256];
    void *response;
    ULONG rlen;
    NTSTATUS protocol;

    SetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", L"bench-store.txt");
    DeleteFileW(L"bench-store.txt");
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    if (host_package_load(L"sspkg.dll", &pkg, why, sizeof(why)) != STATUS_SUCCESS ||
        host_package_start(&pkg, why, sizeof(why)) != STATUS_SUCCESS) {
        fprintf(stderr, "bench_scram: %s\n", why);
        return 1;
    }
    t = &pkg.tables[0];
    r->MessageType = SSPKG_CALL_SET_USER;
    r->NameOffset = sizeof(*r);
    r->NameLength = 10;
    r->SecretOffset = sizeof(*r) + 10;
    r->SecretLength = 12;
    memcpy(request + r->NameOffset, L"bench", 10);
    memcpy(request + r->SecretOffset, L"pencil", 12);
    host_sspi_call_package(&pkg, request, sizeof(*r) + 22, &response, &rlen, &protocol);
    host_sspi_acquire(&pkg, NULL, NULL, &sc);

    /* Interleaved, so drift in the machine's speed touches all three alike. */
    host_sspi_acquire(&pkg, L"bench", L"pencil", &cc);
    handshake(cc, sc);
    for (int i = 0; i < RUNS; i++) {
        LSA_SEC_HANDLE fresh;
        start = now_us();
        pbkdf2_once();
        pbkdf2[i] = now_us() - start;

        start = now_us();
        host_sspi_acquire(&pkg, L"bench", L"pencil", &fresh);
        handshake(fresh, sc);
        host_sspi_free_credentials(&pkg, fresh);
        full[i] = now_us() - start;

        start = now_us();
        handshake(cc, sc);
        cached[i] = now_us() - start;
    }
    p = median(pbkdf2);
    f = median(full);
    c = median(cached);
    printf("SCRAM-SHA-256 handshake, 4096 iterations, median of %d runs:\n", RUNS);
    printf("  PBKDF2 (BCryptDeriveKeyPBKDF2) alone   %10.1f us\n", p);
    printf("  full handshake, fresh credential       %10.1f us   ratio to PBKDF2 %.3f (target <= 1.15)\n",
           f, f / p);
    printf("  handshake with the client's cached keys %9.1f us   %.1f x faster than full (target >= 20)\n",
           c, f / c);
    host_sspi_free_credentials(&pkg, cc);
    host_sspi_free_credentials(&pkg, sc);
    host_package_unload(&pkg);
    return 0;
}
