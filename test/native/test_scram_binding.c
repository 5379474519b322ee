/* test_scram_binding.c - SEC_CHANNEL_BINDINGS as an application passes it (sspi.h's
 * layout), read by scram_binding.c as hostile input: every field out of range, offsets
 * that wrap, every truncation of a good buffer, and the types and lengths of RFC 5929 and
 * RFC 9266 bindings. */
#include "../../src/common/scram_binding.h"
#include "../tap.h"

#include <stdint.h>
#include <string.h>

static uint8_t buf[256];

static void put32(size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        buf[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* The eight fields (address types 1), then tail at offset 32. Returns the length. */
static size_t make(uint32_t ilen, uint32_t ioff, uint32_t alen, uint32_t aoff, uint32_t dlen,
                   uint32_t doff, const char *tail, size_t tail_len)
{
    memset(buf, 0, sizeof(buf));
    put32(0, 1);
    put32(4, ilen);
    put32(8, ioff);
    put32(12, 1);
    put32(16, alen);
    put32(20, aoff);
    put32(24, dlen);
    put32(28, doff);
    memcpy(buf + 32, tail, tail_len);
    return 32 + tail_len;
}

static scram_binding_error read_it(size_t len, scram_binding *b, int *addresses)
{
    return scram_binding_from_sec_channel_bindings(buf, len, b, addresses);
}

int main(void)
{
    static const char unique[] = "tls-unique:\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c";
    scram_binding b, back;
    int addresses;
    size_t len, n;
    int all;
    uint8_t out[128];

    tap_start();
    len = make(0, 0, 0, 0, sizeof(unique) - 1, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OK && b.type_len == 10 &&
           !strcmp(b.type, "tls-unique") && b.data_len == 12 && b.data[0] == 1 &&
           b.data[11] == 12 && !addresses,
       "tls-unique with a 12-byte Finished (TLS 1.2), as Schannel lays it out");

    all = 1;
    for (size_t cut = 0; cut < len; cut++)
        all &= read_it(cut, &b, &addresses) != SCRAM_BINDING_OK && b.data_len == 0;
    ok(all, "every truncation of that buffer is refused, with nothing taken");

    n = scram_binding_to_sec_channel_bindings(&(scram_binding){ "tls-unique", 10,
                                                                { 1, 2, 3, 4, 5, 6, 7, 8, 9,
                                                                  10, 11, 12 }, 12 },
                                              out, sizeof(out));
    ok(n == len && !memcmp(out + 24, buf + 24, len - 24) && !memcmp(out, "\0\0\0\0", 4),
       "written the way Schannel writes it (application data right after the structure)");
    read_it(len, &b, &addresses);
    ok(scram_binding_to_sec_channel_bindings(&b, out, len - 1) == 0,
       "writing into one byte less than needed: refused");

    ok(read_it(31, &b, &addresses) == SCRAM_BINDING_SHORT, "31 bytes: shorter than the structure");
    ok(scram_binding_from_sec_channel_bindings(NULL, 0, &b, &addresses) == SCRAM_BINDING_SHORT,
       "no buffer at all: short");

    len = make(0, 0, 0, 0, sizeof(unique), 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OUT_OF_RANGE,
       "application data one byte past the buffer");
    len = make(0, 0, 0, 0, 0x20, 0xfffffff0u, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OUT_OF_RANGE,
       "offset 0xfffffff0 + length 0x20 (wraps in 32 bits): out of range");
    len = make(0, 0, 0, 0, 0xffffffffu, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OUT_OF_RANGE, "length 0xffffffff");
    len = make(4, 0xfffffffeu, 0, 0, sizeof(unique) - 1, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OUT_OF_RANGE,
       "an initiator address past the buffer refuses the whole structure");
    len = make(0, 0, 16, 4096, sizeof(unique) - 1, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OUT_OF_RANGE, "so does an acceptor's");
    len = make(4, 0, 4, 4, sizeof(unique) - 1, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OK && addresses,
       "addresses in range: the binding is taken, and the caller told there were addresses");
    len = make(0, 0xffffffffu, 0, 0xffffffffu, sizeof(unique) - 1, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OK && !addresses,
       "zero-length addresses: their offsets do not matter");

    len = make(0, 0, 0, 0, 0, 32, unique, sizeof(unique) - 1);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_NO_DATA, "no application data");
    len = make(0, 0, 0, 0, 11, 32, "tls-unique:", 11);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_EMPTY, "a type with no bytes");
    len = make(0, 0, 0, 0, 10, 32, "tls-unique", 10);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_UNKNOWN_TYPE, "no colon");
    len = make(0, 0, 0, 0, 8, 32, "tls-foo:", 8);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_UNKNOWN_TYPE, "an unknown type");
    len = make(0, 0, 0, 0, 12, 32, "TLS-UNIQUE:x", 12);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_UNKNOWN_TYPE,
       "types are case-sensitive (RFC 5056 names)");
    {
        static char long_type[40] = "tls-server-end-point-x:";
        len = make(0, 0, 0, 0, 24, 32, long_type, 24);
        ok(read_it(len, &b, &addresses) == SCRAM_BINDING_UNKNOWN_TYPE,
           "a name longer than any known one: unknown");
    }
    {
        char ep[21 + 65];
        memcpy(ep, "tls-server-end-point:", 21);
        memset(ep + 21, 0xab, 65);
        len = make(0, 0, 0, 0, 21 + 64, 32, ep, 21 + 64);
        ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OK && b.data_len == 64,
           "tls-server-end-point with SHA-512's 64 bytes");
        len = make(0, 0, 0, 0, 21 + 65, 32, ep, 21 + 65);
        ok(read_it(len, &b, &addresses) == SCRAM_BINDING_TOO_LONG, "65 bytes: too long");
    }
    len = make(0, 0, 0, 0, 13 + 32, 32,
               "tls-exporter:0123456789abcdef0123456789abcdef", 13 + 32);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_OK && b.data_len == 32 &&
           !strcmp(b.type, "tls-exporter"),
       "tls-exporter with 32 bytes (RFC 9266)");
    len = make(0, 0, 0, 0, 13 + 4, 0, "", 0);
    ok(read_it(len, &b, &addresses) == SCRAM_BINDING_UNKNOWN_TYPE,
       "application data that points into the structure is read as bytes like any other");

    ok(scram_binding_set(&back, "tls-unique", 10, (const uint8_t *)"x", 1) == SCRAM_BINDING_OK &&
           scram_binding_type_known("tls-exporter", 12) && !scram_binding_type_known("tls", 3),
       "scram_binding_set and the known types");
    for (int e = SCRAM_BINDING_OK; e <= SCRAM_BINDING_TOO_LONG; e++)
        all &= strcmp(scram_binding_error_text((scram_binding_error)e), "unknown binding error") != 0;
    ok(all, "every error has a sentence");
    return done_testing();
}
