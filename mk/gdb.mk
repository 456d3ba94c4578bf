# The gdb stub's test program (tests/gdb): a bare-metal ELF built with the
# runtime of tests/baremetal (see mk/baremetal.mk for the flags).
GDB_TEST_ELF := build/gdb/target.elf

.PHONY: gdb-target
gdb-target: $(GDB_TEST_ELF)

$(GDB_TEST_ELF): tests/gdb/target.c $(BM_RT_SRCS) $(BM_RT_HDRS) mk/gdb.mk
	@mkdir -p $(dir $@)
	$(BM_CROSS)gcc $(BM_CFLAGS) $(BM_LDFLAGS) -o $@ $(BM_RT_SRCS) $<
