# hv: build the hypervisor (hv.elf), its UEFI loader (hvloader.efi), test EFI
# applications and child payloads, and host unit tests; run them all.
#   make          build everything
#   make test     host unit tests + QEMU integration tests, ends "N passed, N failed"
#   make run      boot the demo under QEMU with the serial console on this terminal
.SECONDEXPANSION:
BUILD ?= build
CC ?= gcc
LD ?= ld
HOSTCC ?= gcc

all: deps
	$(MAKE) build

build: hv loader tests-build $(BUILD)/tests/efi/demo.efi $(BUILD)/tests/efi/bench.efi \
	$(BUILD)/tests/efi/bench_sched.efi

include boot/efi.mk
# Fuzzers of hv/ itself (below); vmbus.mk builds its own and runs them all (fuzz-short).
HV_FUZZERS := fuzz_hypercall
HV_FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/%,$(HV_FUZZERS))
-include vmbus/vmbus.mk
-include arch/x86/vmx/vmx.mk
# Adds to PAYLOADS, EFI_TESTS, EFI_TEST_EXTRA_OBJS and PAYLOAD_EXTRA_OBJS_<name>.
-include vsp/vsp.mk

# --- the hypervisor ---------------------------------------------------------
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. \
	-ffreestanding -fno-builtin -fpie -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-fcf-protection=none -mno-sse -mno-mmx
# One image per vendor backend, chosen by the loader from CPUID: no vendor
# switch on any hot path (docs/architecture.md).
HV_COMMON_SRCS := $(wildcard hv/*.c hv/lib/*.c) \
	arch/x86/paging.c arch/x86/serial.c arch/x86/desc.c arch/x86/launch.c \
	arch/x86/fpu.c arch/x86/tsc.c arch/x86/gva_walk.c arch/x86/vp_context.c arch/x86/gpa_map.c arch/x86/apic.c \
	arch/x86/entry.S arch/x86/exception.S arch/x86/host_irq.S
HV_SVM_SRCS := $(HV_COMMON_SRCS) $(wildcard arch/x86/svm/*.c arch/x86/svm/*.S)
HV_VMX_SRCS := $(HV_COMMON_SRCS) $(wildcard arch/x86/vmx/*.c arch/x86/vmx/*.S)
HV_SVM_OBJS := $(patsubst %,$(BUILD)/hv/%.o,$(HV_SVM_SRCS))
HV_VMX_OBJS := $(patsubst %,$(BUILD)/hv/%.o,$(HV_VMX_SRCS))
HV_ELF := $(BUILD)/hv.elf
HV_VMX_ELF := $(BUILD)/hv-vmx.elf

$(BUILD)/hv/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hv/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c $< -o $@

define hv_link
$(LD) -static -pie --no-dynamic-linker -z noexecstack -z norelro --hash-style=sysv \
	-T linker.ld -o $(1) $(2)
@if readelf -r $(1) | awk '/R_X86_64_/ && $$3 != "R_X86_64_RELATIVE" {bad=1} END {exit bad}'; \
	then :; else echo "$(1) has relocations other than R_X86_64_RELATIVE" >&2; rm -f $(1); exit 1; fi
endef

$(HV_ELF): $(HV_SVM_OBJS) linker.ld
	$(call hv_link,$@,$(HV_SVM_OBJS))

$(HV_VMX_ELF): $(HV_VMX_OBJS) linker.ld
	$(call hv_link,$@,$(HV_VMX_OBJS))

hv: $(HV_ELF)

-include $(HV_SVM_OBJS:.o=.d) $(HV_VMX_OBJS:.o=.d)

.PHONY: all build hv loader tests-build test run clean
clean:
	rm -rf $(BUILD)

# --- host unit tests: arch-neutral logic compiled for the build machine -----
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
UNIT_DIR := $(BUILD)/unit
UNIT_TESTS := hypercall_decode paging memory format vlapic sched minroot cpuid_topology
unit_srcs_hypercall_decode := hv/hypercall_decode.c hv/hypercall_table.c
unit_srcs_paging := arch/x86/paging.c
unit_srcs_memory := hv/page_pool.c hv/frame.c
unit_srcs_format := hv/lib/format.c
unit_srcs_vlapic := hv/vlapic.c
unit_srcs_sched := hv/sched.c
unit_srcs_minroot := hv/minroot.c
unit_srcs_cpuid_topology := hv/cpuid_topology.c
UNIT_BINS := $(patsubst %,$(UNIT_DIR)/test_%,$(UNIT_TESTS))

$(UNIT_DIR)/test_%: tests/unit/test_%.c tests/unit/unit.c tests/unit/unit.h $$(unit_srcs_$$*) $(wildcard hv/*.h arch/x86/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ tests/unit/test_$*.c tests/unit/unit.c $(unit_srcs_$*)

unit: $(UNIT_BINS)
.PHONY: unit

# --- hypercall fuzzer: hv/ as it is, on a host fake of the machine (docs/fuzzing.md) ---
# Not linked: what needs the machine (faked in tests/fuzz/hv_host*.c) and
# partition.c, which hv_host_partition.c compiles in to reset its statics.
HV_FUZZ_SRCS := $(filter-out hv/init.c hv/lp.c hv/log.c hv/time.c hv/bench.c hv/partition.c,$(wildcard hv/*.c)) \
	arch/x86/paging.c arch/x86/gpa_map.c arch/x86/gva_walk.c arch/x86/vp_context.c arch/x86/svm/npt.c arch/x86/svm/svm_state.c \
	arch/x86/svm/svm_event.c
HV_FUZZ_HOST := tests/fuzz/hv_host.c tests/fuzz/hv_host_partition.c tests/fuzz/hv_host_vcpu.c \
	tests/fuzz/hv_host_pool.c tests/fuzz/hv_invariants.c
# Every page-pool call goes through hv_host_pool.c, which poisons free pages.
HV_FUZZ_LDFLAGS := -Wl,--wrap=page_pool_alloc,--wrap=page_pool_free,--wrap=page_pool_add,--wrap=page_pool_take

$(BUILD)/fuzz/fuzz_hypercall: tests/fuzz/fuzz_hypercall.c $(HV_FUZZ_HOST) $(HV_FUZZ_SRCS) hv/partition.c \
		$(wildcard tests/fuzz/*.h hv/*.h arch/x86/*.h arch/x86/svm/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(HV_FUZZ_LDFLAGS) -o $@ $< $(HV_FUZZ_HOST) $(HV_FUZZ_SRCS)

# --- child payloads: flat binaries a test parent loads into a child ---------
PAYLOAD_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -I. -I tests/payloads \
	-ffreestanding -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables
PAYLOADS += hello triple synic apic timers assert hostile bench intercepts exceptions spin sched_bench start_vp tlb fpu

payload_extra_apic := tests/payloads/irq.S
payload_extra_timers := tests/payloads/irq.S
payload_extra_assert := tests/payloads/irq.S
payload_extra_hostile := tests/payloads/irq.S
payload_extra_exceptions := tests/payloads/irq.S
payload_extra_sched_bench := tests/payloads/irq.S

$(BUILD)/payloads/%.elf: tests/payloads/%.c tests/payloads/start.S $$(payload_extra_$$*) $$(PAYLOAD_EXTRA_OBJS_$$*) \
		tests/payloads/payload.ld $(wildcard tests/payloads/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PAYLOAD_CFLAGS) -nostdlib -static -no-pie -Wl,-T,tests/payloads/payload.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ tests/payloads/start.S $(payload_extra_$*) $< \
		$(PAYLOAD_EXTRA_OBJS_$*)

$(BUILD)/payloads/%.bin: $(BUILD)/payloads/%.elf
	objcopy -O binary $< $@

# Each payload becomes payload_<name>_start/_end in the test applications.
$(BUILD)/blobs/%.o: $(BUILD)/payloads/%.bin
	@mkdir -p $(dir $@)
	printf '\t.data\n\t.globl payload_%s_start, payload_%s_end\npayload_%s_start:\n\t.incbin "%s"\npayload_%s_end:\n\t.section .note.GNU-stack,"",@progbits\n' \
		$* $* $* $< $* > $(@:.o=.S)
	$(CC) -c $(@:.o=.S) -o $@

# --- test EFI applications (the next stage under the hypervisor) ------------
EFI_TESTS += test_boot test_root test_child test_synic test_apic test_timers test_lifecycle test_hostile \
	test_sched test_sched_wake test_start_vp test_tlb test_fpu
EFI_TEST_LIB := $(patsubst %.c,$(BUILD)/efi/%.o,$(wildcard tests/efi/lib/*.c))
EFI_TEST_APPS := $(patsubst %,$(BUILD)/tests/efi/%.efi,$(EFI_TESTS))

$(BUILD)/tests/efi/%.efi: $(BUILD)/efi/tests/efi/%.o $(EFI_TEST_LIB) $(EFI_TEST_EXTRA_OBJS) \
		$(patsubst %,$(BUILD)/blobs/%.o,$(PAYLOADS))
	$(call efi_link,$@,$^)

tests-build: $(HV_ELF) $(LOADER) $(EFI_TEST_APPS) $(UNIT_BINS) $(VMBUS_UNIT_BINS) $(VMBUS_FUZZ_BINS) $(HV_FUZZ_BINS) $(VSP_UNIT_BINS) $(VMX_BUILD)
.SECONDARY:

# --- running ---------------------------------------------------------------
# Debian packages the build and the tests need; installed when missing and root.
DEB_PACKAGES := gcc make binutils gnu-efi mtools dosfstools qemu-system-x86 ovmf clang libclang-rt-14-dev \
	bochs bochs-term bochsbios vgabios
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing Debian packages (run as root to install): $$missing" >&2; exit 1; \
		fi; \
	fi

test: deps
	$(MAKE) tests-build
	tests/run-all

run: deps
	$(MAKE) hv loader $(BUILD)/tests/efi/demo.efi
	tests/run-efi --console --smp 2 --timeout 300 --name demo $(BUILD)/tests/efi/demo.efi

# Path lengths under -icount (docs/benchmarks.md); minutes, not part of make test.
bench: deps
	$(MAKE) build
	tests/bench

.PHONY: deps bench
