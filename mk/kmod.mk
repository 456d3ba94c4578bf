# mvm.ko and the QEMU MIPS64 host it runs on (issue #3).
#   make kmod        cross-builds build/kmod/mvm.ko against Debian's 5kc-malta headers
#   make selftests   cross-builds the static selftests into build/selftests/
#   make host-check  boots the host in QEMU, loads mvm.ko, runs the selftests (TAP)
#   make host-shell  the same host with a shell on the console (mvm.ko loaded)
#   make host-run    the host runs one guest (GUEST_KERNEL, GUEST_INITRD,
#                    GUEST_APPEND, GUEST_MEM, GUEST_BACKEND, HOST_CPU), console
#                    on this terminal, and powers off when the guest ends
KMOD_CROSS := mips64el-linux-gnuabi64-
KMOD_OUT := build/kmod
KMOD_HOST_DIR := $(or $(MVM_CACHE),$(HOME)/.cache/mvm)/host/current

.PHONY: kmod selftests host-check host-run host-shell host-fetch
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

host-check: kmod selftests guest baremetal
	@scripts/host/check.sh

host-shell: kmod selftests mips-vmm
	@scripts/host/check.sh --shell

# Guest files and options; empty means the default guest, kmod, 256M.
GUEST_KERNEL ?=
GUEST_INITRD ?=
GUEST_APPEND ?=
GUEST_MEM ?=
GUEST_BACKEND ?=
GUEST_KMOD_MODE ?=
HOST_CPU ?=
host-run: kmod selftests mips-vmm guest
	@GUEST_KERNEL="$(GUEST_KERNEL)" GUEST_INITRD="$(GUEST_INITRD)" \
	GUEST_APPEND="$(GUEST_APPEND)" GUEST_MEM="$(GUEST_MEM)" \
	GUEST_BACKEND="$(GUEST_BACKEND)" GUEST_KMOD_MODE="$(GUEST_KMOD_MODE)" \
	HOST_CPU="$(HOST_CPU)" \
		scripts/host/check.sh --run

# Benchmarks run on the host by host-check (printed as "# bench:" lines).
KMOD_BENCH := build/bench/kmod-bench
selftests: $(KMOD_BENCH)
$(KMOD_BENCH): bench/kmod-bench.c $(ST_LIB) $(ST_HDRS) | host-fetch
	@mkdir -p $(dir $@)
	$(KMOD_CROSS)gcc $(ST_CFLAGS) -o $@ $< $(ST_LIB)

# A static mips64el `mvm` for the host (its kmod backend drives /dev/mvm).
MIPS_LIBS := $(or $(MVM_CACHE),$(HOME)/.cache/mvm)/host/mips64el-libs
MIPS_OUT := build/mips64el
# The host's VMM is a plain build: SANITIZE=1/TSAN=1 are for this machine's.
MIPS_VMM_CFLAGS := $(filter-out -fsanitize=%,$(CFLAGS_COMMON))
MIPS_VMM_OBJS := $(VMM_SRCS:%.c=$(MIPS_OUT)/obj/%.o)
.PHONY: mips-vmm mips-libs
mips-libs:
	@scripts/host/fetch-vmm-libs.sh >/dev/null
mips-vmm: $(MIPS_OUT)/mvm
$(MIPS_OUT)/obj/%.o: %.c | mips-libs
	@mkdir -p $(dir $@)
	$(KMOD_CROSS)gcc $(MIPS_VMM_CFLAGS) -I$(MIPS_LIBS)/usr/include -MMD -MP -c -o $@ $<
$(MIPS_OUT)/mvm: $(MIPS_VMM_OBJS)
	$(KMOD_CROSS)gcc -static -o $@ $^ \
		-L$(MIPS_LIBS)/usr/lib/mips64el-linux-gnuabi64 $(LIBS)
-include $(MIPS_VMM_OBJS:.o=.d)

# Bare-metal programs both backends run (selftests/flat/*.S): hello.S on one
# vCPU, smp.S on two (one thread and one vCPU fd each under mvm.ko).
FLAT_HELLO := $(ST_OUT)/flat-hello.elf $(ST_OUT)/flat-smp.elf
selftests: $(FLAT_HELLO)
$(ST_OUT)/flat-%.elf: selftests/flat/%.S selftests/flat/flat.ld
	@mkdir -p $(dir $@)
	$(KMOD_CROSS)gcc -nostdlib -static -mno-abicalls -fno-pic -Wl,--build-id=none -T selftests/flat/flat.ld \
		-o $@ $<

# Kernel style of the module and its ABI header (checkpatch.pl from linux-source).
.PHONY: kmod-checkpatch
kmod-checkpatch: host-fetch
	@perl $(KMOD_HOST_DIR)/src/scripts/checkpatch.pl --no-tree --quiet -f \
		kmod/*.c kmod/*.h kmod/entry.S uapi/linux/mvm.h
