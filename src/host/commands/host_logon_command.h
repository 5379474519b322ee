/* host_logon_command.h - lsahost logon: a package's LsaApLogonUser* driven as lsass
 * drives it (host_logon_command.c). */
#ifndef SSPKG_HOST_LOGON_COMMAND_H
#define SSPKG_HOST_LOGON_COMMAND_H

#include "../packages/host_packages.h"

int host_logon_command(int argc, WCHAR **argv);

#endif
