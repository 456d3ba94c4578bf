# Coverage-guided fuzzing of the CPU core (tests/fuzz-cpu): libFuzzer
# harnesses built with clang against the core's sources, compiled here with
# the same sanitizers (never touching the gcc build in build/).
#
#   make fuzz-cpu                     build/fuzz-cpu/fuzz_cpu, fuzz_decode
#   make fuzz-cpu-long FUZZ_SECONDS=600   fuzz both for that long each
#   tests/fuzz-cpu/run                the suite: corpus replay + 30 s (TAP)
#
# The core reads the time only through clock_gettime(); here it calls the
# harness's virtual clock instead (tests/fuzz-cpu/common.c), which makes
# runs deterministic and gives them an instruction budget.

.PHONY: fuzz-cpu fuzz-cpu-long

FUZZ_CPU_CC ?= clang
FUZZ_CPU_DIR := build/fuzz-cpu
FUZZ_SECONDS ?= 600
FUZZ_CPU_CORE_SRCS := vmm/cpu.c vmm/cp0.c vmm/tlb.c vmm/decode.c vmm/interp.c \
	vmm/code_cache.c vmm/bus.c vmm/log.c vmm/host_clock.c \
	$(wildcard vmm/cpu_debug.c)
# (SANITIZE=1 or TSAN=1 may be set: this build has its own sanitizers.)
FUZZ_CPU_FLAGS := $(filter-out -fsanitize=% -O% -Wno-tsan,$(CFLAGS_COMMON)) \
	-O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CPU_CORE_OBJS := $(FUZZ_CPU_CORE_SRCS:%.c=$(FUZZ_CPU_DIR)/obj/%.o)
FUZZ_CPU_COMMON_OBJ := $(FUZZ_CPU_DIR)/obj/common.o
FUZZ_CPU_BINS := $(FUZZ_CPU_DIR)/fuzz_cpu $(FUZZ_CPU_DIR)/fuzz_decode

fuzz-cpu: $(FUZZ_CPU_BINS)

$(FUZZ_CPU_DIR)/obj/vmm/%.o: vmm/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CPU_CC) $(FUZZ_CPU_FLAGS) -fsanitize=fuzzer-no-link \
		-Dclock_gettime=fuzz_clock_gettime -MMD -MP -c -o $@ $<

$(FUZZ_CPU_DIR)/obj/%.o: tests/fuzz-cpu/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CPU_CC) $(FUZZ_CPU_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_CPU_DIR)/fuzz_cpu: $(FUZZ_CPU_DIR)/obj/fuzz_cpu.o $(FUZZ_CPU_COMMON_OBJ) \
		$(FUZZ_CPU_CORE_OBJS)
	$(FUZZ_CPU_CC) $(FUZZ_CPU_FLAGS) -fsanitize=fuzzer -o $@ $^ -lpthread

$(FUZZ_CPU_DIR)/fuzz_decode: $(FUZZ_CPU_DIR)/obj/fuzz_decode.o $(FUZZ_CPU_COMMON_OBJ) \
		$(FUZZ_CPU_CORE_OBJS)
	$(FUZZ_CPU_CC) $(FUZZ_CPU_FLAGS) -fsanitize=fuzzer -o $@ $^ -lpthread

-include $(FUZZ_CPU_CORE_OBJS:.o=.d) $(FUZZ_CPU_COMMON_OBJ:.o=.d) \
	$(FUZZ_CPU_BINS:$(FUZZ_CPU_DIR)/%=$(FUZZ_CPU_DIR)/obj/%.d)

fuzz-cpu-long: fuzz-cpu
	tests/fuzz-cpu/fuzz.sh $(FUZZ_SECONDS)
