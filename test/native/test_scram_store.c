/* test_scram_store.c - the verifier store's text, natively (ASan/UBSan): every name the
 * writer is given reads back the same (awkward first characters, every byte, random
 * UTF-8), files written before the escapes read the same, and malformed lines are
 * refused with their number and a reason. */
#include "../../src/common/scram.h"
#include "../../src/common/scram_store.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

#define PG_VERIFIER                                                                        \
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:" \
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="

static scram_verifier verifier;

/* What the visitor saw: the users in order, and how many secrets. */
#define MAX_SEEN 64
static struct {
    char name[SCRAM_MAX_NAME + 1];
    size_t len;
    char account[SCRAM_STORE_ACCOUNT_MAX + 1];
} seen[MAX_SEEN];
static int users_seen, secrets_seen;

static int see_user(void *ctx, const scram_store_entry *e, const char **why)
{
    (void)ctx;
    (void)why;
    if (users_seen < MAX_SEEN) {
        memcpy(seen[users_seen].name, e->name, e->name_len + 1);
        seen[users_seen].len = e->name_len;
        memcpy(seen[users_seen].account, e->account, e->account_len + 1);
    }
    users_seen++;
    return 0;
}

static int see_secret(void *ctx, const uint8_t *secret, const char **why)
{
    (void)ctx;
    (void)secret;
    (void)why;
    secrets_seen++;
    return 0;
}

static const scram_store_visitor visitor = { NULL, see_user, see_secret };

static int parse(const char *text, size_t len, size_t *bad, const char **why)
{
    users_seen = secrets_seen = 0;
    return scram_store_parse(text, len, &visitor, bad, why);
}

/* Formats name alone on a line and parses it back: 1 when the same bytes come back. */
static int round_trips(const char *name, size_t len)
{
    char line[SCRAM_STORE_LINE_MAX];
    size_t n = scram_store_format_user(name, len, &verifier, NULL, 0, line, sizeof(line)), bad;
    const char *why;

    return n && parse(line, n, &bad, &why) == 0 && users_seen == 1 && secrets_seen == 0 &&
           seen[0].len == len && !memcmp(seen[0].name, name, len);
}

static void test_awkward_names(void)
{
    static const char *const names[] = {
        "#alice", "@secret x", "@secret", "@secret ", "@", "#", "##", "@@", " lead",
        "trail ", " ", " #", " @secret x", "=eq", "a=b", "=", ",", "a,b", "=2C", "=3D",
        "=23", "=40", ":colon", "$dollar", "SCRAM-SHA-256$4096:AA==$AA==:AA==", "a\tb",
        "\t", "a\r", "\rb", "x\ny", "\x7f", "\x01", "ñame", "#ñ", "@名前", "𝔘nicode",
        "\xef\xbb\xbf" "bom",
    };
    char text[64 * SCRAM_STORE_LINE_MAX];
    uint8_t secret[SCRAM_STORE_SECRET_LEN] = { 7 };
    size_t used, bad;
    const char *why;
    int all = 1, same = 1, r;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int r = round_trips(names[i], strlen(names[i]));
        if (!r)
            diag("'%s' does not round-trip", names[i]);
        all &= r;
    }
    ok(all, "each awkward name round-trips alone ('#', '@secret ', spaces, '=', ',', ':', "
            "'$', TAB, CR, LF, DEL, Unicode)");

    /* All of them in one store, after a secret line, in order. */
    used = scram_store_format_secret(secret, text, sizeof(text));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        used += scram_store_format_user(names[i], strlen(names[i]), &verifier, NULL, 0,
                                        text + used, sizeof(text) - used);
    r = parse(text, used, &bad, &why);
    ok(r == 0 && secrets_seen == 1 &&
           users_seen == (int)(sizeof(names) / sizeof(names[0])),
       "all of them in one store: one secret and %d users (got %d, %d; %s)",
       (int)(sizeof(names) / sizeof(names[0])), secrets_seen, users_seen, why ? why : "");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && i < MAX_SEEN; i++)
        same &= seen[i].len == strlen(names[i]) && !memcmp(seen[i].name, names[i], seen[i].len);
    ok(same, "... each as it was written");
    ok(!strstr(text, "\n#") && !strstr(text, "\n@") && !strncmp(text, "@secret ", 8),
       "no user line starts with '#' or '@'; the secret line does");
    ok(strstr(text, "\n=23alice\t") && strstr(text, "\n=40secret x\t") &&
           strstr(text, "\n=40secret\t") && strstr(text, "\n=3Deq\t") &&
           strstr(text, "\na=2Cb\t") && strstr(text, "\na=09b\t") && strstr(text, "\nx=0Ay\t"),
       "escapes as documented: =23, =40 first; =2C, =3D, =09, =0A anywhere");
    ok(strstr(text, "\n #\t") && strstr(text, "\n=23#\t") && strstr(text, "\n=40@\t"),
       "'#' and '@' are escaped in first place only");
}

/* Every byte, first, in the middle and last, except NUL (no name holds one) and bytes
 * that are not UTF-8 on their own. */
static void test_every_byte(void)
{
    int all = 1;
    char name[4];

    for (int b = 1; b < 0x80; b++) {
        name[0] = (char)b;
        name[1] = 'x';
        all &= round_trips(name, 1) && round_trips(name, 2);
        name[0] = 'x';
        name[1] = (char)b;
        name[2] = 'y';
        all &= round_trips(name, 2) && round_trips(name, 3);
    }
    ok(all, "every ASCII byte round-trips first, in the middle and last");
}

/* Random UTF-8 names of random lengths up to the limit, with a fixed seed. */
static size_t random_name(char *out, size_t max)
{
    static const char *const pieces[] = { "#", "@", "=", ",", " ", "\t", "\n", "a", "Z",
                                          "$", ":", "é", "€", "𝄞", "@secret ", "=2C" };
    size_t len = 0, want = 1 + (size_t)rand() % max;

    while (len < want) {
        const char *p = pieces[rand() % (int)(sizeof(pieces) / sizeof(pieces[0]))];
        size_t n = strlen(p);
        if (len + n > max)
            break;
        memcpy(out + len, p, n);
        len += n;
    }
    if (len == 0)
        out[len++] = '#';
    return len;
}

static void test_random_names(void)
{
    char name[SCRAM_MAX_NAME];
    int all = 1;

    srand(9);
    for (int i = 0; i < 5000; i++) {
        size_t len = random_name(name, SCRAM_MAX_NAME);
        all &= round_trips(name, len);
    }
    ok(all, "5000 random names of up to 512 bytes round-trip");
    memset(name, ',', SCRAM_MAX_NAME);
    ok(round_trips(name, SCRAM_MAX_NAME), "512 commas (1536 bytes escaped) round-trip");
}

static void test_writer_refuses(void)
{
    char line[SCRAM_STORE_LINE_MAX], name[SCRAM_MAX_NAME + 1];

    memset(name, 'a', sizeof(name));
    ok(scram_store_format_user(name, SCRAM_MAX_NAME + 1, &verifier, NULL, 0, line, sizeof(line)) == 0,
       "a name of 513 bytes is not written");
    ok(scram_store_format_user("", 0, &verifier, NULL, 0, line, sizeof(line)) == 0,
       "an empty name is not written");
    ok(scram_store_format_user("a\xff", 2, &verifier, NULL, 0, line, sizeof(line)) == 0,
       "a name that is not UTF-8 is not written");
    ok(scram_store_format_user("a\0b", 3, &verifier, NULL, 0, line, sizeof(line)) == 0,
       "a name with a NUL is not written");
    ok(scram_store_format_user("a", 1, &verifier, NULL, 0, line, 20) == 0,
       "formatting into too small a buffer fails");
}

/* Files the earlier writer made, or people wrote, read as they did. */
static void test_old_files(void)
{
    static const char old[] =
        "# sspkg verifier store: <name><TAB>SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>\n"
        "@secret 56rT+mCBYXBdLoVOhSFrZB1SG/9a3TwAkMg71Ne4VBU=\r\n"
        "#alice\t" PG_VERIFIER "\n"
        "\n"
        "alice\t" PG_VERIFIER "\r\n"
        "a=2Cb=3Dc\t" PG_VERIFIER "\n"
        "@secret\t" PG_VERIFIER "\n"
        "@secret x\t" PG_VERIFIER "\n"
        "@other\t" PG_VERIFIER;
    size_t bad;
    const char *why;
    int r = parse(old, sizeof(old) - 1, &bad, &why);

    ok(r == 0 && secrets_seen == 1 && users_seen == 5,
       "an old store parses: one secret, five users (got %d, %d)", secrets_seen, users_seen);
    ok(!strcmp(seen[0].name, "alice") && !strcmp(seen[1].name, "a,b=c"),
       "... '#' lines are comments, =2C and =3D decode as before");
    ok(!strcmp(seen[2].name, "@secret") && !strcmp(seen[3].name, "@secret x") &&
           !strcmp(seen[4].name, "@other"),
       "... names written raw with a leading '@' (even '@secret x') are users");
}

static void test_malformed(void)
{
    static const struct {
        const char *text, *why;
    } cases[] = {
        { "=\t", "'=' in the name must start an escape" },
        { "a=4\t", "'=' in the name must start an escape" },
        { "=4g\t", "'=' in the name must start an escape" },
        { "=2c\t", "'=' in the name must start an escape" },
        { "=x41\t", "'=' in the name must start an escape" },
        { "a,b\t", "',' in the name must be written =2C" },
        { "=FF\t", "not UTF-8" },
        { "=C3\t", "not UTF-8" },
        { "a=00b\t", "not UTF-8 (or holds a NUL)" },
        { "\t", "the name is empty" },
        { "bob SCRAM-SHA-256$4096\n", "expected <name><TAB><verifier>" },
        { "@secret AAAA\n", "@secret needs the base64 of 32 bytes" },
        { "x\tSCRAM-SHA-256$4096:AA==$AA==:AA==\n", "the verifier is not" },
        { "x\t" PG_VERIFIER "\tAdministrators\n", "the account is not a SID string" },
        { "x\t" PG_VERIFIER "\t\n", "the account is not a SID string" },
        { "x\t" PG_VERIFIER "\tS-1-5-32-544\t\n", "the account is not a SID string" },
    };
    char text[2 * SCRAM_STORE_LINE_MAX];
    size_t bad, head;
    const char *why;

    head = (size_t)snprintf(text, sizeof(text), "# header\nok\t%s\n", PG_VERIFIER);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = head + (size_t)snprintf(text + head, sizeof(text) - head, "%s", cases[i].text);
        if (cases[i].text[strlen(cases[i].text) - 1] == '\t')
            n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n", PG_VERIFIER);
        int r = parse(text, n, &bad, &why);
        ok(r == -1 && bad == 3 && why && strstr(why, cases[i].why),
           "'%.*s' refused on line 3: %s (got line %zu: %s)",
           (int)strcspn(cases[i].text, "\t\n"), cases[i].text, cases[i].why, bad,
           why ? why : "");
    }
    {
        char line[SCRAM_STORE_LINE_MAX];
        memset(line, 'a', SCRAM_MAX_NAME);
        memcpy(line + SCRAM_MAX_NAME, "=41\t", 4);
        int r = parse(line, SCRAM_MAX_NAME + 4, &bad, &why);
        ok(r == -1 && bad == 1 && why &&
               strstr(why, "longer than 512 bytes"),
           "a name of 513 bytes refused (got %s)", why ? why : "");
        memcpy(line + SCRAM_MAX_NAME - 1, "=41", 3);
        memcpy(line + SCRAM_MAX_NAME + 2, "\t" PG_VERIFIER, sizeof(PG_VERIFIER));
        ok(parse(line, SCRAM_MAX_NAME + 2 + sizeof(PG_VERIFIER), &bad, &why) == 0 &&
               users_seen == 1 && seen[0].len == SCRAM_MAX_NAME && seen[0].name[511] == 'A',
           "... and one of 512 bytes, its last one escaped, read");
    }
    ok(parse("a\0b\tx\n", 7, &bad, &why) == -1 && bad == 1, "a NUL byte in a line refused");
}

/* The optional account: SID strings read and written back; old lines stay unmapped. */
static void test_accounts(void)
{
    static const char *const good[] = {
        "S-1-5-7", "S-1-5-32-544", "S-1-5-21-1004336348-1177238915-682003330-512", "S-1-0",
        "S-1-5", "S-1-4294967295-4294967295", "S-1-0x00000000FFFF-1",
        "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
        "S-1-281474976-4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-"
        "4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-"
        "4294967295-4294967295",
    };
    static const char *const bad[] = {
        "", "S-1", "S-1-", "S-2-5-7", "s-1-5-7", "S-1-5-", "S-1-5--7", "S-1-05-7",
        "S-1-5-4294967296", "S-1-4294967296", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        "S-1-5-7 ", " S-1-5-7", "S-1-0x0000FFFF-1", "S-1-0xFFFFFFFFFFFG", "S-1-5-+7",
        "Administrators",
    };
    char text[4 * SCRAM_STORE_LINE_MAX];
    size_t used = 0, bad_line, n;
    const char *why;
    int all = 1;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        all &= scram_store_sid_valid(good[i], strlen(good[i]));
    ok(all, "%zu SID strings are valid (well-known, domain, largest authority and count)",
       sizeof(good) / sizeof(good[0]));
    all = 1;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (scram_store_sid_valid(bad[i], strlen(bad[i]))) {
            diag("'%s' passed as a SID", bad[i]);
            all = 0;
        }
    ok(all, "%zu malformed ones are not (revision, empty parts, leading zeros, 2^32, 16 "
       "sub-authorities, spaces, a name)", sizeof(bad) / sizeof(bad[0]));

    used += scram_store_format_user("alice", 5, &verifier, "S-1-5-32-544", 12, text + used,
                                    sizeof(text) - used);
    used += scram_store_format_user("bob", 3, &verifier, NULL, 0, text + used, sizeof(text) - used);
    n = scram_store_format_user("eve", 3, &verifier, "Administrators", 14, text + used,
                                sizeof(text) - used);
    ok(n == 0, "an account that is not a SID string is not written");
    ok(strstr(text, "alice\t" PG_VERIFIER "\tS-1-5-32-544\n") &&
           strstr(text, "bob\t" PG_VERIFIER "\n"),
       "a mapped user's line ends in TAB and the SID; an unmapped one's as before");
    ok(parse(text, used, &bad_line, &why) == 0 && users_seen == 2 &&
           !strcmp(seen[0].account, "S-1-5-32-544") && !strcmp(seen[1].account, ""),
       "... and they read back: alice S-1-5-32-544, bob unmapped");
    ok(scram_store_format_user("alice", 5, &verifier, "S-1-5-32-544", 12, text,
                               strlen("alice\t" PG_VERIFIER "\tS-1-5-32-544")) == 0,
       "a mapped line one byte too long for the buffer is not written");
}

int main(void)
{
    tap_start();
    ok(scram_verifier_parse(PG_VERIFIER, strlen(PG_VERIFIER), &verifier) == 0,
       "the RFC 7677 verifier in PostgreSQL's form parses");
    test_awkward_names();
    test_every_byte();
    test_random_names();
    test_writer_refuses();
    test_old_files();
    test_malformed();
    test_accounts();
    return done_testing();
}
