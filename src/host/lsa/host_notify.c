/* host_notify.c - RegisterNotification / CancelNotification: each notification runs on
 * a thread of lsahost's own, which calls the package's function:
 *   NOTIFIER_TYPE_INTERVAL     every IntervalMinutes minutes (seconds with
 *                              NOTIFIER_FLAG_SECONDS);
 *   NOTIFIER_TYPE_HANDLE_WAIT  each time WaitEvent is signalled (an auto-reset event
 *                              fires once per SetEvent; a manual-reset one until reset);
 *   NOTIFIER_TYPE_IMMEDIATE    once, now;
 *   NOTIFIER_TYPE_STATE_CHANGE, NOTIFIER_TYPE_NOTIFY_EVENT
 *                              registered, but lsahost raises no package, role, domain
 *                              or registry change, so they never fire.
 * NOTIFIER_FLAG_ONE_SHOT fires at most once. CancelNotification returns after a running
 * callback finished (unless the callback cancels itself), and the notification never
 * fires again; after SpShutdown, unload cancels the rest and waits for their callbacks. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "../host_trace.h"

#include <string.h>

#define MAX_NOTIFICATIONS 256
/* Handles are numbers, not pointers, so a stale or forged one is simply unknown. */
#define HANDLE_BASE 0x4e000000u

typedef struct notification {
    ULONG number;
    SEC_THREAD_START start;
    PVOID parameter;
    ULONG type, flags;
    DWORD period_ms;       /* INFINITE when not an interval */
    HANDLE wait;           /* lsahost's duplicate of WaitEvent, or NULL */
    HANDLE cancel;         /* set to stop the thread */
    HANDLE thread;
    DWORD thread_id;
    volatile LONG fired;
    BOOL cancelled;        /* cancelled by its own callback: the thread ends on its own */
    ULONG owner;           /* the package that registered it (host_call_package) */
} notification;

static notification *table[MAX_NOTIFICATIONS];
static ULONG serial;
static SRWLOCK lock = SRWLOCK_INIT;

static void fire(notification *n)
{
    DWORD result;

    InterlockedIncrement(&n->fired);
    host_trace("notification %#lx fires (call %ld)", HANDLE_BASE + n->number, n->fired);
    result = n->start(n->parameter);
    host_trace("notification %#lx returned %lu", HANDLE_BASE + n->number, result);
}

static DWORD WINAPI run(void *arg)
{
    notification *n = arg;
    HANDLE objects[2] = { n->cancel, n->wait };
    DWORD count = n->wait ? 2 : 1;

    if (n->type == NOTIFIER_TYPE_IMMEDIATE) {
        if (WaitForSingleObject(n->cancel, 0) != WAIT_OBJECT_0)
            fire(n);
        return 0;
    }
    for (;;) {
        DWORD r = WaitForMultipleObjects(count, objects, FALSE, n->period_ms);
        /* Cancelled, now or while the wait ended for another reason: never fire again. */
        if (r == WAIT_OBJECT_0 || r == WAIT_FAILED ||
            WaitForSingleObject(n->cancel, 0) == WAIT_OBJECT_0)
            break;
        fire(n);
        if (n->flags & NOTIFIER_FLAG_ONE_SHOT)
            break;
    }
    return 0;
}

static void destroy(notification *n)
{
    if (n->wait)
        CloseHandle(n->wait);
    CloseHandle(n->cancel);
    CloseHandle(n->thread);
    HeapFree(GetProcessHeap(), 0, n);
}

static const char *refusal(SEC_THREAD_START start, ULONG type, ULONG flags, ULONG interval,
                           HANDLE event)
{
    if (!start)
        return "StartFunction is NULL";
    switch (type) {
    case NOTIFIER_TYPE_INTERVAL:
        if (!interval)
            return "an interval notification with IntervalMinutes 0";
        if (!(flags & NOTIFIER_FLAG_SECONDS) && interval > INFINITE / 60000 - 1)
            return "IntervalMinutes too large for a timer";
        return NULL;
    case NOTIFIER_TYPE_HANDLE_WAIT:
        return event ? NULL : "a handle-wait notification with no WaitEvent";
    case NOTIFIER_TYPE_IMMEDIATE:
    case NOTIFIER_TYPE_STATE_CHANGE:
    case NOTIFIER_TYPE_NOTIFY_EVENT:
        return NULL;
    default:
        return "an unknown NotificationType";
    }
}

HANDLE NTAPI host_RegisterNotification(SEC_THREAD_START StartFunction, PVOID Parameter,
                                       ULONG NotificationType, ULONG NotificationClass,
                                       ULONG NotificationFlags, ULONG IntervalMinutes,
                                       HANDLE WaitEvent)
{
    const char *why = refusal(StartFunction, NotificationType, NotificationFlags,
                              IntervalMinutes, WaitEvent);
    notification *n = NULL;
    ULONG slot = MAX_NOTIFICATIONS;

    if (why)
        goto refuse;
    n = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*n));
    if (!n || !(n->cancel = CreateEventW(NULL, TRUE, FALSE, NULL))) {
        why = "out of memory";
        goto refuse;
    }
    n->start = StartFunction;
    n->parameter = Parameter;
    n->owner = host_call_package();
    n->type = NotificationType;
    n->flags = NotificationFlags;
    n->period_ms = NotificationType != NOTIFIER_TYPE_INTERVAL ? INFINITE
                   : NotificationFlags & NOTIFIER_FLAG_SECONDS ? IntervalMinutes * 1000u
                                                               : IntervalMinutes * 60000u;
    if (NotificationType == NOTIFIER_TYPE_HANDLE_WAIT &&
        !DuplicateHandle(GetCurrentProcess(), WaitEvent, GetCurrentProcess(), &n->wait,
                         SYNCHRONIZE, FALSE, 0)) {
        why = "WaitEvent is not a handle lsahost can wait on";
        goto refuse;
    }
    AcquireSRWLockExclusive(&lock);
    for (slot = 0; slot < MAX_NOTIFICATIONS && table[slot]; slot++)
        ;
    if (slot < MAX_NOTIFICATIONS) {
        n->number = ++serial;
        n->thread = CreateThread(NULL, 0, run, n, CREATE_SUSPENDED, &n->thread_id);
        if (n->thread)
            table[slot] = n;
    }
    ReleaseSRWLockExclusive(&lock);
    if (slot == MAX_NOTIFICATIONS || !n->thread) {
        why = slot == MAX_NOTIFICATIONS ? "too many notifications" : "no thread for it";
        goto refuse;
    }
    ResumeThread(n->thread);
    host_trace("RegisterNotification(type %lu, class %lu, flags %#lx, interval %lu) = %#lx",
               NotificationType, NotificationClass, NotificationFlags, IntervalMinutes,
               HANDLE_BASE + n->number);
    return (HANDLE)(ULONG_PTR)(HANDLE_BASE + n->number);

refuse:
    if (n) {
        if (n->wait)
            CloseHandle(n->wait);
        if (n->cancel)
            CloseHandle(n->cancel);
        HeapFree(GetProcessHeap(), 0, n);
    }
    host_say("RegisterNotification refused: %s (type %lu, flags %#lx): NULL", why,
             NotificationType, NotificationFlags);
    return NULL;
}

/* Stops n's thread; waits for it unless this is that thread. TRUE when n can go. */
static BOOL stop(notification *n)
{
    SetEvent(n->cancel);
    if (GetCurrentThreadId() == n->thread_id)
        return FALSE;
    WaitForSingleObject(n->thread, INFINITE);
    return TRUE;
}

NTSTATUS NTAPI host_CancelNotification(HANDLE NotifyHandle)
{
    ULONG_PTR value = (ULONG_PTR)NotifyHandle;
    notification *n = NULL;
    LONG fired;
    ULONG slot;

    AcquireSRWLockExclusive(&lock);
    for (slot = 0; slot < MAX_NOTIFICATIONS; slot++)
        if (table[slot] && !table[slot]->cancelled && HANDLE_BASE + table[slot]->number == value) {
            n = table[slot];
            n->cancelled = TRUE;
            break;
        }
    ReleaseSRWLockExclusive(&lock);
    if (!n) {
        host_say("CancelNotification(%p): no such notification (never registered, or "
                 "cancelled already): STATUS_INVALID_HANDLE", (void *)NotifyHandle);
        return STATUS_INVALID_HANDLE;
    }
    fired = n->fired;
    /* Outside the lock: the callback being waited for may register or cancel. */
    if (stop(n)) {
        AcquireSRWLockExclusive(&lock);
        table[slot] = NULL;
        ReleaseSRWLockExclusive(&lock);
        destroy(n);
    }
    host_trace("CancelNotification(%p) = STATUS_SUCCESS, after %ld call(s)", (void *)NotifyHandle,
               fired);
    return STATUS_SUCCESS;
}

/* Stops the notifications of package `owner` (HOST_PACKAGE_NONE: all), waiting for
 * their running callbacks; returns how many the package had not cancelled. */
static ULONG stop_owned(ULONG owner)
{
    ULONG stopped = 0;

    for (ULONG slot = 0; slot < MAX_NOTIFICATIONS; slot++) {
        notification *n;
        AcquireSRWLockExclusive(&lock);
        n = table[slot];
        if (n && owner != HOST_PACKAGE_NONE && n->owner != owner)
            n = NULL;
        else
            table[slot] = NULL;
        ReleaseSRWLockExclusive(&lock);
        if (!n)
            continue;
        if (!n->cancelled) {
            host_trace("unload: notification %#lx cancelled by lsahost after %ld call(s)",
                       HANDLE_BASE + n->number, n->fired);
            stopped++;
        }
        /* Its own callback's thread cannot wait for itself: that one ends on its own. */
        if (stop(n))
            destroy(n);
    }
    return stopped;
}

void host_notifications_stop_all(void)
{
    stop_owned(HOST_PACKAGE_NONE);
}

ULONG host_notifications_stop_package(ULONG id)
{
    return stop_owned(id);
}
