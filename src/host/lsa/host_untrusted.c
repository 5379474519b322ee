/* host_untrusted.c - reading memory a package hands the LSA: is it readable, is a SID
 * well formed, what does a string say. A package's pointers are checked before every
 * read, so a malformed structure gets a status and a sentence, never a crash. */
#include "host_identity.h"

#include <sddl.h>
#include <stdio.h>

/* Whether every page of [p, p+size) is committed, not a guard page, and has one of the
 * `allowed` protections. */
static BOOL memory_allows(const void *p, SIZE_T size, DWORD allowed)
{
    const BYTE *at = p, *end = at + size;
    MEMORY_BASIC_INFORMATION mbi;

    if (!p || end < at)
        return FALSE;
    while (at < end) {
        if (!VirtualQuery(at, &mbi, sizeof(mbi)) || mbi.State != MEM_COMMIT ||
            (mbi.Protect & PAGE_GUARD) || !(mbi.Protect & allowed))
            return FALSE;
        at = (const BYTE *)mbi.BaseAddress + mbi.RegionSize;
    }
    return TRUE;
}

#define WRITABLE (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | \
                  PAGE_EXECUTE_WRITECOPY)

BOOL host_memory_readable(const void *p, SIZE_T size)
{
    return memory_allows(p, size,
                         WRITABLE | PAGE_READONLY | PAGE_EXECUTE | PAGE_EXECUTE_READ);
}

BOOL host_memory_writable(void *p, SIZE_T size)
{
    return memory_allows(p, size, WRITABLE);
}

/* A SID is a revision byte, a count of sub-authorities (at most 15), a 6-byte authority
 * and the sub-authorities, 4 bytes each (winnt.h's SID). */
NTSTATUS host_sid_check(PSID sid)
{
    const BYTE *head = sid;

    if (!host_memory_readable(sid, 8))
        return STATUS_ACCESS_VIOLATION;
    if (head[0] != SID_REVISION || head[1] > SID_MAX_SUB_AUTHORITIES)
        return STATUS_INVALID_SID;
    if (!host_memory_readable(sid, 8 + 4 * (SIZE_T)head[1]))
        return STATUS_ACCESS_VIOLATION;
    return IsValidSid(sid) ? STATUS_SUCCESS : STATUS_INVALID_SID;
}

void host_sid_format(PSID sid, char *out, size_t size)
{
    char *text = NULL;
    NTSTATUS status = host_sid_check(sid);

    if (status == STATUS_ACCESS_VIOLATION)
        snprintf(out, size, "(SID at %p unreadable)", sid);
    else if (status != STATUS_SUCCESS)
        snprintf(out, size, "(malformed SID at %p)", sid);
    else if (ConvertSidToStringSidA(sid, &text)) {
        snprintf(out, size, "%s", text);
        LocalFree(text);
    } else
        snprintf(out, size, "(SID at %p)", sid);
}

const char *host_luid_format(const LUID *id, char out[24])
{
    if (!id)
        snprintf(out, 24, "(none)");
    else if (!host_memory_readable(id, sizeof(*id)))
        snprintf(out, 24, "(unreadable)");
    else
        snprintf(out, 24, "%08lx:%08lx", (unsigned long)id->HighPart, id->LowPart);
    return out;
}

NTSTATUS host_unicode_check(const UNICODE_STRING *s, const char *member, char *why,
                            size_t why_size)
{
    if (!host_memory_readable(s, sizeof(*s))) {
        snprintf(why, why_size, "%s is not readable memory", member);
        return STATUS_ACCESS_VIOLATION;
    }
    if (s->Length > s->MaximumLength || (s->Length & 1)) {
        snprintf(why, why_size, "%s has Length %u and MaximumLength %u (a UNICODE_STRING's "
                 "Length is even and at most its MaximumLength)", member, s->Length,
                 s->MaximumLength);
        return STATUS_INVALID_PARAMETER;
    }
    if (s->Length && !host_memory_readable(s->Buffer, s->Length)) {
        snprintf(why, why_size, "%s's %u bytes at %p are not readable memory", member,
                 s->Length, (void *)s->Buffer);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

void host_unicode_format(const UNICODE_STRING *s, char *out, size_t size)
{
    int n;

    if (!s) {
        snprintf(out, size, "(none)");
        return;
    }
    if (!host_memory_readable(s, sizeof(*s)) || (s->Length && !host_memory_readable(s->Buffer, s->Length))) {
        snprintf(out, size, "(unreadable)");
        return;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, s->Buffer, s->Length / sizeof(WCHAR), out,
                            (int)size - 1, NULL, NULL);
    out[n > 0 ? n : 0] = '\0';
}

const char *host_wstring_read(const WCHAR *s, size_t max_chars, char *out, size_t size)
{
    ULONG_PTR checked_page = 0;
    size_t n;
    int written;

    out[0] = '\0';
    if (!s)
        return "NULL";
    for (n = 0;; n++) {
        /* Each page the string reaches is checked before a character is read from it. */
        ULONG_PTR page = ((ULONG_PTR)(s + n) + sizeof(WCHAR) - 1) & ~(ULONG_PTR)4095;
        if (n == max_chars)
            return "not terminated within the characters lsahost reads";
        if (page != checked_page) {
            if (!host_memory_readable(s + n, sizeof(WCHAR)))
                return n ? "runs into unreadable memory before its terminating NUL"
                         : "points to unreadable memory";
            checked_page = page;
        }
        if (!s[n])
            break;
    }
    written = n ? WideCharToMultiByte(CP_UTF8, 0, s, (int)n, out, (int)size - 1, NULL, NULL) : 0;
    out[written > 0 ? written : 0] = '\0';
    return NULL;
}
