/* fuzz_lsa_wire.c - the pipe message reader (lsa_wire.c): lsa_wire_message_size,
 * lsa_wire_parse and the getters, on whatever arrives.
 *
 * A message that parses is written again with the writer, its fields in tag order:
 * the same length, and a parse of the writer's output sees the same type, call and
 * fields. The header alone tells the whole size, every getter agrees with the parsed
 * fields, and a message one byte short is incomplete, never accepted. */
#include "fuzz.h"
#include "../../src/common/lsa_wire.h"

#include <string.h>

static void check_getters(const lsa_wire_message *m)
{
    for (uint16_t tag = 0; tag <= LSA_FIELD_LAST + 1; tag++) {
        const lsa_wire_field *f = tag <= LSA_FIELD_LAST ? &m->fields[tag] : NULL;
        uint16_t kind = f ? f->kind : 0;
        const uint8_t *bytes;
        size_t n;
        uint32_t u32;
        uint64_t u64;

        FUZZ_CHECK(lsa_wire_get_u32(m, tag, &u32) ==
                   (kind == LSA_KIND_U32 ? LSA_WIRE_OK : LSA_WIRE_MISSING));
        FUZZ_CHECK(lsa_wire_get_u64(m, tag, &u64) ==
                   (kind == LSA_KIND_U64 ? LSA_WIRE_OK : LSA_WIRE_MISSING));
        FUZZ_CHECK(lsa_wire_get_bytes(m, tag, SIZE_MAX, &bytes, &n) ==
                   (kind == LSA_KIND_BYTES ? LSA_WIRE_OK : LSA_WIRE_MISSING));
        if (kind == LSA_KIND_BYTES) {
            FUZZ_CHECK(bytes == f->value && n == f->size);
            if (n > 0)
                FUZZ_CHECK(lsa_wire_get_bytes(m, tag, n - 1, &bytes, &n) == LSA_WIRE_TOO_BIG &&
                           !bytes && n == 0);
        }
    }
}

/* The fields of m, in tag order, through the writer; returns the length. */
static size_t rewrite(const lsa_wire_message *m, uint8_t *out, size_t cap)
{
    lsa_wire_writer w;

    lsa_wire_begin(&w, out, cap, m->type, m->call);
    for (uint16_t tag = 1; tag <= LSA_FIELD_LAST; tag++) {
        const lsa_wire_field *f = &m->fields[tag];
        uint32_t u32;
        uint64_t u64;
        if (f->kind == LSA_KIND_U32 && !lsa_wire_get_u32(m, tag, &u32))
            lsa_wire_put_u32(&w, tag, u32);
        else if (f->kind == LSA_KIND_U64 && !lsa_wire_get_u64(m, tag, &u64))
            lsa_wire_put_u64(&w, tag, u64);
        else if (f->kind == LSA_KIND_BYTES)
            lsa_wire_put_bytes(&w, tag, f->value, f->size);
    }
    return lsa_wire_finish(&w);
}

static int same_message(const lsa_wire_message *a, const lsa_wire_message *b)
{
    if (a->type != b->type || a->call != b->call)
        return 0;
    for (int tag = 0; tag <= LSA_FIELD_LAST; tag++) {
        const lsa_wire_field *x = &a->fields[tag], *y = &b->fields[tag];
        if (x->kind != y->kind || x->size != y->size ||
            (x->kind && x->size && memcmp(x->value, y->value, x->size)))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[LSA_WIRE_MAX_MESSAGE];
    static lsa_wire_message m, back;
    lsa_wire_result r, sized;
    size_t whole, n;

    sized = lsa_wire_message_size(data, size, &whole);
    r = lsa_wire_parse(data, size, &m);
    FUZZ_CHECK(sized == LSA_WIRE_OK || r == sized);
    if (sized == LSA_WIRE_OK)
        FUZZ_CHECK(whole >= LSA_WIRE_HEADER_SIZE && whole <= LSA_WIRE_MAX_MESSAGE &&
                   (r != LSA_WIRE_OK || whole == size));
    if (r != LSA_WIRE_OK) {
        static const lsa_wire_message empty;
        FUZZ_CHECK(r == LSA_WIRE_SHORT || r == LSA_WIRE_BAD_HEADER || r == LSA_WIRE_BAD_FIELD);
        FUZZ_CHECK(memcmp(&m, &empty, sizeof(m)) == 0);
        return 0;
    }
    FUZZ_CHECK(lsa_wire_parse(data, size - 1, &back) == LSA_WIRE_SHORT);
    check_getters(&m);

    n = rewrite(&m, again, size);
    FUZZ_CHECK(n == size);
    FUZZ_CHECK(lsa_wire_parse(again, n, &back) == LSA_WIRE_OK && same_message(&m, &back));
    if (size > LSA_WIRE_HEADER_SIZE)
        FUZZ_CHECK(rewrite(&m, again, size - 1) == 0);
    return 0;
}
