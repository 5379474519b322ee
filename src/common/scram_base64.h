/* scram_base64.h - base64 as RFC 5802 uses it (RFC 4648 section 4: the standard
 * alphabet, '=' padding required, no line breaks, no whitespace). Portable C17; the
 * caller supplies every buffer. */
#ifndef SSPKG_SCRAM_BASE64_H
#define SSPKG_SCRAM_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed to encode n bytes (no terminator). */
#define SCRAM_BASE64_LEN(n) ((((n) + 2) / 3) * 4)

/* Encodes n bytes into out (capacity cap) and NUL-terminates it. Returns the length
 * written without the NUL, or 0 when cap < SCRAM_BASE64_LEN(n) + 1 (out is then ""
 * when cap > 0). */
size_t scram_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap);

/* Decodes exactly len characters. Returns 0 and sets *out_len on success; -1 when the
 * text is not canonical base64 (length not a multiple of 4, a character outside the
 * alphabet, padding anywhere but the end, non-zero bits under the padding) or the
 * result would not fit in cap bytes. Nothing is promised about out on failure. */
int scram_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap,
                        size_t *out_len);

#endif
