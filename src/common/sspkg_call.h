/* sspkg_call.h - building the package's CallPackage requests and reading its answers
 * (the messages of include/sspkg.h), for every program that manages the package: the
 * LSA client API's sspkg-user, lsahost's in-process `user` command and the tests.
 * Portable: names are UTF-16LE code units, memory comes from malloc. */
#ifndef SSPKG_COMMON_SSPKG_CALL_H
#define SSPKG_COMMON_SSPKG_CALL_H

#include "../../include/sspkg.h"

#include <stddef.h>
#include <stdint.h>

/* An SSPKG_CALL_REQUEST of the given type with the name (name_units UTF-16 code units)
 * and the secret (secret_len bytes: a UTF-16LE password or a verifier's text) after the
 * header; free it with sspkg_call_free (which wipes it). NULL when out of memory or too
 * large for the message's 32-bit lengths. */
void *sspkg_call_request(uint32_t type, uint32_t flags, uint32_t iterations,
                         const uint16_t *name, size_t name_units, const void *secret,
                         size_t secret_len, uint32_t *length);
/* The same with an account (account_units UTF-16 code units: a SID string or a name;
 * account NULL: none) at the request's end and SSPKG_SET_USER_ACCOUNT set; an account
 * of 0 units removes the user's mapping. */
void *sspkg_call_request_account(uint32_t type, uint32_t flags, uint32_t iterations,
                                 const uint16_t *name, size_t name_units, const void *secret,
                                 size_t secret_len, const uint16_t *account,
                                 size_t account_units, uint32_t *length);
void sspkg_call_free(void *request, uint32_t length);

/* The sentence of an SSPKG_ERROR_RESPONSE, or NULL when the response is not one that
 * holds together (*text_len: its bytes, no terminator). */
const char *sspkg_call_error_text(const void *response, size_t length, size_t *text_len);

/* The number of users an SSPKG_LIST_RESPONSE lists, or -1 when it is malformed: too
 * short, a count that does not fit, or an entry whose name or account lies outside it or
 * is not whole UTF-16. Check it before sspkg_call_list_user and _account. */
long sspkg_call_list_count(const void *response, size_t length);

/* Entry i of a response sspkg_call_list_count accepted. */
void sspkg_call_list_user(const void *response, uint32_t i, const uint16_t **name,
                          size_t *name_units, uint32_t *iterations);
/* The account (a SID string) of entry i; 0 units: the user maps to none. */
void sspkg_call_list_account(const void *response, uint32_t i, const uint16_t **account,
                             size_t *account_units);

#endif
