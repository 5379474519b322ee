/* attr_client.c - a client process setting attributes through sspkg_client.dll's
 * SetContextAttributesW and SetCredentialsAttributesW, against an lsahost serving
 * test/packages/attrpkg.c's three shapes: attrpkg (package 0, the entries), attrpkg-null
 * (1, NULL entries) and attrpkg-v1 (2, version 1). What the package received is in
 * lsahost's log, which test/t/26-serve-attributes.t reads. TAP. */
#include "../../src/winapi.h"
#include "../tap.h"

#include <string.h>

static PSecurityFunctionTableW t;

/* A credential of `package` for `use`, and when ctx is not NULL a context of it (both
 * ends of a handshake when server is not NULL). */
static SECURITY_STATUS handshake(const WCHAR *package, CredHandle *cred, CtxtHandle *ctx,
                                 CredHandle *server_cred, CtxtHandle *server)
{
    SecBuffer out = { 0, SECBUFFER_TOKEN, NULL }, back = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out }, back_desc = { SECBUFFER_VERSION, 1, &back };
    ULONG attributes;
    TimeStamp expiry;
    SECURITY_STATUS s;

    s = t->AcquireCredentialsHandleW(NULL, (WCHAR *)package, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                     NULL, NULL, cred, &expiry);
    if (s != SEC_E_OK || !ctx)
        return s;
    s = t->InitializeSecurityContextW(cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                      ctx, &out_desc, &attributes, &expiry);
    if (s == SEC_I_CONTINUE_NEEDED && server)
        s = t->AcquireCredentialsHandleW(NULL, (WCHAR *)package, SECPKG_CRED_INBOUND, NULL,
                                         NULL, NULL, NULL, server_cred, &expiry);
    else
        server = NULL;
    if (server && s == SEC_E_OK)
        s = t->AcceptSecurityContext(server_cred, NULL, &out_desc, ASC_REQ_ALLOCATE_MEMORY, 0,
                                     server, &back_desc, &attributes, &expiry);
    if (server && s == SEC_E_OK)
        s = t->InitializeSecurityContextW(NULL, ctx, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0,
                                          &back_desc, 0, ctx, &out_desc, &attributes, &expiry);
    t->FreeContextBuffer(out.pvBuffer);
    t->FreeContextBuffer(back.pvBuffer);
    return s;
}

/* A package that lacks both Set entries answers SEC_E_UNSUPPORTED_FUNCTION to each. */
static void without_entries(const WCHAR *package, const char *why)
{
    BYTE one = 1;
    CredHandle cred;
    CtxtHandle ctx;
    SECURITY_STATUS s = handshake(package, &cred, &ctx, NULL, NULL);

    ok(s == SEC_I_CONTINUE_NEEDED, "a context of %ls (0x%08lx)", package, s);
    s = t->SetCredentialsAttributesW(&cred, 1, &one, 1);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "%ls, %s: SetCredentialsAttributesW is "
       "SEC_E_UNSUPPORTED_FUNCTION (0x%08lx)", package, why, s);
    s = t->SetContextAttributesW(&ctx, 1, &one, 1);
    ok(s == SEC_E_UNSUPPORTED_FUNCTION, "... and SetContextAttributesW (0x%08lx)", s);
    t->DeleteSecurityContext(&ctx);
    t->FreeCredentialsHandle(&cred);
}

int main(void)
{
    static BYTE big[65537];
    BYTE five[] = { 1, 2, 3, 4, 5 };
    CredHandle cred, server_cred, bad;
    CtxtHandle ctx, server;
    SECURITY_STATUS s;

    tap_start();
    /* Linked with sspkg_client.dll's import library: its InitSecurityInterfaceW. */
    if (!ok((t = InitSecurityInterfaceW()) != NULL, "sspkg_client.dll gives its table"))
        return done_testing();
    ok(t->dwVersion >= SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 &&
           t->SetContextAttributesW && t->SetCredentialsAttributesW,
       "table version 3 or later, with SetContextAttributesW and SetCredentialsAttributesW "
       "(version %lu)", t->dwVersion);

    s = handshake(L"attrpkg", &cred, &ctx, &server_cred, &server);
    ok(s == SEC_E_OK, "a handshake with attrpkg through lsahost (0x%08lx)", s);
    s = t->SetCredentialsAttributesW(&cred, 77, five, sizeof(five));
    ok(s == SEC_E_OK, "SetCredentialsAttributesW(77, 5 bytes): SEC_E_OK (0x%08lx)", s);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (BYTE)(i * 31 + 7);
    s = t->SetContextAttributesW(&ctx, 0x80000010, big, 65536);
    ok(s == SEC_E_OK, "SetContextAttributesW with 64 KiB, the most lsahost takes: SEC_E_OK "
       "(0x%08lx)", s);
    s = t->SetContextAttributesW(&server, 5, NULL, 0);
    ok(s == SEC_E_OK, "SetContextAttributesW with no value on the server's context (0x%08lx)", s);
    s = t->SetContextAttributesW(&ctx, 6, big, sizeof(big));
    ok(s == SEC_E_INSUFFICIENT_MEMORY, "one byte more: SEC_E_INSUFFICIENT_MEMORY, refused before "
       "it is sent (0x%08lx)", s);
    s = t->SetContextAttributesW(&ctx, 7, NULL, 5);
    ok(s == SEC_E_INVALID_PARAMETER, "5 bytes at NULL: SEC_E_INVALID_PARAMETER (0x%08lx)", s);

    /* Handles that are not the application's: the client's tag check, then lsahost's. */
    s = t->SetContextAttributesW(NULL, 1, five, 1);
    ok(s == SEC_E_INVALID_HANDLE, "a NULL context: SEC_E_INVALID_HANDLE (0x%08lx)", s);
    s = t->SetCredentialsAttributesW((PCredHandle)&ctx, 1, five, 1);
    ok(s == SEC_E_INVALID_HANDLE, "a context handle as a credential: SEC_E_INVALID_HANDLE "
       "(0x%08lx)", s);
    bad = cred;
    bad.dwLower += 0x777;
    s = t->SetCredentialsAttributesW(&bad, 1, five, 1);
    ok(s == SEC_E_INVALID_HANDLE, "a well-tagged credential lsahost never made: "
       "SEC_E_INVALID_HANDLE from lsahost (0x%08lx)", s);

    /* The shapes without the entries. */
    without_entries(L"attrpkg-null", "its entries NULL");
    without_entries(L"attrpkg-v1", "its version 1 defines no such entries");

    t->DeleteSecurityContext(&ctx);
    t->DeleteSecurityContext(&server);
    s = t->SetContextAttributesW(&ctx, 1, five, 1);
    ok(s == SEC_E_INVALID_HANDLE, "a deleted context: SEC_E_INVALID_HANDLE (0x%08lx)", s);
    t->FreeCredentialsHandle(&cred);
    t->FreeCredentialsHandle(&server_cred);
    return done_testing();
}
