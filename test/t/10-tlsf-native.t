#!/bin/sh
# The portable allocator core, built natively with AddressSanitizer and UBSan.
exec "$(dirname "$0")/../../build/native/test_shm_tlsf"
