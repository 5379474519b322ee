/* lsa_wire.c - writing and checking pipe messages (lsa_wire.h). */
#include "lsa_wire.h"

#include <string.h>

/* The kind each tag must have; 0 for tags that do not exist. */
static const uint16_t tag_kind[LSA_FIELD_LAST + 1] = {
    [LSA_FIELD_STATUS] = LSA_KIND_U32,       [LSA_FIELD_PROCESS_ID] = LSA_KIND_U32,
    [LSA_FIELD_USE] = LSA_KIND_U32,          [LSA_FIELD_USER] = LSA_KIND_BYTES,
    [LSA_FIELD_PASSWORD] = LSA_KIND_BYTES,   [LSA_FIELD_CREDENTIAL] = LSA_KIND_U64,
    [LSA_FIELD_CONTEXT] = LSA_KIND_U64,      [LSA_FIELD_FLAGS] = LSA_KIND_U32,
    [LSA_FIELD_ATTRIBUTES] = LSA_KIND_U32,   [LSA_FIELD_TOKEN] = LSA_KIND_BYTES,
    [LSA_FIELD_PACKED_HANDLE] = LSA_KIND_U64, [LSA_FIELD_PACKED_SIZE] = LSA_KIND_U32,
    [LSA_FIELD_SECTION] = LSA_KIND_U64,      [LSA_FIELD_SECTION_SIZE] = LSA_KIND_U32,
    [LSA_FIELD_NAME] = LSA_KIND_BYTES,       [LSA_FIELD_ATTRIBUTE] = LSA_KIND_U32,
    [LSA_FIELD_VALUE] = LSA_KIND_BYTES,      [LSA_FIELD_IDENTITY] = LSA_KIND_U64,
    [LSA_FIELD_ADDRESS] = LSA_KIND_U64,      [LSA_FIELD_CAPABILITIES] = LSA_KIND_U32,
    [LSA_FIELD_VERSION] = LSA_KIND_U32,      [LSA_FIELD_MAX_TOKEN] = LSA_KIND_U32,
    [LSA_FIELD_COMMENT] = LSA_KIND_BYTES,    [LSA_FIELD_PROTOCOL_STATUS] = LSA_KIND_U32,
    [LSA_FIELD_LENGTH] = LSA_KIND_U32,       [LSA_FIELD_LOGON_PROCESS] = LSA_KIND_U32,
    [LSA_FIELD_LOGON_TYPE] = LSA_KIND_U32,   [LSA_FIELD_SUB_STATUS] = LSA_KIND_U32,
    [LSA_FIELD_LOGON_ID] = LSA_KIND_U64,     [LSA_FIELD_TOKEN_HANDLE] = LSA_KIND_U64,
    [LSA_FIELD_ORIGIN] = LSA_KIND_BYTES,     [LSA_FIELD_SOURCE] = LSA_KIND_BYTES,
    [LSA_FIELD_PACKAGE] = LSA_KIND_U32,      [LSA_FIELD_PACKAGE_COUNT] = LSA_KIND_U32,
    [LSA_FIELD_MODULE] = LSA_KIND_BYTES,
    [LSA_FIELD_CHANNEL_BINDINGS] = LSA_KIND_BYTES,
    [LSA_FIELD_DOMAIN] = LSA_KIND_BYTES,     [LSA_FIELD_NEW_PASSWORD] = LSA_KIND_BYTES,
    [LSA_FIELD_IMPERSONATING] = LSA_KIND_U32, [LSA_FIELD_PASSWORD_INFO] = LSA_KIND_BYTES,
};

const char *lsa_wire_result_text(lsa_wire_result r)
{
    switch (r) {
    case LSA_WIRE_OK: return "success";
    case LSA_WIRE_SHORT: return "message incomplete";
    case LSA_WIRE_BAD_HEADER: return "bad message header";
    case LSA_WIRE_BAD_FIELD: return "malformed field";
    case LSA_WIRE_MISSING: return "required field missing";
    case LSA_WIRE_TOO_BIG: return "message too large";
    }
    return "unknown result";
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

void lsa_wire_begin(lsa_wire_writer *w, void *buffer, size_t capacity, uint16_t type,
                    uint32_t call)
{
    w->buffer = buffer;
    w->capacity = capacity < LSA_WIRE_MAX_MESSAGE ? capacity : LSA_WIRE_MAX_MESSAGE;
    w->used = LSA_WIRE_HEADER_SIZE;
    w->error = capacity < LSA_WIRE_HEADER_SIZE ? LSA_WIRE_TOO_BIG : LSA_WIRE_OK;
    if (w->error)
        return;
    put32(w->buffer, LSA_WIRE_MAGIC);
    put16(w->buffer + 4, LSA_WIRE_VERSION);
    put16(w->buffer + 6, type);
    put32(w->buffer + 8, call);
}

static void put_field(lsa_wire_writer *w, uint16_t tag, uint16_t kind, const void *value,
                      size_t size)
{
    size_t padded = (size + 3) & ~(size_t)3;

    if (w->error)
        return;
    if (tag > LSA_FIELD_LAST || tag_kind[tag] != kind) {
        w->error = LSA_WIRE_BAD_FIELD;
        return;
    }
    if (size > w->capacity || 8 + padded > w->capacity - w->used) {
        w->error = LSA_WIRE_TOO_BIG;
        return;
    }
    put16(w->buffer + w->used, tag);
    put16(w->buffer + w->used + 2, kind);
    put32(w->buffer + w->used + 4, (uint32_t)size);
    if (size)
        memcpy(w->buffer + w->used + 8, value, size);
    memset(w->buffer + w->used + 8 + size, 0, padded - size);
    w->used += 8 + padded;
}

void lsa_wire_put_u32(lsa_wire_writer *w, uint16_t tag, uint32_t value)
{
    uint8_t v[4];
    put32(v, value);
    put_field(w, tag, LSA_KIND_U32, v, 4);
}

void lsa_wire_put_u64(lsa_wire_writer *w, uint16_t tag, uint64_t value)
{
    uint8_t v[8];
    put32(v, (uint32_t)value);
    put32(v + 4, (uint32_t)(value >> 32));
    put_field(w, tag, LSA_KIND_U64, v, 8);
}

void lsa_wire_put_bytes(lsa_wire_writer *w, uint16_t tag, const void *data, size_t size)
{
    put_field(w, tag, LSA_KIND_BYTES, data, size);
}

size_t lsa_wire_finish(lsa_wire_writer *w)
{
    if (w->error)
        return 0;
    put32(w->buffer + 12, (uint32_t)(w->used - LSA_WIRE_HEADER_SIZE));
    return w->used;
}

lsa_wire_result lsa_wire_message_size(const void *data, size_t len, size_t *size)
{
    const uint8_t *p = data;
    uint16_t type;
    uint32_t fields;

    *size = 0;
    if (len < LSA_WIRE_HEADER_SIZE)
        return LSA_WIRE_SHORT;
    type = get16(p + 6) & (uint16_t)~LSA_WIRE_ANSWER;
    fields = get32(p + 12);
    if (get32(p) != LSA_WIRE_MAGIC || get16(p + 4) != LSA_WIRE_VERSION || type == 0 ||
        type > LSA_WIRE_TYPE_LAST || fields > LSA_WIRE_MAX_FIELDS_SIZE || fields % 4)
        return LSA_WIRE_BAD_HEADER;
    *size = LSA_WIRE_HEADER_SIZE + fields;
    return LSA_WIRE_OK;
}

/* The fields of a message whose header said size bytes, into out->fields. */
static lsa_wire_result parse_fields(const uint8_t *p, size_t size, lsa_wire_message *out)
{
    size_t at = LSA_WIRE_HEADER_SIZE;

    while (at < size) {
        uint16_t tag, kind;
        uint32_t n;
        size_t padded;

        if (size - at < 8)
            return LSA_WIRE_BAD_FIELD;
        tag = get16(p + at);
        kind = get16(p + at + 2);
        n = get32(p + at + 4);
        padded = ((size_t)n + 3) & ~(size_t)3;
        if (tag == 0 || tag > LSA_FIELD_LAST || tag_kind[tag] != kind ||
            out->fields[tag].kind || padded > size - at - 8 ||
            (kind == LSA_KIND_U32 && n != 4) || (kind == LSA_KIND_U64 && n != 8))
            return LSA_WIRE_BAD_FIELD;
        for (size_t i = n; i < padded; i++)
            if (p[at + 8 + i])
                return LSA_WIRE_BAD_FIELD;
        out->fields[tag].kind = kind;
        out->fields[tag].size = n;
        out->fields[tag].value = p + at + 8;
        at += 8 + padded;
    }
    return LSA_WIRE_OK;
}

lsa_wire_result lsa_wire_parse(const void *data, size_t len, lsa_wire_message *out)
{
    const uint8_t *p = data;
    size_t size;
    lsa_wire_result r;

    memset(out, 0, sizeof(*out));
    r = lsa_wire_message_size(data, len, &size);
    if (r == LSA_WIRE_OK && len < size)
        r = LSA_WIRE_SHORT;
    else if (r == LSA_WIRE_OK && len > size)
        r = LSA_WIRE_BAD_HEADER;
    if (r == LSA_WIRE_OK)
        r = parse_fields(p, size, out);
    if (r != LSA_WIRE_OK) {
        memset(out, 0, sizeof(*out));
        return r;
    }
    out->type = get16(p + 6);
    out->call = get32(p + 8);
    return LSA_WIRE_OK;
}

static const lsa_wire_field *field(const lsa_wire_message *m, uint16_t tag, uint16_t kind)
{
    if (tag == 0 || tag > LSA_FIELD_LAST || m->fields[tag].kind != kind)
        return NULL;
    return &m->fields[tag];
}

lsa_wire_result lsa_wire_get_u32(const lsa_wire_message *m, uint16_t tag, uint32_t *value)
{
    const lsa_wire_field *f = field(m, tag, LSA_KIND_U32);

    *value = 0;
    if (!f)
        return LSA_WIRE_MISSING;
    *value = get32(f->value);
    return LSA_WIRE_OK;
}

lsa_wire_result lsa_wire_get_u64(const lsa_wire_message *m, uint16_t tag, uint64_t *value)
{
    const lsa_wire_field *f = field(m, tag, LSA_KIND_U64);

    *value = 0;
    if (!f)
        return LSA_WIRE_MISSING;
    *value = get32(f->value) | ((uint64_t)get32(f->value + 4) << 32);
    return LSA_WIRE_OK;
}

lsa_wire_result lsa_wire_get_bytes(const lsa_wire_message *m, uint16_t tag, size_t max,
                                   const uint8_t **data, size_t *size)
{
    const lsa_wire_field *f = field(m, tag, LSA_KIND_BYTES);

    *data = NULL;
    *size = 0;
    if (!f)
        return LSA_WIRE_MISSING;
    if (f->size > max)
        return LSA_WIRE_TOO_BIG;
    *data = f->value;
    *size = f->size;
    return LSA_WIRE_OK;
}
