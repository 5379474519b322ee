/* client_trust.h - whether the process serving lsahost's pipe is lsahost, checked before
 * the client sends it anything (docs/architecture.md, "Trust model"):
 *
 *   account  the server process's token user must be the account lsahost runs as:
 *            SSPKG_LSAHOST_ACCOUNT (a SID string), else the registry value
 *            LsahostAccount (REG_SZ) under HKLM\SYSTEM\CurrentControlSet\Control\Lsa\
 *            SCRAM-SHA-256, else SYSTEM (S-1-5-18); under Wine, where every process runs
 *            as one user, the default is the caller's own user, and this check then
 *            cannot tell another process of that user from lsahost.
 *   image    the server's image (QueryFullProcessImageNameW) must be lsahost's:
 *            SSPKG_LSAHOST_IMAGE, else the registry value LsahostImage, else lsahost.exe
 *            in the directory of the module holding this code; compared as full paths,
 *            ignoring case.
 *
 * On failure it says whom it found and whom it expected (client_say) and returns
 * SEC_E_NO_AUTHENTICATING_AUTHORITY: the authority the caller must use could not be
 * reached, since whoever holds the pipe is not it. */
#ifndef SSPKG_CLIENT_TRUST_H
#define SSPKG_CLIENT_TRUST_H

#include "../winapi.h"

SECURITY_STATUS client_trust_server(HANDLE pipe, const WCHAR *pipe_name);

#endif
