# Differential ISA tests (tests/isa): generated programs run on
# qemu-mips64el-static (the oracle) and on mvm's CPU core (cpu-runner).
# `make isa-check` runs the suite alone.

ISA_DIR := $(BUILD)/isa
ISA_CROSS ?= mips64el-linux-gnuabi64-gcc
ISA_QEMU ?= qemu-mips64el-static -cpu MIPS64R2-generic
ISA_GUEST_CFLAGS := -march=mips64r2 -mabi=64 -static -nostdlib -ffreestanding \
	-fno-pic -mno-abicalls -G0 -O2 -fno-stack-protector -fno-builtin \
	-Wall -Wextra -Werror -Wa,--fatal-warnings -Itests/isa \
	-Wl,--section-start=.scratch=0x110000000 -Wl,--build-id=none

.PHONY: isa-oracle isa-runner isa-check

$(ISA_DIR)/cases.S: tests/isa/gen.py
	@mkdir -p $(ISA_DIR)
	python3 tests/isa/gen.py $(ISA_DIR)

$(ISA_DIR)/manifest.tsv: $(ISA_DIR)/cases.S

$(ISA_DIR)/isa.elf: tests/isa/harness.S tests/isa/driver.c tests/isa/isa-record.h \
		$(ISA_DIR)/cases.S
	$(ISA_CROSS) $(ISA_GUEST_CFLAGS) -o $@ tests/isa/harness.S tests/isa/driver.c \
		$(ISA_DIR)/cases.S

$(ISA_DIR)/expected.bin: $(ISA_DIR)/isa.elf
	$(ISA_QEMU) $< > $@.tmp
	mv $@.tmp $@

$(ISA_DIR)/cpu-runner: tests/isa/cpu-runner.c tests/isa/isa-record.h $(BUILD)/libmvm.a
	@mkdir -p $(ISA_DIR)
	$(CC) $(CFLAGS) $(LDFLAGS) -Itests/isa -o $@ $< $(BUILD)/libmvm.a $(LIBS)

isa-oracle: $(ISA_DIR)/expected.bin $(ISA_DIR)/manifest.tsv
isa-runner: $(ISA_DIR)/cpu-runner

isa-check: all
	@SUITES=isa scripts/run-tests.sh
