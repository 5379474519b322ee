#!/bin/sh
# sspkg's own trace (SSPKG_TRACE; lsahost --trace sets it): a line for every entry
# lsahost calls, with its result; a failure's reason; notes before the call they belong
# to; nothing when tracing is off; and never the password, the proof, the nonces, the
# salt or the server's signature.
. "$(dirname "$0")/tap.sh"
unset SSPKG_TRACE

store="$B/test/trace-store.txt"
rm -f "$store"
password='Tr4ce-only-Secret'
stdout="$out.stdout"
trap 'rm -f "$out" "$out.raw" "$stdout"' EXIT

# traced ARGS...: lsahost with its stderr in $out (where has/lacks look) and its stdout
# in $stdout, apart, so what a command prints (the tokens) is not mistaken for a trace.
traced() {
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "--store=$store" "$@" >"$stdout.raw" 2>"$out.raw" || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    tr -d '\r' <"$stdout.raw" >"$stdout"
    rm -f "$out.raw" "$stdout.raw"
}
# secret_absent VALUE: VALUE (non-empty) appears nowhere in the trace.
secret_absent() { [ -n "$1" ] && ! grep -qF -- "$1" "$out"; }
# note_before NOTE LINE: the trace has NOTE, and a line matching LINE after it (lsahost's
# own lines for the callbacks the entry makes may come between).
note_before() {
    at=$(grep -n -- "$1" "$out" | head -1 | cut -d: -f1)
    [ -n "$at" ] && tail -n "+$at" "$out" | grep -q -- "$2"
}

traced --trace user add tracy "--password=$password"
check "user add --trace: exit 0" status_is 0
check "LsaApCallPackage traced with its message and result" \
    has "^sspkg: trace: LsaApCallPackage([0-9]*-byte request, message SET_USER) = STATUS_SUCCESS, protocol status STATUS_SUCCESS"
check "... and the password is nowhere in the trace" secret_absent "$password"

traced --trace user del nobody
check "a failing CallPackage: its reason, then its line" \
    note_before '^sspkg: trace: fails: no such user in the verifier store ' \
    '^sspkg: trace: LsaApCallPackage(.*message REMOVE_USER) = STATUS_SUCCESS, protocol status STATUS_NO_SUCH_USER'

traced --trace handshake --user=tracy "--password=$password"
check "handshake --trace: exit 0" status_is 0
entries=$(sed -n 's/^lsahost: trace: \(\(Sp\|LsaAp\)[A-Za-z]*\)(.*/\1/p' "$out" | sort -u)
missing=
for e in $entries; do
    grep -q "^sspkg: trace: $e(.*) = " "$out" || missing="$missing $e"
done
check "every entry lsahost calls ($(echo $entries | wc -w) of them) has sspkg's own line with its result${missing:+ (missing:$missing)}" \
    [ -z "$missing" -a "$(echo $entries | wc -w)" -ge 10 ]
check "the package traces the exports and entries lsahost does not: SpLsaModeInitialize, LsaApInitializePackage, SpInitialize, SpGetInfo, SpInstanceInit" \
    sh -c "for e in SpLsaModeInitialize LsaApInitializePackage SpInitialize SpGetInfo SpInstanceInit; do grep -q \"^sspkg: trace: \$e(.*) = STATUS_SUCCESS\" '$out' || exit 1; done"
check "every entry line of sspkg has a result" \
    sh -c "! grep '^sspkg: trace: \(Sp\|LsaAp\)[A-Za-z]*(' '$out' | grep -qv ') = '"
check "ISC: handles, requirements, token lengths, status, attributes" \
    has "^sspkg: trace: SpInitLsaModeContext(credential [0-9a-f]*, context 0, target none, requirements 0x0001091e, in: no buffers) = SEC_I_CONTINUE_NEEDED, context [0-9a-f]*, out: [0-9]*-byte token, attributes 0x0001091e$"
check "ASC's last step: SEC_E_OK, mapped" \
    has "^sspkg: trace: SpAcceptLsaModeContext(.*in: [0-9]*-byte token) = SEC_E_OK, .*, mapped$"
check "message functions: data and token lengths, sequence, status" \
    has "^sspkg: trace: SpUnsealMessage(context [0-9a-f]*, 21 data bytes + 24-byte token, sequence 0) = SEC_E_OK, QOP 0$"
proof=$(sed -n 's/^client -> c=biws,r=.*,p=//p' "$stdout")
nonce=$(sed -n 's/^client -> n,,n=tracy,r=//p' "$stdout")
salt=$(sed -n 's/^server -> r=[^,]*,s=\([^,]*\),.*/\1/p' "$stdout")
signature=$(sed -n 's/^server -> v=//p' "$stdout")
check "the trace holds neither the password nor the proof" \
    sh -c "[ -n '$proof' ] && ! grep -qF -- '$password' '$out' && ! grep -qF -- '$proof' '$out'"
check "... nor the client nonce, the salt or the server's signature (no token's contents)" \
    sh -c "[ -n '$nonce' -a -n '$salt' -a -n '$signature' ] && ! grep -qF -- '$nonce' '$out' && ! grep -qF -- '$salt' '$out' && ! grep -qF -- '$signature' '$out'"

traced --trace handshake --user=tracy --password=wrong
check "wrong password --trace: exit 6" status_is 6
check "the server's reason, then its ASC line with SEC_E_LOGON_DENIED" \
    note_before '^sspkg: trace: fails: client proof does not verify$' \
    '^sspkg: trace: SpAcceptLsaModeContext(.*) = SEC_E_LOGON_DENIED'
check "the client's reason (the server's e=), then its ISC line" \
    note_before '^sspkg: trace: fails: server reported an error (e=invalid-proof)$' \
    '^sspkg: trace: SpInitLsaModeContext(.*) = SEC_E_LOGON_DENIED'

traced handshake --user=tracy "--password=$password"
check "without --trace: exit 0 and no trace line at all" \
    sh -c "[ $rc -eq 0 ] && ! grep -q 'trace:' '$out'"
SSPKG_TRACE=0 traced handshake --user=tracy "--password=$password"
check "SSPKG_TRACE=0: no package trace" lacks "^sspkg: trace:"
SSPKG_TRACE=1 traced handshake --user=tracy "--password=$password"
check "SSPKG_TRACE=1 alone: the package's lines, without lsahost's" \
    sh -c "grep -q '^sspkg: trace: SpAcceptLsaModeContext(' '$out' && ! grep -q '^lsahost: trace:' '$out'"

done_testing
