/* bench_fair.c - what one hostile client process costs the others, in one run.
 *
 * An honest client of `lsahost serve` (the pipe named on the command line) makes full
 * handshakes: a new credential each time, so lsahost runs PBKDF2 (4096 iterations) for
 * its client context, as for anyone logging on for the first time. Its median latency
 * is measured alone, then while test/wine/attacker.exe grinds: it plays the SCRAM
 * server to its own client contexts and answers every client-first with i=100000, the
 * client's ceiling (the most PBKDF2 one step may cost), on four connections at once;
 * then while two such processes grind. lsahost serves each process through one lane,
 * so a process keeps at most one of its threads busy whatever its connections, and
 * charges it the CPU time the package spends for it (250 ms a second by default).
 *
 * Against two lsahosts in the same run: one with its defaults, one whose CPU budget is
 * out of reach (--cpu-per-process=1000000), to show what the budget buys.
 *
 * Reported as ratios to the latency alone; a benchmark, never a test. */
#include "bench_setup.h"
#include "../src/client/client_pipe.h"

#define RUNS 41

static client_pipe honest;

/* One full handshake through lsahost, a fresh client credential (no cached keys). */
static int handshake(ULONG64 sc)
{
    static SEC_WINNT_AUTH_IDENTITY_W id = { (unsigned short *)L"bench", 5, NULL, 0,
                                            (unsigned short *)L"pencil", 6,
                                            SEC_WINNT_AUTH_IDENTITY_UNICODE };
    static BYTE a[4096], b[4096];
    ULONG64 cc, cctx = 0, sctx = 0;
    ULONG alen = sizeof(a), blen, attr, plen;
    BYTE *packed;
    SECURITY_STATUS cs, ss = 0;

    if (client_pipe_acquire(&honest, 0, SECPKG_CRED_OUTBOUND, &id, &cc) != SEC_E_OK)
        return 0;
    cs = client_pipe_step(&honest, 0, FALSE, cc, &cctx, 0, NULL, 0, NULL, 0, a, &alen, &attr, &packed, &plen);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        blen = sizeof(b);
        ss = client_pipe_step(&honest, 0, TRUE, sc, &sctx, 0, a, alen, NULL, 0, b, &blen, &attr, &packed,
                              &plen);
        HeapFree(GetProcessHeap(), 0, packed);
        alen = sizeof(a);
        cs = client_pipe_step(&honest, 0, FALSE, cc, &cctx, 0, b, blen, NULL, 0, a, &alen, &attr, &packed,
                              &plen);
        HeapFree(GetProcessHeap(), 0, packed);
    }
    client_pipe_delete(&honest, 0, cctx);
    client_pipe_delete(&honest, 0, sctx);
    client_pipe_free_credential(&honest, 0, cc);
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

/* The honest client's median handshake latency, in microseconds (0: a handshake failed). */
static double median_latency(ULONG64 sc)
{
    static double t[RUNS];

    for (int i = 0; i < RUNS; i++) {
        double s = bench_now_us();
        if (!handshake(sc))
            return 0;
        t[i] = bench_now_us() - s;
    }
    return bench_median(t, RUNS);
}

/* An attacker process grinding on four connections until it is terminated. */
static HANDLE start_grinder(const WCHAR *pipe)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    WCHAR line[512];

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    swprintf(line, sizeof(line) / sizeof(line[0]), L"attacker.exe grind %ls 100000 1000000 4",
             pipe);
    if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* The three figures against the lsahost serving `pipe`; FALSE when something failed. */
static BOOL measure(const WCHAR *pipe, double out[3])
{
    ULONG64 sc;
    HANDLE grinders[2] = { NULL, NULL };
    BOOL ok;

    if (client_pipe_connect(&honest, pipe, 10000, CLIENT_PIPE_UNTRUSTED) != SEC_E_OK ||
        client_pipe_acquire(&honest, 0, SECPKG_CRED_INBOUND, NULL, &sc) != SEC_E_OK) {
        fprintf(stderr, "bench_fair: cannot use lsahost serve on %ls\n", pipe);
        return FALSE;
    }
    out[0] = median_latency(sc);
    grinders[0] = start_grinder(pipe);
    Sleep(2000);
    out[1] = median_latency(sc);
    grinders[1] = start_grinder(pipe);
    Sleep(2000);
    out[2] = median_latency(sc);
    ok = out[0] && out[1] && out[2] && grinders[0] && grinders[1];
    for (int i = 0; i < 2; i++) {
        if (grinders[i]) {
            TerminateProcess(grinders[i], 0);
            WaitForSingleObject(grinders[i], INFINITE);
            CloseHandle(grinders[i]);
        }
    }
    client_pipe_free_credential(&honest, 0, sc);
    client_pipe_close(&honest);
    if (!ok)
        fprintf(stderr, "bench_fair: a handshake failed, or an attacker did not start\n");
    return ok;
}

int wmain(int argc, WCHAR **argv)
{
    double budget[3], none[3];

    if (argc != 3 || !measure(argv[1], budget) || !measure(argv[2], none))
        return 1;
    printf("fairness: an honest full handshake (PBKDF2 4096) through lsahost serve, median of "
           "%d, %lu CPU(s),\n  with lsahost's CPU budget per process (default) | without:\n",
           RUNS, (unsigned long)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS));
    printf("  alone                                      %9.1f us            | %9.1f us\n",
           budget[0], none[0]);
    printf("  one process grinding i=100000, 4 conns     %9.1f us  ratio %.2f | %9.1f us  "
           "ratio %.2f\n", budget[1], budget[1] / budget[0], none[1], none[1] / none[0]);
    printf("  two such processes                         %9.1f us  ratio %.2f | %9.1f us  "
           "ratio %.2f\n", budget[2], budget[2] / budget[0], none[2], none[2] / none[0]);
    return 0;
}
