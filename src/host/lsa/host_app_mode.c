/* host_app_mode.c - GetAppModeInfo / SetAppModeInfo: the "app mode" information of the
 * current call. Microsoft documents only their prototypes (ntsecpkg.h: a user function
 * number, two arguments, a SecBuffer of user data and a ReturnToLsa flag), not what lsass
 * does with them.
 *
 * What lsahost does: the information belongs to the call in progress on the thread.
 * SetAppModeInfo records it (the SecBuffer descriptor as given: its memory is the
 * package's and is not read); GetAppModeInfo returns what was set in this call, or all
 * zeros when nothing was; both outside a call: STATUS_NOT_FOUND, as GetExtendedCallFlags.
 * When the call returns the information is dropped, and --trace says so: lsahost passes it
 * to no client. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "../host_trace.h"

#include <string.h>

typedef struct app_mode {
    BOOL set;
    ULONG function;
    ULONG_PTR argument1, argument2;
    SecBuffer user_data; /* the descriptor; cbBuffer 0 and pvBuffer NULL when none */
    BOOLEAN return_to_lsa;
} app_mode;

static __thread app_mode current;

NTSTATUS NTAPI host_SetAppModeInfo(ULONG UserFunction, ULONG_PTR Argument1, ULONG_PTR Argument2,
                                   PSecBuffer UserData, BOOLEAN ReturnToLsa)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!host_call_current())
        status = STATUS_NOT_FOUND;
    else if (UserData && !host_memory_readable(UserData, sizeof(*UserData)))
        status = STATUS_INVALID_PARAMETER;
    else {
        memset(&current, 0, sizeof(current));
        current.set = TRUE;
        current.function = UserFunction;
        current.argument1 = Argument1;
        current.argument2 = Argument2;
        if (UserData)
            current.user_data = *UserData;
        current.return_to_lsa = ReturnToLsa;
    }
    host_trace("SetAppModeInfo(UserFunction=%lu, Argument1=%#llx, Argument2=%#llx, UserData=%p, "
               "ReturnToLsa=%u) = %s%s", UserFunction, (unsigned long long)Argument1,
               (unsigned long long)Argument2, (void *)UserData, ReturnToLsa,
               host_status_name(status),
               status == STATUS_NOT_FOUND ? " (outside a call)"
               : status ? " (UserData is not readable)" : "");
    return status;
}

NTSTATUS NTAPI host_GetAppModeInfo(PULONG UserFunction, PULONG_PTR Argument1,
                                   PULONG_PTR Argument2, PSecBuffer UserData,
                                   PBOOLEAN ReturnToLsa)
{
    NTSTATUS status = STATUS_SUCCESS;

    /* Every output is optional; each one given must be writable before any is written. */
    if (!host_call_current())
        status = STATUS_NOT_FOUND;
    else if ((UserFunction && !host_memory_writable(UserFunction, sizeof(*UserFunction))) ||
             (Argument1 && !host_memory_writable(Argument1, sizeof(*Argument1))) ||
             (Argument2 && !host_memory_writable(Argument2, sizeof(*Argument2))) ||
             (UserData && !host_memory_writable(UserData, sizeof(*UserData))) ||
             (ReturnToLsa && !host_memory_writable(ReturnToLsa, sizeof(*ReturnToLsa))))
        status = STATUS_INVALID_PARAMETER;
    else {
        if (UserFunction)
            *UserFunction = current.function;
        if (Argument1)
            *Argument1 = current.argument1;
        if (Argument2)
            *Argument2 = current.argument2;
        if (UserData)
            *UserData = current.user_data;
        if (ReturnToLsa)
            *ReturnToLsa = current.return_to_lsa;
    }
    host_trace("GetAppModeInfo(...) = %s%s", host_status_name(status),
               status == STATUS_NOT_FOUND ? " (outside a call)"
               : status ? " (an output is not writable memory)"
               : current.set ? ", what this call set" : ", none set in this call");
    return status;
}

void host_app_mode_call_ended(void)
{
    if (current.set)
        host_trace("app-mode info (UserFunction %lu) set during %s dropped at its end: "
                   "lsahost passes it to no client", current.function, host_call_current());
    memset(&current, 0, sizeof(current));
}
