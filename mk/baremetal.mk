# Bare-metal guest tests of the privileged architecture (tests/baremetal).
# `make baremetal` cross-compiles every tests/baremetal/<name>.c (plus an
# optional <name>-asm.S) with the runtime in tests/baremetal/rt into
# build/baremetal/<name>.elf. BM_UART=malta builds a variant for QEMU's
# malta board (UART at 0x1f000900, reg-shift 3) into build/baremetal-malta,
# to check the tests themselves against QEMU.

BM_CROSS ?= mips64el-linux-gnuabi64-
BM_DIR := tests/baremetal
BM_RT := $(BM_DIR)/rt
ifeq ($(BM_UART),malta)
BM_OUT := build/baremetal-malta
BM_DEFS := -DUART_BASE=0xffffffffbf000900ULL -DUART_SHIFT=3 -DBM_QEMU_MALTA
else
BM_OUT := build/baremetal
BM_DEFS :=
endif
BM_CFLAGS := -march=mips64r2 -mabi=64 -EL -msym32 -G0 -mno-abicalls -fno-pic \
	-ffreestanding -fno-builtin -nostdlib -static -O2 -g -Wall -Wextra -Werror \
	-fno-stack-protector -Wa,-mno-fix-loongson3-llsc -fno-tree-loop-distribute-patterns \
	-I$(BM_RT) $(BM_DEFS)
BM_LDFLAGS := -nostdlib -static -Wl,-T,$(BM_RT)/link.ld -Wl,--no-warn-rwx-segments \
	-Wl,--build-id=none
BM_PROGS := $(sort $(basename $(notdir $(wildcard $(BM_DIR)/*.c))))
BM_ELFS := $(BM_PROGS:%=$(BM_OUT)/%.elf)
BM_RT_SRCS := $(BM_RT)/start.S $(BM_RT)/rt.c $(BM_RT)/snippets.S
BM_RT_HDRS := $(wildcard $(BM_RT)/*.h) $(BM_RT)/link.ld

.PHONY: baremetal
baremetal: $(BM_ELFS)

$(BM_OUT)/%.elf: $(BM_DIR)/%.c $(BM_RT_SRCS) $(BM_RT_HDRS) $(wildcard $(BM_DIR)/*-asm.S) mk/baremetal.mk
	@mkdir -p $(dir $@)
	$(BM_CROSS)gcc $(BM_CFLAGS) $(BM_LDFLAGS) -o $@ $(BM_RT_SRCS) $< \
		$(wildcard $(BM_DIR)/$*-asm.S)
