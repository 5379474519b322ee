/* bench_remote.c - what going out of process costs, in one run.
 *
 * The same handshake (client and server contexts, a credential with its keys cached,
 * so PBKDF2 does not drown the difference) first in-process through lsahost's host
 * code, then from this process as a client of `lsahost serve` (the pipe named on the
 * command line, the same store). Where the time goes: the handshake makes seven pipe
 * round trips (three INIT, two ACCEPT, two DELETE) and lsahost two SHAllocShared; one
 * round trip alone is measured with a request that does next to nothing (a QUERY that
 * names a handle that is not ours).
 *
 * And reading the status block: from the section mapped into this process (what the
 * monitor does) against asking the package for it with CallPackage over the pipe
 * (SSPKG_CALL_GET_STATUS, which anyone may send).
 *
 * Reported as ratios; a benchmark, never a test. */
#include "bench_setup.h"
#include "../src/client/client_pipe.h"


#define RUNS 201

static const host_secpkg *pkg;
static client_pipe remote;

/* The same through lsahost serve; the packed contexts are taken and dropped (the
 * user-mode half is not the point here). */
static int remote_handshake(ULONG64 cc, ULONG64 sc)
{
    static BYTE a[4096], b[4096];
    ULONG64 cctx = 0, sctx = 0;
    ULONG alen = sizeof(a), blen, attr, plen;
    BYTE *packed;
    SECURITY_STATUS cs, ss = 0;

    cs = client_pipe_step(&remote, 0, FALSE, cc, &cctx, 0, NULL, 0, NULL, 0, a, &alen, &attr, &packed, &plen);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        blen = sizeof(b);
        ss = client_pipe_step(&remote, 0, TRUE, sc, &sctx, 0, a, alen, NULL, 0, b, &blen, &attr, &packed, &plen);
        if (packed)
            HeapFree(GetProcessHeap(), 0, packed);
        alen = sizeof(a);
        cs = client_pipe_step(&remote, 0, FALSE, cc, &cctx, 0, b, blen, NULL, 0, a, &alen, &attr, &packed,
                              &plen);
        if (packed)
            HeapFree(GetProcessHeap(), 0, packed);
    }
    client_pipe_delete(&remote, 0, cctx);
    client_pipe_delete(&remote, 0, sctx);
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

int wmain(int argc, WCHAR **argv)
{
    static double local[RUNS], far_[RUNS], trip[RUNS], mapped[RUNS], asked[RUNS];
    SSPKG_CALL_REQUEST get_status = { SSPKG_CALL_GET_STATUS, 0, 0, 0, 0, 0, 0, 0 };
    SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)L"bench", 5, NULL, 0,
                                     (unsigned short *)L"pencil", 6,
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE };
    LSA_SEC_HANDLE lcc, lsc;
    ULONG64 rcc, rsc;
    const SSPKG_STATUS_BLOCK *view;
    double l, r, t, m, a;

    if (argc != 2 || !bench_start_package(&pkg))
        return 1;
    host_sspi_acquire(pkg, L"bench", L"pencil", &lcc);
    host_sspi_acquire(pkg, NULL, NULL, &lsc);
    if (client_pipe_connect(&remote, argv[1], 10000, CLIENT_PIPE_UNTRUSTED) != SEC_E_OK ||
        client_pipe_acquire(&remote, 0, SECPKG_CRED_OUTBOUND, &id, &rcc) != SEC_E_OK ||
        client_pipe_acquire(&remote, 0, SECPKG_CRED_INBOUND, NULL, &rsc) != SEC_E_OK || !remote.section) {
        fprintf(stderr, "bench_remote: cannot use lsahost serve on %ls\n", argv[1]);
        return 1;
    }
    view = remote.section_view;
    /* Warm both caches of derived keys. */
    bench_handshake(pkg, lcc, lsc);
    if (!view || !remote_handshake(rcc, rsc)) {
        fprintf(stderr, "bench_remote: a handshake failed\n");
        return 1;
    }
    for (int i = 0; i < RUNS; i++) {
        SSPKG_STATUS_BLOCK copy;
        SecPkgContext_Sizes sizes;
        double s = bench_now_us();
        bench_handshake(pkg, lcc, lsc);
        local[i] = bench_now_us() - s;
        s = bench_now_us();
        remote_handshake(rcc, rsc);
        far_[i] = bench_now_us() - s;
        s = bench_now_us();
        client_pipe_query(&remote, 0, TRUE, 1, SECPKG_ATTR_SIZES, &sizes);
        trip[i] = bench_now_us() - s;
        s = bench_now_us();
        memcpy(&copy, view, sizeof(copy));
        if (copy.Magic != SSPKG_STATUS_MAGIC)
            return 1;
        mapped[i] = bench_now_us() - s;
        s = bench_now_us();
        {
            void *response;
            ULONG len;
            NTSTATUS protocol;
            client_pipe_call_package(&remote, 0, &get_status, sizeof(get_status), &response, &len,
                                     &protocol);
            if (response)
                VirtualFree(response, 0, MEM_RELEASE);
        }
        asked[i] = bench_now_us() - s;
    }
    l = bench_median(local, RUNS);
    r = bench_median(far_, RUNS);
    t = bench_median(trip, RUNS);
    m = bench_median(mapped, RUNS);
    a = bench_median(asked, RUNS);
    printf("out of process, keys cached, median of %d:\n", RUNS);
    printf("  handshake in-process             %9.1f us\n", l);
    printf("  handshake through lsahost serve  %9.1f us   ratio %.2f\n", r, r / l);
    printf("  one pipe round trip              %9.1f us   x7 = %.1f us of the %.1f us difference\n",
           t, 7 * t, r - l);
    printf("status block: mapped read %.3f us, CallPackage(GET_STATUS) over the pipe %.1f us: "
           "ratio %.0f\n", m, a, a / (m > 0.001 ? m : 0.001));
    client_pipe_free_credential(&remote, 0, rcc);
    client_pipe_free_credential(&remote, 0, rsc);
    client_pipe_close(&remote);
    host_sspi_free_credentials(pkg, lcc);
    host_sspi_free_credentials(pkg, lsc);
    host_packages_unload();
    return 0;
}
