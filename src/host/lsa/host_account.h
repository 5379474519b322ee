/* host_account.h - what the loaded packages hold from the host, counted so that
 * everything still held at unload is reported as a leak. Every kind is counted for all
 * packages together; the kinds whose records keep their owner (heap blocks, client
 * buffers, threads, token handles, CallPackage return buffers) are also counted per
 * package id, the package the call that took them was into (host_call_package).
 * Thread-safe. */
#ifndef SSPKG_HOST_ACCOUNT_H
#define SSPKG_HOST_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

typedef enum host_resource {
    HOST_RES_LSA_HEAP,
    HOST_RES_PRIVATE_HEAP,
    HOST_RES_CLIENT_BUFFER,
    HOST_RES_SHM_SECTION,
    HOST_RES_SHM_BLOCK,
    HOST_RES_LOGON_SESSION,
    HOST_RES_THREAD,
    HOST_RES_TOKEN,
    HOST_RES_RETURN_BUFFER,
    HOST_RES_COUNT
} host_resource;

typedef struct host_account_entry {
    int64_t live;     /* held now */
    int64_t bytes;    /* bytes held now (0 where bytes make no sense) */
    int64_t total;    /* ever acquired */
} host_account_entry;

/* No package: a resource taken outside any call into one, or whose owner is not kept. */
#define HOST_PACKAGE_NONE 0xffffffffu

/* Package ids counted one by one; a larger id (or HOST_PACKAGE_NONE: an owner not
 * recorded) counts in the totals only. */
#define HOST_ACCOUNT_MAX_PACKAGES 128

/* `owner` is the package charged: host_call_package() when the resource's record keeps
 * it (and the same value given back at release), HOST_PACKAGE_NONE otherwise. */
void host_account_acquire(host_resource r, uint64_t bytes, uint32_t owner);
void host_account_release(host_resource r, uint64_t bytes, uint32_t owner);
void host_account_get(host_resource r, host_account_entry *out);
/* What package `id` holds of a kind counted per package; for HOST_PACKAGE_NONE (or an id
 * past the counted ones), what no counted package owns. */
void host_account_get_package(uint32_t id, host_resource r, host_account_entry *out);
const char *host_resource_name(host_resource r);

/* The name the leak report gives package `id` (its SecPkgInfo Name; a copy of its
 * first 64 characters is kept). `name` must be readable up to its terminator or
 * those 64 characters. */
void host_account_name_package(uint32_t id, const wchar_t *name);
/* "package N (NAME)" for messages, into out; "no package" for HOST_PACKAGE_NONE. */
const char *host_account_package_text(uint32_t id, char *out, size_t size);

/* Prints one line per resource still held ("leak: ..."), then, for the kinds counted per
 * package, one line per package holding some; returns how many kinds leak. */
int host_account_report_leaks(void);

#endif
