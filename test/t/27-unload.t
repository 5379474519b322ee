#!/bin/sh
# A package that unloads itself (UnloadPackage, test/packages/testpkg.c modes unload and
# unload-early) while others keep serving: its SpShutdown runs once, after the call that
# asked returned; the notifications it registered are stopped, its heap blocks and return
# buffers kept until exit (the LSA may still be reading them); every later call to it, in
# process, from lsahost serve's clients, and from other packages' CallPackage, is refused
# with what lsass answers for a missing package, and said.
. "$(dirname "$0")/tap.sh"

cd "$B/test" || exit 1

# In process: the handshake picks testpkg (the first package with contexts).
TESTPKG_MODE=unload lsahost --trace --package=testpkg.dll --package=../sspkg.dll handshake \
    --user=alice --password=pencil
check "UnloadPackage during SpAcquireCredentialsHandle: said, naming the call" has \
    "package 0 (testpkg) called UnloadPackage (during SpAcquireCredentialsHandle): it is no longer a valid package"
check "... it returns STATUS_SUCCESS, its only documented answer" has "trace: UnloadPackage() = STATUS_SUCCESS"
check "... SpShutdown runs once for it" [ "$(grep -c 'SpShutdown() = STATUS_SUCCESS \[table 0, package 0\]' "$out")" -eq 1 ]
check "... after the call that asked returned" sh -c "grep -n 'SpShutdown() = .*package 0\]\|UnloadPackage() = ' '$out' | head -1 | grep -q UnloadPackage"
check "... the unload said what was done, and that its heap block stays" has \
    "package 0 (testpkg) unloaded: SpShutdown STATUS_SUCCESS; .* its 0 CallPackage return buffer(s), 1 heap block(s) and its DLL stay until lsahost exits"
check "the next call into it: SEC_E_SECPKG_NOT_FOUND, said" has \
    "SpAcquireCredentialsHandle refused: package 0 (testpkg) unloaded itself (UnloadPackage): SEC_E_SECPKG_NOT_FOUND"
check "... the credential it issued is no longer one: its free is refused too" has \
    "SpFreeCredentialsHandle refused: package 0 (testpkg) unloaded itself (UnloadPackage): SEC_E_SECPKG_NOT_FOUND"
check "... the other package still shuts down at exit" has "SpShutdown() = STATUS_SUCCESS \[table 0, package 1\]"
check "... and the run ends with the block it still held reported as a leak" has \
    "leak: LSA heap block .*, 48 bytes, from package 0 (testpkg)"

# During a logon that then returns its outputs, all LSA heap blocks charged to it: the
# LSA still reads and frees them after the call. lsahost freed them at the unload, then
# read freed memory (an empty account name) and refused its own frees.
AUTHPKG_MODE=unload-in-logon lsahost --package=authpkg.dll --package=authpkg2.dll logon \
    --user=alice --password=pencil
check "UnloadPackage during LsaApLogonUserEx2: the LSA still reads what it returned" \
    has "^account *alice$"
check "... its blocks stay until the LSA is done with them, never freed under it" \
    lacks "refused: free of"
check "... the unload says they stay" has \
    "package 0 (authpkg) unloaded: .*; its 0 CallPackage return buffer(s), 6 heap block(s) and its DLL stay until lsahost exits"
check "... and the LSA, done with them, freed them: nothing leaks" has "lsahost: no leaks"
check "... the credentials are handed to the other package (the logon stands)" \
    has "authpkg2: SpAcceptCredentials(type 2, account alice"

# While it starts: unloaded once started; another package's CallPackage* then finds no
# such package.
TESTPKG_MODE=unload-early AUTHPKG_CALLER=authpkg AUTHPKG_CALL=testpkg lsahost --trace \
    --package=testpkg.dll --package=authpkg.dll
check "UnloadPackage during SpInitialize: exit 0 (the run goes on)" status_is 0
check "... said, and done once the package has started" has \
    "package 0 called UnloadPackage (during SpInitialize) before lsahost listed it (while it starts): it is unloaded once listed"
check "... SpShutdown once" [ "$(grep -c 'SpShutdown() = STATUS_SUCCESS \[table 0, package 0\]' "$out")" -eq 1 ]
check "another package's CallPackage to it: STATUS_NO_SUCH_PACKAGE" has "authpkg: CallPackage: 0xc00000fe"
check "... CallPackageEx and CallPackagePassthrough too" sh -c \
    "grep -q 'authpkg: CallPackageEx: 0xc00000fe' '$out' && grep -q 'authpkg: CallPackagePassthrough: 0xc00000fe' '$out'"
check "... traced: it is asked for by name, but unloaded itself" has \
    "package 0 (testpkg) is asked for by name, but it unloaded itself (UnloadPackage): no such package"

# lsahost serve with sspkg (package 0) and testpkg (package 1).
serve_setup unload
pipe=$SSPKG_PIPE
wait_for() { for i in $(seq 1 100); do tr -d '\r' <"$1" | grep -q -- "$2" && return 0; sleep 0.1; done; return 1; }
TESTPKG_MODE=unload "$top/scripts/wine.sh" "$B/lsahost.exe" --store="$store" \
    --package=../sspkg.dll --package=testpkg.dll serve "--pipe=$pipe" >"$log" 2>&1 &
first_serve=$!
wait_for "$log" "serving"
"$top/scripts/wine.sh" ./attacker.exe acquire "$pipe" 1 2 2>&1 | tr -d '\r' >"$out"
check "serve: package 1's first credential is issued (it unloads itself meanwhile)" has "acquire 1 of package 1: 0x00000000"
check "... a request naming it afterwards: SEC_E_SECPKG_NOT_FOUND" has "acquire 2 of package 1: 0x80090305"
rc=0
"$top/scripts/wine.sh" ./pipe_client.exe pair "$pipe" alice pencil >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
check "... while package 0 still authenticates a client" status_is 0
"$top/scripts/wine.sh" ./attacker.exe acquire "$pipe" 0 1 2>&1 | tr -d '\r' >"$out"
check "... and still issues credentials" has "acquire 1 of package 0: 0x00000000"
pid=$(pgrep -f "lsahost.exe --store=$store --package=../sspkg.dll --package=testpkg.dll serve" | head -1)
kill -INT "$pid"
wait_for "$log" "no leaks\|leak:"
wait_for "$log" "leak: 1 item"
tr -d '\r' <"$log" >"$out"
check "lsahost's log: the refusal, said" has \
    "SpAcquireCredentialsHandle refused: package 1 (testpkg) unloaded itself (UnloadPackage): SEC_E_SECPKG_NOT_FOUND"
check "... the credential it issued, released with its client: refused, not passed to it" has \
    "SpFreeCredentialsHandle refused: package 1 (testpkg) unloaded itself (UnloadPackage): SEC_E_SECPKG_NOT_FOUND"
check "... its SpShutdown once" [ "$(grep -c 'package 1 (testpkg) unloaded: SpShutdown STATUS_SUCCESS' "$out")" -eq 1 ]

wait "$first_serve"

# UnloadPackage from a thread the package made (CreateThread), outside any call, while
# lsahost serve is idle: SpShutdown must wait until that thread has left the package's
# code (it ran at once, on that very thread, inside the package).
TESTPKG_MODE=unload-thread "$top/scripts/wine.sh" "$B/lsahost.exe" --store="$store" \
    --package=../sspkg.dll --package=testpkg.dll serve "--pipe=$pipe" >"$log" 2>&1 &
wait_for "$log" "testpkg: SpShutdown"
pid=$(pgrep -f "lsahost.exe --store=$store --package=../sspkg.dll --package=testpkg.dll serve" | head -1)
kill -INT "$pid"
wait_for "$log" "no leaks\|leak:"
tr -d '\r' <"$log" >"$out"
check "UnloadPackage from the package's own thread: SpShutdown after that thread left it" \
    has "testpkg: SpShutdown, the unloading thread gone from it"
check "... and after the thread said so" sh -c "grep -n 'unloading thread leaves\|testpkg: SpShutdown' '$out' |
    head -1 | grep -q 'leaves'"
check "... once" [ "$(grep -c 'package 1 (testpkg) unloaded: SpShutdown' "$out")" -eq 1 ]

done_testing
