/* scram_util.h - the two primitives every secret-handling file needs: a wipe the
 * compiler cannot drop, and a comparison whose time does not depend on where two byte
 * strings differ (RFC 5802 section 9: proofs and signatures). Portable C17. */
#ifndef SSPKG_SCRAM_UTIL_H
#define SSPKG_SCRAM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Sets n bytes to zero so that the stores survive even when the memory is never read
 * again (a plain memset before free may be optimised away). With GCC and Clang, memset
 * followed by a barrier that claims to read the memory: as fast as memset. Elsewhere,
 * stores through a volatile pointer. */
static inline void scram_wipe(void *p, size_t n)
{
#if defined(__GNUC__)
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--)
        *v++ = 0;
#endif
}

/* 1 when the n bytes at a and b are equal, else 0; looks at every byte either way, and
 * turns the difference into the answer without a branch. The barrier stops the
 * optimiser from seeing that the accumulator, once non-zero, stays non-zero, which
 * would let it leave the loop at the first difference. With GCC and Clang an empty asm
 * that claims to change the accumulator on every round; elsewhere a volatile one. */
static inline int scram_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
#if defined(__GNUC__)
    uint32_t diff = 0;
    for (size_t i = 0; i < n; i++) {
        diff |= (uint32_t)(a[i] ^ b[i]);
        __asm__("" : "+r"(diff));
    }
#else
    volatile uint32_t diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (uint32_t)(a[i] ^ b[i]);
#endif
    /* diff is at most 0xff: diff - 1 borrows into bit 8 exactly when diff is 0. */
    return (int)(((diff - 1) >> 8) & 1);
}

#endif
