/* pkg_store.c - the verifier store: a text file of users (format in
 * src/common/scram_store.h), held in memory and reloaded when the file changes.
 *
 * Where it lives: the environment variable SSPKG_VERIFIER_STORE, else the value
 * VerifierStore (REG_SZ) under HKLM\SYSTEM\CurrentControlSet\Control\Lsa\SCRAM-SHA-256,
 * else %ProgramData%\sspkg\verifiers.txt.
 *
 * Updates are atomic on disk: the new store is written to a temporary file beside the
 * old one, flushed, and renamed over it (MoveFileEx with MOVEFILE_REPLACE_EXISTING |
 * MOVEFILE_WRITE_THROUGH). A process killed at any point leaves the old store or the
 * new one. A lock file serialises writers in different processes, and each update
 * re-reads the store under that lock, so no update is lost. */
#include "pkg.h"
#include "../common/scram_msg.h"
#include "../common/scram_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define MAX_STORE_BYTES (16u * 1024 * 1024)

typedef struct store {
    scram_store_entry *users;          /* sorted by name (bytewise) */
    size_t count, capacity;
    uint8_t secret[SCRAM_STORE_SECRET_LEN];
    BOOL secret_from_file;
} store;

static SRWLOCK lock = SRWLOCK_INIT;
static store current;
static FILETIME loaded_write_time;
static BOOL loaded;
static WCHAR path[MAX_PATH];

/* The sentence goes to the caller's own buffer (calls run on many threads at once) and
 * to the debugger. */
static void set_error(pkg_store_error *error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(error->text, sizeof(error->text), fmt, ap);
    va_end(ap);
    OutputDebugStringA(error->text);
}

static void find_path(void)
{
    static const WCHAR key[] = L"SYSTEM\\CurrentControlSet\\Control\\Lsa\\SCRAM-SHA-256";
    DWORD size = sizeof(path), n;

    n = GetEnvironmentVariableW(L"SSPKG_VERIFIER_STORE", path, MAX_PATH);
    if (n > 0 && n < MAX_PATH)
        return;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"VerifierStore", RRF_RT_REG_SZ, NULL, path,
                     &size) == ERROR_SUCCESS && path[0])
        return;
    n = GetEnvironmentVariableW(L"ProgramData", path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH - 32)
        wcscpy(path, L"C:\\ProgramData");
    wcscat(path, L"\\sspkg\\verifiers.txt");
}

static void store_free(store *s)
{
    if (s->users) {
        scram_wipe(s->users, s->capacity * sizeof(*s->users));
        pkg_free(s->users);
    }
    scram_wipe(s, sizeof(*s));
}

/* Index of name, or where it would go (*found 0). */
static size_t store_find(const store *s, const char *name, size_t len, int *found)
{
    size_t lo = 0, hi = s->count;

    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const scram_store_entry *e = &s->users[mid];
        size_t n = e->name_len < len ? e->name_len : len;
        int c = memcmp(e->name, name, n);
        if (c == 0)
            c = e->name_len < len ? -1 : e->name_len > len;
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static NTSTATUS store_put(store *s, const scram_store_entry *e, int replace)
{
    int found;
    size_t at = store_find(s, e->name, e->name_len, &found);

    if (found) {
        if (!replace)
            return STATUS_OBJECT_NAME_COLLISION;
        s->users[at] = *e;
        return STATUS_SUCCESS;
    }
    if (s->count == s->capacity) {
        size_t cap = s->capacity ? s->capacity * 2 : 16;
        scram_store_entry *grown = pkg_alloc(cap * sizeof(*grown));
        if (!grown)
            return STATUS_NO_MEMORY;
        if (s->count) {
            memcpy(grown, s->users, s->count * sizeof(*grown));
            scram_wipe(s->users, s->capacity * sizeof(*grown));
            pkg_free(s->users);
        }
        s->users = grown;
        s->capacity = cap;
    }
    memmove(&s->users[at + 1], &s->users[at], (s->count - at) * sizeof(*e));
    s->users[at] = *e;
    s->count++;
    return STATUS_SUCCESS;
}

static int visit_user(void *context, const scram_store_entry *e, const char **why)
{
    NTSTATUS status = store_put(context, e, 0);

    if (status == STATUS_OBJECT_NAME_COLLISION) {
        *why = "this user already has a line above";
        return -1;
    }
    return status == STATUS_SUCCESS ? 0 : 1;
}

static int visit_secret(void *context, const uint8_t secret[SCRAM_STORE_SECRET_LEN],
                        const char **why)
{
    store *s = context;

    if (s->secret_from_file) {
        *why = "a second @secret line";
        return -1;
    }
    memcpy(s->secret, secret, SCRAM_STORE_SECRET_LEN);
    s->secret_from_file = TRUE;
    return 0;
}

/* Reads the file into *s. A missing file is an empty store. */
static NTSTATUS store_read(store *s, FILETIME *write_time, pkg_store_error *error)
{
    static const scram_store_visitor visitor_shape = { NULL, visit_user, visit_secret };
    scram_store_visitor visitor = visitor_shape;
    WIN32_FILE_ATTRIBUTE_DATA attr;
    HANDLE file;
    char *text = NULL;
    DWORD got = 0;
    size_t bad_line;
    const char *why;
    NTSTATUS status = STATUS_SUCCESS;
    int r;

    memset(s, 0, sizeof(*s));
    memset(write_time, 0, sizeof(*write_time));
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
            return STATUS_SUCCESS;
        set_error(error, "cannot open the verifier store %ls (error %lu)", path, e);
        return STATUS_ACCESS_DENIED;
    }
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &attr) || attr.nFileSizeHigh ||
        attr.nFileSizeLow > MAX_STORE_BYTES) {
        set_error(error, "the verifier store %ls is larger than 16 MiB", path);
        status = STATUS_FILE_TOO_LARGE;
        goto done;
    }
    *write_time = attr.ftLastWriteTime;
    text = pkg_alloc(attr.nFileSizeLow + 1);
    if (!text) {
        set_error(error, "no memory to read the verifier store %ls", path);
        status = STATUS_NO_MEMORY;
        goto done;
    }
    if (!ReadFile(file, text, attr.nFileSizeLow, &got, NULL) || got != attr.nFileSizeLow) {
        set_error(error, "cannot read the verifier store %ls (error %lu)", path, GetLastError());
        status = STATUS_UNEXPECTED_IO_ERROR;
        goto done;
    }
    visitor.context = s;
    r = scram_store_parse(text, got, &visitor, &bad_line, &why);
    if (r == -1) {
        set_error(error, "%ls line %zu: %s", path, bad_line, why);
        status = STATUS_FILE_CORRUPT_ERROR;
    } else if (r) {
        set_error(error, "no memory to hold the verifier store %ls", path);
        status = STATUS_NO_MEMORY;
    }
done:
    if (text) {
        scram_wipe(text, attr.nFileSizeLow + 1);
        pkg_free(text);
    }
    CloseHandle(file);
    if (status != STATUS_SUCCESS)
        store_free(s);
    return status;
}

/* Brings `current` up to date with the file. Call with the lock held exclusively. */
static NTSTATUS refresh(pkg_store_error *error)
{
    WIN32_FILE_ATTRIBUTE_DATA attr;
    FILETIME none = { 0, 0 }, t;
    const FILETIME *now = &none;
    uint8_t secret[SCRAM_STORE_SECRET_LEN];
    store fresh;
    NTSTATUS status;

    if (GetFileAttributesExW(path, GetFileExInfoStandard, &attr))
        now = &attr.ftLastWriteTime;
    if (loaded && !memcmp(now, &loaded_write_time, sizeof(*now)))
        return STATUS_SUCCESS;
    status = store_read(&fresh, &t, error);
    if (status != STATUS_SUCCESS)
        return status;
    /* A store with no @secret keeps the secret this process drew, so decoy salts stay
     * the same until the next update writes it down. */
    memcpy(secret, current.secret, sizeof(secret));
    store_free(&current);
    current = fresh;
    if (!current.secret_from_file)
        memcpy(current.secret, secret, sizeof(secret));
    scram_wipe(secret, sizeof(secret));
    loaded_write_time = t;
    loaded = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS pkg_store_start(void)
{
    NTSTATUS status;

    find_path();
    AcquireSRWLockExclusive(&lock);
    status = pkg_random(current.secret, sizeof(current.secret));
    ReleaseSRWLockExclusive(&lock);
    /* A broken store does not stop the package: lookups report it until it is fixed. */
    return status;
}

void pkg_store_stop(void)
{
    AcquireSRWLockExclusive(&lock);
    store_free(&current);
    loaded = FALSE;
    ReleaseSRWLockExclusive(&lock);
}

/* Decoy verifier for a name not in the store: salt and keys are HMACs of the name
 * under the server secret, so the same unknown name always gets the same salt. */
static NTSTATUS decoy(const char *name, size_t len, scram_verifier *out)
{
    char input[SCRAM_MAX_NAME + 16];
    uint8_t mac[SCRAM_HASH_LEN];
    NTSTATUS status = STATUS_SUCCESS;

    memset(out, 0, sizeof(*out));
    memcpy(input, "salt:", 5);
    memcpy(input + 5, name, len);
    if (pkg_crypto.hmac(NULL, current.secret, SCRAM_STORE_SECRET_LEN, (uint8_t *)input,
                        len + 5, mac))
        status = STATUS_INTERNAL_ERROR;
    memcpy(out->salt, mac, 16);
    out->salt_len = 16;
    out->iterations = SCRAM_MIN_ITERATIONS;
    memcpy(input, "keys:", 5);
    if (pkg_crypto.hmac(NULL, current.secret, SCRAM_STORE_SECRET_LEN, (uint8_t *)input,
                        len + 5, out->stored_key))
        status = STATUS_INTERNAL_ERROR;
    memcpy(out->server_key, out->stored_key, SCRAM_HASH_LEN);
    scram_wipe(mac, sizeof(mac));
    return status;
}

NTSTATUS pkg_store_lookup(const char *name, size_t name_len, scram_verifier *out, int *known,
                          pkg_store_error *error)
{
    NTSTATUS status;
    int found = 0;
    size_t at;

    *known = 0;
    memset(out, 0, sizeof(*out));
    if (name_len > SCRAM_MAX_NAME) {
        snprintf(error->text, sizeof(error->text), "a name of %u bytes, longer than %u",
                 (unsigned)name_len, (unsigned)SCRAM_MAX_NAME);
        return STATUS_INVALID_PARAMETER;
    }
    AcquireSRWLockExclusive(&lock);
    status = refresh(error);
    if (status == STATUS_SUCCESS) {
        at = store_find(&current, name, name_len, &found);
        if (found)
            *out = current.users[at].verifier;
        else
            status = decoy(name, name_len, out);
        *known = found;
    }
    ReleaseSRWLockExclusive(&lock);
    return status;
}

/* Writes s to the store atomically. */
static NTSTATUS store_write(const store *s, pkg_store_error *error)
{
    WCHAR tmp[MAX_PATH + 32];
    char line[SCRAM_STORE_LINE_MAX];
    static const char header[] =
        "# sspkg verifier store: <name><TAB>SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>"
        "[<TAB><account SID>]\n"
        "# in a name, =XX is the byte 0xXX (docs/protocol.md)\n";
    HANDLE file;
    DWORD written;
    NTSTATUS status = STATUS_UNEXPECTED_IO_ERROR;
    size_t n;
    BOOL ok;

    swprintf(tmp, sizeof(tmp) / sizeof(tmp[0]), L"%ls.tmp-%lu", path, GetCurrentProcessId());
    file = CreateFileW(tmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        set_error(error, "cannot create %ls (error %lu)", tmp, GetLastError());
        return STATUS_ACCESS_DENIED;
    }
    ok = WriteFile(file, header, sizeof(header) - 1, &written, NULL);
    n = scram_store_format_secret(s->secret, line, sizeof(line));
    ok = ok && WriteFile(file, line, (DWORD)n, &written, NULL);
    for (size_t i = 0; ok && i < s->count; i++) {
        n = scram_store_format_user(s->users[i].name, s->users[i].name_len,
                                    &s->users[i].verifier, s->users[i].account,
                                    s->users[i].account_len, line, sizeof(line));
        ok = n && WriteFile(file, line, (DWORD)n, &written, NULL) && written == n;
    }
    ok = ok && FlushFileBuffers(file);
    scram_wipe(line, sizeof(line));
    CloseHandle(file);
    if (ok && MoveFileExW(tmp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return STATUS_SUCCESS;
    set_error(error, "cannot write the verifier store %ls (error %lu)", path, GetLastError());
    DeleteFileW(tmp);
    return status;
}

/* Creates the store's folder when it is missing (one level, as for the default). */
static void make_folder(void)
{
    WCHAR dir[MAX_PATH];
    WCHAR *slash;

    wcscpy(dir, path);
    slash = wcsrchr(dir, L'\\');
    if (slash) {
        *slash = 0;
        CreateDirectoryW(dir, NULL);
    }
}

/* Read, change and write under the cross-process lock file; v NULL removes the user.
 * account NULL keeps the user's account (none for a new user); "" (account_len 0) unmaps.
 * expected non-NULL: only a user whose verifier is still that one is changed. */
static NTSTATUS update(const char *name, size_t name_len, const scram_verifier *expected,
                       const scram_verifier *v, const char *account, size_t account_len,
                       pkg_store_error *error)
{
    WCHAR lock_path[MAX_PATH + 8];
    OVERLAPPED at = { 0 };
    HANDLE lock_file;
    scram_store_entry e;
    NTSTATUS status;
    int found;
    size_t i;

    if (name_len == 0 || name_len > SCRAM_MAX_NAME || !scram_utf8_valid(name, name_len)) {
        set_error(error, "a user name must be 1 to 512 bytes of UTF-8");
        return STATUS_INVALID_PARAMETER;
    }
    if (account && account_len && !scram_store_sid_valid(account, account_len)) {
        set_error(error, "the account is not a SID string");
        return STATUS_INVALID_PARAMETER;
    }
    make_folder();
    swprintf(lock_path, sizeof(lock_path) / sizeof(lock_path[0]), L"%ls.lock", path);
    lock_file = CreateFileW(lock_path, GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, NULL);
    if (lock_file == INVALID_HANDLE_VALUE) {
        set_error(error, "cannot open the lock file %ls (error %lu)", lock_path,
                  GetLastError());
        return STATUS_ACCESS_DENIED;
    }
    if (!LockFileEx(lock_file, LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &at)) {
        set_error(error, "cannot lock %ls (error %lu)", lock_path, GetLastError());
        CloseHandle(lock_file);
        return STATUS_LOCK_NOT_GRANTED;
    }
    AcquireSRWLockExclusive(&lock);
    loaded = FALSE;
    status = refresh(error);
    if (status != STATUS_SUCCESS)
        goto done;
    i = store_find(&current, name, name_len, &found);
    if (expected && (!found || memcmp(&current.users[i].verifier, expected, sizeof(*expected)))) {
        set_error(error, "the user's verifier changed since the password was checked");
        status = STATUS_WRONG_PASSWORD;
    } else if (v) {
        memset(&e, 0, sizeof(e));
        memcpy(e.name, name, name_len);
        e.name_len = name_len;
        e.verifier = *v;
        if (account) {
            memcpy(e.account, account, account_len);
            e.account_len = account_len;
        } else if (found) {
            memcpy(e.account, current.users[i].account, sizeof(e.account));
            e.account_len = current.users[i].account_len;
        }
        status = store_put(&current, &e, 1);
        scram_wipe(&e, sizeof(e));
        if (status != STATUS_SUCCESS)
            set_error(error, "no memory for another user in the verifier store");
    } else if (found) {
        memmove(&current.users[i], &current.users[i + 1],
                (current.count - i - 1) * sizeof(current.users[0]));
        current.count--;
        scram_wipe(&current.users[current.count], sizeof(current.users[0]));
    } else {
        set_error(error, "no such user in the verifier store %ls", path);
        status = STATUS_NO_SUCH_USER;
    }
    if (status == STATUS_SUCCESS)
        status = store_write(&current, error);
    current.secret_from_file = status == STATUS_SUCCESS;
    /* Whatever happened, the next use re-reads the file. */
    loaded = FALSE;
done:
    ReleaseSRWLockExclusive(&lock);
    UnlockFileEx(lock_file, 0, 1, 0, &at);
    CloseHandle(lock_file);
    return status;
}

NTSTATUS pkg_store_set(const char *name, size_t name_len, const scram_verifier *v,
                       const char *account, size_t account_len, pkg_store_error *error)
{
    return update(name, name_len, NULL, v, account, account_len, error);
}

NTSTATUS pkg_store_replace(const char *name, size_t name_len, const scram_verifier *expected,
                           const scram_verifier *v, pkg_store_error *error)
{
    return update(name, name_len, expected, v, NULL, 0, error);
}

NTSTATUS pkg_store_remove(const char *name, size_t name_len, pkg_store_error *error)
{
    return update(name, name_len, NULL, NULL, NULL, 0, error);
}

NTSTATUS pkg_store_list(void (*visit)(void *context, const scram_store_entry *user),
                        void *context, pkg_store_error *error)
{
    NTSTATUS status;

    AcquireSRWLockExclusive(&lock);
    status = refresh(error);
    for (size_t i = 0; status == STATUS_SUCCESS && i < current.count; i++)
        visit(context, &current.users[i]);
    ReleaseSRWLockExclusive(&lock);
    return status;
}

NTSTATUS pkg_store_account(const char *name, size_t name_len,
                           char account[SCRAM_STORE_ACCOUNT_MAX + 1], size_t *account_len,
                           pkg_store_error *error)
{
    NTSTATUS status;
    int found = 0;
    size_t at;

    account[0] = '\0';
    *account_len = 0;
    AcquireSRWLockExclusive(&lock);
    status = refresh(error);
    if (status == STATUS_SUCCESS) {
        at = store_find(&current, name, name_len, &found);
        if (found) {
            memcpy(account, current.users[at].account, current.users[at].account_len + 1);
            *account_len = current.users[at].account_len;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return status;
}
