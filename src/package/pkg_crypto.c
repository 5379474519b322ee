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

NTSTATUS pkg_hmac_parts(const uint8_t key[SCRAM_HASH_LEN], const pkg_bytes *parts, ULONG count,
                        uint8_t out[SCRAM_HASH_LEN])
{
    BCRYPT_HASH_HANDLE h = NULL;
    NTSTATUS status;

    status = BCryptCreateHash(hmac_sha256, &h, NULL, 0, (PUCHAR)key, SCRAM_HASH_LEN, 0);
    for (ULONG i = 0; status == STATUS_SUCCESS && i < count; i++)
        status = BCryptHashData(h, (PUCHAR)parts[i].data, parts[i].length, 0);
    if (status == STATUS_SUCCESS)
        status = BCryptFinishHash(h, out, SCRAM_HASH_LEN, 0);
    if (h)
        BCryptDestroyHash(h);
    return status;
}

/* AES-256-GCM. The algorithm needs libgnutls under Wine; when it cannot be opened the
 * package still authenticates, and sealing answers SEC_E_UNSUPPORTED_FUNCTION. */
static BCRYPT_ALG_HANDLE aes_gcm;
static INIT_ONCE aes_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK open_aes_gcm(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    if (BCryptOpenAlgorithmProvider(&aes_gcm, BCRYPT_AES_ALGORITHM, NULL, 0) != STATUS_SUCCESS)
        aes_gcm = NULL;
    else if (BCryptSetProperty(aes_gcm, BCRYPT_CHAINING_MODE, (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
                               sizeof(BCRYPT_CHAIN_MODE_GCM), 0) != STATUS_SUCCESS) {
        BCryptCloseAlgorithmProvider(aes_gcm, 0);
        aes_gcm = NULL;
    }
    return TRUE;
}

NTSTATUS pkg_aes_gcm_key(const uint8_t key[SCRAM_HASH_LEN], void **out)
{
    BCRYPT_KEY_HANDLE k = NULL;
    NTSTATUS status;

    *out = NULL;
    InitOnceExecuteOnce(&aes_once, open_aes_gcm, NULL, NULL);
    if (!aes_gcm)
        return STATUS_NOT_SUPPORTED;
    status = BCryptGenerateSymmetricKey(aes_gcm, &k, NULL, 0, (PUCHAR)key, SCRAM_HASH_LEN, 0);
    if (status == STATUS_SUCCESS)
        *out = k;
    return status;
}

void pkg_aes_gcm_key_free(void *key)
{
    if (key)
        BCryptDestroyKey(key);
}

NTSTATUS pkg_aes_gcm(void *key, BOOL encrypt, const uint8_t nonce[12], const uint8_t *aad,
                     ULONG aad_len, uint8_t *data, ULONG len, uint8_t tag[16])
{
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
    ULONG done = 0;

    BCRYPT_INIT_AUTH_MODE_INFO(info);
    info.pbNonce = (PUCHAR)nonce;
    info.cbNonce = 12;
    info.pbAuthData = (PUCHAR)aad;
    info.cbAuthData = aad_len;
    info.pbTag = tag;
    info.cbTag = 16;
    /* In place: BCrypt allows the input and output buffers to be the same. */
    return encrypt ? BCryptEncrypt(key, data, len, &info, NULL, 0, data, len, &done, 0)
                   : BCryptDecrypt(key, data, len, &info, NULL, 0, data, len, &done, 0);
}
