/* host_server.c - lsahost serve: the LSA for client processes, over a named pipe.
 *
 * One thread per connected client; its requests are answered by host_server_requests.c.
 * A client that sends a malformed, oversized or unexpected message, says nothing within
 * the HELLO deadline, or does not take its answer within the write deadline is
 * disconnected with the reason logged, and the others go on. When a client goes (it
 * closed the pipe, it died, or it was dropped) everything it held is released through
 * the package: nothing it held outlives it.
 *
 * Who pays when lsahost is full: a process over its own quota of connections is
 * refused; when all connections are taken, the process holding the most (more than the
 * newcomer's process would) loses its longest-idle connection, else the newcomer is
 * refused. A refused or evicted client is told why (GOODBYE with a status), never left
 * hanging. The pipe itself is made by host_server_pipe.c. */
#include "host_server.h"
#include "../commands/host_commands.h"
#include "host_server_client.h"
#include "host_server_pipe.h"
#include "../host_trace.h"

#include <stdio.h>
#include <string.h>

static server_client **clients;      /* limits->max_connections slots */
static ULONG slots;
static SRWLOCK clients_lock = SRWLOCK_INIT;
static HANDLE stop_event;

host_serve_limits host_serve_default_limits(void)
{
    host_serve_limits l = {
        HOST_SERVE_DEFAULT_MAX_CONNECTIONS, HOST_SERVE_DEFAULT_CONNECTIONS_PER_PROCESS,
        HOST_SERVE_DEFAULT_CREDENTIALS_PER_PROCESS, HOST_SERVE_DEFAULT_CONTEXTS_PER_PROCESS,
        HOST_SERVE_DEFAULT_LOGONS_PER_PROCESS, HOST_SERVE_DEFAULT_HELLO_TIMEOUT_MS, HOST_SERVE_DEFAULT_WRITE_TIMEOUT_MS,
        HOST_SERVE_DEFAULT_CPU_MS_PER_SECOND,
    };
    return l;
}

/* GOODBYE, with the status that says why when lsahost sends a client away. Small
 * enough for the pipe's buffer, so it never waits for the client. */
static void say_goodbye(HANDLE pipe, SECURITY_STATUS why)
{
    BYTE bye[LSA_WIRE_HEADER_SIZE + 12];
    lsa_wire_writer w;

    lsa_wire_begin(&w, bye, sizeof(bye), LSA_WIRE_GOODBYE, 0);
    lsa_wire_put_u32(&w, LSA_FIELD_STATUS, (uint32_t)why);
    host_pipe_write(pipe, bye, (DWORD)lsa_wire_finish(&w), 0, NULL);
}

/* ---- A client's thread ----------------------------------------------------------------- */

/* The reason a read or write ended, into c->why (a hang-up needs none). */
static void say_why(server_client *c, host_pipe_result r, BOOL reading)
{
    if (r == HOST_PIPE_TIMEOUT && reading)
        snprintf(c->why, sizeof(c->why), "no HELLO within %lu ms", c->limits->hello_timeout_ms);
    else if (r == HOST_PIPE_TIMEOUT)
        snprintf(c->why, sizeof(c->why), "did not take its answer within %lu ms",
                 c->limits->write_timeout_ms);
    else if (r == HOST_PIPE_TOO_BIG)
        snprintf(c->why, sizeof(c->why), "a message larger than %u bytes",
                 (unsigned)LSA_WIRE_MAX_MESSAGE);
}

static DWORD WINAPI serve_client(void *arg)
{
    server_client *c = arg;
    lsa_wire_message m;
    host_pipe_result r;
    DWORD got;
    size_t n;

    host_client_set_current(&c->client);
    for (;;) {
        /* Before HELLO a client has a deadline; after it, it may be idle as long as it
         * likes (an application holding a context), within its process's quota. */
        r = host_pipe_read(c->pipe, c->in, sizeof(c->in), &got,
                           c->said_hello ? INFINITE : c->limits->hello_timeout_ms, c->wake);
        if (r != HOST_PIPE_OK) {
            say_why(c, r, TRUE);
            break;
        }
        InterlockedExchange64(&c->last_active, (LONG64)GetTickCount64());
        lsa_wire_result parsed = lsa_wire_parse(c->in, got, &m);
        if (parsed)
            snprintf(c->why, sizeof(c->why), "malformed message (%s)",
                     lsa_wire_result_text(parsed));
        BOOL stay = !parsed && server_answer(c, &m, &n);
        /* A CHANGE_PASSWORD carries two passwords: no request outlives its answer. */
        SecureZeroMemory(c->in, got);
        if (!stay)
            break;
        r = host_pipe_write(c->pipe, c->out, (DWORD)n, c->limits->write_timeout_ms, c->wake);
        if (r != HOST_PIPE_OK) {
            say_why(c, r, FALSE);
            break;
        }
        InterlockedExchange64(&c->last_active, (LONG64)GetTickCount64());
    }
    /* Woken: lsahost is stopping, or evicted the client; tell it, and leave the pipe to
     * be closed (not disconnected, which would discard the GOODBYE) by whoever woke us.
     * Otherwise hang up now, so a client blocked writing to us or reading from us
     * learns at once. */
    if (r == HOST_PIPE_WOKEN)
        say_goodbye(c->pipe, c->why[0] ? SEC_E_INSUFFICIENT_MEMORY
                                       : SEC_E_NO_AUTHENTICATING_AUTHORITY);
    else
        DisconnectNamedPipe(c->pipe);
    server_clean_up(c);
    host_client_set_current(NULL);
    return 0;
}

/* ---- Admitting clients ---------------------------------------------------------------- */

static void free_client(server_client *c)
{
    if (c->thread)
        CloseHandle(c->thread);
    if (c->wake)
        CloseHandle(c->wake);
    if (c->client.process)
        CloseHandle(c->client.process);
    if (c->process)
        server_process_leave(c->process);
    HeapFree(GetProcessHeap(), 0, c->creds);
    HeapFree(GetProcessHeap(), 0, c->contexts);
    HeapFree(GetProcessHeap(), 0, c->logons);
    CloseHandle(c->pipe);
    HeapFree(GetProcessHeap(), 0, c);
}

/* When every slot is taken: the connection to evict for a newcomer whose process
 * would then hold `newcomer` connections (the longest idle of the process holding the
 * most, when that is more than the newcomer's), or NULL. Call with clients_lock held. */
static server_client *choose_eviction(ULONG newcomer)
{
    server_client *victim = NULL;
    ULONG most = 0;

    for (ULONG i = 0; i < slots; i++) {
        server_client *c = clients[i];
        ULONG held;
        if (!c || c->why[0])
            continue;
        held = server_process_connections(c->process);
        if (held > most || (held == most && victim && c->last_active < victim->last_active)) {
            most = held;
            victim = c;
        }
    }
    return most > newcomer ? victim : NULL;
}

/* A free slot for a new client, evicting one when lsahost is full and someone holds
 * more than their share. -1 when the newcomer must be refused (why says so). */
static int find_slot(const server_process *newcomer, char *why, size_t why_size)
{
    server_client *victim;

    for (;;) {
        AcquireSRWLockExclusive(&clients_lock);
        for (ULONG i = 0; i < slots; i++) {
            if (!clients[i]) {
                ReleaseSRWLockExclusive(&clients_lock);
                return (int)i;
            }
        }
        victim = choose_eviction(server_process_connections(newcomer));
        if (victim) {
            snprintf(victim->why, sizeof(victim->why),
                     "evicted: lsahost is full (%lu connections) and process %lu holds %lu",
                     slots, victim->client.process_id, server_process_connections(victim->process));
            SetEvent(victim->wake);
        }
        ReleaseSRWLockExclusive(&clients_lock);
        if (!victim) {
            snprintf(why, why_size, "lsahost is full (%lu connections) and no process holds "
                     "more than its share", slots);
            return -1;
        }
        /* The victim's thread ends once it has said goodbye and cleaned up. */
        WaitForSingleObject(victim->thread, INFINITE);
        AcquireSRWLockExclusive(&clients_lock);
        for (ULONG i = 0; i < slots; i++)
            if (clients[i] == victim)
                clients[i] = NULL;
        ReleaseSRWLockExclusive(&clients_lock);
        free_client(victim);
    }
}

/* Takes the connected pipe on as a client, or refuses it with a reason. */
static void admit(const host_serve_limits *limits, HANDLE pipe,
                  ULONG number)
{
    server_client *c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
    char why[160] = "";
    ULONG pid = 0;
    int slot;

    if (!c) {
        CloseHandle(pipe);
        return;
    }
    c->pipe = pipe;
    c->client.pipe = pipe;
    c->limits = limits;
    c->client.number = number;
    GetNamedPipeClientProcessId(pipe, &pid);
    c->client.process_id = pid;
    c->last_active = (LONG64)GetTickCount64();
    c->process = server_process_join(pid, limits, why, sizeof(why));
    if (c->process && (slot = find_slot(c->process, why, sizeof(why))) >= 0) {
        c->client.process = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ |
                                            PROCESS_VM_WRITE | PROCESS_DUP_HANDLE |
                                            PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE,
                                        FALSE, pid);
        c->creds = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                             limits->max_credentials_per_process * sizeof(server_handle));
        c->contexts = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                limits->max_contexts_per_process * sizeof(server_handle));
        c->logons = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                              limits->max_logons_per_process * sizeof(server_logon));
        c->wake = CreateEventW(NULL, TRUE, FALSE, NULL);
        if (!c->client.process)
            snprintf(why, sizeof(why), "cannot open process %lu (error %lu)", pid,
                     GetLastError());
        else if (!c->creds || !c->contexts || !c->logons || !c->wake ||
                 !(c->thread = CreateThread(NULL, 0, serve_client, c, CREATE_SUSPENDED, NULL)))
            snprintf(why, sizeof(why), "out of resources (error %lu)", GetLastError());
        if (!why[0]) {
            AcquireSRWLockExclusive(&clients_lock);
            clients[slot] = c;
            ReleaseSRWLockExclusive(&clients_lock);
            host_say("client %lu connected: process %lu", number, pid);
            ResumeThread(c->thread);
            return;
        }
    }
    host_say("client %lu (process %lu) refused: %s", number, pid, why);
    say_goodbye(pipe, SEC_E_INSUFFICIENT_MEMORY);
    free_client(c);
}

/* Joins the threads of clients that have gone; all of them (after waking them) when
 * `all`. Returns how many were joined. */
static ULONG reap(BOOL all)
{
    ULONG reaped = 0;

    for (ULONG i = 0; i < slots; i++) {
        server_client *c;
        AcquireSRWLockExclusive(&clients_lock);
        c = clients[i];
        if (c && (all || WaitForSingleObject(c->thread, 0) == WAIT_OBJECT_0))
            clients[i] = NULL;
        else
            c = NULL;
        ReleaseSRWLockExclusive(&clients_lock);
        if (c) {
            SetEvent(c->wake);
            WaitForSingleObject(c->thread, INFINITE);
            free_client(c);
            reaped++;
        }
    }
    return reaped;
}

/* ---- The listening loop ---------------------------------------------------------------- */

static BOOL WINAPI on_console_event(DWORD event)
{
    (void)event;
    SetEvent(stop_event);
    return TRUE;
}

/* --exit-after: waits for the clients still connected to go (or for a stop request). */
static void wait_for_clients(void)
{
    for (ULONG i = 0; i < slots; i++) {
        server_client *c;
        AcquireSRWLockShared(&clients_lock);
        c = clients[i];
        ReleaseSRWLockShared(&clients_lock);
        if (c) {
            HANDLE waits[2] = { c->thread, stop_event };
            WaitForMultipleObjects(2, waits, FALSE, INFINITE);
        }
    }
}

int host_serve(const WCHAR *pipe_name, ULONG exit_after,
               const host_serve_limits *limits)
{
    host_pipe_listener listener;
    ULONG number = 0, finished = 0;
    char why[256], names[320] = "";

    if (!host_pipe_listen(&listener, pipe_name, why, sizeof(why))) {
        host_say("cannot serve: %s", why);
        return HOST_EXIT_COMMAND_FAILED;
    }
    slots = limits->max_connections;
    clients = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, slots * sizeof(*clients));
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!clients || !stop_event) {
        host_say("cannot serve: out of memory");
        host_pipe_unlisten(&listener);
        return HOST_EXIT_COMMAND_FAILED;
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);
    for (ULONG id = 0, at = 0; id < host_packages_count() && at < 250; id++)
        at += (ULONG)snprintf(names + at, sizeof(names) - at, "%s%.64ls", id ? ", " : "",
                              host_secpkg_name(host_packages_by_id(id)));
    host_say("serving %s on %ls (%lu connections; per process %lu connections, %lu "
             "credentials, %lu contexts, %lu logon sessions, %lu ms of CPU a second)", names,
             pipe_name, slots, limits->max_connections_per_process,
             limits->max_credentials_per_process, limits->max_contexts_per_process,
             limits->max_logons_per_process, limits->cpu_ms_per_second);
    fflush(stdout);
    while (WaitForSingleObject(stop_event, 0) == WAIT_TIMEOUT) {
        HANDLE pipe = host_pipe_accept(&listener, stop_event, why, sizeof(why));

        finished += reap(FALSE);
        if (!pipe) {
            if (why[0])
                host_say("stopped listening: %s", why);
            break;
        }
        if (pipe == INVALID_HANDLE_VALUE)
            continue;
        admit(limits, pipe, ++number);
        /* --exit-after: stop listening after that many clients, serve them, then stop. */
        if (exit_after && number >= exit_after)
            break;
    }
    host_pipe_unlisten(&listener);
    if (exit_after && number >= exit_after && WaitForSingleObject(stop_event, 0) == WAIT_TIMEOUT)
        wait_for_clients();
    finished += reap(TRUE);
    host_say("stopped after %lu client(s)", finished);
    CloseHandle(stop_event);
    HeapFree(GetProcessHeap(), 0, clients);
    return 0;
}
