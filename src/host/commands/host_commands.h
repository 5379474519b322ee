/* host_commands.h - lsahost's commands against a loaded package: managing users,
 * the client and server ends of a token exchange on stdin/stdout, and a whole
 * handshake in one process. Each returns a process exit status (lsahost_main.c). */
#ifndef SSPKG_HOST_COMMANDS_H
#define SSPKG_HOST_COMMANDS_H

#include "../../winapi.h"

/* Exit status of a command that ran but did not succeed: authentication denied, no
 * such user, a store that cannot be read. */
#define HOST_EXIT_COMMAND_FAILED 6

/* A command picks the package it acts on itself (host_packages_pick). */
typedef int (*host_command_fn)(int argc, WCHAR **argv);

/* Up to cap bytes of a file; -1 (said) when it cannot be read or holds more. */
long host_command_read_file(const WCHAR *path, BYTE *out, size_t cap);
/* Hex digits into bytes; -1 when the text is not an even number of them or too long. */
long host_command_from_hex(const WCHAR *text, BYTE *out, size_t cap);

/* The command named argv[0], or NULL. */
host_command_fn host_command_find(const WCHAR *name);

#endif
