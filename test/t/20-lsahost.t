#!/bin/sh
# lsahost from the command line: loading sspkg, and each kind of bad package.
. "$(dirname "$0")/tap.sh"

lsahost --trace "$B/sspkg.dll"
check "sspkg loads, initializes and unloads: exit 0" status_is 0
check "SpGetInfo is printed" has "Name          SCRAM-SHA-256"
check "the status block in shared memory is decoded" has "sspkg status block, layout 3: package 0.1.0"
check "trace shows CreateSharedMemory with the package's sizes" has "CreateSharedMemory(MaxSize=262144, InitialSize=16384) = "
check "trace shows the status block freed and the section deleted" has "DeleteSharedMemory(SharedMem=.*) = TRUE"
check "no leaks reported" has "lsahost: no leaks"

lsahost
check "without an argument lsahost loads sspkg.dll from its own folder" has "Name          SCRAM-SHA-256"
check "... and traces nothing without --trace" lacks "trace:"

lsahost --shm-provider=heap "$B/sspkg.dll"
check "the private-heap provider runs the package: exit 0" status_is 0
check "... and shows its section" has "(heap provider)"

lsahost "$B/no-such.dll"
check "missing file: exit 2" status_is 2
check "missing file: named in the message" has "cannot load package: .*no-such.dll: no such file"

echo "plain text, not a PE image" >"$B/test/text.dll"
lsahost "$B/test/text.dll"
check "a text file: exit 2" status_is 2
check "a text file: cannot be loaded as a DLL" has "cannot be loaded as a DLL"

lsahost "$B/test/noexport.dll"
check "a DLL without SpLsaModeInitialize: exit 2" status_is 2
check "a DLL without SpLsaModeInitialize: said so" has "exports no SpLsaModeInitialize"

lsahost --bogus
check "unknown option: exit 1" status_is 1
check "unknown option: named" has "unknown option '--bogus'"
lsahost --shm-provider=magic
check "unknown provider: exit 1" status_is 1
lsahost --shm-fail-nth=0
check "--shm-fail-nth=0: exit 1" status_is 1
lsahost --help
check "--help: exit 0 with usage" has "usage: lsahost"

# mode, expected exit status, expected message
while IFS='|' read -r mode want message; do
    TESTPKG_MODE=$mode lsahost "$B/test/testpkg.dll"
    check "testpkg $mode: exit $want" status_is "$want"
    check "testpkg $mode: '$message'" has "$message"
done <<'MODES'
ok|0|lsahost: no leaks
lsamode-fails|2|SpLsaModeInitialize failed with STATUS_NOT_SUPPORTED
no-tables|2|returned 0 tables (1 to 16 accepted)
many-tables|2|returned 1000 tables (1 to 16 accepted)
null-tables|2|which is not readable memory
wild-tables|2|which is not readable memory
no-getinfo|2|table 0 has no GetInfo
wild-entry|2|table 0 entry 12 points to
old-version|2|interface version 0x1, which is no SECPKG_INTERFACE_VERSION
init-fails|3|package failed: table 0: SpInitialize failed with STATUS_INTERNAL_ERROR
crash|5|crash: exception 0xc0000005 at .*testpkg.dll+0x.* during SpInitialize
unload-early|0|package 0 called UnloadPackage (during SpInitialize) before lsahost listed it (while it starts): it is unloaded once listed
MODES

TESTPKG_MODE=leak lsahost "$B/test/testpkg.dll"
check "leaking package: exit 4" status_is 4
for what in "1 LSA heap blocks (100 bytes)" "1 private heap blocks (200 bytes)" \
    "1 client buffers (300 bytes)" "1 shared-memory sections" "1 shared-memory blocks" \
    "1 logon sessions" "1 threads still running" \
    "LSA heap block .*, 100 bytes" "private heap block .*, 200 bytes" \
    "client buffer .*, 300 bytes" "section .* still had 1 live blocks (400 bytes)" \
    "logon session " "the DLL stays loaded"; do
    check "leak report names: $what" has "$what"
done
TESTPKG_MODE=leak lsahost --allow-leaks "$B/test/testpkg.dll"
check "--allow-leaks: exit 0 although leaks are still reported" sh -c "[ $rc -eq 0 ] && grep -q 'leak: 1 LSA heap' '$out'"

done_testing
