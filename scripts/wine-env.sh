# wine-env.sh - sourced by the scripts that run Wine: a 64-bit, quiet prefix, never a
# Mono or Gecko dialog. The prefix is the one WINEPREFIX names, as for any Wine program;
# without one, the project's own, build/wineprefix, created on first use. (The tests
# always use build/wineprefix: they install and remove things in it.)
#
# TMPDIR is left alone: Wine keeps its server's folder under it, and a script that
# changed it would start a second wineserver for a prefix the user's own `wine` already
# serves (registry writes through one are lost when the other exits).
top=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="${WINEPREFIX:-$top/build/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY

# A prefix that exists is used as it is, if it is 64-bit (sspkg is x86_64 only); one
# that does not is made. (A prefix a running wineserver has just made may not have its
# registry files yet: its dosdevices folder says it exists.)
wine_prefix_ready() {
    if [ -f "$WINEPREFIX/system.reg" ] || [ -d "$WINEPREFIX/dosdevices" ]; then
        if grep -qs '^#arch=win32' "$WINEPREFIX/system.reg"; then
            echo "wine: $WINEPREFIX is a 32-bit prefix; sspkg needs a 64-bit one (WINEARCH=win64)" >&2
            return 1
        fi
        export WINEARCH=win64
        return 0
    fi
    export WINEARCH=win64
    mkdir -p "$WINEPREFIX"
    echo "wine: creating the prefix in $WINEPREFIX (once, a few seconds)" >&2
    wineboot --init >/dev/null 2>&1 || true
    wineserver -w
    [ -f "$WINEPREFIX/system.reg" ] || { echo "wine: could not create $WINEPREFIX" >&2; return 1; }
}
