/* winapi.h - the Windows headers every Windows-side file of sspkg includes, in the
 * order that makes them agree: NTSTATUS values from ntstatus.h (not the few winnt.h
 * repeats), SSPI in its W forms (the Makefile defines UNICODE), then the LSA tables. */
#ifndef SSPKG_WINAPI_H
#define SSPKG_WINAPI_H

#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>

#define SECURITY_WIN32
#include <sspi.h>
#include <ntsecapi.h>
#include <ntsecpkg.h>

#endif
