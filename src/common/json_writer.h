/* json_writer.h - a small JSON writer (RFC 8259) for reports a program reads: values are
 * handed to a sink as they are written, nothing is allocated, and every string is escaped
 * (quotes, backslashes, control characters; bytes that are not UTF-8 become U+FFFD), so
 * text from a package cannot break the document.
 *
 * Objects and arrays nest up to JSON_MAX_DEPTH. Misuse (a member without a key, a value
 * after the last one, closing what is not open, nesting too deep) is a sticky error:
 * nothing more is written, and json_finish reports it. Output is indented by two spaces
 * per level, one member or element a line. */
#ifndef SSPKG_JSON_WRITER_H
#define SSPKG_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

/* Receives the document piece by piece. */
typedef void (*json_sink)(void *ctx, const char *bytes, size_t n);

typedef struct json_writer {
    json_sink sink;
    void *ctx;
    int depth;                          /* open objects and arrays */
    char open[JSON_MAX_DEPTH];          /* '{' or '[' for each open level */
    unsigned char empty[JSON_MAX_DEPTH]; /* no member or element yet at that level */
    unsigned char have_key;             /* a key was written; its value comes next */
    unsigned char done;                 /* the top-level value is complete */
    int error;                          /* sticky: 0, or the first misuse */
} json_writer;

void json_init(json_writer *w, json_sink sink, void *ctx);

void json_object_begin(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
void json_array_end(json_writer *w);

/* The key of the next object member. */
void json_key(json_writer *w, const char *key);

/* Values. json_string(w, NULL) writes null. */
void json_string(json_writer *w, const char *s);
void json_int(json_writer *w, int64_t v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);

/* Ends the document with a newline: 0 when it is one complete, balanced value, else -1
 * (and the output is not valid JSON). */
int json_finish(json_writer *w);

#endif
