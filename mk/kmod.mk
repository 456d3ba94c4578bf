# mvm.ko and the QEMU MIPS64 host it runs on (issue #3).
#   make kmod        cross-builds build/kmod/mvm.ko against Debian's 5kc-malta headers
#   make selftests   cross-builds the static selftests into build/selftests/
#   make host-check  boots the host in QEMU, loads mvm.ko, runs the selftests (TAP)
KMOD_CROSS := mips64el-linux-gnuabi64-
KMOD_OUT := build/kmod
KMOD_HOST_DIR := $(or $(MVM_CACHE),$(HOME)/.cache/mvm)/host/current

.PHONY: kmod selftests host-check host-run host-fetch
host-fetch:
	@scripts/host/fetch.sh >/dev/null

kmod: host-fetch
	@scripts/host/build-kmod.sh

# Selftests: static mips64el programs, kselftest harness (cached by fetch.sh).
ST_OUT := build/selftests
ST_TESTS := $(patsubst selftests/%.c,$(ST_OUT)/%,$(wildcard selftests/*_test.c))
ST_LIB := $(wildcard selftests/lib/*.c)
ST_HDRS := $(wildcard selftests/include/*.h) uapi/linux/mvm.h
ST_CFLAGS := -static -O2 -g -Wall -Wextra -Wno-sign-compare -Wno-unused-parameter -Werror -D_GNU_SOURCE \
	-Iselftests/include -Iuapi -I$(KMOD_HOST_DIR)/kselftest

selftests: host-fetch $(ST_TESTS)

$(ST_OUT)/%: selftests/%.c $(ST_LIB) $(ST_HDRS) | host-fetch
	@mkdir -p $(ST_OUT)
	$(KMOD_CROSS)gcc $(ST_CFLAGS) -o $@ $< $(ST_LIB)

host-check: kmod selftests
	@scripts/host/check.sh

host-run: kmod selftests
	@scripts/host/check.sh --interactive

# Benchmarks run on the host by host-check (printed as "# bench:" lines).
KMOD_BENCH := build/bench/kmod-bench
selftests: $(KMOD_BENCH)
$(KMOD_BENCH): bench/kmod-bench.c $(ST_LIB) $(ST_HDRS) | host-fetch
	@mkdir -p $(dir $@)
	$(KMOD_CROSS)gcc $(ST_CFLAGS) -o $@ $< $(ST_LIB)
