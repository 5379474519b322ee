#!/bin/sh
# The SSPI entries past version 1 in-process, through handshake's options:
# SetCredentialsAttributes on each credential, SetContextAttributes on each context, and
# QueryMetaData/ExchangeMetaData both ways before the first token (NegoEx's order), on
# test/packages/attrpkg.c, which says on stderr exactly what each entry received; the
# shapes that lack the entries (NULL, or a version that does not define them), metadata a
# package lies about, and sspkg (version 1: none of them).
. "$(dirname "$0")/tap.sh"

P="$B/test/attrpkg.dll"
V1="$B/test/attrpkg-v1.dll"
T="$B/test/attributes"
mkdir -p "$T"

# FNV-1a (32 bits) of a file, as attrpkg prints it.
fnv() { perl -e 'local $/; my $d = <STDIN>; my $h = 2166136261; for my $c (unpack "C*", $d) { $h = (($h ^ $c) * 16777619) % 4294967296 } printf "0x%08x", $h' <"$1"; }

lsahost --trace --package="$P" handshake --user=a --password=b \
    --set-credentials-attribute=77:0102030405 --set-context-attribute=0x80000010:aabbcc
check "attributes set in a handshake: exit 0" status_is 0
check "... both sides authenticated" sh -c "grep -q 'server: authenticated' '$out' && grep -q 'client: authenticated' '$out'"
check "... the client's credential got exactly the 5 bytes" has "attrpkg: SpSetCredentialsAttributes(credential 0x1001, attribute 77, 5 bytes, fnv1a 0xbfe534e8, at an address): 0102030405"
check "... and the server's" has "attrpkg: SpSetCredentialsAttributes(credential 0x1002, attribute 77, 5 bytes, .*: 0102030405"
check "... each SetCredentialsAttributes printed with the package's status" sh -c "[ \$(grep -c '^[a-z]* SetCredentialsAttributes(attribute 77, 5 bytes) = SEC_E_OK' '$out') -eq 2 ]"
check "... both contexts got the 3 bytes, after the handshake" sh -c "grep -A20 'server -> attrpkg-ok' '$out' | grep -q 'SpSetContextAttributes(context 0x2001, attribute 2147483664, 3 bytes, .*: aabbcc' && grep -q 'SpSetContextAttributes(context 0x2002, attribute 2147483664, 3 bytes, .*: aabbcc' '$out'"
check "... SetContextAttributes printed" has "^client SetContextAttributes(attribute 2147483664, 3 bytes) = SEC_E_OK"
check "... and traced, as other calls are" has "trace: SpSetContextAttributes(context 2001, attribute 2147483664, 3-byte value) = SEC_E_OK"
check "... the LSA's copy freed: no leaks" has "lsahost: no leaks"

# A package that frees the buffers it is handed (the LSA's copies): lsahost wiped them
# after the call, writing into freed heap memory; now only FreeLsaHeap, which refuses.
ATTRPKG_FREE=1 lsahost --package="$P" handshake --user=a --password=b --metadata \
    --set-credentials-attribute=77:0102030405 --set-context-attribute=0x80000010:aabbcc
check "a package freeing the LSA's buffers: the handshake completes (exit 0)" status_is 0
check "... the LSA's own free of each is refused, said" \
    sh -c "[ \$(grep -c 'refused: free of .*not a block of the LSA heap' '$out') -eq 6 ]"
check "... nothing leaks" has "lsahost: no leaks"

# The most lsahost takes (64 KiB, what serve takes), from a file: every byte arrives.
head -c 65536 /dev/urandom >"$T/max.bin"
lsahost --package="$P" handshake --user=a --password=b --set-context-attribute=5:@"$T/max.bin"
check "a 64 KiB value from a file: exit 0" status_is 0
check "... reaches the package whole (length and FNV-1a)" has "SpSetContextAttributes(context 0x2001, attribute 5, 65536 bytes, fnv1a $(fnv "$T/max.bin"),"
head -c 65537 /dev/urandom >"$T/over.bin"
lsahost --package="$P" handshake --user=a --password=b --set-context-attribute=5:@"$T/over.bin"
check "one byte more: usage error, exit 1" status_is 1
check "... said" has "holds more than 65536 bytes"
check "... nothing reached the package" lacks "attrpkg: Sp"
lsahost --package="$P" handshake --user=a --password=b --set-context-attribute=zz
check "an attribute that is not N:HEX: exit 1" status_is 1
check "... said" has "set-context-attribute takes N:HEX or N:@FILE"
lsahost --package="$P" handshake --user=a --password=b --set-context-attribute=1:abc
check "an odd number of hex digits: exit 1" status_is 1

lsahost --package="$P" handshake --user=a --password=b --metadata
check "--metadata: exit 0" status_is 0
check "... the initiator's metadata" has "^client QueryMetaData = SEC_E_OK, 26 bytes: $(printf attrpkg-metadata-initiator | od -An -tx1 | tr -d ' \n')"
check "... reaches the acceptor's ExchangeMetaData byte for byte" has "attrpkg: SpExchangeMetaData(context 0x2002, attribute 0, 26 bytes, .*: $(printf attrpkg-metadata-initiator | od -An -tx1 | tr -d ' \n')"
check "... and the acceptor's reaches the initiator" has "attrpkg: SpExchangeMetaData(context 0x2001, attribute 0, 25 bytes, .*: $(printf attrpkg-metadata-acceptor | od -An -tx1 | tr -d ' \n')"
check "... all before the first token" sh -c "awk '/client -> attrpkg-hello/ {exit} /client ExchangeMetaData\\(25 bytes\\) = SEC_E_OK/ {found=1} END {exit !found}' '$out'"
check "... and the handshake goes on in the contexts they made" has "client: authenticated"
check "... the package's metadata buffers freed with FreeLsaHeap: no leaks" has "lsahost: no leaks"

# Metadata is the package's word, checked before a byte is read.
ATTRPKG_METADATA=wild lsahost --package="$P" handshake --user=a --password=b --metadata
check "metadata at an unmapped address: no crash, exit 0" status_is 0
check "... SEC_E_INTERNAL_ERROR, said" sh -c "grep -q 'client QueryMetaData = SEC_E_INTERNAL_ERROR, 0 bytes' '$out' && grep -q 'which is not readable memory' '$out'"
check "... nothing exchanged" lacks "SpExchangeMetaData"
ATTRPKG_METADATA=huge lsahost --package="$P" handshake --user=a --password=b --metadata
check "metadata claimed as 1 MiB: SEC_E_INTERNAL_ERROR" has "client QueryMetaData = SEC_E_INTERNAL_ERROR"
check "... said" has "returned 1048576 bytes of metadata, more than the 65536 lsahost takes"
check "... its buffer still given back: no leaks" has "lsahost: no leaks"

# Shapes without the entries: lsahost answers for the package and never calls.
for shape in "--package=$P --use=attrpkg-null|NULL entries" "--package=$V1|version 1, entries filled past its table"; do
    args=${shape%%|*}
    lsahost $args handshake --user=a --password=b --metadata \
        --set-credentials-attribute=1:00 --set-context-attribute=1:00
    check "${shape#*|}: exit 0, authenticated" sh -c "[ $rc -eq 0 ] && grep -q 'client: authenticated' '$out'"
    check "${shape#*|}: every entry SEC_E_UNSUPPORTED_FUNCTION" sh -c "[ \$(grep -c '= SEC_E_UNSUPPORTED_FUNCTION' '$out') -eq 6 ]"
    check "${shape#*|}: the package was never called" lacks "attrpkg: Sp"
done

# sspkg declares version 1: it has no settable attribute (docs/protocol.md).
S="--store=$T/users.txt"
lsahost $S user add alice --password=pencil
lsahost $S handshake --user=alice --password=pencil --set-context-attribute=1:00 \
    --set-credentials-attribute=1:00 --metadata
check "sspkg: authenticated" status_is 0
check "... SetContextAttributes: SEC_E_UNSUPPORTED_FUNCTION" has "^client SetContextAttributes(attribute 1, 1 bytes) = SEC_E_UNSUPPORTED_FUNCTION"
check "... SetCredentialsAttributes and the metadata too" sh -c "[ \$(grep -c '= SEC_E_UNSUPPORTED_FUNCTION' '$out') -eq 6 ]"

done_testing
