/* fuzz_scram_binding.c - SEC_CHANNEL_BINDINGS (scram_binding.c) read from anything: never
 * past the buffer (ASan), and what it accepts is a known type with 1..SCRAM_MAX_BINDING
 * bytes that reads back the same once written the way Schannel writes it. */
#include "fuzz.h"
#include "../../src/common/scram_binding.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t copy[1 << 16], out[SCRAM_SEC_CHANNEL_BINDINGS_SIZE + 128];
    scram_binding b, again;
    int addresses, again_addresses;
    size_t n;

    if (size > sizeof(copy))
        return 0;
    /* An exact-size copy, so ASan sees any read past the input. */
    memcpy(copy, data, size);
    if (scram_binding_from_sec_channel_bindings(size ? data : NULL, size, &b, &addresses)) {
        FUZZ_CHECK(b.data_len == 0 && b.type_len == 0);
        return 0;
    }
    FUZZ_CHECK(scram_binding_type_known(b.type, b.type_len) && b.type[b.type_len] == '\0');
    FUZZ_CHECK(b.data_len >= 1 && b.data_len <= SCRAM_MAX_BINDING);
    n = scram_binding_to_sec_channel_bindings(&b, out, sizeof(out));
    FUZZ_CHECK(n == SCRAM_SEC_CHANNEL_BINDINGS_SIZE + b.type_len + 1 + b.data_len);
    FUZZ_CHECK(scram_binding_from_sec_channel_bindings(out, n, &again, &again_addresses) == 0 &&
               !again_addresses && !memcmp(&again, &b, sizeof(b)));
    FUZZ_CHECK(scram_binding_to_sec_channel_bindings(&b, out, n - 1) == 0);
    return 0;
}
