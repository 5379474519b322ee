#!/bin/sh
# lsahost check: the conformance run a package author puts in CI. sspkg and a well-behaved
# test package check clean; each defect gives exit 7 and its named finding; a leak exit 4;
# the JSON report parses and holds the same findings; Wine's own packages give the
# findings written down below; what is not a package is refused with exit 2; several DLLs
# are checked together, each reported on its own.
. "$(dirname "$0")/tap.sh"

json="$B/test/check.json"

# json_agrees: $json parses (JSON::PP, core perl), its findings are the ones the text
# report in $out lists ("  [name] ..."), in the same order, and its exit is $rc.
json_agrees() {
    perl -MJSON::PP -e '
        open my $f, "<", $ARGV[0] or die "no $ARGV[0]\n";
        my $j = eval { local $/; decode_json(<$f>) } or die "not JSON: $@";
        open my $o, "<", $ARGV[1] or die;
        my @want = do { local $/; <$o> =~ /^  \[([a-z-]+)\] /mg };
        my @got = map { $_->{name} } @{$j->{findings}};
        die "findings: JSON @got, text @want\n" unless "@got" eq "@want";
        die "finding_count $j->{finding_count}\n" unless $j->{finding_count} == @got;
        die "exit $j->{exit}, wanted $ARGV[2]\n" unless $j->{exit} == $ARGV[2];
        for (@{$j->{findings}}) {
            die "finding without its page\n" unless $_->{url} =~ m{^https://learn\.microsoft\.com/} && $_->{doc} && $_->{text};
        }' "$json" "$out" "$rc"
}

# sspkg: clean. With no authentication data it gives an inbound credential (a server
# needs none), refuses an outbound one (SEC_E_NO_CREDENTIALS: no user to authenticate as,
# so no context can be started) and does not support SECPKG_CRED_BOTH.
lsahost check "$B/sspkg.dll"
check "sspkg checks clean: exit 0" status_is 0
check "... no finding" has "^findings: 0"
check "... no leak" has "^leaks: none"
check "... SpGetInfo reported" has "table 0: SpGetInfo() = STATUS_SUCCESS: Name \"SCRAM-SHA-256\""
check "... an inbound credential acquired and freed" sh -c "grep -q 'SpAcquireCredentialsHandle(SECPKG_CRED_INBOUND) = SEC_E_OK' '$out' && grep -q 'SpFreeCredentialsHandle(SECPKG_CRED_INBOUND) = SEC_E_OK' '$out'"
check "... an outbound one refused with its status, not a finding" has "SpAcquireCredentialsHandle(SECPKG_CRED_OUTBOUND) = SEC_E_NO_CREDENTIALS: refused"
check "... no GetExtendedInformation, said so" has "SpGetExtendedInformation() = absent"
check "... shut down" has "table 0: SpShutdown() = STATUS_SUCCESS"
check "... result line" has "^result: exit 0 (clean)"

# A well-behaved package with the SSPI entries: every step runs.
TESTPKG_MODE=contexts lsahost check "$B/test/testpkg.dll" "--json=$json"
check "testpkg contexts: exit 0" status_is 0
check "... every extended class asked" sh -c "[ \$(grep -c 'SpGetExtendedInformation(Secpkg' '$out') -eq 6 ]"
check "... SecpkgMutualAuthLevel read, and freed to the LSA heap" has "SpGetExtendedInformation(SecpkgMutualAuthLevel) = STATUS_SUCCESS: MutualAuthLevel 1 (from the LSA heap, freed)"
check "... a credential of each use" sh -c "[ \$(grep -c 'SpAcquireCredentialsHandle(SECPKG_CRED_[A-Z]*) = SEC_E_OK' '$out') -eq 3 ] && [ \$(grep -c 'SpFreeCredentialsHandle(SECPKG_CRED_[A-Z]*) = SEC_E_OK' '$out') -eq 3 ]"
check "... a context without a target" has "SpInitLsaModeContext(no target) = SEC_I_CONTINUE_NEEDED: context 2002, 5-byte token"
check "... and with one" has "SpInitLsaModeContext(target \"host/localhost\") = SEC_I_CONTINUE_NEEDED"
check "... each deleted" sh -c "[ \$(grep -c 'SpDeleteContext() = SEC_E_OK' '$out') -eq 2 ]"
check "... the JSON agrees" json_agrees
check "... the JSON has the calls and the table" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    my @isc = grep { $_->{call} eq "SpInitLsaModeContext" } @{$j->{calls}};
    exit !(@isc == 2 && $isc[1]{argument} eq "target \"host/localhost\"" && $isc[1]{status} eq "SEC_I_CONTINUE_NEEDED"
           && $j->{tables}[0]{name} eq "testpkg" && $j->{tables}[0]{max_token} == 16
           && "@{$j->{tables}[0]{capability_names}}" eq "CONNECTION" && $j->{loaded} && $j->{started}
           && !defined $j->{error} && @{$j->{leaks}} == 0)' "$json"

# Each defect: exit 7 and the named finding, in the text and in the JSON.
while IFS='|' read -r mode name message; do
    rm -f "$json"
    TESTPKG_MODE=$mode lsahost check "$B/test/testpkg.dll" "--json=$json"
    check "testpkg $mode: exit 7" status_is 7
    check "testpkg $mode: finding [$name]" has "^  \[$name\] $message"
    check "testpkg $mode: the JSON agrees" json_agrees
done <<'MODES'
unknown-caps|unknown-capabilities|table 0 claims capability bits 0x80000000, which no SECPKG_FLAG_\* defines
bad-name|bad-name|table 0: SpGetInfo's Name points to unreadable memory
unterminated-name|bad-name|table 0: SpGetInfo's Name runs into unreadable memory before its terminating NUL
bad-extinfo|bad-extended-info|table 0: SpGetExtendedInformation(SecpkgContextThunks) returned a malformed answer: its Class is 5, not the 2 asked for
bad-token|bad-output-token|table 0: SpInitLsaModeContext returned SEC_I_CONTINUE_NEEDED a 100-byte output token at .*, which is not readable memory
big-token|token-over-max|table 0: SpInitLsaModeContext returned a 64-byte token, larger than the 16 bytes
stuck-credential|credential-not-freed|table 0: SpFreeCredentialsHandle of credential 1001 (SECPKG_CRED_INBOUND)
stuck-context|context-not-deleted|table 0: SpDeleteContext of context 2002, which SpInitLsaModeContext just made, failed with SEC_E_INVALID_HANDLE
unload|unloaded-itself|table 0 called UnloadPackage during the credential and context calls: lsass removes it from the list of valid packages
MODES
# Outside check, the same name is printed without reading past its page.
TESTPKG_MODE=unterminated-name lsahost "$B/test/testpkg.dll"
check "a plain run with an unterminated Name: exit 0, the name not read past its page" sh -c "[ $rc -eq 0 ] && grep -q 'Name          (runs into unreadable memory before its terminating NUL: ' '$out'"
TESTPKG_MODE=bad-extinfo lsahost check "$B/test/testpkg.dll"
check "bad-extinfo: a length past the structure's memory is named too" has "\[bad-extended-info\] .*SecpkgGssInfo.*EncodedIdLength is 65536, past readable memory"

# Findings the load makes are check findings too.
lsahost check "$B/test/verpkg-v8-noshutdown.dll" "--json=$json"
check "NULL SpShutdown: exit 7, [no-shutdown]" sh -c "[ $rc -eq 7 ] && grep -q '^  \[no-shutdown\] table 0 has no SpShutdown' '$out'"
check "... its page named" has "documented in SpShutdown (SECPKG_FUNCTION_TABLE, ntsecpkg.h): https://learn.microsoft.com/en-us/windows/win32/api/ntsecpkg/nc-ntsecpkg-spshutdownfn"
check "... the JSON agrees" json_agrees
lsahost check "$B/test/verpkg-v8-sdk2.dll"
check "tables in the SDK's layout under version 8: exit 7, [layout]" sh -c "[ $rc -eq 7 ] && grep -q '^  \[layout\] the package declares SECPKG_INTERFACE_VERSION_8' '$out'"

# Leaks: exit 4, each kind listed; findings win over leaks.
TESTPKG_MODE=leak lsahost check "$B/test/testpkg.dll" "--json=$json"
check "a leaking package: exit 4" status_is 4
check "... no finding" has "^findings: 0"
check "... the kinds listed" sh -c "grep -q '^  1 LSA heap blocks (100 bytes) of 1 acquired' '$out' && grep -q '^  1 logon sessions of 1 acquired' '$out'"
check "... and each item, by the leak report" has "lsahost: leak: client buffer .*, 300 bytes"
check "... the JSON lists the same leaks" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    my ($heap) = grep { $_->{kind} eq "LSA heap blocks" } @{$j->{leaks}};
    exit !(@{$j->{leaks}} == 7 && $heap->{live} == 1 && $heap->{bytes} == 100 && $j->{exit} == 4)' "$json"
TESTPKG_MODE=leak lsahost --allow-leaks check "$B/test/testpkg.dll"
check "--allow-leaks: exit 0, the leaks still listed" sh -c "[ $rc -eq 0 ] && grep -q '^  1 LSA heap blocks' '$out'"
TESTPKG_MODE=findings-and-leak lsahost check "$B/test/testpkg.dll"
check "findings and a leak: exit 7 (findings win)" sh -c "[ $rc -eq 7 ] && grep -q '^  \[unknown-capabilities\]' '$out' && grep -q '^  1 LSA heap blocks (100 bytes)' '$out'"

# --json alone: the JSON on stdout, alone; the text report on stderr.
rc=0
TESTPKG_MODE=stuck-context "$top/scripts/wine.sh" "$B/lsahost.exe" check "$B/test/testpkg.dll" --json \
    >"$json" 2>"$out.err" || rc=$?
tr -d '\r' <"$out.err" >"$out"
check "--json: exit 7" status_is 7
check "--json: stdout is one JSON document, with the findings the text on stderr lists" json_agrees

# Wine's own packages, from the prefix (see docs/writing-a-package.md, "lsahost check").
sys='C:\windows\system32'

# kerberos.dll starts; it claims SECPKG_FLAG_LOGON with none of the LogonUser entries
# (the one finding). With no authentication data and no KDC it gives no credential of
# any use (SEC_E_NO_CREDENTIALS inbound and outbound, SEC_E_UNKNOWN_CREDENTIALS for
# both), which are answers, not findings; so no context is started.
lsahost check "$sys\\kerberos.dll" "--json=$json"
check "Wine's kerberos.dll: exit 7" status_is 7
check "... [logon-without-entry], and only that" sh -c "grep -q '^  \[logon-without-entry\] table 0 claims SECPKG_FLAG_LOGON' '$out' && grep -q '^findings: 1$' '$out'"
check "... credentials refused with their statuses" sh -c "grep -q 'SpAcquireCredentialsHandle(SECPKG_CRED_INBOUND) = SEC_E_NO_CREDENTIALS' '$out' && grep -q 'SpAcquireCredentialsHandle(SECPKG_CRED_OUTBOUND) = SEC_E_NO_CREDENTIALS' '$out' && grep -q 'SpAcquireCredentialsHandle(SECPKG_CRED_BOTH) = SEC_E_UNKNOWN_CREDENTIALS' '$out'"
check "... no leak" has "^leaks: none"
check "... the JSON agrees" json_agrees

# msv1_0.dll has no SpShutdown (a finding) and its LsaApInitializePackage fails without
# Samba's ntlm_auth: the package failed to start, exit 3, and nothing after it ran.
lsahost check "$sys\\msv1_0.dll" "--json=$json"
check "Wine's msv1_0.dll: exit 3 (failed to start)" status_is 3
check "... LsaApInitializePackage's status" has "package failed: table 0: LsaApInitializePackage failed with STATUS_UNSUCCESSFUL"
check "... [no-shutdown]" sh -c "grep -q '^  \[no-shutdown\] table 0 has no SpShutdown' '$out' && grep -q '^findings: 1$' '$out'"
check "... the JSON says it did not start, and why" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    exit !($j->{loaded} && !$j->{started} && $j->{error} =~ /LsaApInitializePackage failed/ && $j->{exit} == 3)' "$json"

# schannel.dll: two version-8 tables, each without SpInitialize and SpShutdown, each
# claiming CONNECTION, INTEGRITY and PRIVACY with no context or message entries (Wine's
# schannel works in user mode, inside secur32): ten findings. No AcquireCredentialsHandle
# and no GetExtendedInformation, said so.
lsahost check "$sys\\schannel.dll" "--json=$json"
check "Wine's schannel.dll: exit 7" status_is 7
check "... ten findings" has "^findings: 10$"
for name in no-initialize no-shutdown contexts-without-entry integrity-without-entry privacy-without-entry; do
    check "... [$name] for each table" sh -c "[ \$(grep -c '^  \[$name\] table [01]' '$out') -eq 2 ]"
done
check "... no credential entry, said so" has "table 1: SpAcquireCredentialsHandle() = absent"
check "... the JSON agrees" json_agrees

# Not a package: exit 2, with the reason, and a JSON report that says so.
echo "plain text, not a PE image" >"$B/test/text.dll"
lsahost check "$B/test/text.dll" "--json=$json"
check "a text file: exit 2" status_is 2
check "... cannot be loaded as a DLL" has "cannot load package: .*cannot be loaded as a DLL"
check "... the JSON says not loaded" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    exit !(!$j->{loaded} && $j->{error} =~ /cannot be loaded as a DLL/ && $j->{exit} == 2)' "$json"
lsahost check "$B/test/noexport.dll"
check "no SpLsaModeInitialize: exit 2" status_is 2
check "... said so" has "exports no SpLsaModeInitialize"
lsahost check "$B/test/no-such.dll"
check "no such file: exit 2" status_is 2
lsahost check
check "check without a package: exit 1" sh -c "[ $rc -eq 1 ] && grep -q 'which package' '$out'"
lsahost check "$B/sspkg.dll" --jsn
check "an unknown argument: exit 1" sh -c "[ $rc -eq 1 ] && grep -q \"unexpected argument '--jsn'\" '$out'"

# Several DLLs, loaded together as lsahost --package=A --package=B loads them (ids in
# order across all their tables); each call, finding and leak is the DLL's it is about,
# and the exit status is the worst over all: 2 not loadable, 3 failed to start, 7
# findings, 4 leaks, 0 clean.

# section NAME: the lines of $out's closing report about the DLL whose path ends in NAME,
# from its heading to its status line.
section() {
    awk -v name="$1" '!on && /^[^ ].*:$/ && index($0, name) { on = 1 } on { print } on && /^status: / { exit }' "$out"
}
section_has() { section "$1" | grep -q -- "$2"; }

# A clean DLL and one with a finding, the finding in the second.
TESTPKG_MODE=unknown-caps lsahost check "$B/sspkg.dll" "$B/test/testpkg.dll" "--json=$json"
check "sspkg + testpkg with a finding: exit 7" status_is 7
check "... sspkg has package id 0, testpkg 1" sh -c "grep -q 'sspkg.dll (package ids 0 to 0):' '$out' && grep -q 'testpkg.dll (package ids 1 to 1):' '$out'"
check "... the finding is testpkg's" section_has testpkg.dll "^  \[unknown-capabilities\] table 0 claims capability bits 0x80000000"
check "... sspkg has none, and is clean" sh -c "[ \"\$(sed -n '/sspkg.dll (package ids/,/^status: /p' '$out' | grep -c -e '^findings: 0\$' -e '^status: exit 0 (clean)\$')\" -eq 2 ]"
check "... each call's line names its DLL" sh -c "grep -q '^sspkg.dll table 0: SpGetInfo() = STATUS_SUCCESS: Name \"SCRAM-SHA-256\"' '$out' && grep -q '^testpkg.dll table 0: SpGetInfo() = STATUS_SUCCESS: Name \"testpkg\"' '$out'"
check "... the result is the worst" has "^result: exit 7 (findings, the worst of all)"
check "... the JSON: one report per DLL, each with its own calls, findings and exit" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    my ($s, $t) = @{$j->{packages}};
    my @sc = map { $_->{call} } @{$s->{calls}};
    exit !(@{$j->{packages}} == 2 && $j->{exit} == 7
           && $s->{package} =~ /sspkg\.dll$/ && $s->{exit} == 0 && $s->{finding_count} == 0
           && !@{$s->{findings}} && $s->{tables}[0]{name} eq "SCRAM-SHA-256"
           && !grep({ $_->{result} =~ /context 2002/ } @{$s->{calls}})
           && $t->{package} =~ /testpkg\.dll$/ && $t->{exit} == 7 && $t->{finding_count} == 1
           && $t->{findings}[0]{name} eq "unknown-capabilities" && $t->{tables}[0]{name} eq "testpkg"
           && grep({ $_->{call} eq "SpInitLsaModeContext" } @{$t->{calls}})
           && !@{$j->{leaks_not_charged}})' "$json"

# A leaking DLL beside a clean one: the token authpkg never closes is charged to it.
AUTHPKG_MODE=leak-token lsahost check "$B/sspkg.dll" "$B/test/authpkg.dll" "--json=$json"
check "sspkg + authpkg leaking a token: exit 4" status_is 4
check "... the leak is authpkg's" section_has authpkg.dll "^  1 token handles not closed of 1 acquired"
check "... authpkg's status" section_has authpkg.dll "^status: exit 4 (leaks)"
check "... sspkg has none" section_has sspkg.dll "^leaks: none"
check "... nothing left uncharged" sh -c "sed -n '/^not charged to a package:/,\$p' '$out' | grep -q '^leaks: none'"
check "... the JSON agrees" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    my ($s, $a) = @{$j->{packages}};
    exit !($j->{exit} == 4 && $s->{exit} == 0 && !@{$s->{leaks}} && $a->{exit} == 4
           && @{$a->{leaks}} == 1 && $a->{leaks}[0]{kind} eq "token handles not closed"
           && $a->{leaks}[0]{live} == 1)' "$json"
AUTHPKG_MODE=leak-token lsahost --allow-leaks check "$B/sspkg.dll" "$B/test/authpkg.dll"
check "... with --allow-leaks: exit 0, the leak still listed" sh -c "[ $rc -eq 0 ] && grep -q '^  1 token handles not closed' '$out'"

# A DLL that cannot be loaded among good ones: reported, and the others still checked
# (lsass goes on past a package it cannot load); it takes no package id.
TESTPKG_MODE=contexts lsahost check "$B/sspkg.dll" "$B/test/text.dll" "$B/test/testpkg.dll" "--json=$json"
check "a text file among two good DLLs: exit 2" status_is 2
check "... it is named as not loadable" has "^lsahost: text.dll: cannot load package: .*cannot be loaded as a DLL"
check "... its status" section_has text.dll "^status: exit 2 (not loadable)"
check "... the others are checked, testpkg with the next id" sh -c "grep -q '^testpkg.dll table 0: SpDeleteContext() = SEC_E_OK' '$out' && grep -q 'testpkg.dll (package ids 1 to 1):' '$out' && grep -q '^sspkg.dll table 0: SpShutdown() = STATUS_SUCCESS' '$out'"
check "... and clean" sh -c "[ \$(grep -c '^status: exit 0 (clean)' '$out') -eq 2 ]"
check "... the JSON agrees" perl -MJSON::PP -e '
    local $/; open my $f, "<", $ARGV[0]; my $j = decode_json(<$f>);
    my ($s, $x, $t) = @{$j->{packages}};
    exit !($j->{exit} == 2 && $s->{exit} == 0 && !$x->{loaded} && $x->{exit} == 2
           && $x->{error} =~ /cannot be loaded as a DLL/ && !@{$x->{calls}}
           && $t->{started} && $t->{exit} == 0)' "$json"

# A DLL that fails to start: the others still checked; its ids are not given again.
TESTPKG_MODE=init-fails lsahost check "$B/test/testpkg.dll" "$B/sspkg.dll"
check "a DLL that fails to start before a good one: exit 3" status_is 3
check "... why" has "^lsahost: testpkg.dll: package failed: .*SpInitialize failed with STATUS_INTERNAL_ERROR"
check "... sspkg still checked, with id 1" sh -c "grep -q '^sspkg.dll table 0: SpAcquireCredentialsHandle(SECPKG_CRED_INBOUND) = SEC_E_OK' '$out' && grep -q 'sspkg.dll (package ids 1 to 1):' '$out'"
check "... the worst wins" has "^result: exit 3 (the package failed to start, the worst of all)"

# A package that unloads itself beside a clean one: the finding is its own, and lsahost
# unloads it as in any run (SpShutdown then, not again at the end).
TESTPKG_MODE=unload lsahost check "$B/sspkg.dll" "$B/test/testpkg.dll"
check "sspkg + a testpkg that unloads itself: exit 7" status_is 7
check "... [unloaded-itself] is testpkg's" section_has testpkg.dll "^  \[unloaded-itself\] table 0 called UnloadPackage during the credential and context calls"
check "... sspkg clean" section_has sspkg.dll "^status: exit 0 (clean)"
check "... the later calls refused by lsahost, not findings" sh -c "grep -q '^testpkg.dll table 0: SpAcquireCredentialsHandle(SECPKG_CRED_OUTBOUND) = SEC_E_SECPKG_NOT_FOUND: refused by lsahost: the package unloaded itself' '$out' && ! grep -q 'credential-not-freed' '$out'"
check "... its SpShutdown ran at its unload" has "^testpkg.dll table 0: SpShutdown() = not called: called when it unloaded itself"

# The same DLL twice: the second is refused (one module; its packages would share its
# globals), the first checked.
lsahost check "$B/sspkg.dll" "$B/sspkg.dll"
check "sspkg.dll twice: exit 2" status_is 2
check "... the second refused as loaded already" has "^lsahost: sspkg.dll: cannot load package: .*this DLL is loaded already"
check "... the first checked, clean" sh -c "grep -q '^status: exit 0 (clean)' '$out' && grep -q '^status: exit 2 (not loadable)' '$out'"

lsahost check "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll" "$B/sspkg.dll"
check "nine DLLs: exit 1, at most eight" sh -c "[ $rc -eq 1 ] && grep -q 'at most 8 package DLLs' '$out'"

rm -f "$json" "$out.err"
done_testing
