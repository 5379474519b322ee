#!/bin/sh
# Installs what sspkg needs to build and run on Debian: the MinGW-w64 cross compiler,
# 64-bit Wine, libgnutls30 (Wine's bcrypt loads it at run time for AES), prove, and
# the native gcc (sanitizer builds), OpenSSL's headers (the native protocol tests check
# the SCRAM core against an independent SHA-256), valgrind (instruction counts), and
# clang with libFuzzer's runtime (the fuzz targets in test/fuzz/), PostgreSQL 15 with
# openssl (samples/pg_login.c logs in to a private cluster the tests start, over TLS
# with a certificate they make), and GNU SASL's command line (gsasl: an independent
# SCRAM implementation the tests talk to).
# Does nothing when everything is already there; safe to run on every build.
set -eu

missing=""
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing="$missing gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64"
command -v wine >/dev/null 2>&1 || missing="$missing wine wine64"
[ -e /usr/lib/x86_64-linux-gnu/libgnutls.so.30 ] || missing="$missing libgnutls30"
command -v prove >/dev/null 2>&1 || missing="$missing perl"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
[ -e /usr/include/openssl/evp.h ] || missing="$missing libssl-dev"
command -v pgrep >/dev/null 2>&1 || missing="$missing procps"
command -v clang >/dev/null 2>&1 || missing="$missing clang"
command -v gsasl >/dev/null 2>&1 || missing="$missing gsasl"
# clang only recommends the runtime that -fsanitize=fuzzer links (libclang-rt-dev), and
# recommends are not installed below: ask clang where it would look.
[ -e "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
    missing="$missing libclang-rt-dev"

[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$missing postgresql-15"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"

[ -n "$missing" ] || exit 0

echo "install-deps: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "install-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
