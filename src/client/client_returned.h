/* client_returned.h - memory lsahost allocated in this process for an answer
 * (VirtualAllocEx: a query's strings, a CallPackage return buffer), as opposed to what
 * the client DLL allocates itself (the process heap). FreeContextBuffer and
 * LsaFreeReturnBuffer look here first, so each block is freed the way it was made, and
 * LsaFreeReturnBuffer frees nothing it did not hand out. */
#ifndef SSPKG_CLIENT_RETURNED_H
#define SSPKG_CLIENT_RETURNED_H

#include "../winapi.h"

/* Remembers p (NULL is ignored). FALSE when there is no memory to remember it. */
BOOL client_returned_remember(void *p);

/* Whether p is remembered: a block the application holds, which no new answer may
 * name again (lsahost allocates each answer anew). */
BOOL client_returned_holds(const void *p);

/* Forgets p and says whether it was remembered: then it is the caller's to VirtualFree. */
BOOL client_returned_forget(void *p);

#endif
