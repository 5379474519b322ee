/* host_failure_reason.c - SetSecpkgFailureReason / GetSecpkgFailureReason, the last two
 * LSA_SECPKG_FUNCTION_TABLE entries of current SDKs, which no page documents. From the
 * SDK's ntsecpkg.h (as the Windows metadata publishes it): Set takes one
 * SECPKG_FAILURE_REASON by value, Get a package id and a pointer to one; the structure is
 * an NTSTATUS and a SECPKG_FAILURE_SPECIAL_REASON (NoFailure 0 through NullSession 10),
 * 8 bytes. What lsass does with them is not published; lsahost keeps the plain reading:
 * a ledger of one reason per package, set by the package for itself (Set has no id: the
 * caller is the package lsahost's call context names) and read by anyone by id. A
 * package that set nothing reads as { STATUS_SUCCESS, NoFailure }. */
#include "host_callbacks.h"
#include "host_identity.h"
#include "../host_trace.h"

#define REASON_LAST 10 /* SecpkgFailureReason_NullSession */

static host_secpkg_failure_reason ledger[HOST_ACCOUNT_MAX_PACKAGES];
static SRWLOCK lock = SRWLOCK_INIT;

NTSTATUS NTAPI host_SetSecpkgFailureReason(host_secpkg_failure_reason Reason)
{
    ULONG id = host_call_package();
    NTSTATUS status = STATUS_SUCCESS;

    if (id >= HOST_ACCOUNT_MAX_PACKAGES) {
        status = STATUS_NO_SUCH_PACKAGE;
        host_say("SetSecpkgFailureReason called outside any call into a package: no package "
                 "to record it for: %s", host_status_name(status));
    } else if ((ULONG)Reason.Reason > REASON_LAST) {
        status = STATUS_INVALID_PARAMETER;
        host_say("SetSecpkgFailureReason refused: Reason %lu is no "
                 "SECPKG_FAILURE_SPECIAL_REASON (0 to %d): %s", (ULONG)Reason.Reason,
                 REASON_LAST, host_status_name(status));
    } else {
        AcquireSRWLockExclusive(&lock);
        ledger[id] = Reason;
        ReleaseSRWLockExclusive(&lock);
    }
    host_trace("SetSecpkgFailureReason(Status=%s, Reason=%lu) = %s [package %lu]",
               host_status_name(Reason.Status), (ULONG)Reason.Reason, host_status_name(status),
               id);
    return status;
}

NTSTATUS NTAPI host_GetSecpkgFailureReason(ULONG_PTR PackageId,
                                           host_secpkg_failure_reason *Reason)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!Reason || !host_memory_writable(Reason, sizeof(*Reason)))
        status = STATUS_INVALID_PARAMETER;
    else if (PackageId >= HOST_ACCOUNT_MAX_PACKAGES)
        status = STATUS_NO_SUCH_PACKAGE;
    else {
        AcquireSRWLockShared(&lock);
        *Reason = ledger[PackageId];
        ReleaseSRWLockShared(&lock);
    }
    host_trace("GetSecpkgFailureReason(PackageId=%llu, Reason=%p) = %s%s",
               (unsigned long long)PackageId, (void *)Reason, host_status_name(status),
               status == STATUS_SUCCESS ? "" : " (no such package, or an unwritable Reason)");
    return status;
}
