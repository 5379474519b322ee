/* host_show.h - prints what a package published in its shared sections. */
#ifndef SSPKG_HOST_SHOW_H
#define SSPKG_HOST_SHOW_H

/* For each live section: its size, commitment and blocks, with a preview of each block;
 * a block that validates as sspkg's status block is decoded. Prints to stdout. */
void host_show_shared(void);

#endif
