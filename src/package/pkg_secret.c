/* pkg_secret.c - secrets the package keeps between uses (a client credential's password
 * and its derived keys), hidden from dumps and scans of the process's memory.
 *
 * Under an LSA: LsaProtectMemory and LsaUnprotectMemory, the LSA's own service for it.
 * Without one (Wine's secur32) the platform's equivalent, CryptProtectMemory, is a stub
 * in Wine that leaves the bytes as they are, so the package masks them itself: XOR with
 * a keystream of HMAC-SHA-256(mask key, block number), the mask key drawn once per
 * process from the system RNG. Like the LSA's, that key lives in the same process: this
 * keeps secrets out of reach of a grep or a stray dump, not of code running in the
 * process. Either way the transform depends on the bytes' place in the buffer, never on
 * the buffer's address, so a protected copy can be unprotected anywhere. */
#include "pkg.h"
#include "../common/scram_util.h"

#include <string.h>

static uint8_t mask_key[SCRAM_HASH_LEN];
static INIT_ONCE mask_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK draw_mask_key(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    return pkg_random(mask_key, sizeof(mask_key)) == STATUS_SUCCESS;
}

static NTSTATUS mask(uint8_t *buffer, ULONG size)
{
    static const char label[] = "sspkg memory mask";
    uint8_t block[SCRAM_HASH_LEN];
    ULONG64 n;
    pkg_bytes parts[2] = { { label, sizeof(label) - 1 }, { &n, sizeof(n) } };
    NTSTATUS status = STATUS_SUCCESS;

    if (!InitOnceExecuteOnce(&mask_once, draw_mask_key, NULL, NULL))
        return STATUS_INTERNAL_ERROR;
    for (n = 0; status == STATUS_SUCCESS && n * SCRAM_HASH_LEN < size; n++) {
        status = pkg_hmac_parts(mask_key, parts, 2, block);
        for (ULONG i = 0; status == STATUS_SUCCESS && i < SCRAM_HASH_LEN &&
                          n * SCRAM_HASH_LEN + i < size; i++)
            buffer[n * SCRAM_HASH_LEN + i] ^= block[i];
    }
    scram_wipe(block, sizeof(block));
    return status;
}

static NTSTATUS transform(void *buffer, ULONG size, BOOL protect)
{
    if (size % PKG_SECRET_BLOCK)
        return STATUS_INVALID_PARAMETER;
    if (!pkg.lsa)
        return mask(buffer, size);
    if (protect)
        pkg.lsa->LsaProtectMemory(buffer, size);
    else
        pkg.lsa->LsaUnprotectMemory(buffer, size);
    return STATUS_SUCCESS;
}

NTSTATUS pkg_secret_protect(void *buffer, ULONG size)
{
    return transform(buffer, size, TRUE);
}

NTSTATUS pkg_secret_unprotect(void *buffer, ULONG size)
{
    return transform(buffer, size, FALSE);
}
