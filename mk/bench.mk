# Benchmarks (bench/): not tests, never part of `make check`.
#   make bench          boot time and instructions per second, QEMU vs mvm
#   make bench-boot     bench/boot-time (BENCH_RUNS=N, default 3)
#   make bench-ips      bench/ips/run
#   make bench-work     bench/guest-work (userland tasks timed in the guest)
#   make qemu-boot      boots the default guest on QEMU malta (reference)
# Results are also written to build/bench/results.txt. (A benchmark's exit
# status survives the tee: the target fails when the script does.)

BENCH_RUNS ?= 3

.PHONY: bench bench-boot bench-ips bench-work bench-build qemu-boot

# The benchmarks measure QEMU even while build/mvm does not build yet.
bench-build: setup guest
	@$(MAKE) --no-print-directory all || \
		echo "bench: build/mvm did not build; mvm gets no numbers" >&2
	@$(MAKE) --no-print-directory isa-runner || \
		echo "bench: tests/isa cpu-runner did not build; no mvm-core number" >&2

bench-boot: bench-build
	@mkdir -p build/bench
	@{ bench/boot-time -n $(BENCH_RUNS); echo $$? > build/bench/boot-time.rc; } | tee build/bench/boot-time.txt
	@exit $$(cat build/bench/boot-time.rc)

bench-ips: bench-build
	@mkdir -p build/bench
	@{ bench/ips/run --runs $(BENCH_RUNS); echo $$? > build/bench/ips.rc; } | tee build/bench/ips.txt
	@exit $$(cat build/bench/ips.rc)

bench-work: bench-build
	@mkdir -p build/bench
	@{ bench/guest-work -n $(BENCH_RUNS); echo $$? > build/bench/guest-work.rc; } | tee build/bench/guest-work.txt
	@exit $$(cat build/bench/guest-work.rc)

bench: bench-boot bench-ips bench-work
	@{ date -u '+%Y-%m-%d %H:%M UTC'; uname -srm; \
	   grep -m1 'model name' /proc/cpuinfo; nproc; \
	   qemu-system-mips64el --version | head -1; \
	   cat build/bench/boot-time.txt build/bench/ips.txt \
	       build/bench/guest-work.txt; } > build/bench/results.txt
	@echo "bench: results in build/bench/results.txt"

qemu-boot: setup guest
	bench/qemu-boot.sh
