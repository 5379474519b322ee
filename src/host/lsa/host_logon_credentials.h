/* host_logon_credentials.h - the credentials a logon returns, handed to the other
 * packages as lsass hands them.
 *
 * LsaApLogonUserEx2 (and SpLogonUserEx3) return primary credentials "for handing to
 * other packages" and supplemental credentials "for other packages"; the LSA passes
 * them to each package's SpAcceptCredentials, which "is called once for each set of
 * credentials stored by the LSA" (the pages of LSA_AP_LOGON_USER_EX2 and
 * SpAcceptCredentialsFn). That is how a package that logs nobody on (Kerberos after an
 * NTLM logon, sspkg after another package's) learns a session's password for single
 * sign-on: every package lsass loads sees every logon's clear password, which is why
 * only trusted packages belong in its list.
 *
 * What the pages leave open, decided here: the package that made the logon is not
 * called (it returned the credentials; it already has them); packages are called in id
 * order; each gets the supplemental entry whose PackageName is its name (compared as
 * SSPI compares package names), or NULL. Everything the logon returned is read as
 * hostile first: credentials naming another session than the new one, a string that is
 * not readable or whose Length is odd or past its MaximumLength, a malformed UserSid, a
 * supplemental array whose count runs past its LSA heap block: handed to no package, and
 * said why. The logon itself stands. Each package is handed its own copy of the
 * structures, pointing at the LSA's strings and bytes, which the LSA frees when the last
 * SpAcceptCredentials returns: a package keeps what it copied, never a pointer. */
#ifndef SSPKG_HOST_LOGON_CREDENTIALS_H
#define SSPKG_HOST_LOGON_CREDENTIALS_H

#include "host_identity.h"
#include "../packages/host_packages.h"

/* Hands the credentials that `from`'s logon of session `logon` returned to every other
 * package's SpAcceptCredentials. `said` receives, for the logon's report, whom they
 * reached and what each answered, or why they reached none. */
void host_logon_hand_credentials(const host_secpkg *from, SECURITY_LOGON_TYPE type,
                                 PUNICODE_STRING account, PSECPKG_PRIMARY_CRED primary,
                                 PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental,
                                 const LUID *logon, char *said, size_t said_size);

#endif
