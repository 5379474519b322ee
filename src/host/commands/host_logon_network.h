/* host_logon_network.h - the network shape of lsahost logon: MSV1_0_LM20_LOGON with
 * MessageType MsV1_0NetworkLogon, as a server that has already run a challenge-response
 * exchange with a client submits it to LsaLogonUser. */
#ifndef SSPKG_HOST_LOGON_NETWORK_H
#define SSPKG_HOST_LOGON_NETWORK_H

#include "../../winapi.h"

#include <stddef.h>

/* The most bytes a response may hold here: an NTLMv2 response (its blob carries the
 * server's target information) is a few hundred bytes; STRING's Length allows 65535. */
#define HOST_LOGON_MAX_RESPONSE 4096

typedef struct host_network_logon {
    const WCHAR *domain, *user, *workstation;
    UCHAR challenge[MSV1_0_CHALLENGE_LENGTH];
    UCHAR nt_response[HOST_LOGON_MAX_RESPONSE]; /* CaseSensitiveChallengeResponse */
    UCHAR lm_response[HOST_LOGON_MAX_RESPONSE]; /* CaseInsensitiveChallengeResponse */
    USHORT nt_length, lm_length;
    ULONG parameter_control;
} host_network_logon;

/* A hex option's value (UTF-16 from the command line) into out: exactly `exact` bytes when
 * exact is not 0, else at most `size`. NULL on success, else what is wrong, for a usage
 * message. */
const char *host_logon_hex_option(const WCHAR *text, UCHAR *out, size_t size, size_t exact,
                                  size_t *length);

/* The submit buffer's size for `in` (the structure, then the names and the responses). */
ULONG host_logon_network_size(const host_network_logon *in);

/* Writes the structure into out (host_logon_network_size bytes), its pointers aimed at
 * the same offsets from client_base, where the client's copy lives. */
void host_logon_network_build(BYTE *out, const host_network_logon *in, BYTE *client_base);

#endif
