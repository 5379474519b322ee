/* pkg_crypto.c - the protocol core's crypto from the platform: BCrypt (CNG) SHA-256,
 * HMAC-SHA-256, PBKDF2, and the system RNG. */
#include "pkg.h"
#include "../common/scram_base64.h"
#include "../common/scram_util.h"

#include <bcrypt.h>
#include <limits.h>

static BCRYPT_ALG_HANDLE sha256, hmac_sha256;

NTSTATUS pkg_crypto_start(void)
{
    NTSTATUS status;

    if (sha256)
        return STATUS_SUCCESS;
    status = BCryptOpenAlgorithmProvider(&sha256, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    if (status != STATUS_SUCCESS)
        return status;
    status = BCryptOpenAlgorithmProvider(&hmac_sha256, BCRYPT_SHA256_ALGORITHM, NULL,
                                         BCRYPT_ALG_HANDLE_HMAC_FLAG);
    if (status != STATUS_SUCCESS) {
        BCryptCloseAlgorithmProvider(sha256, 0);
        sha256 = NULL;
    }
    return status;
}

void pkg_crypto_stop(void)
{
    if (hmac_sha256)
        BCryptCloseAlgorithmProvider(hmac_sha256, 0);
    if (sha256)
        BCryptCloseAlgorithmProvider(sha256, 0);
    sha256 = hmac_sha256 = NULL;
}

/* One keyed or unkeyed SHA-256 over one buffer. */
static int digest(BCRYPT_ALG_HANDLE alg, const uint8_t *key, size_t key_len,
                  const uint8_t *data, size_t len, uint8_t *out)
{
    BCRYPT_HASH_HANDLE h = NULL;
    NTSTATUS status;

    if (key_len > ULONG_MAX || len > ULONG_MAX)
        return 1;
    status = BCryptCreateHash(alg, &h, NULL, 0, (PUCHAR)key, (ULONG)key_len, 0);
    if (status == STATUS_SUCCESS)
        status = BCryptHashData(h, (PUCHAR)data, (ULONG)len, 0);
    if (status == STATUS_SUCCESS)
        status = BCryptFinishHash(h, out, SCRAM_HASH_LEN, 0);
    if (h)
        BCryptDestroyHash(h);
    return status != STATUS_SUCCESS;
}

static int hash(void *context, const uint8_t *data, size_t len, uint8_t *out)
{
    (void)context;
    return digest(sha256, NULL, 0, data, len, out);
}

static int hmac(void *context, const uint8_t *key, size_t key_len, const uint8_t *data,
                size_t len, uint8_t *out)
{
    (void)context;
    return digest(hmac_sha256, key, key_len, data, len, out);
}

static int pbkdf2(void *context, const uint8_t *password, size_t password_len,
                  const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out)
{
    (void)context;
    if (password_len > ULONG_MAX || salt_len > ULONG_MAX)
        return 1;
    return BCryptDeriveKeyPBKDF2(hmac_sha256, (PUCHAR)password, (ULONG)password_len,
                                 (PUCHAR)salt, (ULONG)salt_len, iterations, out,
                                 SCRAM_HASH_LEN, 0) != STATUS_SUCCESS;
}

const scram_crypto pkg_crypto = { NULL, hash, hmac, pbkdf2 };

NTSTATUS pkg_random(void *out, ULONG n)
{
    return BCryptGenRandom(NULL, out, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
}

NTSTATUS pkg_nonce(char out[PKG_NONCE_CHARS + 1])
{
    uint8_t raw[PKG_NONCE_CHARS / 4 * 3];
    NTSTATUS status = pkg_random(raw, sizeof(raw));

    _Static_assert(SCRAM_BASE64_LEN(sizeof(raw)) == PKG_NONCE_CHARS, "nonce size");
    _Static_assert(sizeof(raw) >= 18, "RFC 5802 asks for at least 18 random bytes");
    out[0] = '\0';
    if (status == STATUS_SUCCESS)
        scram_base64_encode(raw, sizeof(raw), out, PKG_NONCE_CHARS + 1);
    scram_wipe(raw, sizeof(raw));
    return status;
}
