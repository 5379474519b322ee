/* sspkg_call.c - the package's CallPackage messages, built and read (sspkg_call.h). */
#include "sspkg_call.h"

#include <stdlib.h>
#include <string.h>

void *sspkg_call_request(uint32_t type, uint32_t flags, uint32_t iterations,
                         const uint16_t *name, size_t name_units, const void *secret,
                         size_t secret_len, uint32_t *length)
{
    return sspkg_call_request_account(type, flags, iterations, name, name_units, secret,
                                      secret_len, NULL, 0, length);
}

void *sspkg_call_request_account(uint32_t type, uint32_t flags, uint32_t iterations,
                                 const uint16_t *name, size_t name_units, const void *secret,
                                 size_t secret_len, const uint16_t *account,
                                 size_t account_units, uint32_t *length)
{
    size_t name_len = name_units * sizeof(uint16_t), account_len = account_units * sizeof(uint16_t);
    size_t size;
    SSPKG_CALL_REQUEST *r;
    uint8_t *buf;

    if (name_units > UINT32_MAX / 8 || secret_len > UINT32_MAX / 4 ||
        account_units > UINT32_MAX / 8)
        return NULL;
    size = sizeof(SSPKG_CALL_REQUEST) + name_len + secret_len + account_len;
    if (!(buf = calloc(1, size)))
        return NULL;
    r = (SSPKG_CALL_REQUEST *)buf;
    r->MessageType = type;
    r->Flags = flags | (account ? SSPKG_SET_USER_ACCOUNT : 0);
    r->Iterations = iterations;
    r->NameOffset = sizeof(*r);
    r->NameLength = (uint32_t)name_len;
    r->SecretOffset = (uint32_t)(sizeof(*r) + name_len);
    r->SecretLength = (uint32_t)secret_len;
    r->AccountLength = (uint32_t)account_len;
    if (name_len)
        memcpy(buf + r->NameOffset, name, name_len);
    if (secret_len)
        memcpy(buf + r->SecretOffset, secret, secret_len);
    if (account_len)
        memcpy(buf + size - account_len, account, account_len);
    *length = (uint32_t)size;
    return buf;
}

void sspkg_call_free(void *request, uint32_t length)
{
    volatile uint8_t *p = request;

    /* The request may hold a password. */
    for (uint32_t i = 0; p && i < length; i++)
        p[i] = 0;
    free(request);
}

const char *sspkg_call_error_text(const void *response, size_t length, size_t *text_len)
{
    const SSPKG_ERROR_RESPONSE *e = response;

    if (!e || length < sizeof(*e) || e->MessageType != SSPKG_CALL_ERROR ||
        e->TextLength > length - sizeof(*e))
        return NULL;
    *text_len = e->TextLength;
    return e->Text;
}

long sspkg_call_list_count(const void *response, size_t length)
{
    const SSPKG_LIST_RESPONSE *r = response;

    if (!r || length < sizeof(*r) || r->MessageType != SSPKG_CALL_LIST_USERS ||
        r->Count > (length - sizeof(*r)) / sizeof(r->Users[0]))
        return -1;
    for (uint32_t i = 0; i < r->Count; i++) {
        const SSPKG_USER_ENTRY *e = &r->Users[i];
        if (e->NameOffset > length || e->NameLength > length - e->NameOffset ||
            e->AccountLength > length - e->NameOffset - e->NameLength || e->NameLength % 2 ||
            e->NameOffset % 2 || e->AccountLength % 2)
            return -1;
    }
    return (long)r->Count;
}

void sspkg_call_list_user(const void *response, uint32_t i, const uint16_t **name,
                          size_t *name_units, uint32_t *iterations)
{
    const SSPKG_LIST_RESPONSE *r = response;
    const SSPKG_USER_ENTRY *e = &r->Users[i];

    *name = (const uint16_t *)((const uint8_t *)response + e->NameOffset);
    *name_units = e->NameLength / 2;
    *iterations = e->Iterations;
}

void sspkg_call_list_account(const void *response, uint32_t i, const uint16_t **account,
                             size_t *account_units)
{
    const SSPKG_LIST_RESPONSE *r = response;
    const SSPKG_USER_ENTRY *e = &r->Users[i];

    *account = (const uint16_t *)((const uint8_t *)response + e->NameOffset + e->NameLength);
    *account_units = e->AccountLength / 2;
}
