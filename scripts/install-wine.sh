#!/bin/sh
# install-wine.sh [--uninstall] - installs sspkg.dll as an LSA package of the project's
# Wine prefix, the way Wine's secur32 finds them: the DLL in system32, and a subkey named
# after it under HKLM\System\CurrentControlSet\Control\Lsa (secur32 loads "<subkey>.dll").
# --uninstall removes both. Programs using secur32 then see the SCRAM-SHA-256 package;
# its server side finds users in SSPKG_VERIFIER_STORE (or the default store).
set -eu
. "$(dirname "$0")/wine-env.sh"
wine_prefix_ready
key='HKLM\System\CurrentControlSet\Control\Lsa\sspkg'
dll="$WINEPREFIX/drive_c/windows/system32/sspkg.dll"
if [ "${1:-}" = "--uninstall" ]; then
    wine reg delete "$key" /f >/dev/null 2>&1 || true
    rm -f "$dll"
    echo "install-wine: sspkg removed from $WINEPREFIX"
    exit 0
fi
[ -f "$top/build/sspkg.dll" ] || { echo "install-wine: build/sspkg.dll is missing (run make)" >&2; exit 1; }
cp "$top/build/sspkg.dll" "$dll"
wine reg add "$key" /f >/dev/null 2>&1
echo "install-wine: sspkg installed in $WINEPREFIX (secur32 loads it as an LSA package)"
