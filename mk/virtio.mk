# virtio devices: unit tests (also under ASan/UBSan with SANITIZE=1) and the
# libFuzzer harness over the virtqueue parser and request decoding.
#
#   make virtio-test                  build/tests/virtio_test (TAP)
#   make SANITIZE=1 virtio-test       build/sanitize/tests/virtio_test
#   make virtio-fuzz                  build/fuzz/virtio_fuzz (clang)
#   make fuzz-virtio FUZZ_SECONDS=600 run the fuzzer longer than make check does
#   make bench-virtio                 guest disk and TCP throughput, mvm and QEMU side by side (bench/virtio-bench.sh)

.PHONY: virtio-test virtio-fuzz fuzz-virtio

VIRTIO_DEV_SRCS := $(filter-out devices/virtio_setup.c,$(sort $(wildcard devices/virtio_*.c))) vmm/log.c
VIRTIO_DEV_OBJS := $(VIRTIO_DEV_SRCS:%.c=$(BUILD)/obj/%.o)
VIRTIO_TEST_SRCS := tests/virtio/virtio_test.c tests/virtio/driver.c tests/virtio/stubs.c
VIRTIO_TEST_OBJS := $(VIRTIO_TEST_SRCS:%.c=$(BUILD)/obj/%.o)

virtio-test: $(BUILD)/tests/virtio_test

$(BUILD)/tests/virtio_test: $(VIRTIO_TEST_OBJS) $(VIRTIO_DEV_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lfdt -lpthread

-include $(VIRTIO_TEST_OBJS:.o=.d)

# The fuzzer compiles the device sources itself: it needs clang's coverage
# instrumentation on them, whatever CC builds the VMM with.
FUZZ_CC ?= clang
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 600
VIRTIO_FUZZ_SRCS := tests/virtio/fuzz_virtqueue.c tests/virtio/stubs.c $(VIRTIO_DEV_SRCS)
VIRTIO_FUZZ_FLAGS := $(CFLAGS_COMMON) -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

virtio-fuzz: $(FUZZ_DIR)/virtio_fuzz

$(FUZZ_DIR)/virtio_fuzz: $(VIRTIO_FUZZ_SRCS) $(wildcard devices/*.h vmm/*.h tests/virtio/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(VIRTIO_FUZZ_FLAGS) -o $@ $(VIRTIO_FUZZ_SRCS) -lfdt -lpthread

fuzz-virtio: $(FUZZ_DIR)/virtio_fuzz
	tests/virtio/fuzz.sh $(FUZZ_SECONDS)

# Guest disk and TCP throughput on mvm's virtio devices (not a test; root).
.PHONY: bench-virtio
bench-virtio: all guest
	@mkdir -p build/bench
	bench/virtio-bench.sh -n $(or $(BENCH_RUNS),3) | tee build/bench/virtio.txt
