/* host_account.h - what the loaded package holds from the host, counted so that
 * everything still held at unload is reported as a leak. lsahost loads one package DLL,
 * so these counters belong to that package (all its tables). Thread-safe. */
#ifndef SSPKG_HOST_ACCOUNT_H
#define SSPKG_HOST_ACCOUNT_H

#include <stdint.h>

typedef enum host_resource {
    HOST_RES_LSA_HEAP,
    HOST_RES_PRIVATE_HEAP,
    HOST_RES_CLIENT_BUFFER,
    HOST_RES_SHM_SECTION,
    HOST_RES_SHM_BLOCK,
    HOST_RES_LOGON_SESSION,
    HOST_RES_THREAD,
    HOST_RES_TOKEN,
    HOST_RES_COUNT
} host_resource;

typedef struct host_account_entry {
    int64_t live;     /* held now */
    int64_t bytes;    /* bytes held now (0 where bytes make no sense) */
    int64_t total;    /* ever acquired */
} host_account_entry;

void host_account_acquire(host_resource r, uint64_t bytes);
void host_account_release(host_resource r, uint64_t bytes);
void host_account_get(host_resource r, host_account_entry *out);
const char *host_resource_name(host_resource r);

/* Prints one line per resource still held ("leak: ..."); returns how many kinds leak. */
int host_account_report_leaks(void);

#endif
