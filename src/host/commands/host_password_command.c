/* host_password_command.c - lsahost change-password --user=U --old-password=O
 * --new-password=N [--domain=D] [--impersonating]: calls the package's
 * SpChangeAccountPassword with the LSA's copies of the strings (host_sspi_password.c)
 * and prints its answer and the DOMAIN_PASSWORD_INFORMATION it wrote, if any. */
#include "host_password_command.h"
#include "host_commands.h"
#include "../packages/host_packages.h"
#include "../packages/host_sspi.h"
#include "../host_trace.h"

#include <stdio.h>
#include <wchar.h>

static int usage(const char *why)
{
    fprintf(stderr, "lsahost: change-password: %s\nusage: lsahost [--package=PKG.dll] "
                    "change-password --user=U --old-password=O --new-password=N\n"
                    "       [--domain=D] [--impersonating]\n", why);
    return 1;
}

/* DOMAIN_PASSWORD_INFORMATION's ages are negative 100-ns intervals (ntsecapi.h). */
static void print_info(const DOMAIN_PASSWORD_INFORMATION *info)
{
    printf("%-22s minimum length %u, history %u, properties 0x%lx, maximum age %lld, "
           "minimum age %lld (100 ns)\n", "password policy", info->MinPasswordLength,
           info->PasswordHistoryLength, info->PasswordProperties,
           (long long)info->MaxPasswordAge.QuadPart, (long long)info->MinPasswordAge.QuadPart);
}

int host_password_command(int argc, WCHAR **argv)
{
    const WCHAR *user = NULL, *old_password = NULL, *new_password = NULL, *domain = L"";
    BOOLEAN impersonating = FALSE;
    DOMAIN_PASSWORD_INFORMATION info;
    const host_secpkg *pkg;
    SECURITY_STATUS status;
    BOOL written;

    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i];
        if (!wcsncmp(a, L"--user=", 7))
            user = a + 7;
        else if (!wcsncmp(a, L"--old-password=", 15))
            old_password = a + 15;
        else if (!wcsncmp(a, L"--new-password=", 15))
            new_password = a + 15;
        else if (!wcsncmp(a, L"--domain=", 9))
            domain = a + 9;
        else if (!wcscmp(a, L"--impersonating"))
            impersonating = TRUE;
        else
            return usage("unknown option");
    }
    if (!user || !old_password || !new_password)
        return usage("--user, --old-password and --new-password are required");
    if (!(pkg = host_packages_pick(HOST_NEED_CHANGE_PASSWORD, "change-password")))
        return HOST_EXIT_COMMAND_FAILED;
    status = host_sspi_change_password(pkg, domain, (ULONG)wcslen(domain), user,
                                       (ULONG)wcslen(user), old_password,
                                       (ULONG)wcslen(old_password), new_password,
                                       (ULONG)wcslen(new_password), impersonating, &info,
                                       &written);
    printf("%-22s %s\n", "SpChangeAccountPassword", host_sec_status_name(status));
    if (written)
        print_info(&info);
    return status == SEC_E_OK ? 0 : HOST_EXIT_COMMAND_FAILED;
}
