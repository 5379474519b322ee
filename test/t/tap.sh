# tap.sh - sourced by the shell tests: TAP output and a way to run lsahost.
top=$(cd "$(dirname "$0")/../.." && pwd)
B="$top/build"
# Whatever prefix the user works in, the tests use the project's own.
export WINEPREFIX="$B/wineprefix"
n=0
failed=0

# check DESCRIPTION COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
    desc=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc"
        failed=$((failed + 1))
        # On standard error, as Test::More's diag, so that prove shows it without -v
        # (and a failure in CI says what the command printed).
        {
            echo "# output was:"
            sed 's/^/#   /' "$out" | head -40
        } >&2
    fi
}

out=$(mktemp)
trap 'rm -f "$out" "$out.raw"' EXIT

# lsahost ARGS...: runs build/lsahost.exe, output (stdout and stderr) in $out, exit
# status in $rc. Windows line ends are dropped.
lsahost() {
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$@" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    rm -f "$out.raw"
}

# winpath PATH: a Unix path as Wine names it (its Z: drive is /).
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

has() { grep -q -- "$1" "$out"; }
lacks() { ! grep -q -- "$1" "$out"; }
status_is() { [ "$rc" -eq "$1" ]; }

# ping PROVIDER LINK PASSWORD: the sample SSPI program (build/sspi_ping.exe) as a server
# in the background and a client (user alice), both with PROVIDER's function table.
# The client's output goes to $out and its status to $rc; the server's to $server_out
# and $server_rc. Run from build/.
server_out="$B/test/sample-server.out"
ping() {
    "$top/scripts/wine.sh" ./sspi_ping.exe "--provider=$1" server "$2" >"$server_out.raw" 2>&1 &
    server_pid=$!
    rc=0
    "$top/scripts/wine.sh" ./sspi_ping.exe "--provider=$1" client "$2" alice "$3" \
        >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    server_rc=0
    wait $server_pid || server_rc=$?
    tr -d '\r' <"$server_out.raw" >"$server_out"
}
server_has() { grep -q -- "$1" "$server_out"; }

# ping_bound PROVIDER CLIENT_DATA SERVER_DATA LINK: ping, with each end on its own
# channel (sspi_ping --channel-binding=DATA), password pencil.
ping_bound() {
    "$top/scripts/wine.sh" ./sspi_ping.exe "--provider=$1" "--channel-binding=$3" \
        server "$4" >"$server_out.raw" 2>&1 &
    server_pid=$!
    rc=0
    "$top/scripts/wine.sh" ./sspi_ping.exe "--provider=$1" "--channel-binding=$2" \
        client "$4" alice pencil >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    server_rc=0
    wait $server_pid || server_rc=$?
    tr -d '\r' <"$server_out.raw" >"$server_out"
}

# serve_setup NAME: what a test of lsahost serve's client processes starts from: a pipe
# of its own (SSPKG_PIPE), a verifier store with alice (password pencil) in $store, a log
# path in $log, and clients that may run from build/test yet find build/lsahost.exe
# serving (SSPKG_LSAHOST_IMAGE).
serve_setup() {
    SSPKG_LSAHOST_IMAGE=$(winpath "$B/lsahost.exe")
    SSPKG_PIPE='\\.\pipe\sspkg-'$1-$$
    export SSPKG_LSAHOST_IMAGE SSPKG_PIPE
    store="$B/test/$1-store.txt"
    log="$B/test/$1-lsahost.log"
    rm -f "$store"
    lsahost --store="$store" user add alice --password=pencil
}

# tap_program FILE DESCRIPTION COMMAND...: runs a test program that prints TAP; its lines
# become this test's (renumbered), then one more line checks it ran its whole plan. Its
# output is kept in FILE.
tap_program() {
    file=$1 desc=$2
    shift 2
    "$@" 2>/dev/null | tr -d '\r' >"$file"
    n_before=$n
    while IFS= read -r tapline; do
        n=$((n + 1))
        case $tapline in
        "not ok "*) failed=$((failed + 1)); echo "not ok $n - ${tapline#not ok * - }" ;;
        "ok "*) echo "ok $n - ${tapline#ok * - }" ;;
        esac
    done <<EOT
$(grep '^\(not \)\?ok ' "$file")
EOT
    check "$desc ran every check ($((n - n_before)) lines, plan $(grep '^1\.\.' "$file"))" \
        grep -q "^1\.\.$((n - n_before))\$" "$file"
}

done_testing() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
}
