/* pkg_settings.c - what an administrator may set for the package: DWORD values under
 * HKLM\SYSTEM\CurrentControlSet\Control\Lsa\SCRAM-SHA-256 (beside VerifierStore), each
 * with an environment variable for tests and for lsahost's commands.
 *
 *   MaxIterations      lowers the largest iteration count a client context accepts in
 *                      server-first (built in: SCRAM_CLIENT_MAX_ITERATIONS). The
 *                      variable SSPKG_MAX_ITERATIONS lowers it further; neither raises
 *                      it (the protocol core clamps), and 0 or absent leaves it alone.
 *                      Read again at most once a second (a registry read costs a
 *                      handshake with cached keys several times over under Wine), so
 *                      a change applies to handshakes from a second later.
 *   PublishUserNames   1: the shared section's events and context records carry user
 *                      names, which every client process can read (docs/protocol.md).
 *                      SSPKG_PUBLISH_USER_NAMES (0 or 1) decides instead when set.
 *                      Read at SpInitialize.
 *   UnmappedUsers      (REG_SZ) what a server context of a user the store maps to no
 *                      Windows account yields: "anonymous" (the default) a token for
 *                      NT AUTHORITY\ANONYMOUS LOGON, "refuse" no context at all
 *                      (SEC_E_LOGON_DENIED once the proof has verified).
 *                      SSPKG_UNMAPPED_USERS decides instead when set. Read when asked
 *                      (pkg_token.c asks at SpInitialize). */
#include "pkg.h"

#include <wchar.h>

/* A decimal number from the environment; FALSE when the variable is absent or not a
 * number. */
static BOOL env_number(const WCHAR *name, DWORD *out)
{
    WCHAR text[16], *end;
    DWORD n = GetEnvironmentVariableW(name, text, ARRAYSIZE(text));
    unsigned long v;

    if (n == 0 || n >= ARRAYSIZE(text) || text[0] < L'0' || text[0] > L'9')
        return FALSE;
    v = wcstoul(text, &end, 10);
    if (*end || v > 0xffffffffUL)
        return FALSE;
    *out = (DWORD)v;
    return TRUE;
}

static BOOL registry_dword(const WCHAR *name, DWORD *out)
{
    DWORD size = sizeof(*out);

    return RegGetValueW(HKEY_LOCAL_MACHINE, PKG_SETTINGS_KEY, name, RRF_RT_REG_DWORD, NULL,
                        out, &size) == ERROR_SUCCESS;
}

/* The ceiling as last read, and when (GetTickCount64; 0: never). */
static SRWLOCK ceiling_lock = SRWLOCK_INIT;
static uint32_t ceiling_read;
static ULONGLONG ceiling_read_at;

static uint32_t read_max_iterations(void)
{
    uint32_t ceiling = SCRAM_CLIENT_MAX_ITERATIONS;
    DWORD v;

    if (registry_dword(L"MaxIterations", &v) && v && v < ceiling)
        ceiling = v;
    if (env_number(L"SSPKG_MAX_ITERATIONS", &v) && v && v < ceiling)
        ceiling = v;
    return ceiling;
}

uint32_t pkg_settings_max_iterations(void)
{
    ULONGLONG now = GetTickCount64();
    uint32_t ceiling;

    AcquireSRWLockExclusive(&ceiling_lock);
    if (!ceiling_read_at || now - ceiling_read_at >= 1000) {
        ceiling_read = read_max_iterations();
        ceiling_read_at = now ? now : 1;
    }
    ceiling = ceiling_read;
    ReleaseSRWLockExclusive(&ceiling_lock);
    return ceiling;
}

BOOL pkg_settings_publish_user_names(void)
{
    DWORD v;

    if (env_number(L"SSPKG_PUBLISH_USER_NAMES", &v))
        return v != 0;
    return registry_dword(L"PublishUserNames", &v) && v != 0;
}

/* "anonymous" or "refuse" from the environment or the registry; anything else is the
 * default, said in the trace. */
pkg_unmapped pkg_settings_unmapped_users(void)
{
    WCHAR text[32];
    DWORD size = sizeof(text), n = GetEnvironmentVariableW(L"SSPKG_UNMAPPED_USERS", text, 32);

    if (n == 0 || n >= 32) {
        text[0] = 0;
        if (RegGetValueW(HKEY_LOCAL_MACHINE, PKG_SETTINGS_KEY, L"UnmappedUsers", RRF_RT_REG_SZ,
                         NULL, text, &size) != ERROR_SUCCESS)
            return PKG_UNMAPPED_ANONYMOUS;
    }
    if (!_wcsicmp(text, L"refuse"))
        return PKG_UNMAPPED_REFUSE;
    if (text[0] && _wcsicmp(text, L"anonymous"))
        pkg_trace("ignores UnmappedUsers \"%ls\": neither anonymous nor refuse; anonymous it is",
                  text);
    return PKG_UNMAPPED_ANONYMOUS;
}
