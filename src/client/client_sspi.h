/* client_sspi.h - sspkg_client.dll's two SSPI tables: the Unicode one (client_sspi.c),
 * which does the work, and the ANSI one (client_ansi.c), a conversion over it. The .def
 * file exports them as InitSecurityInterfaceW and InitSecurityInterfaceA: sspi.h
 * declares those names as imported from secur32, so the definitions carry others. */
#ifndef SSPKG_CLIENT_SSPI_H
#define SSPKG_CLIENT_SSPI_H

#include "../winapi.h"

PSecurityFunctionTableW SEC_ENTRY client_InitSecurityInterfaceW(void);
PSecurityFunctionTableA SEC_ENTRY client_InitSecurityInterfaceA(void);

#endif
