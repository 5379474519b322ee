/* pkg_binding.c - the channel binding an application passes to InitializeSecurityContext
 * or AcceptSecurityContext: a SECBUFFER_CHANNEL_BINDINGS input buffer holding
 * SEC_CHANNEL_BINDINGS (sspi.h), as every Windows package takes it and as Schannel's
 * SECPKG_ATTR_ENDPOINT_BINDINGS and SECPKG_ATTR_UNIQUE_BINDINGS give it. The structure
 * is read by the portable core (src/common/scram_binding.c), which checks every offset
 * and length: the buffer is the caller's. */
#include "pkg.h"
#include "../common/scram_util.h"

_Static_assert(sizeof(SEC_CHANNEL_BINDINGS) == SCRAM_SEC_CHANNEL_BINDINGS_SIZE,
               "SEC_CHANNEL_BINDINGS is the eight 32-bit fields scram_binding.c reads");

SECURITY_STATUS pkg_binding_read(PSecBufferDesc desc, scram_binding *out, BOOL *present)
{
    PSecBuffer b = NULL;
    scram_binding_error e;
    int addresses;

    memset(out, 0, sizeof(*out));
    *present = FALSE;
    for (ULONG i = 0; desc && desc->pBuffers && i < desc->cBuffers && !b; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_CHANNEL_BINDINGS)
            b = &desc->pBuffers[i];
    if (!b)
        return SEC_E_OK;
    *present = TRUE;
    e = scram_binding_from_sec_channel_bindings(b->cbBuffer ? b->pvBuffer : NULL,
                                                b->cbBuffer, out, &addresses);
    if (e) {
        pkg_trace("fails: the SECBUFFER_CHANNEL_BINDINGS buffer (%lu bytes): %s",
                  b->cbBuffer, scram_binding_error_text(e));
        return SEC_E_BAD_BINDINGS;
    }
    if (addresses)
        pkg_trace("ignores the initiator and acceptor addresses of SEC_CHANNEL_BINDINGS: "
                  "SCRAM binds the application data only");
    pkg_trace("binds to the channel: %s, %lu bytes", out->type, (unsigned long)out->data_len);
    return SEC_E_OK;
}
