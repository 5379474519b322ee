/* fuzz.h - what the libFuzzer harnesses in test/fuzz/ share: an invariant check that
 * crashes (so libFuzzer keeps the input), a splitter for inputs that carry several
 * messages, and a cheap stand-in for SHA-256 so the SCRAM state machines run deep.
 * docs/fuzzing.md says how the targets are built and run. */
#ifndef SSPKG_FUZZ_H
#define SSPKG_FUZZ_H

#include "../../src/common/scram.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the code under test must keep: when it does not, say which and abort,
 * which libFuzzer reports as a crash with the input that caused it. */
#define FUZZ_CHECK(cond) \
    ((cond) ? (void)0 : fuzz_broken(#cond, __FILE__, __LINE__))
_Noreturn void fuzz_broken(const char *what, const char *file, int line);

/* What a SCRAM step called in a state that does not allow it must return: the sticky
 * first error once the exchange has failed, else SCRAM_E_STATE (scram.h). */
scram_result fuzz_wrong_step_result(const scram_step *step);

/* One piece of an input. */
typedef struct fuzz_part {
    const char *text;
    size_t len;
} fuzz_part;

/* Splits data at NUL bytes into at most max parts (the last one keeps the rest, NULs
 * and all, so a message with a NUL inside stays reachable). Returns how many. */
size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max);

/* A part, or the default text when the input has fewer parts. */
fuzz_part fuzz_part_or(const fuzz_part *parts, size_t count, size_t i, const char *fallback);

/* Deterministic, fast and keyed on every input byte, but no SHA-256: hash, HMAC and a
 * PBKDF2 that costs the same whatever the iteration count, so a server-first asking for
 * ten million iterations costs nothing. The protocol checks (nonces, proofs, signatures)
 * behave as with real crypto; RFC 7677's known answers are checked with OpenSSL by
 * test/native/test_scram.c, not here. */
extern const scram_crypto fuzz_crypto;

/* RFC 7677 section 3's exchange: what a harness uses where the input says nothing. */
#define FUZZ_KAT_USER "user"
#define FUZZ_KAT_PASSWORD "pencil"
#define FUZZ_KAT_CLIENT_NONCE "rOprNGfwEbeRWgbNEkqO"
#define FUZZ_KAT_SERVER_NONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
#define FUZZ_KAT_SALT_B64 "W22ZaJ0SNY7soEsUEjb6gQ=="
#define FUZZ_KAT_ITERATIONS 4096u

/* The keys for password "pencil" with the given salt and count, under fuzz_crypto. */
void fuzz_kat_keys(const uint8_t *salt, size_t salt_len, uint32_t iterations,
                   scram_client_keys *keys);

#endif
