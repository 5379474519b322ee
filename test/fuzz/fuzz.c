/* fuzz.c - what the harnesses share (fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_broken(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

scram_result fuzz_wrong_step_result(const scram_step *step)
{
    return step->state == SCRAM_STEP_FAILED ? step->error : SCRAM_E_STATE;
}

size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max)
{
    size_t n = 0, at = 0;

    while (n < max) {
        const uint8_t *nul = n + 1 < max && at < size ? memchr(data + at, 0, size - at) : NULL;
        size_t len = nul ? (size_t)(nul - (data + at)) : size - at;
        parts[n].text = (const char *)data + at;
        parts[n].len = len;
        n++;
        if (!nul)
            break;
        at += len + 1;
    }
    return n;
}

fuzz_part fuzz_part_or(const fuzz_part *parts, size_t count, size_t i, const char *fallback)
{
    if (i < count)
        return parts[i];
    return (fuzz_part){ fallback, strlen(fallback) };
}

/* Four 64-bit FNV-1a lanes with different offsets, finished with splitmix64's mixer:
 * every output byte depends on every input byte. */
typedef struct digest {
    uint64_t lane[4];
} digest;

static void digest_start(digest *d, uint64_t domain)
{
    for (int i = 0; i < 4; i++)
        d->lane[i] = 0xcbf29ce484222325ull ^ (domain * 4 + (uint64_t)i) * 0x9e3779b97f4a7c15ull;
}

static void digest_add(digest *d, const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < 4; i++)
            d->lane[i] = (d->lane[i] ^ p[k]) * 0x100000001b3ull;
    /* The length too, so that ("ab","c") and ("a","bc") differ. */
    for (int i = 0; i < 4; i++)
        d->lane[i] = (d->lane[i] ^ n) * 0x100000001b3ull;
}

static void digest_end(digest *d, uint8_t out[SCRAM_HASH_LEN])
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = d->lane[i] + d->lane[(i + 1) % 4];
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (int b = 0; b < 8; b++)
            out[8 * i + b] = (uint8_t)(z >> (8 * b));
    }
}

static int fake_hash(void *context, const uint8_t *data, size_t len, uint8_t *out)
{
    digest d;

    (void)context;
    digest_start(&d, 1);
    digest_add(&d, data, len);
    digest_end(&d, out);
    return 0;
}

static int fake_hmac(void *context, const uint8_t *key, size_t key_len, const uint8_t *data,
                     size_t len, uint8_t *out)
{
    digest d;

    (void)context;
    digest_start(&d, 2);
    digest_add(&d, key, key_len);
    digest_add(&d, data, len);
    digest_end(&d, out);
    return 0;
}

static int fake_pbkdf2(void *context, const uint8_t *password, size_t password_len,
                       const uint8_t *salt, size_t salt_len, uint32_t iterations,
                       uint8_t *out)
{
    const uint8_t count[4] = { (uint8_t)iterations, (uint8_t)(iterations >> 8),
                               (uint8_t)(iterations >> 16), (uint8_t)(iterations >> 24) };
    digest d;

    (void)context;
    digest_start(&d, 3);
    digest_add(&d, password, password_len);
    digest_add(&d, salt, salt_len);
    digest_add(&d, count, sizeof(count));
    digest_end(&d, out);
    return 0;
}

const scram_crypto fuzz_crypto = { NULL, fake_hash, fake_hmac, fake_pbkdf2 };

void fuzz_kat_keys(const uint8_t *salt, size_t salt_len, uint32_t iterations,
                   scram_client_keys *keys)
{
    scram_result r = scram_keys_derive(&fuzz_crypto, (const uint8_t *)FUZZ_KAT_PASSWORD,
                                       strlen(FUZZ_KAT_PASSWORD), salt, salt_len, iterations,
                                       keys);
    FUZZ_CHECK(r == SCRAM_OK);
}
