/* host_attribute_options.h - handshake's options for the SSPI entries past version 1:
 *
 *   --set-credentials-attribute=N:HEX|N:@FILE
 *       SetCredentialsAttributes(N, bytes) on each credential once acquired
 *   --set-context-attribute=N:HEX|N:@FILE
 *       SetContextAttributes(N, bytes) on each context after the handshake
 *   --metadata
 *       before the first token, as Negotiate's NegoEx does: QueryMetaData on the
 *       initiator's side, ExchangeMetaData on the acceptor's with those bytes, then
 *       QueryMetaData on the acceptor's side and ExchangeMetaData on the initiator's
 *
 * N is a number (decimal, or 0x hex), the bytes hex digits or a file's contents, at most
 * LSA_WIRE_MAX_ATTRIBUTE (64 KiB, what lsahost serve takes). Each call's status (and the
 * metadata's bytes) is printed on stdout; it does not change the handshake's outcome or
 * exit status: these are probes of the package. */
#ifndef SSPKG_HOST_ATTRIBUTE_OPTIONS_H
#define SSPKG_HOST_ATTRIBUTE_OPTIONS_H

#include "../packages/host_sspi.h"
#include "../../common/lsa_wire.h"

typedef struct host_attribute_setting {
    BOOL given;
    ULONG attribute;
    ULONG length;
    BYTE value[LSA_WIRE_MAX_ATTRIBUTE];
} host_attribute_setting;

typedef struct host_attribute_options {
    host_attribute_setting credentials, context;
    BOOL metadata;
} host_attribute_options;

/* Takes the options out of argv (so the command's own check sees the rest) into *o;
 * FALSE, said on stderr, when one is malformed. */
BOOL host_attribute_options_take(int *argc, WCHAR **argv, host_attribute_options *o);

/* SetCredentialsAttributes or SetContextAttributes on one side's handle, when asked;
 * `side` is "client" or "server". Nothing when the handle is 0. */
void host_attribute_options_credentials(const host_secpkg *pkg, const host_attribute_options *o,
                                        const char *side, LSA_SEC_HANDLE cred);
void host_attribute_options_context(const host_secpkg *pkg, const host_attribute_options *o,
                                    const char *side, LSA_SEC_HANDLE ctx);

/* --metadata: the exchange before the first token, between the client's credential and
 * context (*cctx, 0 or what the package makes) and the server's. */
void host_attribute_options_metadata(const host_secpkg *pkg, const host_attribute_options *o,
                                     LSA_SEC_HANDLE client_cred, LSA_SEC_HANDLE *cctx,
                                     LSA_SEC_HANDLE server_cred, LSA_SEC_HANDLE *sctx);

#endif
