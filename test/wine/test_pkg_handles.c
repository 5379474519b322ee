/* test_pkg_handles.c - the package's handle table (src/package/pkg_handles.c) on its
 * own: references outlive a close, and a release with a handle of the wrong kind, a
 * stale one or a forged one is refused and never drops another object's reference. */
#include "../../src/package/pkg.h"
#include "../tap.h"

static int destroyed[8];

static void destroy(void *object)
{
    destroyed[(int *)object - destroyed]++;
}

/* Objects are the addresses of their destroy counters. */
#define OBJ(i) ((void *)&destroyed[i])

static void test_release_after_close(void)
{
    LSA_SEC_HANDLE h = pkg_handle_new(PKG_HANDLE_CREDENTIAL, OBJ(0));

    ok(h && pkg_handle_get(h, PKG_HANDLE_CREDENTIAL) == OBJ(0), "new handle, get takes a reference");
    ok(pkg_handle_close(h, PKG_HANDLE_CREDENTIAL) && destroyed[0] == 0,
       "close while a reference is out: the object stays");
    ok(pkg_handle_get(h, PKG_HANDLE_CREDENTIAL) == NULL, "... and later gets fail");
    ok(pkg_handle_release(h, PKG_HANDLE_CREDENTIAL) && destroyed[0] == 1,
       "the last release destroys it, once");
    ok(!pkg_handle_release(h, PKG_HANDLE_CREDENTIAL) && destroyed[0] == 1,
       "a second release is refused");
}

static void test_release_refused(void)
{
    LSA_SEC_HANDLE h = pkg_handle_new(PKG_HANDLE_CREDENTIAL, OBJ(1));

    ok(!pkg_handle_release(h, PKG_HANDLE_CREDENTIAL),
       "release with no reference out is refused (the handle's own is not given back)");
    ok(pkg_handle_get(h, PKG_HANDLE_CREDENTIAL) == OBJ(1), "... and the handle still works");
    ok(!pkg_handle_release(h, PKG_HANDLE_CONTEXT), "release with the wrong kind is refused");
    ok(!pkg_handle_release((h & ~(0xffull << 56)) | (2ull << 56), PKG_HANDLE_CONTEXT),
       "... even with the kind bits changed to match");
    ok(!pkg_handle_release(h ^ (1ull << 24), PKG_HANDLE_CREDENTIAL),
       "release with another generation is refused");
    ok(!pkg_handle_release(h & ~0xffffffull, PKG_HANDLE_CREDENTIAL) &&
           !pkg_handle_release((h & ~0xffffffull) | 0xffffff, PKG_HANDLE_CREDENTIAL),
       "release of slot 0 or past the table is refused");
    ok(pkg_handle_close(h, PKG_HANDLE_CREDENTIAL) && destroyed[1] == 0,
       "after all those, the reference is still out: close does not destroy");
    ok(pkg_handle_release(h, PKG_HANDLE_CREDENTIAL) && destroyed[1] == 1,
       "the real release destroys it");
}

/* A handle whose slot was reused: its release must not touch the new object. */
static void test_stale_after_reuse(void)
{
    LSA_SEC_HANDLE old = pkg_handle_new(PKG_HANDLE_CONTEXT, OBJ(2)), fresh;

    pkg_handle_get(old, PKG_HANDLE_CONTEXT);
    pkg_handle_close(old, PKG_HANDLE_CONTEXT);
    pkg_handle_release(old, PKG_HANDLE_CONTEXT);
    ok(destroyed[2] == 1, "first object gone");
    fresh = pkg_handle_new(PKG_HANDLE_CONTEXT, OBJ(3));
    ok((fresh & 0xffffff) == (old & 0xffffff) && fresh != old,
       "the slot is reused under a new generation");
    ok(pkg_handle_get(fresh, PKG_HANDLE_CONTEXT) == OBJ(3), "a caller holds the new object");
    ok(!pkg_handle_release(old, PKG_HANDLE_CONTEXT), "a release with the stale handle is refused");
    ok(pkg_handle_close(fresh, PKG_HANDLE_CONTEXT) && destroyed[3] == 0,
       "closing the new handle leaves the object to its holder");
    ok(pkg_handle_release(fresh, PKG_HANDLE_CONTEXT) && destroyed[3] == 1,
       "... whose release destroys it");
    ok(destroyed[2] == 1, "the first object was destroyed exactly once");
}

int main(void)
{
    tap_start();
    pkg_handles_set_destroy(PKG_HANDLE_CREDENTIAL, destroy);
    pkg_handles_set_destroy(PKG_HANDLE_CONTEXT, destroy);
    test_release_after_close();
    test_release_refused();
    test_stale_after_reuse();
    return done_testing();
}
