/* test_package_trace.c - what sspkg's trace says about inputs it ignores and request
 * bits it does not honour, with calls lsahost's commands never make: a principal name
 * and logon id for a credential, an identity for an inbound one, a target name,
 * ISC_REQ_DELEGATE and ASC_REQ_STREAM, a SECBUFFER_PKG_PARAMS buffer (channel bindings
 * are used: test/t/50-scram-cli.t), and a sequence number
 * for MakeSignature. SSPKG_TRACE is set before the package is loaded, and standard
 * error points at a file while the calls are made (the package writes each line to the
 * handle it finds then); each note must be there, before the line of its call. */
#include "../package_host.h"
#include "../secrets.h"

#include <stdio.h>
#include <string.h>

static const host_secpkg *pkg;
static char trace[65536];

/* The first line holding `text`, or NULL. */
static const char *line_with(const char *text)
{
    return strstr(trace, text);
}

/* The note is there, and a line holding `call` comes after it. */
static int note_before(const char *note, const char *call)
{
    const char *at = line_with(note);
    return at && strstr(at, call);
}

static void ignored_credential_inputs(void)
{
    UNICODE_STRING principal = { 24, 24, (PWSTR)L"someone-else" };
    LUID logon = { 0x3e7, 0 };
    BYTE identity[64] = { 0 };
    LSA_SEC_HANDLE cred = 0;
    TimeStamp expiry;

    host_secpkg_table(pkg)->AcquireCredentialsHandle(&principal, SECPKG_CRED_INBOUND, &logon, identity,
                                           NULL, NULL, &cred, &expiry);
    host_sspi_free_credentials(pkg, cred);
}

/* A first ISC with a target, bits the package does not honour and an input buffer of a
 * type it has no use for; its token goes to an ASC asking for bits it does not honour
 * either. */
static void ignored_context_inputs(void)
{
    UNICODE_STRING target = { 24, 24, (PWSTR)L"host/example" };
    BYTE params[32] = { 0 };
    SecBuffer in_buf = { sizeof(params), SECBUFFER_PKG_PARAMS, params };
    SecBuffer out_buf = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc in = { SECBUFFER_VERSION, 1, &in_buf }, out = { SECBUFFER_VERSION, 1, &out_buf };
    LSA_SEC_HANDLE cc = 0, sc = 0, cctx = 0, sctx = 0;
    host_token *first = HeapAlloc(GetProcessHeap(), 0, sizeof(*first));
    host_token *reply = HeapAlloc(GetProcessHeap(), 0, sizeof(*reply));
    ULONG attributes;
    TimeStamp expiry;
    BOOLEAN mapped;
    SecBuffer packed;

    host_sspi_acquire(pkg, L"user", L"pencil", &cc);
    host_sspi_acquire(pkg, NULL, NULL, &sc);
    ok(host_secpkg_table(pkg)->InitLsaModeContext(cc, 0, &target,
                                        ISC_REQ_DELEGATE | ISC_REQ_USE_SESSION_KEY |
                                            ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY,
                                        SECURITY_NATIVE_DREP, &in, &cctx, &out, &attributes,
                                        &expiry, &mapped, &packed) == SEC_I_CONTINUE_NEEDED &&
           out_buf.pvBuffer,
       "ISC with a target, two bits it does not honour and package parameters: it goes on");
    first->length = out_buf.cbBuffer;
    memcpy(first->data, out_buf.pvBuffer, first->length);
    host_FreeLsaHeap(out_buf.pvBuffer);
    ok(host_sspi_step(pkg, TRUE, sc, &sctx, ASC_REQ_DELEGATE | ASC_REQ_STREAM, NULL, first,
                      NULL, 0,
                      reply, &attributes, &packed) == SEC_I_CONTINUE_NEEDED,
       "ASC asked for two bits it does not honour: it goes on");
    close_handshake(pkg, cctx, sctx, cc, sc);
    HeapFree(GetProcessHeap(), 0, first);
    HeapFree(GetProcessHeap(), 0, reply);
}

/* MakeSignature with a sequence number of the caller's, on a finished handshake. */
static void ignored_sequence_number(void)
{
    LSA_SEC_HANDLE cc = 0, sc = 0, cctx = 0, sctx = 0;
    host_token *a = HeapAlloc(GetProcessHeap(), 0, sizeof(*a));
    host_token *b = HeapAlloc(GetProcessHeap(), 0, sizeof(*b));
    char data[] = "signed";
    BYTE signature[64];
    SecBuffer bufs[2] = { { 6, SECBUFFER_DATA, data },
                          { sizeof(signature), SECBUFFER_TOKEN, signature } };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, bufs };
    SECURITY_STATUS cs;
    ULONG attributes;

    host_sspi_acquire(pkg, L"user", L"pencil", &cc);
    host_sspi_acquire(pkg, NULL, NULL, &sc);
    cs = host_sspi_init(pkg, cc, &cctx, NULL, a, &attributes);
    while (cs == SEC_I_CONTINUE_NEEDED) {
        host_sspi_accept(pkg, sc, &sctx, a, b, &attributes);
        cs = host_sspi_init(pkg, cc, &cctx, b, a, &attributes);
    }
    ok(cs == SEC_E_OK && pkg->dll->user_table->MakeSignature(cctx, 0, &desc, 7) == SEC_E_OK,
       "MakeSignature with sequence number 7 signs (with the package's own number)");
    close_handshake(pkg, cctx, sctx, cc, sc);
    HeapFree(GetProcessHeap(), 0, a);
    HeapFree(GetProcessHeap(), 0, b);
}

int main(void)
{
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE), file;
    DWORD got = 0;

    tap_start();
    SetEnvironmentVariableW(L"SSPKG_TRACE", L"1");
    file = CreateFileW(L"package-trace.log", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                       CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (!ok(file != INVALID_HANDLE_VALUE, "a file for the trace"))
        return done_testing();
    SetStdHandle(STD_ERROR_HANDLE, file);
    if (start_sspkg(&pkg, L"package-trace-store.txt")) {
        add_user_verifier(pkg, "user", RFC7677_VERIFIER);
        ignored_credential_inputs();
        ignored_context_inputs();
        ignored_sequence_number();
        host_packages_unload();
    }
    SetStdHandle(STD_ERROR_HANDLE, err);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    ReadFile(file, trace, sizeof(trace) - 1, &got, NULL);
    CloseHandle(file);
    trace[got] = '\0';

    ok(note_before("sspkg: trace: ignores PrincipalName",
                   "SpAcquireCredentialsHandle(principal \"someone-else\", use INBOUND"),
       "ACH: PrincipalName ignored, then the call, which shows it");
    ok(note_before("sspkg: trace: ignores LogonId", "SpAcquireCredentialsHandle(") &&
           note_before("sspkg: trace: ignores the identity of an inbound credential",
                       "SpAcquireCredentialsHandle("),
       "ACH: the logon id and an inbound credential's identity ignored");
    ok(note_before("sspkg: trace: ignores TargetName",
                   "context 0, target \"host/example\", requirements 0x00000123"),
       "ISC: TargetName ignored, then the call, which shows it");
    ok(note_before("sspkg: trace: does not honour ISC_REQ_DELEGATE|ISC_REQ_USE_SESSION_KEY\n",
                   "SpInitLsaModeContext("),
       "ISC: the two bits it does not honour, by name");
    ok(note_before("sspkg: trace: ignores input buffer 0 (type 3)", "SpInitLsaModeContext("),
       "ISC: the SECBUFFER_PKG_PARAMS buffer ignored");
    ok(note_before("sspkg: trace: does not honour ASC_REQ_DELEGATE|ASC_REQ_STREAM\n",
                   "SpAcceptLsaModeContext("),
       "ASC: the two bits it does not honour, by name");
    ok(note_before("sspkg: trace: ignores MessageSequenceNumber 7",
                   "QOP 0, 6 data bytes + 40-byte token, sequence 7) = SEC_E_OK"),
       "MakeSignature: the caller's sequence number ignored");
    ok(!line_with("does not honour ISC_REQ_MUTUAL_AUTH") && !line_with("ISC_REQ_ALLOCATE_MEMORY|"),
       "what the package honours is not reported as dropped");
    if (!line_with("SpMakeSignature("))
        diag("the trace was: %.2000s", trace);
    return done_testing();
}
