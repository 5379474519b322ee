/* hex.h - base-16 text to bytes (RFC 4648 section 8's alphabet, either case), for byte
 * strings given on a command line: a challenge, a response. No allocation: the caller
 * gives the output buffer. */
#ifndef SSPKG_HEX_H
#define SSPKG_HEX_H

#include <stddef.h>
#include <stdint.h>

typedef enum hex_result {
    HEX_OK = 0,
    HEX_ODD_LENGTH,   /* an odd number of digits: half a byte at the end */
    HEX_BAD_DIGIT,    /* a character that is not 0-9, a-f, A-F */
    HEX_TOO_LONG,     /* more bytes than out_size */
} hex_result;

/* Decodes text[0..text_len) into out; *out_len is the byte count on HEX_OK (0 for empty
 * text), and *bad_at the offset of the first bad digit on HEX_BAD_DIGIT. */
hex_result hex_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                      size_t *out_len, size_t *bad_at);

/* A sentence for a person: "an odd number of hex digits", ... */
const char *hex_result_text(hex_result r);

#endif
