/* scram_binding.c - channel bindings and SEC_CHANNEL_BINDINGS (scram_binding.h). */
#include "scram_binding.h"

#include <string.h>

static const char *const known_types[] = { "tls-server-end-point", "tls-unique",
                                           "tls-exporter" };

const char *scram_binding_error_text(scram_binding_error e)
{
    switch (e) {
    case SCRAM_BINDING_OK: return "success";
    case SCRAM_BINDING_SHORT: return "the buffer is smaller than SEC_CHANNEL_BINDINGS";
    case SCRAM_BINDING_OUT_OF_RANGE:
        return "an offset and length of SEC_CHANNEL_BINDINGS reach past the buffer";
    case SCRAM_BINDING_NO_DATA: return "SEC_CHANNEL_BINDINGS has no application data";
    case SCRAM_BINDING_UNKNOWN_TYPE:
        return "the application data does not start with tls-server-end-point:, "
               "tls-unique: or tls-exporter:";
    case SCRAM_BINDING_EMPTY: return "the binding has a type but no data";
    case SCRAM_BINDING_TOO_LONG: return "the binding data is longer than any TLS binding";
    }
    return "unknown binding error";
}

int scram_binding_type_known(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(known_types) / sizeof(known_types[0]); i++)
        if (len == strlen(known_types[i]) && !memcmp(name, known_types[i], len))
            return 1;
    return 0;
}

scram_binding_error scram_binding_set(scram_binding *out, const char *type, size_t type_len,
                                      const uint8_t *data, size_t data_len)
{
    memset(out, 0, sizeof(*out));
    if (!scram_binding_type_known(type, type_len))
        return SCRAM_BINDING_UNKNOWN_TYPE;
    if (data_len == 0)
        return SCRAM_BINDING_EMPTY;
    if (data_len > SCRAM_MAX_BINDING)
        return SCRAM_BINDING_TOO_LONG;
    memcpy(out->type, type, type_len);
    out->type_len = type_len;
    memcpy(out->data, data, data_len);
    out->data_len = data_len;
    return SCRAM_BINDING_OK;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* A (length, offset) pair of the structure lies inside the len-byte buffer. The sum is
 * taken in 64 bits, so no pair wraps around. */
static int in_range(uint32_t length, uint32_t offset, size_t len)
{
    return length == 0 || (uint64_t)offset + length <= len;
}

scram_binding_error scram_binding_from_sec_channel_bindings(const uint8_t *buf, size_t len,
                                                            scram_binding *out,
                                                            int *addresses)
{
    uint32_t initiator_len, acceptor_len, data_len, data_at;
    const uint8_t *data, *colon;

    memset(out, 0, sizeof(*out));
    *addresses = 0;
    if (!buf || len < SCRAM_SEC_CHANNEL_BINDINGS_SIZE)
        return SCRAM_BINDING_SHORT;
    initiator_len = get32(buf + 4);
    acceptor_len = get32(buf + 16);
    data_len = get32(buf + 24);
    data_at = get32(buf + 28);
    if (!in_range(initiator_len, get32(buf + 8), len) ||
        !in_range(acceptor_len, get32(buf + 20), len) || !in_range(data_len, data_at, len))
        return SCRAM_BINDING_OUT_OF_RANGE;
    *addresses = initiator_len != 0 || acceptor_len != 0;
    if (data_len == 0)
        return SCRAM_BINDING_NO_DATA;
    data = buf + data_at;
    colon = memchr(data, ':', data_len < SCRAM_MAX_BINDING_TYPE + 1 ? data_len
                                                                     : SCRAM_MAX_BINDING_TYPE + 1);
    if (!colon)
        return SCRAM_BINDING_UNKNOWN_TYPE;
    return scram_binding_set(out, (const char *)data, (size_t)(colon - data), colon + 1,
                             data_len - (size_t)(colon + 1 - data));
}

size_t scram_binding_to_sec_channel_bindings(const scram_binding *b, uint8_t *out, size_t cap)
{
    size_t data_len = b->type_len + 1 + b->data_len;
    size_t total = SCRAM_SEC_CHANNEL_BINDINGS_SIZE + data_len;

    if (total > cap)
        return 0;
    memset(out, 0, SCRAM_SEC_CHANNEL_BINDINGS_SIZE);
    put32(out + 24, (uint32_t)data_len);
    put32(out + 28, SCRAM_SEC_CHANNEL_BINDINGS_SIZE);
    memcpy(out + SCRAM_SEC_CHANNEL_BINDINGS_SIZE, b->type, b->type_len);
    out[SCRAM_SEC_CHANNEL_BINDINGS_SIZE + b->type_len] = ':';
    memcpy(out + SCRAM_SEC_CHANNEL_BINDINGS_SIZE + b->type_len + 1, b->data, b->data_len);
    return total;
}
