# The VMM's own devices and board: host-side unit tests linked against the
# core (build/libmvm.a), also under ASan/UBSan with SANITIZE=1.
#
#   make devices-test             build/tests/devices_test (TAP)

.PHONY: devices-test

DEVICES_TEST_OBJS := $(BUILD)/obj/tests/devices/devices_test.o

devices-test: $(BUILD)/tests/devices_test

$(BUILD)/tests/devices_test: $(DEVICES_TEST_OBJS) $(BUILD)/libmvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(DEVICES_TEST_OBJS:.o=.d)
