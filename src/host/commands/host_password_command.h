/* host_password_command.h - lsahost change-password: a package's SpChangeAccountPassword
 * driven as the LSA drives it for ChangeAccountPasswordW (host_password_command.c). */
#ifndef SSPKG_HOST_PASSWORD_COMMAND_H
#define SSPKG_HOST_PASSWORD_COMMAND_H

#include "../../winapi.h"

int host_password_command(int argc, WCHAR **argv);

#endif
