/* test_scram.c - the SCRAM-SHA-256 protocol core, natively (ASan/UBSan), with OpenSSL
 * as an independent implementation of SHA-256, HMAC and PBKDF2. */
#include "../../src/common/scram.h"
#include "../../src/common/scram_base64.h"
#include "../../src/common/scram_msg.h"
#include "../../src/common/scram_session.h"
#include "../../src/common/scram_util.h"
#include "../tap.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

static int o_hash(void *ctx, const uint8_t *d, size_t n, uint8_t *out)
{
    (void)ctx;
    return EVP_Digest(d, n, out, NULL, EVP_sha256(), NULL) != 1;
}

static int o_hmac(void *ctx, const uint8_t *k, size_t kn, const uint8_t *d, size_t n,
                  uint8_t *out)
{
    (void)ctx;
    return HMAC(EVP_sha256(), k, (int)kn, d, n, out, NULL) == NULL;
}

static int o_pbkdf2(void *ctx, const uint8_t *pw, size_t pn, const uint8_t *salt, size_t sn,
                    uint32_t iter, uint8_t *out)
{
    (void)ctx;
    return PKCS5_PBKDF2_HMAC((const char *)pw, (int)pn, salt, (int)sn, (int)iter,
                             EVP_sha256(), SCRAM_HASH_LEN, out) != 1;
}

/* A crypto provider that fails from its Nth call on, for the error paths. */
static int calls_left = -1;
static int f_hash(void *c, const uint8_t *d, size_t n, uint8_t *o)
{
    return calls_left == 0 || (calls_left > 0 && !calls_left--) ? 1 : o_hash(c, d, n, o);
}

static const scram_crypto crypto = { NULL, o_hash, o_hmac, o_pbkdf2 };
static const scram_crypto failing_hash = { NULL, f_hash, o_hmac, o_pbkdf2 };

/* RFC 7677 section 3. */
static const char kat_user[] = "user";
static const char kat_password[] = "pencil";
static const char kat_cnonce[] = "rOprNGfwEbeRWgbNEkqO";
static const char kat_snonce[] = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
static const char kat_salt_b64[] = "W22ZaJ0SNY7soEsUEjb6gQ==";
static const char kat_client_first[] = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
static const char kat_server_first[] =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
static const char kat_client_final[] =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
static const char kat_server_final[] = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

static scram_verifier kat_verifier;
static char out[SCRAM_MAX_MESSAGE];
static size_t out_len;

static int same(const char *got, size_t got_len, const char *want)
{
    if (got_len == strlen(want) && !memcmp(got, want, got_len))
        return 1;
    diag("got    '%.*s'", (int)got_len, got);
    diag("wanted '%s'", want);
    return 0;
}

static void make_kat_verifier(void)
{
    uint8_t salt[32];
    size_t n;

    scram_base64_decode(kat_salt_b64, strlen(kat_salt_b64), salt, sizeof(salt), &n);
    ok(scram_verifier_make(&crypto, (const uint8_t *)kat_password, 6, salt, n, 4096,
                           &kat_verifier) == SCRAM_OK, "verifier for user/pencil made");
}

/* The text with control characters as '?', for test names on one line. */
static int zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static void test_ct_equal(void)
{
    uint8_t a[32], b[32];
    int all = 1;

    for (int i = 0; i < 32; i++)
        a[i] = b[i] = (uint8_t)(i * 37);
    ok(scram_ct_equal(a, b, 32) == 1 && scram_ct_equal(a, b, 0) == 1,
       "constant-time compare: equal bytes (and no bytes) are equal");
    for (int i = 0; i < 32; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            all &= scram_ct_equal(a, b, 32) == 0;
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    ok(all, "constant-time compare: any one flipped bit, first byte to last, is a difference");
}

static const char *shown(const char *s)
{
    static char buf[64];
    size_t i;

    for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
        buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

static void test_base64(void)
{
    /* RFC 4648 section 10. */
    static const char *vec[][2] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
                                    { "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
                                    { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
    static const char *bad[] = { "Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n",
                                 "=Zm9", "Zm=v", "Zg==Zg==", "Zm9v!A==" };
    char enc[16];
    uint8_t dec[16];
    size_t n;

    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        size_t len = strlen(vec[i][0]);
        ok(scram_base64_encode((const uint8_t *)vec[i][0], len, enc, sizeof(enc)) ==
               strlen(vec[i][1]) && !strcmp(enc, vec[i][1]),
           "RFC 4648 vector '%s' encodes to '%s' (got '%s')", vec[i][0], vec[i][1], enc);
        ok(!scram_base64_decode(vec[i][1], strlen(vec[i][1]), dec, sizeof(dec), &n) &&
               n == len && !memcmp(dec, vec[i][0], len),
           "'%s' decodes back", vec[i][1]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(scram_base64_decode(bad[i], strlen(bad[i]), dec, sizeof(dec), &n) == -1,
           "non-canonical base64 '%s' refused", shown(bad[i]));
    ok(scram_base64_decode("Zm9vYmFy", 8, dec, 5, &n) == -1, "decode past cap refused");
    ok(scram_base64_encode((const uint8_t *)"foo", 3, enc, 4) == 0 && enc[0] == 0,
       "encode into too small a buffer writes nothing");
}

static void test_names(void)
{
    char buf[64];
    size_t n;

    n = scram_name_escape("a,b=c", 5, buf, sizeof(buf));
    ok(same(buf, n, "a=2Cb=3Dc"), "',' and '=' escaped as =2C and =3D");
    n = scram_name_unescape("a=2Cb=3Dc", 9, buf, sizeof(buf));
    ok(same(buf, n, "a,b=c"), "escapes undone");
    ok(scram_name_unescape("a=2cb", 5, buf, sizeof(buf)) == (size_t)-1,
       "lower-case escape refused");
    ok(scram_name_unescape("a=", 2, buf, sizeof(buf)) == (size_t)-1, "lone '=' refused");
    ok(scram_name_unescape("a=41", 4, buf, sizeof(buf)) == (size_t)-1,
       "escape other than =2C/=3D refused");
    ok(scram_name_unescape("\xc3\x28", 2, buf, sizeof(buf)) == (size_t)-1,
       "invalid UTF-8 refused");
    ok(scram_name_unescape("\xe0\x80\xaf", 3, buf, sizeof(buf)) == (size_t)-1,
       "overlong UTF-8 refused");
    ok(scram_name_unescape("\xed\xa0\x80", 3, buf, sizeof(buf)) == (size_t)-1,
       "UTF-8 surrogate refused");
    ok(scram_name_unescape("", 0, buf, sizeof(buf)) == (size_t)-1, "empty name refused");
    ok(scram_name_escape("====", 4, buf, 11) == (size_t)-1, "escape past cap refused");
}

static void test_verifier_text(void)
{
    static const char pg[] =
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
        "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
        "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";
    static const char *bad[] = {
        "SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:AAAA",
        "SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$04096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$99999999999:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBF:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=",
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU= ",
    };
    scram_verifier v;
    char text[SCRAM_VERIFIER_TEXT_MAX];
    size_t n;

    /* StoredKey and ServerKey of user/pencil with the RFC 7677 salt, as PostgreSQL's
     * verifier for that password and salt carries them. */
    ok(scram_verifier_parse(pg, strlen(pg), &v) == 0 && v.iterations == 4096 &&
           v.salt_len == 16, "PostgreSQL-form verifier parsed");
    ok(!memcmp(v.stored_key, kat_verifier.stored_key, 32) &&
           !memcmp(v.server_key, kat_verifier.server_key, 32),
       "keys derived from 'pencil' equal the verifier's");
    n = scram_verifier_format(&kat_verifier, text, sizeof(text));
    ok(same(text, n, pg), "verifier formats to the same text, byte for byte");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ok(scram_verifier_parse(bad[i], strlen(bad[i]), &v) == -1 && v.iterations == 0,
           "malformed verifier %zu refused and output cleared", i);
    ok(scram_verifier_format(&kat_verifier, text, 40) == 0 && text[0] == 0,
       "format into too small a buffer writes nothing");
}

/* The whole RFC 7677 exchange through both state machines. */
static void test_rfc7677_known_answer(void)
{
    scram_client c;
    scram_server s;
    scram_client_keys keys;
    char sout[SCRAM_MAX_MESSAGE];
    size_t sout_len;

    scram_client_init(&c, &crypto);
    scram_server_init(&s, &crypto);
    ok(scram_client_first(&c, kat_user, 4, kat_cnonce, strlen(kat_cnonce), out,
                          sizeof(out), &out_len) == SCRAM_OK &&
           same(out, out_len, kat_client_first), "client-first byte for byte");
    ok(scram_server_read_client_first(&s, out, out_len) == SCRAM_OK &&
           !strcmp(s.user, "user"), "server reads client-first, user '%s'", s.user);
    ok(scram_server_first(&s, &kat_verifier, 1, kat_snonce, strlen(kat_snonce), sout,
                          sizeof(sout), &sout_len) == SCRAM_OK &&
           same(sout, sout_len, kat_server_first), "server-first byte for byte");
    ok(scram_client_read_server_first(&c, sout, sout_len) == SCRAM_OK &&
           c.iterations == 4096 && c.salt_len == 16, "client reads server-first");
    ok(scram_keys_derive(&crypto, (const uint8_t *)kat_password, 6, c.salt, c.salt_len,
                         c.iterations, &keys) == SCRAM_OK, "keys derived");
    ok(scram_client_final(&c, &keys, out, sizeof(out), &out_len) == SCRAM_OK &&
           same(out, out_len, kat_client_final), "client-final (p=) byte for byte");
    ok(scram_server_final(&s, out, out_len, sout, sizeof(sout), &sout_len) == SCRAM_OK &&
           same(sout, sout_len, kat_server_final), "server-final (v=) byte for byte");
    ok(s.step.state == SCRAM_SERVER_DONE, "server done");
    ok(scram_client_read_server_final(&c, sout, sout_len) == SCRAM_OK &&
           c.step.state == SCRAM_CLIENT_DONE, "client verified the server");
    ok(!memcmp(c.client_key, s.client_key, 32) &&
           !memcmp(c.auth_message_hash, s.auth_message_hash, 32),
       "both sides hold the same ClientKey and AuthMessage hash");
    scram_client_forget(&c);
    scram_server_forget(&s);
    ok(c.step.state == SCRAM_CLIENT_DONE && zero(c.client_key, 32) &&
           zero(c.auth_message_hash, 32) && zero(c.expected_signature, 32) &&
           c.first_bare_len == 0 && c.server_first_len == 0 && zero(c.salt, c.salt_len + 1),
       "forget: the client is still DONE, its keys, signature and messages are gone");
    ok(s.step.state == SCRAM_SERVER_DONE && !strcmp(s.user, "user") && s.user_len == 4 &&
           zero(s.client_key, 32) && zero(s.auth_message_hash, 32) &&
           zero(&s.verifier, sizeof(s.verifier)) && s.first_bare_len == 0 &&
           s.server_first_len == 0 && s.gs2_header_len == 0,
       "forget: the server is still DONE and names its user; keys, verifier, messages gone");
    ok(scram_client_read_server_final(&c, sout, sout_len) == SCRAM_E_STATE &&
           scram_server_final(&s, out, out_len, sout, sizeof(sout), &sout_len) == SCRAM_E_STATE,
       "forget: a step after it is still out of order");
    scram_client_wipe(&c);
    ok(c.step.state == SCRAM_CLIENT_INITIAL && c.client_key[0] == 0 && c.step.crypto == &crypto,
       "wipe clears the client and keeps its crypto");
}

/* A client that has sent the RFC's client-first. */
static void client_at_first(scram_client *c)
{
    scram_client_init(c, &crypto);
    scram_client_first(c, kat_user, 4, kat_cnonce, strlen(kat_cnonce), out, sizeof(out),
                       &out_len);
}

static void test_client_rejects(void)
{
    static const struct { const char *msg; scram_result want; const char *what; } cases[] = {
        { "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", SCRAM_E_NONCE,
          "server nonce that adds nothing" },
        { "r=XOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", SCRAM_E_NONCE,
          "server nonce that does not start with ours" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", SCRAM_E_ITERATIONS,
          "iteration count 4095" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=10000000",
          SCRAM_E_ITERATIONS_CEILING, "ten million iterations" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999",
          SCRAM_E_ITERATIONS_CEILING, "iteration count that overflows" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=04096", SCRAM_E_INVALID,
          "iteration count with a leading zero" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096x", SCRAM_E_INVALID,
          "iteration count with junk" },
        { "m=ext,r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
          SCRAM_E_EXTENSION, "m= before the nonce" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,m=x",
          SCRAM_E_EXTENSION, "m= among the extensions" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096", SCRAM_E_INVALID,
          "salt that is not base64" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==", SCRAM_E_INVALID,
          "attributes out of order" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
          SCRAM_E_INVALID, "repeated nonce" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==", SCRAM_E_INVALID,
          "missing iteration count" },
        { "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,", SCRAM_E_INVALID,
          "trailing comma" },
        { "r=rOprNGfwEbeRWgbNEkqO\x7f,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", SCRAM_E_INVALID,
          "nonce with a non-printable character" },
        { "e=unknown-user", SCRAM_E_SERVER_ERROR, "early e= understood" },
        { "", SCRAM_E_INVALID, "empty message" },
    };
    scram_client c;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        scram_result r;
        client_at_first(&c);
        r = scram_client_read_server_first(&c, cases[i].msg, strlen(cases[i].msg));
        ok(r == cases[i].want && c.step.state == SCRAM_CLIENT_FAILED,
           "client refuses %s: got '%s', wanted '%s'", cases[i].what, scram_result_text(r),
           scram_result_text(cases[i].want));
    }
    client_at_first(&c);
    scram_client_read_server_first(&c, "r=rOprNGfwEbeRWgbNEkqOx,s=AA==,i=4096,x=future", 46);
    ok(c.step.state == SCRAM_CLIENT_GOT_FIRST && c.salt_len == 1,
       "unknown extension ignored, one-byte salt accepted (the RFC sets no minimum)");

    /* Every strict prefix of the RFC's server-first is refused. */
    {
        int all = 1;
        for (size_t n = 0; n < strlen(kat_server_first); n++) {
            client_at_first(&c);
            if (scram_client_read_server_first(&c, kat_server_first, n) == SCRAM_OK) {
                diag("prefix of %zu bytes accepted", n);
                all = 0;
            }
        }
        ok(all, "every truncation of server-first refused");
    }
}

/* Whether a client at client-first, with its ceiling limited to `limit` (0: as built
 * in), gets `want` for a server-first with `iterations`. */
static int ceiling_case(uint32_t limit, uint32_t iterations, scram_result want)
{
    char msg[128];
    scram_client c;
    scram_result r;

    client_at_first(&c);
    if (limit)
        scram_client_limit_iterations(&c, limit);
    snprintf(msg, sizeof(msg), "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=%u",
             iterations);
    r = scram_client_read_server_first(&c, msg, strlen(msg));
    if (r != want)
        diag("limit %u, i=%u: got '%s', wanted '%s'", limit, iterations, scram_result_text(r),
             scram_result_text(want));
    return r == want && (r != SCRAM_OK || c.iterations == iterations);
}

static void test_client_ceiling(void)
{
    scram_client c;

    client_at_first(&c);
    ok(c.max_iterations == SCRAM_CLIENT_MAX_ITERATIONS && SCRAM_CLIENT_MAX_ITERATIONS == 100000,
       "the built-in ceiling is 100000: got %u", c.max_iterations);
    ok(ceiling_case(0, 100000, SCRAM_OK), "i=100000 (the ceiling) accepted");
    ok(ceiling_case(0, 100001, SCRAM_E_ITERATIONS_CEILING), "i=100001 refused: above the ceiling");
    ok(ceiling_case(0, 4096, SCRAM_OK) && ceiling_case(0, 4095, SCRAM_E_ITERATIONS),
       "the floor still holds: 4096 accepted, 4095 refused as below it");
    ok(scram_client_limit_iterations(&c, 8192) == 8192, "the ceiling lowered to 8192");
    ok(ceiling_case(8192, 8192, SCRAM_OK) && ceiling_case(8192, 8193, SCRAM_E_ITERATIONS_CEILING),
       "lowered to 8192: i=8192 accepted, i=8193 refused");
    ok(scram_client_limit_iterations(&c, 200000) == SCRAM_CLIENT_MAX_ITERATIONS &&
           ceiling_case(200000, 100001, SCRAM_E_ITERATIONS_CEILING),
       "a limit of 200000 does not raise the ceiling: i=100001 still refused");
    ok(scram_client_limit_iterations(&c, 100) == SCRAM_MIN_ITERATIONS &&
           ceiling_case(100, 4096, SCRAM_OK) && ceiling_case(100, 4097, SCRAM_E_ITERATIONS_CEILING) &&
           ceiling_case(100, 4095, SCRAM_E_ITERATIONS),
       "a limit below the floor gives the floor: only 4096 accepted");
    scram_client_limit_iterations(&c, 5000);
    scram_client_wipe(&c);
    ok(c.max_iterations == SCRAM_CLIENT_MAX_ITERATIONS, "wipe restores the built-in ceiling");
    ok(!strcmp(scram_result_text(SCRAM_E_ITERATIONS_CEILING),
               "iteration count above the client's ceiling") &&
           !strcmp(scram_result_text(SCRAM_E_ITERATIONS), "iteration count below the minimum of 4096"),
       "the ceiling and the floor each have their own text");
}

/* Runs the RFC exchange to the point where the client reads server-final. */
static void client_at_final(scram_client *c)
{
    scram_client_keys keys;

    client_at_first(c);
    scram_client_read_server_first(c, kat_server_first, strlen(kat_server_first));
    scram_keys_derive(&crypto, (const uint8_t *)kat_password, 6, c->salt, c->salt_len,
                      c->iterations, &keys);
    scram_client_final(c, &keys, out, sizeof(out), &out_len);
}

static void test_client_final_checks(void)
{
    scram_client c;
    scram_result r;
    char wrong[] = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    wrong[5] = 'J';
    client_at_final(&c);
    r = scram_client_read_server_final(&c, wrong, strlen(wrong));
    ok(r == SCRAM_E_SERVER_SIGNATURE, "wrong server signature: %s", scram_result_text(r));
    client_at_final(&c);
    r = scram_client_read_server_final(&c, "e=invalid-proof", 15);
    ok(r == SCRAM_E_SERVER_ERROR && !strcmp(c.server_error, "invalid-proof"),
       "e=invalid-proof understood ('%s')", c.server_error);
    client_at_final(&c);
    r = scram_client_read_server_final(&c, "v=AAAA", 6);
    ok(r == SCRAM_E_SERVER_SIGNATURE, "short signature: %s", scram_result_text(r));
    client_at_final(&c);
    r = scram_client_read_server_final(&c, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=1",
                                       50);
    ok(r == SCRAM_OK, "extension after v= ignored");

    /* Out of order: the context is untouched and still works. */
    client_at_first(&c);
    r = scram_client_read_server_final(&c, kat_server_final, strlen(kat_server_final));
    ok(r == SCRAM_E_STATE && c.step.state == SCRAM_CLIENT_SENT_FIRST,
       "server-final before server-first: state error, context unchanged");
    r = scram_client_first(&c, "u", 1, "n", 1, out, sizeof(out), &out_len);
    ok(r == SCRAM_E_STATE, "client-first twice: state error");
    ok(scram_client_read_server_first(&c, kat_server_first, strlen(kat_server_first)) ==
           SCRAM_OK, "the context goes on after the out-of-order calls");

    /* Sticky first error. */
    client_at_first(&c);
    scram_client_read_server_first(&c, "garbage", 7);
    r = scram_client_read_server_first(&c, kat_server_first, strlen(kat_server_first));
    ok(r == SCRAM_E_INVALID && c.step.state == SCRAM_CLIENT_FAILED,
       "after a failure every step reports the first error");

    /* Buffer too small is not a failure of the context. */
    scram_client_init(&c, &crypto);
    r = scram_client_first(&c, kat_user, 4, kat_cnonce, strlen(kat_cnonce), out, 10, &out_len);
    ok(r == SCRAM_E_BUFFER && c.step.state == SCRAM_CLIENT_INITIAL && out_len == 0,
       "client-first into 10 bytes: buffer error, state unchanged");
    r = scram_client_first(&c, "a,b=c", 5, "xyz", 3, out, sizeof(out), &out_len);
    ok(r == SCRAM_OK && same(out, out_len, "n,,n=a=2Cb=3Dc,r=xyz"), "name escaped on the wire");
    scram_client_init(&c, &crypto);
    ok(scram_client_first(&c, "u", 1, "a,b", 3, out, sizeof(out), &out_len) == SCRAM_E_INVALID,
       "nonce with ',' refused");

    /* Crypto failure surfaces as SCRAM_E_CRYPTO. */
    {
        scram_client_keys keys;
        client_at_first(&c);
        scram_client_read_server_first(&c, kat_server_first, strlen(kat_server_first));
        scram_keys_derive(&crypto, (const uint8_t *)kat_password, 6, c.salt, c.salt_len,
                          c.iterations, &keys);
        c.step.crypto = &failing_hash;
        calls_left = 0;
        r = scram_client_final(&c, &keys, out, sizeof(out), &out_len);
        calls_left = -1;
        ok(r == SCRAM_E_CRYPTO, "hash failure: %s", scram_result_text(r));
    }
}

/* A server that has read the RFC's client-first and sent its server-first. */
static void server_at_final(scram_server *s, int known)
{
    char sout[SCRAM_MAX_MESSAGE];
    size_t n;

    scram_server_init(s, &crypto);
    scram_server_read_client_first(s, kat_client_first, strlen(kat_client_first));
    scram_server_first(s, &kat_verifier, known, kat_snonce, strlen(kat_snonce), sout,
                       sizeof(sout), &n);
}

/* forget keeps a failure's answer, and does nothing before the exchange has ended. */
static void test_forget_failed_and_early(void)
{
    scram_client c;
    scram_server s;
    size_t n;

    client_at_final(&c);
    ok(scram_client_read_server_final(&c, "e=invalid-proof", 15) == SCRAM_E_SERVER_ERROR,
       "a client told e=invalid-proof fails");
    scram_client_forget(&c);
    ok(zero(c.client_key, 32) && zero(c.auth_message_hash, 32) &&
           scram_client_read_server_final(&c, kat_server_final, strlen(kat_server_final)) ==
               SCRAM_E_SERVER_ERROR && !strcmp(c.server_error, "invalid-proof"),
       "forget after a failure: keys gone, the same failure and server error answer later calls");
    client_at_first(&c);
    scram_client_forget(&c);
    ok(c.step.state == SCRAM_CLIENT_SENT_FIRST && c.first_bare_len > 0,
       "forget mid-exchange (client) does nothing");
    server_at_final(&s, 1);
    scram_server_forget(&s);
    ok(s.step.state == SCRAM_SERVER_SENT_FIRST && s.verifier.iterations == 4096 &&
           scram_server_final(&s, kat_client_final, strlen(kat_client_final), out, sizeof(out),
                              &n) == SCRAM_OK,
       "forget mid-exchange (server) does nothing: the exchange still completes");
}

static void test_server_rejects_first(void)
{
    static const struct { const char *msg; scram_result want; const char *what; } cases[] = {
        { "p=,,n=user,r=abc", SCRAM_E_INVALID, "p= without a name" },
        { "q,,n=user,r=abc", SCRAM_E_INVALID, "unknown channel-binding flag" },
        { "n,n=user,r=abc", SCRAM_E_INVALID, "GS2 header missing a comma" },
        { "n,,m=x,n=user,r=abc", SCRAM_E_EXTENSION, "m= before the name" },
        { "n,,n=user,r=abc,m=x", SCRAM_E_EXTENSION, "m= among the extensions" },
        { "n,,r=abc,n=user", SCRAM_E_INVALID, "attributes out of order" },
        { "n,,n=user,n=user,r=abc", SCRAM_E_INVALID, "repeated name" },
        { "n,,n=user", SCRAM_E_INVALID, "missing nonce" },
        { "n,,n=us=er,r=abc", SCRAM_E_INVALID, "bad escape in the name" },
        { "n,,n=,r=abc", SCRAM_E_INVALID, "empty name" },
        { "n,,n=user,r=a bc", SCRAM_E_INVALID, "nonce with a space" },
        { "n,a=admin,n=user,r=abc", SCRAM_E_INVALID, "authzid of another user" },
        { "n,,n=user,r=abc,", SCRAM_E_INVALID, "trailing comma" },
        { "n,,", SCRAM_E_INVALID, "header only" },
    };
    scram_server s;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        scram_result r;
        scram_server_init(&s, &crypto);
        r = scram_server_read_client_first(&s, cases[i].msg, strlen(cases[i].msg));
        ok(r == cases[i].want && s.step.state == SCRAM_SERVER_FAILED,
           "server refuses %s: got '%s', wanted '%s'", cases[i].what, scram_result_text(r),
           scram_result_text(cases[i].want));
    }
    scram_server_init(&s, &crypto);
    ok(scram_server_read_client_first(&s, "y,a=u=2Cv,n=u=2Cv,r=abc,z=ext", 29) == SCRAM_OK &&
           !strcmp(s.user, "u,v"),
       "flag y, authzid equal to the name, unknown extension: accepted, user '%s'", s.user);
}

static void test_server_rejects_final(void)
{
    static const struct {
        const char *msg;
        scram_result want;
        const char *error;
        const char *what;
    } cases[] = {
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          "p=AHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
          SCRAM_E_PROOF, "e=invalid-proof", "wrong proof" },
        { "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
          SCRAM_E_CHANNEL_BINDING, "e=channel-bindings-dont-match", "c= of another header" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k1,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
          SCRAM_E_NONCE, "e=other-error", "wrong nonce" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,m=x,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
          SCRAM_E_EXTENSION, "e=extensions-not-supported", "m= before the proof" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ",
          SCRAM_E_INVALID, "e=invalid-encoding", "proof that is not base64" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA",
          SCRAM_E_INVALID, "e=invalid-encoding", "short proof" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1",
          SCRAM_E_INVALID, "e=invalid-encoding", "attribute after the proof" },
        { "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,c=biws,"
          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
          SCRAM_E_INVALID, "e=invalid-encoding", "attributes out of order" },
        { "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
          SCRAM_E_INVALID, "e=invalid-encoding", "missing proof" },
    };
    scram_server s;
    char sout[SCRAM_MAX_MESSAGE];
    size_t n;
    scram_result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        server_at_final(&s, 1);
        r = scram_server_final(&s, cases[i].msg, strlen(cases[i].msg), sout, sizeof(sout), &n);
        ok(r == cases[i].want && same(sout, n, cases[i].error),
           "server refuses %s with %s: got '%s'", cases[i].what, cases[i].error,
           scram_result_text(r));
    }

    /* The right proof for a decoy verifier still fails, the same way as a wrong one. */
    server_at_final(&s, 0);
    r = scram_server_final(&s, kat_client_final, strlen(kat_client_final), sout, sizeof(sout),
                           &n);
    ok(r == SCRAM_E_PROOF && same(sout, n, "e=invalid-proof"),
       "unknown user fails at the proof, like a wrong password");

    {
        int all = 1;
        for (size_t len = 0; len < strlen(kat_client_final); len++) {
            server_at_final(&s, 1);
            if (scram_server_final(&s, kat_client_final, len, sout, sizeof(sout), &n) ==
                SCRAM_OK) {
                diag("prefix of %zu bytes accepted", len);
                all = 0;
            }
        }
        ok(all, "every truncation of client-final refused");
    }

    server_at_final(&s, 1);
    r = scram_server_final(&s, kat_client_final, strlen(kat_client_final), sout, sizeof(sout),
                           &n);
    r = scram_server_final(&s, kat_client_final, strlen(kat_client_final), sout, sizeof(sout),
                           &n);
    ok(r == SCRAM_E_STATE && s.step.state == SCRAM_SERVER_DONE && n == 0,
       "client-final twice: state error, done context unchanged");
    scram_server_init(&s, &crypto);
    r = scram_server_final(&s, kat_client_final, strlen(kat_client_final), sout, sizeof(sout),
                           &n);
    ok(r == SCRAM_E_STATE && s.step.state == SCRAM_SERVER_INITIAL,
       "client-final first: state error, context unchanged");
}

/* Both sides derive mirrored keys; the packed form round-trips and is checked. */
static void test_session(void)
{
    static const uint8_t ck[32] = { 1 }, am[32] = { 2 };
    scram_session c, sv, back;
    uint8_t packed[SCRAM_SESSION_PACKED_SIZE];

    ok(scram_session_derive(&crypto, SCRAM_SESSION_CLIENT, ck, am, "alice", 5, 0x1e, &c) ==
           SCRAM_OK &&
           scram_session_derive(&crypto, SCRAM_SESSION_SERVER, ck, am, "alice", 5, 0x1e, &sv) ==
               SCRAM_OK, "both sides derive");
    ok(!memcmp(c.seal_send, sv.seal_recv, 32) && !memcmp(c.seal_recv, sv.seal_send, 32) &&
           !memcmp(c.sign_send, sv.sign_recv, 32) && !memcmp(c.sign_recv, sv.sign_send, 32),
       "what one side sends with, the other receives with");
    ok(memcmp(c.seal_send, c.seal_recv, 32) && memcmp(c.seal_send, c.sign_send, 32) &&
           memcmp(c.sign_send, c.sign_recv, 32), "four different keys");
    c.send_seq = 7;
    scram_session_pack(&c, packed);
    ok(scram_session_unpack(packed, sizeof(packed), &back) == 0 && !memcmp(&back, &c, sizeof(c)),
       "packed context round-trips");
    ok(scram_session_unpack(packed, sizeof(packed) - 1, &back) == -1, "wrong size refused");
    packed[4] = 2;
    ok(scram_session_unpack(packed, sizeof(packed), &back) == -1 && back.user_len == 0,
       "wrong version refused, output cleared");
    packed[4] = 1;
    packed[12] = 5;
    ok(scram_session_unpack(packed, sizeof(packed), &back) == -1, "unknown side refused");
    packed[12] = 0;
    packed[4 * 5 + 4 * 32 + 16] = 0xff;
    packed[4 * 5 + 4 * 32 + 17] = 0xff;
    ok(scram_session_unpack(packed, sizeof(packed), &back) == -1, "user length past the end refused");
    ok(scram_session_accept_seq(&sv, 1) == -1 && sv.recv_seq == 0 &&
           scram_session_accept_seq(&sv, 0) == 0 && sv.recv_seq == 1 &&
           scram_session_accept_seq(&sv, 0) == -1,
       "sequence: ahead refused, next accepted, replay refused");
}

/* SCRAM-SHA-256-PLUS (RFC 5802 sections 6 and 7) with RFC 7677's user, nonces and salt
 * and a tls-exporter binding of bytes 0..31. No RFC gives a -PLUS vector, so client-final
 * and server-final are computed here from the RFC's formulas with OpenSSL, apart from
 * the core (test/t/55-gsasl.t checks the same against GNU SASL). */
static void plus_exchange(scram_client *c, scram_server *s, const scram_binding *client_cb,
                          const scram_binding *server_cb, char *sout, size_t *sout_len)
{
    scram_client_keys keys;

    scram_client_init(c, &crypto);
    scram_server_init(s, &crypto);
    if (client_cb)
        scram_client_bind(c, client_cb);
    if (server_cb)
        scram_server_bind(s, server_cb);
    scram_client_first(c, kat_user, 4, kat_cnonce, strlen(kat_cnonce), out, sizeof(out),
                       &out_len);
    scram_server_read_client_first(s, out, out_len);
    scram_server_first(s, &kat_verifier, 1, kat_snonce, strlen(kat_snonce), sout,
                       SCRAM_MAX_MESSAGE, sout_len);
    scram_client_read_server_first(c, sout, *sout_len);
    scram_keys_derive(&crypto, (const uint8_t *)kat_password, 6, c->salt, c->salt_len,
                      c->iterations, &keys);
    scram_client_final(c, &keys, out, sizeof(out), &out_len);
    scram_server_final(s, out, out_len, sout, SCRAM_MAX_MESSAGE, sout_len);
}

static void test_channel_binding(void)
{
    static scram_client c;
    static scram_server s;
    scram_binding exporter, other, unique;
    uint8_t data[32], salted[32], ck[32], sk[32], stored[32], sig[32], ssig[32];
    char cbind_b64[128], proof_b64[64], sig_b64[64], want[1024], am[2048];
    char sout[SCRAM_MAX_MESSAGE];
    size_t sout_len, salt_len;
    uint8_t salt[32], cbind[64];

    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t)i;
    scram_binding_set(&exporter, "tls-exporter", 12, data, 32);
    data[0] = 0xff;
    scram_binding_set(&other, "tls-exporter", 12, data, 32);
    scram_binding_set(&unique, "tls-unique", 10, data, 12);

    /* The answer, from the formulas. */
    memcpy(cbind, "p=tls-exporter,,", 16);
    for (int i = 0; i < 32; i++)
        cbind[16 + i] = (uint8_t)i;
    scram_base64_encode(cbind, 48, cbind_b64, sizeof(cbind_b64));
    scram_base64_decode(kat_salt_b64, strlen(kat_salt_b64), salt, sizeof(salt), &salt_len);
    o_pbkdf2(NULL, (const uint8_t *)"pencil", 6, salt, salt_len, 4096, salted);
    o_hmac(NULL, salted, 32, (const uint8_t *)"Client Key", 10, ck);
    o_hmac(NULL, salted, 32, (const uint8_t *)"Server Key", 10, sk);
    o_hash(NULL, ck, 32, stored);
    snprintf(am, sizeof(am), "n=user,r=%s,%s,c=%s,r=%s%s", kat_cnonce, kat_server_first,
             cbind_b64, kat_cnonce, kat_snonce);
    o_hmac(NULL, stored, 32, (const uint8_t *)am, strlen(am), sig);
    for (int i = 0; i < 32; i++)
        sig[i] ^= ck[i];
    scram_base64_encode(sig, 32, proof_b64, sizeof(proof_b64));
    o_hmac(NULL, sk, 32, (const uint8_t *)am, strlen(am), ssig);
    scram_base64_encode(ssig, 32, sig_b64, sizeof(sig_b64));

    scram_client_init(&c, &crypto);
    ok(scram_client_bind(&c, &exporter) == SCRAM_OK &&
           scram_client_first(&c, kat_user, 4, kat_cnonce, strlen(kat_cnonce), out,
                              sizeof(out), &out_len) == SCRAM_OK &&
           same(out, out_len, "p=tls-exporter,,n=user,r=rOprNGfwEbeRWgbNEkqO"),
       "bound client-first: p=tls-exporter");
    ok(scram_client_bind(&c, &exporter) == SCRAM_E_STATE,
       "binding after client-first: SCRAM_E_STATE");
    scram_client_init(&c, &crypto);
    ok(scram_client_bind(&c, &(scram_binding){ "tls-x", 5, { 1 }, 1 }) == SCRAM_E_INVALID &&
           c.binding.data_len == 0,
       "binding of an unknown type: SCRAM_E_INVALID, nothing taken");

    plus_exchange(&c, &s, &exporter, &exporter, sout, &sout_len);
    snprintf(want, sizeof(want), "c=%s,r=%s%s,p=%s", cbind_b64, kat_cnonce, kat_snonce,
             proof_b64);
    ok(same(out, out_len, want), "client-final: c= carries header and data; proof over it");
    snprintf(want, sizeof(want), "v=%s", sig_b64);
    ok(s.step.state == SCRAM_SERVER_DONE && same(sout, sout_len, want),
       "server-final v= over the bound AuthMessage");
    ok(scram_client_read_server_final(&c, sout, sout_len) == SCRAM_OK,
       "the client verifies it");

    plus_exchange(&c, &s, &exporter, &other, sout, &sout_len);
    ok(s.step.error == SCRAM_E_CHANNEL_BINDING &&
           same(sout, sout_len, "e=channel-bindings-dont-match"),
       "another channel at the server (a relay): e=channel-bindings-dont-match");
    plus_exchange(&c, &s, &exporter, &unique, sout, &sout_len);
    ok(s.step.error == SCRAM_E_BINDING_TYPE &&
           same(sout, sout_len, "e=unsupported-channel-binding-type"),
       "p=tls-exporter to a tls-unique server: e=unsupported-channel-binding-type");
    plus_exchange(&c, &s, &exporter, NULL, sout, &sout_len);
    ok(s.step.error == SCRAM_E_BINDING_NOT_SUPPORTED &&
           same(sout, sout_len, "e=channel-binding-not-supported"),
       "p= to a server without a channel: e=channel-binding-not-supported");
    plus_exchange(&c, &s, NULL, &exporter, sout, &sout_len);
    ok(s.step.state == SCRAM_SERVER_DONE, "n to a server with a channel: accepted");

    scram_server_init(&s, &crypto);
    scram_server_bind(&s, &exporter);
    ok(scram_server_read_client_first(&s, "y,,n=user,r=abc", 15) == SCRAM_OK &&
           s.header_error == SCRAM_E_BINDING_DOWNGRADE,
       "y to a server with a channel: read, and kept for server-final");
    scram_server_first(&s, &kat_verifier, 1, "x", 1, sout, sizeof(sout), &sout_len);
    ok(scram_server_final(&s, "c=eSws,r=abcx,p=AAAA", 20, sout, sizeof(sout), &sout_len) ==
               SCRAM_E_BINDING_DOWNGRADE &&
           same(sout, sout_len, "e=server-does-support-channel-binding"),
       "... answered e=server-does-support-channel-binding, before the proof");
    scram_server_init(&s, &crypto);
    ok(scram_server_read_client_first(&s, "y,,n=user,r=abc", 15) == SCRAM_OK &&
           s.header_error == SCRAM_OK,
       "y to a server without a channel: fine");
    scram_server_init(&s, &crypto);
    ok(scram_server_read_client_first(&s, "p=tls_unique,,n=user,r=abc", 26) == SCRAM_E_INVALID,
       "p= with a name outside the grammar: malformed");
    ok(scram_server_bind(&s, &exporter) == SCRAM_E_INVALID,
       "binding a failed server: its sticky error");
    scram_client_wipe(&c);
    scram_server_wipe(&s);
}

int main(void)
{
    tap_start();
    test_ct_equal();
    test_base64();
    test_names();
    make_kat_verifier();
    test_verifier_text();
    test_rfc7677_known_answer();
    test_client_rejects();
    test_client_ceiling();
    test_client_final_checks();
    test_forget_failed_and_early();
    test_server_rejects_first();
    test_server_rejects_final();
    test_session();
    test_channel_binding();
    return done_testing();
}
