#!/bin/sh
# Several package DLLs in one lsahost, as lsass holds its Security Packages list: loaded
# in order, package ids in order across all their tables, commands against the package
# --use names (or the first that fits), and leaks charged to the package that took them.
. "$(dirname "$0")/tap.sh"

cd "$B/test" || exit 1

lsahost --trace sspkg.dll authpkg.dll verpkg-v8-own2.dll
check "three DLLs (four packages) load, run and unload: exit 0" status_is 0
check "sspkg's table is package 0" sh -c "grep -A1 '^package 0:' '$out' | grep -q 'SCRAM-SHA-256'"
check "authpkg's table is package 1" sh -c "grep -A1 '^package 1:' '$out' | grep -q 'authpkg'"
check "verpkg's two tables are packages 2 and 3" sh -c \
    "grep -A1 '^package 2:' '$out' | grep -q 'verpkg-0' && grep -A1 '^package 3:' '$out' | grep -q 'verpkg-1'"
check "each table gets its id in SpInitialize" sh -c \
    "grep -q 'SpInitialize(PackageId=0) = STATUS_SUCCESS' '$out' && grep -q 'SpInitialize(PackageId=1) = STATUS_SUCCESS' '$out' && grep -q 'SpInitialize(PackageId=3) = STATUS_SUCCESS' '$out'"
check "sspkg's LsaApInitializePackage gets id 0" has "LsaApInitializePackage(AuthenticationPackageId=0)"
check "authpkg uses its own id (1) for its credentials" has "AddCredential(LogonId=.*, AuthenticationPackage=1) = STATUS_SUCCESS"
check "the DLLs load in the order given" sh -c \
    "grep 'lsahost: trace: SpLsaModeInitialize(' '$out' | sed -n '1p' | grep -q 'sspkg.dll' && grep 'lsahost: trace: SpLsaModeInitialize(' '$out' | sed -n '3p' | grep -q 'verpkg-v8-own2.dll'"
check "they shut down the last first" sh -c \
    "grep -n 'SpShutdown() = ' '$out' | head -1 | grep -q 'package 3' && grep 'SpShutdown() = ' '$out' | tail -1 | grep -q 'package 0'"
check "no leaks" has "lsahost: no leaks"

lsahost --package=authpkg.dll --package=sspkg.dll
check "--package may be given several times: exit 0" status_is 0
check "... in that order" sh -c "grep -A1 '^package 0:' '$out' | grep -q authpkg && grep -A1 '^package 1:' '$out' | grep -q SCRAM-SHA-256"

# Commands act on one package: --use=NAME, else the first that has what they need.
store="$B/test/multi-store.txt"
rm -f "$store"
lsahost "--store=$(winpath "$store")" --package=authpkg.dll --package=sspkg.dll \
    --use=SCRAM-SHA-256 user add alice --password=pencil
check "user with --use=SCRAM-SHA-256 reaches sspkg: exit 0" status_is 0
lsahost "--store=$(winpath "$store")" --package=authpkg.dll --package=sspkg.dll \
    handshake --user=alice --password=pencil
check "handshake without --use takes the first package with contexts (sspkg, package 1)" status_is 0
check "... and authenticates" has "client: authenticated (SEC_E_OK"
lsahost "--store=$(winpath "$store")" --package=authpkg.dll --package=sspkg.dll \
    --use=scram-sha-256 handshake --user=alice --password=pencil
check "--use compares names without regard to case" status_is 0
lsahost --package=authpkg.dll --package=sspkg.dll --use=authpkg handshake --user=alice --password=pencil
check "--use naming a package without contexts: exit 6" status_is 6
check "... said, with its id" has "handshake: package 0 (authpkg) has no SpAcquireCredentialsHandle and a context entry"
lsahost --package=authpkg.dll --package=sspkg.dll --use=nosuch handshake --user=alice --password=pencil
check "--use naming no loaded package: exit 6" status_is 6
check "... said" has "handshake: --use=nosuch names no loaded package"
lsahost --package=testpkg.dll --package=authpkg.dll logon --user=alice --password=pencil
check "logon without --use takes the first package with LsaApLogonUser* (authpkg, package 1)" status_is 0
check "... its credentials are listed under its id" has 'key "alice", 14 byte(s)'
# sspkg has LsaApLogonUserEx2 too: first in the list, it is the one logon takes, and
# alice is no user of its (empty) store; --use picks the other.
store="$B/test/multi-logon-store.txt"
rm -f "$store"
lsahost --store="$store" --package=sspkg.dll --package=authpkg.dll logon --user=alice --password=pencil
check "sspkg first: logon without --use takes sspkg, which does not know alice (exit 6)" sh -c \
    "[ $rc -eq 6 ] && grep -q 'LsaApLogonUserEx2 *STATUS_LOGON_FAILURE' '$out'"
lsahost --store="$store" --package=sspkg.dll --package=authpkg.dll --use=authpkg logon --user=alice --password=pencil
check "... --use=authpkg takes authpkg, which logs alice on" status_is 0

# Leaks, per package.
TESTPKG_MODE=leak lsahost authpkg.dll testpkg.dll
check "a leaking package among two: exit 4" status_is 4
check "the heap block is charged to the package that took it" has \
    "leak: package 1 (testpkg) holds 1 LSA heap blocks (100 bytes) of 1 acquired"
check "... and its client buffer" has "leak: package 1 (testpkg) holds 1 client buffers (300 bytes) of 1 acquired"
check "... the block itself names it" has "leak: LSA heap block .*, 100 bytes, from package 1 (testpkg)"
check "the package that cleaned up is not blamed" lacks "package 0 (authpkg) holds"
check "its thread keeps its DLL loaded, and says which" has "the DLL stays loaded (.*testpkg.dll)"

# What stops the set.
lsahost --trace sspkg.dll no-such.dll
check "one DLL that cannot be loaded: exit 2" status_is 2
check "... named" has "cannot load package: no-such.dll: .*no such file"
check "... before any package started" lacks "SpInitialize(PackageId="

TESTPKG_MODE=init-fails lsahost authpkg.dll testpkg.dll
check "a package that fails to start among two: exit 3" status_is 3
check "... named with its DLL" has "package failed: testpkg.dll: table 0: SpInitialize failed with STATUS_INTERNAL_ERROR"
check "... and the one that started is shut down" has "authpkg: DeleteLogonSession: 0x00000000"

lsahost v1 v2 v3 v4 v5 v6 v7 v8 v9
check "nine DLLs: more than lsahost loads, exit 1" status_is 1
check "... said" has "at most 8 package DLLs"

done_testing
