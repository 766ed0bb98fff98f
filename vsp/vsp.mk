# vsp/: the VSP framework and its devices (echo, heartbeat), their host unit
# tests, and the VMBus integration test (test_vmbus + the vmbus_guest payload).
# Included by the top Makefile before its payload and test-application rules;
# PAYLOAD_CFLAGS, EFI_CFLAGS and UNIT_CFLAGS are used inside recipes only.
#
#   VSP_UNIT_BINS   host unit tests build/unit/test_vsp_<name>
#   make vsp        builds them

VSP_SRCS := $(wildcard vsp/*.c)
VSP_HDRS := $(wildcard vsp/*.h)
VSP_VMBUS_SRCS := $(wildcard vmbus/*.c)
VSP_VMBUS_HDRS := $(wildcard vmbus/*.h)
# The guest's half of the IC framework (Linux hv_utils behaviour), shared with the unit tests.
VSP_IC_GUEST := tests/payloads/vmbus_ic_guest.c
VSP_IC_GUEST_HDR := tests/payloads/vmbus_ic_guest.h

# --- integration test: test application and child payload ---------------------------
EFI_TESTS += test_vmbus
PAYLOADS += vmbus_guest

# Linked into every test application (compiled with EFI_CFLAGS by boot/efi.mk's
# $(BUILD)/efi/%.o rule): the vmbus library, the VSP framework and devices, the
# root-side SynIC transport, and memcmp (libefi has memcpy and memset, not memcmp).
VSP_EFI_SRCS := $(VSP_VMBUS_SRCS) $(VSP_SRCS) tests/efi/vmbus_synic.c tests/efi/vmbus_libc.c
VSP_EFI_OBJS := $(patsubst %.c,$(BUILD)/efi/%.o,$(VSP_EFI_SRCS))
EFI_TEST_EXTRA_OBJS += $(VSP_EFI_OBJS)

# The child payload's extra objects: the guest half of the vmbus library, the IC
# guest, and the hypervisor's string routines, all with PAYLOAD_CFLAGS.
VSP_PAYLOAD_SRCS := vmbus/ring.c vmbus/packet.c vmbus/channel_msg.c vmbus/channel_client.c \
	hv/lib/string.c $(VSP_IC_GUEST)
PAYLOAD_EXTRA_OBJS_vmbus_guest := $(patsubst %.c,$(BUILD)/payload-objs/%.o,$(VSP_PAYLOAD_SRCS))
# Interrupt entry: on an LP of its own the guest halts until the SINT 2 interrupt.
payload_extra_vmbus_guest := tests/payloads/irq.S

$(BUILD)/payload-objs/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PAYLOAD_CFLAGS) -MMD -MP -c $< -o $@

# The payload runs from GPA 0x10000; its SynIC pages and rings start at 0x20000
# (tests/payloads/vmbus_guest.c): refuse an image (with .bss) that reaches them.
VSP_GUEST_LIMIT := 0x20000
$(BUILD)/payloads/vmbus_guest.fits: $(BUILD)/payloads/vmbus_guest.elf
	@end=0; for e in $$(readelf -lW $< | awk '$$1 == "LOAD" { print $$3 "+" $$6 }'); do \
		v=$$(($$e)); [ $$v -gt $$end ] && end=$$v; done; \
	if [ $$end -gt $$(($(VSP_GUEST_LIMIT))) ]; then \
		printf 'vmbus_guest ends at 0x%x, beyond %s\n' $$end $(VSP_GUEST_LIMIT) >&2; exit 1; fi; \
	printf 'vmbus_guest: 0x10000-0x%x\n' $$end; touch $@
$(BUILD)/blobs/vmbus_guest.o: $(BUILD)/payloads/vmbus_guest.fits

-include $(VSP_EFI_OBJS:.o=.d) $(BUILD)/efi/tests/efi/test_vmbus.d
-include $(PAYLOAD_EXTRA_OBJS_vmbus_guest:.o=.d)

# --- host unit tests: build/unit/test_vsp_<name> ----------------------------------------
VSP_UNIT_TESTS := $(patsubst tests/unit/test_vsp_%.c,%,$(wildcard tests/unit/test_vsp_*.c))
VSP_UNIT_BINS := $(patsubst %,$(BUILD)/unit/test_vsp_%,$(VSP_UNIT_TESTS))

$(BUILD)/unit/test_vsp_%: tests/unit/test_vsp_%.c tests/unit/test_vsp_harness.h tests/unit/unit.c \
		tests/unit/unit.h $(VSP_SRCS) $(VSP_HDRS) $(VSP_VMBUS_SRCS) $(VSP_VMBUS_HDRS) \
		$(VSP_IC_GUEST) $(VSP_IC_GUEST_HDR) hv/types.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -I tests/payloads -o $@ $< tests/unit/unit.c $(VSP_SRCS) $(VSP_VMBUS_SRCS) \
		$(VSP_IC_GUEST)

vsp: $(VSP_UNIT_BINS)

.PHONY: vsp
