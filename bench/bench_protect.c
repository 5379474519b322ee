/* bench_protect.c - message protection against the cipher under it, in one run.
 *
 * Baseline: BCrypt AES-256-GCM encrypt then decrypt of the same buffer (one key, a new
 * nonce each time, 8 bytes of additional data), which is the least a sealed round trip
 * can cost. Measured: SealMessage then UnsealMessage through sspkg's user-mode half on a
 * context from a real handshake in lsahost (handle lookup, locks, sequence numbers, the
 * copy DecryptMessage makes so a forged message never touches the caller's buffer).
 * 64 KiB and 64-byte messages; the best of several rounds of many round trips.
 *
 * Targets (issue 4): 64 KiB at least 0.85 of the raw throughput; 64 bytes at most 2x the
 * raw cost. A benchmark, never a test. */
#include "bench_setup.h"

#include <bcrypt.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 5

static const host_secpkg *pkg;
static LSA_SEC_HANDLE client_ctx, server_ctx;
static BYTE buffer[65536];

static BCRYPT_KEY_HANDLE raw_key(void)
{
    static const UCHAR key[32] = { 7 };
    BCRYPT_ALG_HANDLE alg;
    BCRYPT_KEY_HANDLE k = NULL;

    BCryptOpenAlgorithmProvider(&alg, BCRYPT_AES_ALGORITHM, NULL, 0);
    BCryptSetProperty(alg, BCRYPT_CHAINING_MODE, (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
                      sizeof(BCRYPT_CHAIN_MODE_GCM), 0);
    BCryptGenerateSymmetricKey(alg, &k, NULL, 0, (PUCHAR)key, sizeof(key), 0);
    return k;
}

static void raw_round_trip(BCRYPT_KEY_HANDLE k, ULONG len, ULONGLONG seq)
{
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
    UCHAR nonce[12] = { 0 }, tag[16], aad[8];
    ULONG done;

    memcpy(nonce + 4, &seq, 8);
    memcpy(aad, &seq, 8);
    BCRYPT_INIT_AUTH_MODE_INFO(info);
    info.pbNonce = nonce;
    info.cbNonce = 12;
    info.pbAuthData = aad;
    info.cbAuthData = 8;
    info.pbTag = tag;
    info.cbTag = 16;
    BCryptEncrypt(k, buffer, len, &info, NULL, 0, buffer, len, &done, 0);
    BCryptDecrypt(k, buffer, len, &info, NULL, 0, buffer, len, &done, 0);
}

static int sealed_round_trip(ULONG len)
{
    BYTE trailer[SSPKG_SEAL_TRAILER_SIZE];
    ULONG n = sizeof(trailer);

    return host_sspi_seal(pkg, client_ctx, buffer, len, trailer, &n) == SEC_E_OK &&
           host_sspi_unseal(pkg, server_ctx, buffer, len, trailer, n) == SEC_E_OK;
}

/* Best-of-rounds microseconds per round trip, raw and sealed, interleaved by round. */
static void measure(ULONG len, int count, double *raw, double *sealed)
{
    BCRYPT_KEY_HANDLE k = raw_key();
    ULONGLONG seq = 0;

    *raw = *sealed = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        double t = bench_now_us();
        for (int i = 0; i < count; i++)
            raw_round_trip(k, len, seq++);
        t = (bench_now_us() - t) / count;
        if (t < *raw)
            *raw = t;
        t = bench_now_us();
        for (int i = 0; i < count; i++)
            if (!sealed_round_trip(len)) {
                fprintf(stderr, "bench_protect: a sealed round trip failed\n");
                ExitProcess(1);
            }
        t = (bench_now_us() - t) / count;
        if (t < *sealed)
            *sealed = t;
    }
    BCryptDestroyKey(k);
}

int main(void)
{
    static host_token a, b;
    LSA_SEC_HANDLE cc, sc;
    SECURITY_STATUS cs, ss = 0;
    ULONG attr;
    double raw_big, sealed_big, raw_small, sealed_small;

    if (!bench_start_package(&pkg))
        return 1;
    host_sspi_acquire(pkg, NULL, NULL, &sc);
    host_sspi_acquire(pkg, L"bench", L"pencil", &cc);
    cs = host_sspi_init(pkg, cc, &client_ctx, NULL, &a, &attr);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        ss = host_sspi_accept(pkg, sc, &server_ctx, &a, &b, &attr);
        cs = host_sspi_init(pkg, cc, &client_ctx, &b, &a, &attr);
    }
    if (cs != SEC_E_OK || ss != SEC_E_OK) {
        fprintf(stderr, "bench_protect: handshake failed\n");
        return 1;
    }

    measure(sizeof(buffer), 2000, &raw_big, &sealed_big);
    measure(64, 100000, &raw_small, &sealed_small);
    printf("EncryptMessage+DecryptMessage against raw BCrypt AES-256-GCM, best of %d rounds:\n",
           ROUNDS);
    printf("  64 KiB: raw %8.2f us (%6.1f MiB/s), sealed %8.2f us (%6.1f MiB/s): "
           "%.2f of raw throughput (target >= 0.85)\n", raw_big,
           65536.0 / raw_big / 1.048576, sealed_big, 65536.0 / sealed_big / 1.048576,
           raw_big / sealed_big);
    printf("  64 B:   raw %8.2f us, sealed %8.2f us: %.2f x the raw cost (target <= 2)\n",
           raw_small, sealed_small, sealed_small / raw_small);

    host_sspi_delete(pkg, client_ctx);
    host_sspi_delete(pkg, server_ctx);
    host_sspi_free_credentials(pkg, cc);
    host_sspi_free_credentials(pkg, sc);
    host_packages_unload();
    return 0;
}
