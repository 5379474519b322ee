#!/bin/sh
# wine.sh PROGRAM [ARGS...] - runs a Windows program in the project's Wine prefix and
# exits with its exit status.
set -eu
. "$(dirname "$0")/wine-env.sh"
wine_prefix_ready
exec wine "$@"
