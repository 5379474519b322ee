# tap.sh - sourced by the shell tests: TAP output and a way to run lsahost.
top=$(cd "$(dirname "$0")/../.." && pwd)
B="$top/build"
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
        echo "# output was:"
        sed 's/^/#   /' "$out" | head -40
    fi
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# lsahost ARGS...: runs build/lsahost.exe, output (stdout and stderr) in $out, exit
# status in $rc. Windows line ends are dropped.
lsahost() {
    rc=0
    "$top/scripts/wine.sh" "$B/lsahost.exe" "$@" >"$out.raw" 2>&1 || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    rm -f "$out.raw"
}

has() { grep -q -- "$1" "$out"; }
lacks() { ! grep -q -- "$1" "$out"; }
status_is() { [ "$rc" -eq "$1" ]; }

done_testing() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
}
