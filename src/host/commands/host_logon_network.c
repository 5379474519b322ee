/* host_logon_network.c - MSV1_0_LM20_LOGON for lsahost logon --shape=msv1_0-network (the
 * structure's documentation in ntsecapi.h): MessageType MsV1_0NetworkLogon, the domain,
 * user and workstation names, the 8-byte challenge the server sent, the two responses
 * (CaseSensitiveChallengeResponse, the NT one; CaseInsensitiveChallengeResponse, the LM
 * one) and ParameterControl. lsahost computes no response: an NTLM response needs the
 * password and, for NTLMv2, the server's target information and a timestamp; the caller
 * gives the bytes its own client computed. */
#include "host_logon_network.h"
#include "../../common/hex.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

const char *host_logon_hex_option(const WCHAR *text, UCHAR *out, size_t size, size_t exact,
                                  size_t *length)
{
    static __thread char why[96];
    char ascii[2 * HOST_LOGON_MAX_RESPONSE + 2];
    size_t n = wcslen(text), bad;
    hex_result r;

    if (n >= sizeof(ascii))
        return "more bytes than the field holds";
    /* A character past ASCII is not a hex digit; it becomes one hex_decode refuses. */
    for (size_t i = 0; i < n; i++)
        ascii[i] = text[i] < 0x80 ? (char)text[i] : '?';
    r = hex_decode(ascii, n, out, size, length, &bad);
    if (r == HEX_BAD_DIGIT) {
        snprintf(why, sizeof(why), "%s (at character %zu)", hex_result_text(r), bad + 1);
        return why;
    }
    if (r != HEX_OK)
        return hex_result_text(r);
    if (exact && *length != exact) {
        snprintf(why, sizeof(why), "%zu byte(s), where the field holds exactly %zu", *length,
                 exact);
        return why;
    }
    return NULL;
}

static USHORT name_bytes(const WCHAR *s)
{
    return (USHORT)(wcslen(s) * sizeof(WCHAR));
}

ULONG host_logon_network_size(const host_network_logon *in)
{
    return (ULONG)sizeof(MSV1_0_LM20_LOGON) + name_bytes(in->domain) + name_bytes(in->user) +
           name_bytes(in->workstation) + in->nt_length + in->lm_length;
}

/* A response the client does not give is a zero-length string, with no buffer. */
static USHORT put_response(BYTE *out, ULONG at, STRING *field, const UCHAR *bytes,
                           USHORT length, BYTE *client_base)
{
    memcpy(out + at, bytes, length);
    field->Length = field->MaximumLength = length;
    field->Buffer = length ? (PCHAR)(client_base + at) : NULL;
    return length;
}

void host_logon_network_build(BYTE *out, const host_network_logon *in, BYTE *client_base)
{
    MSV1_0_LM20_LOGON *logon = (MSV1_0_LM20_LOGON *)out;
    const WCHAR *names[3] = { in->domain, in->user, in->workstation };
    UNICODE_STRING *fields[3] = { &logon->LogonDomainName, &logon->UserName,
                                  &logon->Workstation };
    ULONG at = sizeof(*logon);

    memset(logon, 0, sizeof(*logon));
    logon->MessageType = MsV1_0NetworkLogon;
    for (int i = 0; i < 3; i++) {
        USHORT bytes = name_bytes(names[i]);
        memcpy(out + at, names[i], bytes);
        fields[i]->Length = fields[i]->MaximumLength = bytes;
        fields[i]->Buffer = (PWSTR)(client_base + at);
        at += bytes;
    }
    memcpy(logon->ChallengeToClient, in->challenge, sizeof(logon->ChallengeToClient));
    at += put_response(out, at, &logon->CaseSensitiveChallengeResponse, in->nt_response,
                       in->nt_length, client_base);
    put_response(out, at, &logon->CaseInsensitiveChallengeResponse, in->lm_response,
                 in->lm_length, client_base);
    logon->ParameterControl = in->parameter_control;
}
