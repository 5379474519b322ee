# wine-env.sh - sourced by the scripts that run Wine: a project-local, 64-bit, quiet
# prefix under build/, created on first use, and never a Mono or Gecko dialog.
top=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="$top/build/wineprefix"
export WINEARCH=win64
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
# Wine backs pagefile sections (CreateFileMapping(INVALID_HANDLE_VALUE, ...)) with a
# temporary file in its server folder under $TMPDIR. On disk, every page the host
# writes is written back and re-faulted; on tmpfs the section is plain memory, as a
# pagefile-backed section is on Windows.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi

wine_prefix_ready() {
    [ -f "$WINEPREFIX/.sspkg-ready" ] && return 0
    mkdir -p "$top/build"
    echo "wine: creating the prefix in $WINEPREFIX (once, a few seconds)" >&2
    wineboot --init >/dev/null 2>&1 || true
    wineserver -w
    [ -f "$WINEPREFIX/system.reg" ] || { echo "wine: could not create $WINEPREFIX" >&2; return 1; }
    touch "$WINEPREFIX/.sspkg-ready"
}
