/* secrets.h - for the tests of what the package keeps after a handshake: the RFC 7677
 * section 3 user's secrets (password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096
 * iterations), the AuthMessage hash of an exchange worked out from the messages that
 * crossed the wire, and a search of every live heap block of this process.
 *
 * Only live heap blocks are searched: that is where the package keeps what it holds
 * (contexts, credentials, the verifier store), whichever heap it came from. Freed
 * blocks are no one's (BCrypt's hash objects, say, which Wine frees without wiping),
 * and stack residue is beyond what a test can pin down; neither is searched. */
#ifndef SSPKG_TEST_SECRETS_H
#define SSPKG_TEST_SECRETS_H

#include <windows.h>
#include <bcrypt.h>
#include <string.h>

/* The verifier as PostgreSQL stores it (StoredKey, ServerKey). */
#define RFC7677_VERIFIER                                                                   \
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:" \
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="

/* SaltedPassword = Hi("pencil", salt, 4096), and ClientKey = HMAC(SaltedPassword,
 * "Client Key"), computed independently of the package (Python's hashlib). */
static const BYTE rfc7677_salted_password[32] = {
    0xc4, 0xa4, 0x95, 0x10, 0x32, 0x3a, 0xb4, 0xf9, 0x52, 0xca, 0xc1, 0xfa, 0x99, 0x44, 0x19, 0x39,
    0xe7, 0x8e, 0xa7, 0x4d, 0x6b, 0xe8, 0x1d, 0xdf, 0x70, 0x96, 0xe8, 0x75, 0x13, 0xdc, 0x61, 0x5d
};
static const BYTE rfc7677_client_key[32] = {
    0xa6, 0x0f, 0xc9, 0x23, 0xd6, 0x7e, 0x86, 0x44, 0xa9, 0x2d, 0x16, 0xb9, 0x6e, 0xda, 0x5e, 0xf4,
    0x65, 0x6b, 0x0c, 0x72, 0x5c, 0x48, 0x43, 0x74, 0xbe, 0x25, 0x53, 0x55, 0x76, 0x99, 0x6e, 0x8b
};
/* ClientKey for the same salt and count with the password "wrong". */
static const BYTE rfc7677_wrong_client_key[32] = {
    0x55, 0x1b, 0xc1, 0x1b, 0x1c, 0x3d, 0xd7, 0x93, 0x3e, 0x1c, 0xb7, 0x6d, 0xe9, 0x9f, 0x63, 0xb6,
    0x6d, 0x0c, 0x81, 0x88, 0xa9, 0x97, 0x7b, 0x9e, 0x58, 0x24, 0x0e, 0x8a, 0x02, 0xf4, 0x9d, 0xe0
};

/* The messages of one exchange, as they crossed the wire. */
typedef struct exchange_record {
    char client_first[4096], server_first[4096], client_final[4096];
    ULONG client_first_len, server_first_len, client_final_len;
} exchange_record;

/* Keeps the nth token (0: client-first, 1: server-first, 2: client-final). */
static inline void exchange_keep(exchange_record *x, int nth, const void *token, ULONG len)
{
    char *to[3] = { x->client_first, x->server_first, x->client_final };
    ULONG *lens[3] = { &x->client_first_len, &x->server_first_len, &x->client_final_len };

    if (nth < 0 || nth > 2 || len > sizeof(x->client_first))
        return;
    memcpy(to[nth], token, len);
    *lens[nth] = len;
}

/* SHA-256(AuthMessage): client-first-bare "," server-first "," client-final without
 * its ",p=..." (RFC 5802 section 3). 0 when the record does not hold three messages. */
static inline int exchange_auth_message_hash(const exchange_record *x, BYTE out[32])
{
    char am[3 * 4096 + 2];
    const char *bare = x->client_first;
    ULONG bare_len = x->client_first_len, final_len = x->client_final_len, n = 0;
    BCRYPT_ALG_HANDLE sha256;
    int done;

    /* The GS2 header "n,,": the bare message starts after its second comma. */
    for (int commas = 0; commas < 2 && bare_len; bare++, bare_len--)
        commas += *bare == ',';
    while (final_len >= 3 && memcmp(x->client_final + final_len - 3, ",p=", 3))
        final_len--;
    if (!bare_len || !x->server_first_len || final_len < 3)
        return 0;
    final_len -= 3;
    memcpy(am + n, bare, bare_len);
    n += bare_len;
    am[n++] = ',';
    memcpy(am + n, x->server_first, x->server_first_len);
    n += x->server_first_len;
    am[n++] = ',';
    memcpy(am + n, x->client_final, final_len);
    n += final_len;
    if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&sha256, BCRYPT_SHA256_ALGORITHM, NULL, 0)))
        return 0;
    done = BCRYPT_SUCCESS(BCryptHash(sha256, NULL, 0, (PUCHAR)am, n, out, 32));
    BCryptCloseAlgorithmProvider(sha256, 0);
    return done;
}

/* How many live heap blocks of this process hold the n bytes at needle. */
static inline int live_heap_blocks_holding(const void *needle, size_t n)
{
    HANDLE heaps[256];
    DWORD count = GetProcessHeaps(256, heaps);
    int found = 0;

    for (DWORD h = 0; h < count && h < 256; h++) {
        PROCESS_HEAP_ENTRY e = { 0 };
        if (!HeapLock(heaps[h]))
            continue;
        while (HeapWalk(heaps[h], &e)) {
            const BYTE *p = e.lpData;
            if (!(e.wFlags & PROCESS_HEAP_ENTRY_BUSY) || e.cbData < n)
                continue;
            for (size_t i = 0; i + n <= e.cbData; i++) {
                if (p[i] == *(const BYTE *)needle && !memcmp(p + i, needle, n)) {
                    found++;
                    break;
                }
            }
        }
        HeapUnlock(heaps[h]);
    }
    return found;
}

#endif
