/* host_server_pipe.c - the pipe lsahost serves on (host_server_pipe.h). */
#include "host_server_pipe.h"
#include "../../common/lsa_wire.h"

#include <sddl.h>
#include <stdio.h>

/* The pipe's DACL, protected from inheritance: SYSTEM and lsahost's own account may do
 * anything (adding instances included); authenticated users may connect. Remote
 * clients are refused by PIPE_REJECT_REMOTE_CLIENTS as well. */
static BOOL make_security(host_pipe_listener *l, char *why, size_t why_size)
{
    BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    TOKEN_USER *user = (TOKEN_USER *)buffer;
    HANDLE token;
    WCHAR *sid = NULL, sddl[256];
    DWORD got;
    BOOL ok;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        goto fail;
    ok = GetTokenInformation(token, TokenUser, buffer, sizeof(buffer), &got) &&
         ConvertSidToStringSidW(user->User.Sid, &sid);
    CloseHandle(token);
    if (!ok)
        goto fail;
    swprintf(sddl, sizeof(sddl) / sizeof(sddl[0]),
             L"D:P(A;;FA;;;SY)(A;;FA;;;%ls)(A;;0x%lx;;;AU)", sid,
             (unsigned long)HOST_PIPE_CLIENT_ACCESS);
    LocalFree(sid);
    if (ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &l->sd,
                                                             NULL))
        return TRUE;
fail:
    snprintf(why, why_size, "cannot make the pipe's security descriptor (error %lu)",
             GetLastError());
    return FALSE;
}

static HANDLE new_instance(host_pipe_listener *l, BOOL first)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), l->sd, FALSE };

    return CreateNamedPipeW(l->name,
                            PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED |
                                (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                            PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT |
                                PIPE_REJECT_REMOTE_CLIENTS,
                            PIPE_UNLIMITED_INSTANCES, LSA_WIRE_MAX_MESSAGE,
                            LSA_WIRE_MAX_MESSAGE, 0, &sa);
}

BOOL host_pipe_listen(host_pipe_listener *l, const WCHAR *name, char *why, size_t why_size)
{
    DWORD e;

    l->name = name;
    l->sd = NULL;
    if (!make_security(l, why, why_size))
        return FALSE;
    l->next = new_instance(l, TRUE);
    if (l->next != INVALID_HANDLE_VALUE) {
        DWORD instances = 0;
        /* Wine creates the instance even when another process holds the name (it
         * ignores FILE_FLAG_FIRST_PIPE_INSTANCE), so count: ours must be the only one. */
        if (GetNamedPipeHandleStateW(l->next, NULL, &instances, NULL, NULL, NULL, 0) &&
            instances == 1)
            return TRUE;
        snprintf(why, why_size, "the pipe %ls already exists (%lu instance(s) besides "
                 "ours): another process holds the name, and lsahost serves only a pipe it "
                 "created", name, instances ? instances - 1 : 0);
        CloseHandle(l->next);
        goto refuse;
    }
    e = GetLastError();
    /* Windows answers ERROR_ACCESS_DENIED when the name exists and the first-instance
     * flag is given (CreateNamedPipe's documentation); other errors are other reasons. */
    if (e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY || e == ERROR_ALREADY_EXISTS)
        snprintf(why, why_size, "the pipe %ls already exists: another process (or another "
                 "lsahost) holds the name, and lsahost serves only a pipe it created "
                 "(error %lu)", name, e);
    else
        snprintf(why, why_size, "cannot create the pipe %ls (error %lu)", name, e);
refuse:
    LocalFree(l->sd);
    l->sd = NULL;
    l->next = NULL;
    return FALSE;
}

/* Waits for an overlapped operation, a deadline, and an event to wake for. */
static host_pipe_result finish(HANDLE pipe, OVERLAPPED *o, BOOL started, DWORD *done,
                               DWORD timeout_ms, HANDLE wake)
{
    HANDLE waits[2] = { o->hEvent, wake };
    DWORD e = started ? ERROR_SUCCESS : GetLastError(), w;

    if (!started && e != ERROR_IO_PENDING)
        return e == ERROR_MORE_DATA ? HOST_PIPE_TOO_BIG : HOST_PIPE_CLOSED;
    w = WaitForMultipleObjects(wake ? 2 : 1, waits, FALSE, timeout_ms);
    if (w != WAIT_OBJECT_0) {
        CancelIoEx(pipe, o);
        /* The cancelled operation must be over before `o` goes out of scope. */
        GetOverlappedResult(pipe, o, done, TRUE);
        return w == WAIT_TIMEOUT ? HOST_PIPE_TIMEOUT : HOST_PIPE_WOKEN;
    }
    if (GetOverlappedResult(pipe, o, done, FALSE))
        return HOST_PIPE_OK;
    return GetLastError() == ERROR_MORE_DATA ? HOST_PIPE_TOO_BIG : HOST_PIPE_CLOSED;
}

HANDLE host_pipe_accept(host_pipe_listener *l, HANDLE stop, char *why, size_t why_size)
{
    OVERLAPPED o = { 0 };
    HANDLE connected, next;
    DWORD done;
    host_pipe_result r;

    o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!o.hEvent) {
        snprintf(why, why_size, "cannot create an event (error %lu)", GetLastError());
        return NULL;
    }
    if (ConnectNamedPipe(l->next, &o) || GetLastError() == ERROR_PIPE_CONNECTED)
        r = HOST_PIPE_OK;
    else
        r = finish(l->next, &o, FALSE, &done, INFINITE, stop);
    CloseHandle(o.hEvent);
    if (r == HOST_PIPE_WOKEN) {
        why[0] = 0;
        return NULL;
    }
    connected = l->next;
    /* The next instance exists before this one is handed on: a client thread that
     * closes its instance never leaves the name without one of ours. */
    next = new_instance(l, FALSE);
    if (next == INVALID_HANDLE_VALUE) {
        snprintf(why, why_size, "cannot create another instance of %ls (error %lu)", l->name,
                 GetLastError());
        DisconnectNamedPipe(connected);
        CloseHandle(connected);
        l->next = NULL;
        return NULL;
    }
    l->next = next;
    if (r != HOST_PIPE_OK) {
        /* The client went before it was connected: nothing to serve, keep listening. */
        DisconnectNamedPipe(connected);
        CloseHandle(connected);
        return INVALID_HANDLE_VALUE;
    }
    return connected;
}

void host_pipe_unlisten(host_pipe_listener *l)
{
    if (l->next)
        CloseHandle(l->next);
    LocalFree(l->sd);
    l->next = NULL;
    l->sd = NULL;
}

host_pipe_result host_pipe_read(HANDLE pipe, void *buf, DWORD cap, DWORD *got,
                                DWORD timeout_ms, HANDLE wake)
{
    OVERLAPPED o = { 0 };
    host_pipe_result r;

    *got = 0;
    o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!o.hEvent)
        return HOST_PIPE_CLOSED;
    r = finish(pipe, &o, ReadFile(pipe, buf, cap, NULL, &o), got, timeout_ms, wake);
    CloseHandle(o.hEvent);
    return r;
}

host_pipe_result host_pipe_write(HANDLE pipe, const void *buf, DWORD len, DWORD timeout_ms,
                                 HANDLE wake)
{
    OVERLAPPED o = { 0 };
    DWORD done = 0;
    host_pipe_result r;

    o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!o.hEvent)
        return HOST_PIPE_CLOSED;
    r = finish(pipe, &o, WriteFile(pipe, buf, len, NULL, &o), &done, timeout_ms, wake);
    CloseHandle(o.hEvent);
    return r == HOST_PIPE_OK && done != len ? HOST_PIPE_CLOSED : r;
}
