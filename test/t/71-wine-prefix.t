#!/bin/sh
# Wine users' conventions: `make install-wine` installs into the prefix WINEPREFIX names
# (build/wineprefix only by default), and the scripts leave TMPDIR alone, so the user's
# own `wine` and the scripts share one wineserver per prefix: what one writes to the
# registry, the other sees at once.
. "$(dirname "$0")/tap.sh"
user_prefix="$B/test/user-prefix"
store="$B/test/user-prefix-store.txt"
rm -rf "$user_prefix" "$store"
lsahost --store="$store" user add alice --password=pencil
key='HKLM\System\CurrentControlSet\Control\Lsa\sspkg'

# The user's own Wine session: a fresh prefix and a wineserver kept alive, started by
# plain wine commands (as a user would, with no help from the scripts).
export WINEPREFIX="$user_prefix"
WINEARCH=win64 wineboot --init >/dev/null 2>&1
wineserver -p
trap 'wineserver -k 2>/dev/null; rm -f "$out" "$out.raw"' EXIT

rc=0
make -C "$top" -s install-wine >"$out" 2>&1 || rc=$?
check "make install-wine with WINEPREFIX set: exit 0" status_is 0
check "... it says it installed into that prefix" has "sspkg installed in $user_prefix"
check "... into the user's prefix as it was, not a new one" lacks "creating the prefix"
check "... the DLL is in that prefix's system32" [ -f "$user_prefix/drive_c/windows/system32/sspkg.dll" ]
check "... and not in the project's prefix" [ ! -f "$B/wineprefix/drive_c/windows/system32/sspkg.dll" ]
check "the user's plain wine sees the package's key at once (one wineserver, not two)" \
    sh -c "wine reg query '$key' >/dev/null 2>&1"
# Each wineserver works in server-<device>-<inode> of the prefix it serves.
servers_of_prefix() {
    dir=$(printf 'server-%x-%x' "$(stat -c %d "$user_prefix")" "$(stat -c %i "$user_prefix")")
    for pid in $(pgrep wineserver); do
        [ "$(basename "$(readlink "/proc/$pid/cwd")")" = "$dir" ] && echo "$pid"
    done | wc -l
}
check "... and one wineserver serves the prefix, not two" [ "$(servers_of_prefix)" -eq 1 ]

# A plain wine program of the user's against the installed package: the sample, both
# ends through Wine's secur32.
export SSPKG_VERIFIER_STORE="Z:$(echo "$store" | tr '/' '\\')"
cd "$B"
WINEDEBUG=-all wine ./sspi_ping.exe --provider=secur32.dll server "user-prefix-$$" >"$server_out.raw" 2>&1 &
server_pid=$!
rc=0
WINEDEBUG=-all wine ./sspi_ping.exe --provider=secur32.dll client "user-prefix-$$" alice pencil >"$out.raw" 2>&1 || rc=$?
tr -d '\r' <"$out.raw" >"$out"
wait $server_pid
check "plain wine: the sample authenticates through secur32 and the installed package" sh -c \
    "[ $rc -eq 0 ] && grep -q 'client got: .pong from the server.' '$out'"

rc=0
make -C "$top" -s uninstall-wine >"$out" 2>&1 || rc=$?
check "make uninstall-wine with WINEPREFIX set: removed from that prefix" sh -c \
    "[ $rc -eq 0 ] && grep -q 'sspkg removed from $user_prefix' '$out' && [ ! -f '$user_prefix/drive_c/windows/system32/sspkg.dll' ]"
check "... and plain wine no longer finds the key" sh -c "! wine reg query '$key' >/dev/null 2>&1"

# The scripts refuse a 32-bit prefix rather than failing later.
mkdir -p "$B/test/prefix32"
printf 'WINE REGISTRY Version 2\n#arch=win32\n' >"$B/test/prefix32/system.reg"
rc=0
WINEPREFIX="$B/test/prefix32" "$top/scripts/wine.sh" cmd /c exit >"$out" 2>&1 || rc=$?
check "a 32-bit prefix: refused with the reason" sh -c "[ $rc -ne 0 ] && grep -q 'is a 32-bit prefix' '$out'"
done_testing
