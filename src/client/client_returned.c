/* client_returned.c - the blocks lsahost allocated in this process (client_returned.h):
 * a list that grows, so an application may hold as many answers as it likes. */
#include "client_returned.h"

static void **returned;
static size_t count, capacity;
static SRWLOCK lock = SRWLOCK_INIT;

BOOL client_returned_remember(void *p)
{
    BOOL ok = TRUE;

    if (!p)
        return TRUE;
    AcquireSRWLockExclusive(&lock);
    if (count == capacity) {
        size_t more = capacity ? capacity * 2 : 64;
        void **grown = returned ? HeapReAlloc(GetProcessHeap(), 0, returned, more * sizeof(*returned))
                                : HeapAlloc(GetProcessHeap(), 0, more * sizeof(*returned));
        if (grown) {
            returned = grown;
            capacity = more;
        }
    }
    if (count < capacity)
        returned[count++] = p;
    else
        ok = FALSE;
    ReleaseSRWLockExclusive(&lock);
    return ok;
}

BOOL client_returned_holds(const void *p)
{
    BOOL found = FALSE;

    AcquireSRWLockShared(&lock);
    for (size_t i = 0; p && i < count && !found; i++)
        found = returned[i] == p;
    ReleaseSRWLockShared(&lock);
    return found;
}

BOOL client_returned_forget(void *p)
{
    BOOL found = FALSE;

    AcquireSRWLockExclusive(&lock);
    for (size_t i = 0; p && i < count && !found; i++) {
        if (returned[i] == p) {
            returned[i] = returned[--count];
            found = TRUE;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return found;
}
