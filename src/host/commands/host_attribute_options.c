/* host_attribute_options.c - handshake's --set-credentials-attribute,
 * --set-context-attribute and --metadata (host_attribute_options.h). */
#include "host_attribute_options.h"
#include "host_commands.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* The value of --name=VALUE or --name VALUE, taken out of argv; NULL when absent. A
 * second one is refused (*twice set). */
static const WCHAR *take_value(int *argc, WCHAR **argv, const WCHAR *name, BOOL *twice)
{
    size_t n = wcslen(name);
    const WCHAR *value = NULL;
    int kept = 0;

    for (int i = 0; i < *argc; i++) {
        const WCHAR *v = NULL;
        if (!wcsncmp(argv[i], name, n) && argv[i][n] == L'=')
            v = argv[i] + n + 1;
        else if (!wcscmp(argv[i], name) && i + 1 < *argc)
            v = argv[++i];
        if (!v) {
            argv[kept++] = argv[i];
            continue;
        }
        *twice |= value != NULL;
        value = v;
    }
    *argc = kept;
    return value;
}

/* N:HEX or N:@FILE into *s. */
static BOOL parse_setting(const WCHAR *name, const WCHAR *text, host_attribute_setting *s)
{
    WCHAR *end;
    long n;

    s->given = TRUE;
    s->attribute = wcstoul(text, &end, 0);
    if (end == text || *end != L':' || *text == L'-') {
        host_say("%ls takes N:HEX or N:@FILE, N the attribute's number", name);
        return FALSE;
    }
    n = end[1] == L'@' ? host_command_read_file(end + 2, s->value, sizeof(s->value))
                       : host_command_from_hex(end + 1, s->value, sizeof(s->value));
    if (n < 0) {
        host_say("%ls: the value is not hex digits (or @FILE) of at most %lu bytes", name,
                 (unsigned long)sizeof(s->value));
        return FALSE;
    }
    s->length = (ULONG)n;
    return TRUE;
}

BOOL host_attribute_options_take(int *argc, WCHAR **argv, host_attribute_options *o)
{
    static const WCHAR cred_name[] = L"--set-credentials-attribute",
                       ctx_name[] = L"--set-context-attribute";
    BOOL twice = FALSE;
    const WCHAR *cred = take_value(argc, argv, cred_name, &twice);
    const WCHAR *ctx = take_value(argc, argv, ctx_name, &twice);
    int kept = 0;

    o->credentials.given = o->context.given = o->metadata = FALSE;
    for (int i = 0; i < *argc; i++) {
        if (!wcscmp(argv[i], L"--metadata"))
            o->metadata = TRUE;
        else
            argv[kept++] = argv[i];
    }
    *argc = kept;
    if (twice) {
        host_say("give %ls and %ls once each", cred_name, ctx_name);
        return FALSE;
    }
    return (!cred || parse_setting(cred_name, cred, &o->credentials)) &&
           (!ctx || parse_setting(ctx_name, ctx, &o->context));
}

static void set(const host_secpkg *pkg, const host_attribute_setting *s, BOOL context,
                const char *side, LSA_SEC_HANDLE h)
{
    SECURITY_STATUS status;

    if (!s->given || !h)
        return;
    status = host_sspi_set_attributes(pkg, context, h, s->attribute, s->value, s->length);
    printf("%s %s(attribute %lu, %lu bytes) = %s\n", side,
           context ? "SetContextAttributes" : "SetCredentialsAttributes", s->attribute,
           s->length, host_sec_status_name(status));
    fflush(stdout);
}

void host_attribute_options_credentials(const host_secpkg *pkg, const host_attribute_options *o,
                                        const char *side, LSA_SEC_HANDLE cred)
{
    set(pkg, &o->credentials, FALSE, side, cred);
}

void host_attribute_options_context(const host_secpkg *pkg, const host_attribute_options *o,
                                    const char *side, LSA_SEC_HANDLE ctx)
{
    set(pkg, &o->context, TRUE, side, ctx);
}

/* One direction: `from` queries, `to` takes what it got. */
static void one_way(const host_secpkg *pkg, const char *from, LSA_SEC_HANDLE from_cred,
                    LSA_SEC_HANDLE *from_ctx, BOOL from_accepts, const char *to,
                    LSA_SEC_HANDLE to_cred, LSA_SEC_HANDLE *to_ctx)
{
    static host_token metadata;
    SECURITY_STATUS s = host_sspi_query_metadata(pkg, from_cred, from_ctx,
                                                 host_sspi_flags(from_accepts), &metadata);

    printf("%s QueryMetaData = %s, %lu bytes", from, host_sec_status_name(s), metadata.length);
    for (ULONG i = 0; i < metadata.length && i < 64; i++)
        printf("%s%02x", i ? "" : ": ", metadata.data[i]);
    printf("%s\n", metadata.length > 64 ? "..." : "");
    if (s == SEC_E_OK) {
        s = host_sspi_exchange_metadata(pkg, to_cred, to_ctx, host_sspi_flags(!from_accepts),
                                        &metadata);
        printf("%s ExchangeMetaData(%lu bytes) = %s\n", to, metadata.length,
               host_sec_status_name(s));
    }
    fflush(stdout);
}

void host_attribute_options_metadata(const host_secpkg *pkg, const host_attribute_options *o,
                                     LSA_SEC_HANDLE client_cred, LSA_SEC_HANDLE *cctx,
                                     LSA_SEC_HANDLE server_cred, LSA_SEC_HANDLE *sctx)
{
    if (!o->metadata)
        return;
    one_way(pkg, "client", client_cred, cctx, FALSE, "server", server_cred, sctx);
    one_way(pkg, "server", server_cred, sctx, TRUE, "client", client_cred, cctx);
}
