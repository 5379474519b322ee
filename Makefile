# sspkg: the SCRAM-SHA-256 security package and lsahost, the mock LSA.
#
#   make            build/sspkg.dll, build/lsahost.exe and the test programs
#   make run        the demo: a user, a traced handshake, a wrong password, a logon
#   make test       every test (native and under Wine), through prove
#   make bench      the benchmarks (never part of make test)
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each (default 60; docs/fuzzing.md)
#   make install-wine / uninstall-wine   sspkg as an LSA package of Wine's secur32
#
# scripts/demo.sh and scripts/test.sh install what is missing first.

CC       := x86_64-w64-mingw32-gcc
CFLAGS   := -std=c17 -Wall -Wextra -Werror -O2 -g -DUNICODE -D_UNICODE -Iinclude
LDFLAGS  := -static-libgcc
NATIVE_CC     := gcc
NATIVE_CFLAGS := -std=c17 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined \
                 -fno-omit-frame-pointer
# OpenSSL: an independent SHA-256/HMAC/PBKDF2 for the native protocol-core tests.
NATIVE_LIBS   := -lcrypto

B := build
WINE := scripts/wine.sh

COMMON_SRC  := $(wildcard src/common/*.c)
HOST_SRC    := $(filter-out src/host/lsahost_main.c,$(wildcard src/host/*.c src/host/*/*.c))
PACKAGE_SRC := $(wildcard src/package/*.c)
HEADERS     := $(wildcard include/*.h src/*.h src/*/*.h src/*/*/*.h test/*.h)

COMMON_OBJ  := $(COMMON_SRC:%.c=$(B)/obj/%.o)
HOST_OBJ    := $(HOST_SRC:%.c=$(B)/obj/%.o)
# The package carries the protocol core and the reader of marshalled identities; the
# host carries the allocator core.
SCRAM_SRC   := $(wildcard src/common/scram_*.c) src/common/auth_identity.c
PACKAGE_OBJ := $(PACKAGE_SRC:%.c=$(B)/obj/%.o) $(SCRAM_SRC:%.c=$(B)/obj/%.o)
HOST_LIBS   := -lbcrypt -lshlwapi

FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=c17 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst test/fuzz/fuzz_%.c,%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(B)/fuzz/%)
FUZZ_HEADERS := $(wildcard test/fuzz/*.h)
FUZZ_OBJ     := $(COMMON_SRC:%.c=$(B)/fuzz/obj/%.o) $(B)/fuzz/obj/test/fuzz/fuzz.o
FUZZ_IGNORE  := test/fuzz/coverage-ignore.txt

WINE_TESTS   := $(patsubst test/wine/%.c,$(B)/test/%.exe,$(wildcard test/wine/test_*.c))
NATIVE_TESTS := $(patsubst test/native/%.c,$(B)/native/%,$(wildcard test/native/test_*.c))
# test/packages/verpkg.c as one DLL per shape: verpkg-v<version>[-<layout><tables>]
# (layout: sdk, mingw or the version's own; see the file's comment), -noshutdown, and
# -ex3 (SpLogonUserEx3 and the surrogate entries).
VERPKG_SHAPES := v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11 v8-own2 v8-sdk2 v8-mingw2 v11-sdk2 \
                 v3-mingw2 v8-noshutdown v10-ex3
VERPKGS      := $(VERPKG_SHAPES:%=$(B)/test/verpkg-%.dll)
TEST_DLLS    := $(B)/test/testpkg.dll $(B)/test/authpkg.dll $(B)/test/authpkg2.dll $(B)/test/entrypkg.dll \
                $(B)/test/noexport.dll $(B)/test/sspkg.dll $(B)/test/attrpkg.dll $(B)/test/attrpkg-v1.dll \
                $(VERPKGS)
BENCHES      := $(B)/bench/bench_shm.exe $(B)/bench/bench_scram.exe $(B)/bench/bench_protect.exe \
                $(B)/bench/bench_remote.exe $(B)/bench/bench_fair.exe

.PHONY: all run test bench fuzz clean install-wine uninstall-wine
all: $(B)/sspkg.dll $(B)/lsahost.exe $(B)/sspkg_client.dll $(B)/sspkg-user.exe $(B)/sspi_ping.exe $(B)/pg_login.exe $(WINE_TESTS) $(TEST_DLLS) $(B)/test/shm_child.exe \
     $(B)/test/pipe_client.exe $(B)/test/lsa_api_client.exe $(B)/test/logon_client.exe $(B)/test/multi_client.exe $(B)/test/attr_client.exe $(B)/test/pw_client.exe $(B)/test/ansi_client.exe $(B)/test/attacker.exe $(B)/test/fake_lsa.exe \
     $(NATIVE_TESTS) $(FUZZ_BINS)

$(B)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/libhost.a: $(HOST_OBJ) $(COMMON_OBJ)
	x86_64-w64-mingw32-ar rcs $@ $^

$(B)/sspkg.dll: $(PACKAGE_OBJ) sspkg.def
	$(CC) -shared $(LDFLAGS) -o $@ $(PACKAGE_OBJ) sspkg.def -lbcrypt -lnetapi32

# The client SSPI DLL applications load (InitSecurityInterfaceW).
# The client end of lsahost's pipe: the calls, the check of who the server is, what the
# client checks in memory lsahost names, and how it says why it refused.
CLIENT_PIPE_SRC := src/client/client_pipe.c src/client/client_trust.c src/client/client_memory.c \
                   src/client/client_say.c src/common/lsa_wire.c
# It also exports the LSA client API (client_lsa.c); programs written against secur32's
# LsaCallAuthenticationPackage link its import library instead of secur32's.
CLIENT_DLL_SRC := src/client/client_sspi.c src/client/client_ansi.c src/client/client_lsa.c src/client/client_returned.c \
                  $(CLIENT_PIPE_SRC)
$(B)/sspkg_client.dll $(B)/libsspkg_client.dll.a &: $(CLIENT_DLL_SRC) src/client/sspkg_client.def $(HEADERS)
	$(CC) $(CFLAGS) -shared $(LDFLAGS) -o $(B)/sspkg_client.dll $(CLIENT_DLL_SRC) \
	    src/client/sspkg_client.def -Wl,--out-implib,$(B)/libsspkg_client.dll.a -lshlwapi

# The package's user administration, a client of the package through the LSA client
# API: linked with sspkg_client.dll it goes to lsahost serve; the same source linked
# with -lsecur32 would go to the real LSA on Windows.
$(B)/sspkg-user.exe: src/tools/sspkg_user.c src/common/sspkg_call.c $(B)/libsspkg_client.dll.a $(HEADERS)
	$(CC) $(CFLAGS) -municode $(LDFLAGS) -o $@ src/tools/sspkg_user.c src/common/sspkg_call.c \
	    -L$(B) -lsspkg_client

# Programs linked with sspkg_client.dll's import library (run from build/): the LSA
# client API's conventions, a client of an lsahost serving two packages, and the
# newer SSPI entries (attributes, passwords).
$(B)/test/lsa_api_client.exe $(B)/test/multi_client.exe $(B)/test/attr_client.exe $(B)/test/pw_client.exe: $(B)/test/%.exe: test/wine/%.c src/common/sspkg_call.c $(B)/libsspkg_client.dll.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< src/common/sspkg_call.c -L$(B) -lsspkg_client

# A program built without UNICODE, as many SSPI programs are: sspi.h's A forms, through
# sspkg_client.dll's InitSecurityInterfaceA (run from build/).
$(B)/test/ansi_client.exe: test/wine/ansi_client.c $(B)/libsspkg_client.dll.a test/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -DUNICODE -D_UNICODE,$(CFLAGS)) $(LDFLAGS) -o $@ $< -L$(B) -lsspkg_client

# LsaLogonUser through sspkg_client.dll (run from build/).
$(B)/test/logon_client.exe: test/wine/logon_client.c $(B)/libsspkg_client.dll.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -L$(B) -lsspkg_client

# The sample SSPI program, beside the DLLs it loads.
$(B)/sspi_ping.exe: samples/sspi_ping.c
	$(CC) $(CFLAGS) -municode $(LDFLAGS) -o $@ $<

# The PostgreSQL login sample: SCRAM through SSPI, TLS through Schannel.
$(B)/pg_login.exe: samples/pg_login.c samples/pg_tls.c samples/pg_tls.h
	$(CC) $(CFLAGS) -municode $(LDFLAGS) -o $@ samples/pg_login.c samples/pg_tls.c \
	    -lws2_32 -lcrypt32

# lsahost's monitor is a client of another lsahost: it links the client's pipe code
# (lsa_wire.c comes with libhost.a).
CLIENT_PIPE_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(filter src/client/%,$(CLIENT_PIPE_SRC)))
$(B)/lsahost.exe: $(B)/obj/src/host/lsahost_main.o $(CLIENT_PIPE_OBJ) $(B)/libhost.a
	$(CC) -municode $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# Test programs link the host's code directly, to call its callbacks one by one
# (and secur32, for the test of the package under Wine's own SSPI).
$(B)/test/%.exe: test/wine/%.c $(B)/libhost.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libhost.a $(HOST_LIBS) -lsecur32

# The package's handle table on its own, called directly.
$(B)/test/test_pkg_handles.exe: test/wine/test_pkg_handles.c src/package/pkg_handles.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< src/package/pkg_handles.c

# Test packages: test/packages/NAME.c with the exports in NAME.def.
$(B)/test/%.dll: test/packages/%.c test/packages/%.def $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared $(LDFLAGS) -o $@ $< test/packages/$*.def

# The -D flags of a verpkg shape: "v8-sdk2" is -DVERSION=8 -DLAYOUT=1 -DTABLES=2.
verpkg_version = $(patsubst v%,%,$(word 1,$(subst -, ,$1)))
verpkg_shape   = $(word 2,$(subst -, ,$1))
verpkg_layout  = $(if $(findstring sdk,$1),1,$(if $(findstring mingw,$1),2,0))
verpkg_tables  = $(if $(filter %2,$1),2,1)
verpkg_flags   = -DVERSION=$(call verpkg_version,$1) -DLAYOUT=$(call verpkg_layout,$(call verpkg_shape,$1)) \
                 -DTABLES=$(call verpkg_tables,$(call verpkg_shape,$1)) \
                 $(if $(filter noshutdown,$(call verpkg_shape,$1)),-DNULL_SHUTDOWN) \
                 $(if $(filter ex3,$(call verpkg_shape,$1)),-DLOGON_EX3)
$(VERPKGS): $(B)/test/verpkg-%.dll: test/packages/verpkg.c test/packages/verpkg.def $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(call verpkg_flags,$*) -shared $(LDFLAGS) -o $@ $< test/packages/verpkg.def

# authpkg.c again, named authpkg2, so that one authentication package can call another.
$(B)/test/authpkg2.dll: test/packages/authpkg.c test/packages/authpkg.def $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DAUTHPKG_NAME='"authpkg2"' -shared $(LDFLAGS) -o $@ $< test/packages/authpkg.def

# attrpkg.c declaring interface version 1, its newer entries filled all the same.
$(B)/test/attrpkg-v1.dll: test/packages/attrpkg.c test/packages/attrpkg.def $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DDECLARE_V1 -shared $(LDFLAGS) -o $@ $< test/packages/attrpkg.def

# Test programs run in build/test and load the package from there.
$(B)/test/sspkg.dll: $(B)/sspkg.dll
	@mkdir -p $(dir $@)
	cp $< $@

$(B)/test/noexport.dll: test/packages/noexport.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared $(LDFLAGS) -o $@ $<

# A client process of lsahost serve, speaking the pipe protocol through the client code.
$(B)/test/pipe_client.exe: test/wine/pipe_client.c $(CLIENT_PIPE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -municode $(LDFLAGS) -o $@ $< $(CLIENT_PIPE_SRC) -lshlwapi

# A hostile local process against lsahost serve: it speaks the pipe protocol by hand.
$(B)/test/attacker.exe: test/wine/attacker.c src/common/lsa_wire.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -municode $(LDFLAGS) -o $@ $< src/common/lsa_wire.c

# A server on lsahost's pipe that is not lsahost, or lsahost misbehaving.
$(B)/test/fake_lsa.exe: test/wine/fake_lsa.c src/common/lsa_wire.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< src/common/lsa_wire.c -lshlwapi

$(B)/test/shm_child.exe: test/wine/shm_child.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/native/%: test/native/%.c $(COMMON_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -o $@ $< $(COMMON_SRC) $(NATIVE_LIBS)

# libFuzzer targets (test/fuzz/fuzz_<target>.c -> build/fuzz/<target>): clang, with the
# portable code instrumented for coverage and every sanitizer report fatal.
$(FUZZ_OBJ): $(B)/fuzz/obj/%.o: %.c $(HEADERS) $(FUZZ_HEADERS) $(FUZZ_IGNORE)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=$(FUZZ_IGNORE) \
	    -c $< -o $@

$(FUZZ_BINS): $(B)/fuzz/%: test/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HEADERS) $(FUZZ_HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ)

# Each target for FUZZ_SECONDS from its seeds, then the executions it made.
fuzz: $(FUZZ_BINS)
	scripts/fuzz.sh --seconds=$(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(B)/bench/%.exe: bench/%.c $(B)/libhost.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 $(LDFLAGS) -o $@ $< $(B)/libhost.a $(HOST_LIBS)

# The remote benchmark is a client of lsahost serve as well as a host of its own.
$(B)/bench/bench_remote.exe: bench/bench_remote.c $(B)/libhost.a $(CLIENT_PIPE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 -municode $(LDFLAGS) -o $@ $< $(CLIENT_PIPE_SRC) $(B)/libhost.a $(HOST_LIBS)

$(B)/bench/bench_fair.exe: bench/bench_fair.c $(B)/libhost.a $(CLIENT_PIPE_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 -municode $(LDFLAGS) -o $@ $< $(CLIENT_PIPE_SRC) $(B)/libhost.a $(HOST_LIBS)

# The demo: a user in a store of its own, a handshake with every callback traced, and
# a wrong password, which must fail (lsahost exits 6 for a denied authentication).
DEMO := cd $(B) && ../$(WINE) lsahost.exe --store=demo-store.txt
run: $(B)/sspkg.dll $(B)/lsahost.exe
	rm -f $(B)/demo-store.txt
	$(DEMO) user add demo --password=pencil
	$(DEMO) --trace handshake --user=demo --password=pencil
	$(DEMO) handshake --user=demo --password=wrong; test $$? -eq 6
	$(DEMO) logon --user=demo --password=pencil

test: all
	scripts/run-tests.sh

# The package as an LSA package of the project's Wine prefix, for Wine's own secur32.
install-wine: $(B)/sspkg.dll
	scripts/install-wine.sh

uninstall-wine:
	scripts/install-wine.sh --uninstall

$(B)/native/tlsf_pairs: bench/tlsf_pairs.c $(COMMON_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(NATIVE_CC) -std=c17 -Wall -Wextra -Werror -O2 -g -o $@ $< $(COMMON_SRC)

bench: $(BENCHES) $(B)/native/tlsf_pairs $(B)/test/sspkg.dll $(B)/lsahost.exe $(B)/test/attacker.exe
	$(WINE) $(B)/bench/bench_shm.exe
	cd $(B)/test && ../../$(WINE) ../bench/bench_scram.exe
	cd $(B)/test && ../../$(WINE) ../bench/bench_protect.exe
	scripts/bench-remote.sh
	scripts/bench-fair.sh
	scripts/bench-instructions.sh $(B)/native/tlsf_pairs

clean:
	rm -rf $(B)
