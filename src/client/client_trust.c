/* client_trust.c - is the pipe's server lsahost? (client_trust.h) */
#include "client_trust.h"
#include "client_say.h"

#include <sddl.h>
#include <wchar.h>

#define TEXT_CHARS 1024

/* The package's key, where the package reads its own settings too (pkg_store.c). */
static const WCHAR settings_key[] = L"SYSTEM\\CurrentControlSet\\Control\\Lsa\\SCRAM-SHA-256";

/* Wine's ntdll exports wine_get_version; Windows' does not. */
static BOOL under_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

/* A setting from the environment, else from the registry. FALSE when neither has it; a
 * value too long for out reads as empty (and then matches nothing). */
static BOOL setting(const WCHAR *variable, const WCHAR *value, WCHAR *out)
{
    DWORD n = GetEnvironmentVariableW(variable, out, TEXT_CHARS), bytes = TEXT_CHARS * sizeof(WCHAR);

    if (n) {
        if (n >= TEXT_CHARS)
            out[0] = 0;
        return TRUE;
    }
    out[0] = 0;
    return RegGetValueW(HKEY_LOCAL_MACHINE, settings_key, value, RRF_RT_REG_SZ, NULL, out,
                        &bytes) == ERROR_SUCCESS;
}

/* The user a process runs as, into user (a TOKEN_USER) and its text. */
static BOOL process_user(HANDLE process, TOKEN_USER *user, DWORD size, WCHAR *text)
{
    HANDLE token;
    LPWSTR sid;
    BOOL ok = OpenProcessToken(process, TOKEN_QUERY, &token);

    if (ok) {
        ok = GetTokenInformation(token, TokenUser, user, size, &size);
        CloseHandle(token);
    }
    if (ok && ConvertSidToStringSidW(user->User.Sid, &sid)) {
        swprintf(text, TEXT_CHARS, L"%ls", sid);
        LocalFree(sid);
    }
    return ok;
}

/* The account lsahost must run as (LocalFree it), and its text; NULL when the setting
 * is not a SID. */
static PSID expected_account(WCHAR *text)
{
    union {
        TOKEN_USER user;
        BYTE bytes[256];
    } own;
    PSID sid = NULL;

    if (!setting(L"SSPKG_LSAHOST_ACCOUNT", L"LsahostAccount", text)) {
        if (!under_wine())
            swprintf(text, TEXT_CHARS, L"S-1-5-18");
        else if (!process_user(GetCurrentProcess(), &own.user, sizeof(own), text))
            return NULL;
    }
    if (!ConvertStringSidToSidW(text, &sid))
        return NULL;
    return sid;
}

/* The image lsahost must run. */
static BOOL expected_image(WCHAR *out)
{
    HMODULE self;
    WCHAR *slash;
    DWORD n;

    if (setting(L"SSPKG_LSAHOST_IMAGE", L"LsahostImage", out))
        return TRUE;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)client_trust_server, &self))
        return FALSE;
    n = GetModuleFileNameW(self, out, TEXT_CHARS);
    slash = n && n < TEXT_CHARS ? wcsrchr(out, L'\\') : NULL;
    if (!slash || (size_t)(slash + 1 - out) + wcslen(L"lsahost.exe") >= TEXT_CHARS)
        return FALSE;
    wcscpy(slash + 1, L"lsahost.exe");
    return TRUE;
}

/* A path's full, long form, for comparison. */
static BOOL full_path(const WCHAR *path, WCHAR *out)
{
    WCHAR full[TEXT_CHARS];
    DWORD n = path[0] ? GetFullPathNameW(path, TEXT_CHARS, full, NULL) : 0;

    if (!n || n >= TEXT_CHARS)
        return FALSE;
    n = GetLongPathNameW(full, out, TEXT_CHARS);
    if (!n || n >= TEXT_CHARS)
        wcscpy(out, full);
    return TRUE;
}

static BOOL same_file(const WCHAR *a, const WCHAR *b)
{
    WCHAR fa[TEXT_CHARS], fb[TEXT_CHARS];

    return full_path(a, fa) && full_path(b, fb) &&
           CompareStringOrdinal(fa, -1, fb, -1, TRUE) == CSTR_EQUAL;
}

SECURITY_STATUS client_trust_server(HANDLE pipe, const WCHAR *pipe_name)
{
    WCHAR user_text[TEXT_CHARS] = L"(unknown: the process cannot be opened)",
          image[TEXT_CHARS] = L"(unknown)", want_user[TEXT_CHARS], want_image[TEXT_CHARS];
    union {
        TOKEN_USER user;
        BYTE bytes[256];
    } user;
    ULONG pid = 0;
    HANDLE process = NULL;
    PSID want = NULL;
    DWORD n = TEXT_CHARS;
    BOOL account_ok = FALSE, image_ok = FALSE;

    if (GetNamedPipeServerProcessId(pipe, &pid) && pid)
        process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    want = expected_account(want_user);
    if (!expected_image(want_image))
        wcscpy(want_image, L"(unknown)");
    if (process) {
        if (process_user(process, &user.user, sizeof(user), user_text))
            account_ok = want && EqualSid(want, user.user.User.Sid);
        if (QueryFullProcessImageNameW(process, 0, image, &n))
            image_ok = same_file(image, want_image);
        CloseHandle(process);
    }
    if (!account_ok || !image_ok)
        client_say("the server of %ls is not lsahost: process %lu runs as %ls, image %ls; "
                   "expected %ls%s, image %ls", pipe_name, pid, user_text, image, want_user,
                   want ? "" : " (not a SID)", want_image);
    LocalFree(want);
    return account_ok && image_ok ? SEC_E_OK : SEC_E_NO_AUTHENTICATING_AUTHORITY;
}
