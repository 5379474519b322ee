/* host_show.h - prints what a package published in its shared sections. */
#ifndef SSPKG_HOST_SHOW_H
#define SSPKG_HOST_SHOW_H

#include "../../winapi.h"

/* For each live section: its size, commitment and blocks, with a preview of each block;
 * a block that validates as sspkg's status block is decoded. Prints to stdout. */
void host_show_shared(void);

/* What sspkg published, read from someone else's view of its section: the status block
 * at status_block and, inside the `readable` bytes from there, its event ring. Every
 * part is copied once and validated before use; FALSE when the status block is not
 * one (damaged, or not sspkg's). */
BOOL host_show_published(const void *status_block, size_t readable);

#endif
