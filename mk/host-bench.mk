# Guest under mvm.ko (patch mode, mvm's default) vs bare metal, on the QEMU MIPS64 host:
#   make bench-host   boots the host with mvm.bench: bench/host/* natively
#                     and in the default guest, guest boot under kmod vs
#                     emu, exits per second by reason (mvm_exit tracepoint).
# Not a test (never part of `make check`); prints "# bench:" lines, kept in
# build/host/bench-<cpu>.txt. Documentation/performance.md has the method.
HOST_BENCH_OUT := build/bench/host
HOST_BENCH_PROGS := $(patsubst bench/host/%.c,$(HOST_BENCH_OUT)/%,$(wildcard bench/host/*.c))

.PHONY: bench-host host-bench-progs
host-bench-progs: $(HOST_BENCH_PROGS)
$(HOST_BENCH_OUT)/%: bench/host/%.c
	@mkdir -p $(dir $@)
	$(KMOD_CROSS)gcc -static -O2 -Wall -Wextra -Werror -o $@ $<

bench-host: kmod selftests mips-vmm guest host-bench-progs
	@MVM_HOST_CPUS=$(or $(HOST_CPU),$(firstword $(MVM_HOST_CPUS) MIPS64R2-generic)) \
		scripts/host/check.sh --bench
