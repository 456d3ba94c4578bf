# mvm top level. `make` builds the VMM for this machine; `make run` boots the
# default guest; `make check` runs every test. Both set up what they need.
# Each area adds its own targets in mk/*.mk; sources are picked up by wildcard.

CC ?= cc
BUILD := build
MVM_VERSION := 0.1.0

CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror -O2 -g \
	-I. -Ivmm -Idevices -Iuapi -DMVM_VERSION=\"$(MVM_VERSION)\"
LIBS := -lfdt -llzma -lz -lpthread -lrt

# TSAN=1 wins over SANITIZE=1 (the runtimes exclude each other), so a
# ThreadSanitizer build started from `make check SANITIZE=1` still works.
ifeq ($(TSAN),1)
BUILD := build/tsan
CFLAGS_COMMON += -fsanitize=thread -O1
LDFLAGS += -fsanitize=thread
else ifeq ($(SANITIZE),1)
BUILD := build/sanitize
CFLAGS_COMMON += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
endif

CFLAGS += $(CFLAGS_COMMON)

VMM_SRCS := $(sort $(wildcard vmm/*.c devices/*.c))
VMM_OBJS := $(VMM_SRCS:%.c=$(BUILD)/obj/%.o)
# Everything but main(): test programs link the core through this archive.
CORE_OBJS := $(filter-out $(BUILD)/obj/vmm/main.o,$(VMM_OBJS))

.PHONY: all setup guest run check clean
all: $(BUILD)/mvm

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libmvm.a: $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/mvm: $(BUILD)/obj/vmm/main.o $(BUILD)/libmvm.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(VMM_OBJS:.o=.d)

# Host packages (compilers, libraries, QEMU oracles); quick when present.
setup:
	@scripts/setup.sh

# The default guest: Debian's mips64r2el kernel and a busybox initramfs.
guest: setup
	@scripts/make-guest.sh

# Extra options for the guest: make run RUN_ARGS="--cpus 2 --mem 512M".
# Power-off (0) and Ctrl-a x (5) are the ordinary ways out, not failures.
run: setup all guest
	@$(BUILD)/mvm run --kernel $(HOME)/.cache/mvm/guest/vmlinuz \
		--initrd $(HOME)/.cache/mvm/guest/initramfs.cpio.gz $(RUN_ARGS); \
	rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc

# Runs every tests/*/run suite (TAP) and prints `N passed, N failed`.
# `make check SANITIZE=1` runs them on the ASan/UBSan build.
check: setup all guest
	@MVM=$(CURDIR)/$(BUILD)/mvm scripts/run-tests.sh

clean:
	rm -rf build

-include mk/*.mk
