/* host_check.h - `lsahost check PKG.dll [PKG.dll ...] [--json[=FILE]]`: a conformance
 * run of package DLLs, for their authors' CI. It loads and starts the packages as every
 * lsahost run does (host_packages.c; the table shape and SpGetInfo's answer are checked
 * there), going on past a DLL that fails as lsass does; then, for each DLL, it asks
 * SpGetExtendedInformation for each class, acquires and frees a credential of each use
 * the package claims, starts and deletes a context with no target and with a target name,
 * shuts the package down, and reports every call's answer, every finding (with the
 * Microsoft page it contradicts) and every leak, each with the DLL it is about, as text
 * and, with --json, as JSON. docs/writing-a-package.md describes each step, finding and
 * exit status. */
#ifndef SSPKG_HOST_CHECK_H
#define SSPKG_HOST_CHECK_H

#include "../../winapi.h"

/* Exit statuses of a check; 1 (usage), 2 (not loadable), 3 (failed to start) and
 * 5 (crashed) are lsahost's own. Findings win over leaks: a finding is something lsass
 * may act on wrongly, and both are in the report whichever the status says. With
 * several DLLs the status is the worst over all: 2, then 3, 7, 4, 0. */
#define HOST_CHECK_EXIT_LEAKED 4
#define HOST_CHECK_EXIT_FINDINGS 7

/* Reports what the package still holds (one "leak: ..." line per kind, then each item),
 * releases it, and returns the number of kinds: lsahost_main.c's leak report. */
typedef int (*host_check_leak_report)(void);

/* Runs `check` with argv[0] "check"; returns the process exit status. With allow_leaks,
 * leaks are reported but do not set the status. */
int host_check_command(int argc, WCHAR **argv, int allow_leaks, host_check_leak_report report);

#endif
