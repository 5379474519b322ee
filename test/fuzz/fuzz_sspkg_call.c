/* fuzz_sspkg_call.c - the readers of the package's CallPackage answers (sspkg_call.c),
 * on whatever a package returns: a list response that is accepted has every name
 * and account inside it, whole UTF-16; an error response's sentence lies inside it. */
#include "fuzz.h"
#include "../../src/common/sspkg_call.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long count = sspkg_call_list_count(data, size);
    size_t len = 0;
    const char *text = sspkg_call_error_text(data, size, &len);

    for (long i = 0; i < count; i++) {
        const uint16_t *name;
        size_t units;
        uint32_t iterations;
        sspkg_call_list_user(data, (uint32_t)i, &name, &units, &iterations);
        FUZZ_CHECK((const uint8_t *)name >= data &&
                   (const uint8_t *)name + units * 2 <= data + size);
        sspkg_call_list_account(data, (uint32_t)i, &name, &units);
        FUZZ_CHECK((const uint8_t *)name >= data &&
                   (const uint8_t *)name + units * 2 <= data + size);
    }
    FUZZ_CHECK(count >= -1);
    if (text)
        FUZZ_CHECK((const uint8_t *)text >= data && (const uint8_t *)text + len <= data + size);
    return 0;
}
