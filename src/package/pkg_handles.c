/* pkg_handles.c - credential and context handles (see pkg.h).
 *
 * A handle is kind << 56 | generation << 24 | (slot + 1). A slot's generation moves on
 * each time it is closed, so an old handle never names a new object. Objects are
 * reference counted: a call in progress keeps its object alive even when another
 * thread closes the handle meanwhile. */
#include "pkg.h"

#define MAX_HANDLES 4096u
#define SLOT_MASK 0xffffffull
#define GEN_MASK 0xffffffffull

typedef struct handle_slot {
    void *object;
    ULONG generation;
    ULONG refs;            /* 1 for the handle itself while open, +1 per get */
    BYTE kind;
    BYTE open;
} handle_slot;

static handle_slot slots[MAX_HANDLES];
static SRWLOCK lock = SRWLOCK_INIT;
static void (*destroyers[3])(void *object);

void pkg_handles_set_destroy(pkg_handle_kind kind, void (*destroy)(void *object))
{
    destroyers[kind] = destroy;
}

static LSA_SEC_HANDLE make(pkg_handle_kind kind, ULONG generation, ULONG slot)
{
    return ((ULONG_PTR)kind << 56) | (((ULONG_PTR)generation & GEN_MASK) << 24) | (slot + 1);
}

/* The slot a handle names, or NULL: a slot of that kind and generation that is open,
 * or with closed_too, closed but with references still out (its generation cannot move
 * on until they come back). Call with the lock held. */
static handle_slot *find(LSA_SEC_HANDLE h, pkg_handle_kind kind, BOOL closed_too)
{
    ULONG_PTR slot = (h & SLOT_MASK);
    handle_slot *s;

    if (slot == 0 || slot > MAX_HANDLES || (h >> 56) != (ULONG_PTR)kind)
        return NULL;
    s = &slots[slot - 1];
    if (!s->refs || (!s->open && !closed_too) || s->kind != kind ||
        make(kind, s->generation, (ULONG)(slot - 1)) != h)
        return NULL;
    return s;
}

LSA_SEC_HANDLE pkg_handle_new(pkg_handle_kind kind, void *object)
{
    LSA_SEC_HANDLE h = 0;

    AcquireSRWLockExclusive(&lock);
    for (ULONG i = 0; i < MAX_HANDLES; i++) {
        handle_slot *s = &slots[i];
        if (s->open || s->refs)
            continue;
        s->object = object;
        s->kind = (BYTE)kind;
        s->open = 1;
        s->refs = 1;
        /* Generation 0 is never used, so no handle is all zeros but the slot. */
        s->generation = (s->generation + 1) & GEN_MASK;
        if (!s->generation)
            s->generation = 1;
        h = make(kind, s->generation, i);
        break;
    }
    ReleaseSRWLockExclusive(&lock);
    return h;
}

void *pkg_handle_get(LSA_SEC_HANDLE handle, pkg_handle_kind kind)
{
    void *object = NULL;
    handle_slot *s;

    AcquireSRWLockExclusive(&lock);
    s = find(handle, kind, FALSE);
    if (s) {
        s->refs++;
        object = s->object;
    }
    ReleaseSRWLockExclusive(&lock);
    return object;
}

/* Drops one reference on slot i; returns the object to destroy when it was the last. */
static void *unref(handle_slot *s, pkg_handle_kind *kind)
{
    void *object = NULL;

    if (--s->refs == 0) {
        object = s->object;
        *kind = (pkg_handle_kind)s->kind;
        s->object = NULL;
    }
    return object;
}

static void destroy(pkg_handle_kind kind, void *object)
{
    if (object && destroyers[kind])
        destroyers[kind](object);
}

BOOL pkg_handle_release(LSA_SEC_HANDLE handle, pkg_handle_kind kind)
{
    handle_slot *s;
    void *object = NULL;
    pkg_handle_kind k = kind;

    AcquireSRWLockExclusive(&lock);
    /* The handle may be closed already: the reference a get took is still out, and
     * still names this slot's generation. The handle's own reference (while open) is
     * never given back here. */
    s = find(handle, kind, TRUE);
    if (s && s->refs > (ULONG)s->open)
        object = unref(s, &k);
    else
        s = NULL;
    ReleaseSRWLockExclusive(&lock);
    destroy(k, object);
    return s != NULL;
}

BOOL pkg_handle_close(LSA_SEC_HANDLE handle, pkg_handle_kind kind)
{
    handle_slot *s;
    void *object = NULL;
    pkg_handle_kind k = kind;

    AcquireSRWLockExclusive(&lock);
    s = find(handle, kind, FALSE);
    if (s) {
        s->open = 0;
        object = unref(s, &k);
    }
    ReleaseSRWLockExclusive(&lock);
    destroy(k, object);
    return s != NULL;
}

void pkg_handles_close_all(void)
{
    for (ULONG i = 0; i < MAX_HANDLES; i++) {
        LSA_SEC_HANDLE h = 0;
        pkg_handle_kind kind = PKG_HANDLE_CREDENTIAL;
        AcquireSRWLockShared(&lock);
        if (slots[i].open) {
            kind = (pkg_handle_kind)slots[i].kind;
            h = make(kind, slots[i].generation, i);
        }
        ReleaseSRWLockShared(&lock);
        if (h)
            pkg_handle_close(h, kind);
    }
}
