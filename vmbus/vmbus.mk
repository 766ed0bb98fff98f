# vmbus/: the VMBus library (rings, packets, channel management protocol),
# its host unit tests, the freestanding build check, fuzzers and benchmark.
# Included by the top Makefile before UNIT_CFLAGS/HV_CFLAGS are defined:
# those are used only inside recipes (expanded when they run).
#
#   VMBUS_UNIT_BINS        unit test binaries + the freestanding library (built by tests-build)
#   VMBUS_FREESTANDING_LIB the library built with the hypervisor's flags
#   make fuzz-short        every fuzzer for a short budget; fails on a crash
#   make bench-vmbus       ring throughput benchmark

VMBUS_SRCS := $(wildcard vmbus/*.c)
VMBUS_HDRS := $(wildcard vmbus/*.h)

# --- host unit tests: build/unit/test_vmbus_<name> ------------------------------
VMBUS_UNIT_TESTS := $(patsubst tests/unit/test_vmbus_%.c,%,$(wildcard tests/unit/test_vmbus_*.c))
VMBUS_UNIT_TEST_BINS := $(patsubst %,$(BUILD)/unit/test_vmbus_%,$(VMBUS_UNIT_TESTS))

$(BUILD)/unit/test_vmbus_%: tests/unit/test_vmbus_%.c tests/unit/unit.c tests/unit/unit.h \
		$(VMBUS_SRCS) $(VMBUS_HDRS) hv/types.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -pthread -o $@ $< tests/unit/unit.c $(VMBUS_SRCS)

# --- freestanding: the same sources with the hypervisor's flags --------------------
VMBUS_FREESTANDING_LIB := $(BUILD)/vmbus/freestanding/libvmbus.a
VMBUS_FREESTANDING_OBJS := $(patsubst vmbus/%.c,$(BUILD)/vmbus/freestanding/%.o,$(VMBUS_SRCS))
# Symbols the library may take from its environment (hv/lib/string.c provides them).
VMBUS_FREESTANDING_IMPORTS := memcpy memset memcmp

# -nostdinc: only the compiler's own headers (stdint.h, stddef.h, stdbool.h), no libc.
VMBUS_FREESTANDING_CFLAGS = $(HV_CFLAGS) -nostdinc -isystem $(shell $(CC) -print-file-name=include)

$(BUILD)/vmbus/freestanding/%.o: vmbus/%.c $(VMBUS_HDRS) hv/types.h hv/lib/string.h
	@mkdir -p $(dir $@)
	$(CC) $(VMBUS_FREESTANDING_CFLAGS) -c $< -o $@

# The archive is refused if, linked together, its objects need anything else.
$(VMBUS_FREESTANDING_LIB): $(VMBUS_FREESTANDING_OBJS)
	rm -f $@
	$(LD) -r -o $(@:.a=.o) $^
	@bad=$$(nm -u $(@:.a=.o) | awk '{print $$NF}' | grep -vxF $(addprefix -e ,$(VMBUS_FREESTANDING_IMPORTS))); \
	if [ -n "$$bad" ]; then echo "libvmbus.a (freestanding) needs: $$bad" >&2; exit 1; fi
	ar rcs $@ $^

VMBUS_UNIT_BINS := $(VMBUS_UNIT_TEST_BINS) $(VMBUS_FREESTANDING_LIB)

vmbus: $(VMBUS_UNIT_BINS)

# --- fuzzing (clang + libFuzzer: Debian clang-14 and libclang-rt-14-dev) -----------
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -I. -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
VMBUS_FUZZERS := $(filter-out $(HV_FUZZERS),$(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
VMBUS_FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/%,$(VMBUS_FUZZERS))
# Seconds each fuzzer runs in fuzz-short (the budget is split between them).
FUZZ_SECONDS ?= 10

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(VMBUS_SRCS) $(VMBUS_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(VMBUS_SRCS)

# The top Makefile's HV_FUZZERS are built there and run here with these.
fuzz-build: $(VMBUS_FUZZ_BINS) $(HV_FUZZ_BINS)

fuzz-short: $(VMBUS_FUZZ_BINS) $(HV_FUZZ_BINS)
	@set -e; for f in $(VMBUS_FUZZERS) $(HV_FUZZERS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$f; \
		echo "fuzz $$f: $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$f- $(BUILD)/fuzz/corpus/$$f tests/fuzz/seeds/$$f \
			2>$(BUILD)/fuzz/$$f.log || { tail -n 60 $(BUILD)/fuzz/$$f.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' $(BUILD)/fuzz/$$f.log; \
	done

# --- benchmark ------------------------------------------------------------------------
$(BUILD)/bench/bench_vmbus_ring: vmbus/bench/bench_ring.c $(VMBUS_SRCS) $(VMBUS_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -I. -Wall -Wextra -Werror -pthread -o $@ $< $(VMBUS_SRCS)

bench-vmbus: $(BUILD)/bench/bench_vmbus_ring
	$(BUILD)/bench/bench_vmbus_ring

.PHONY: vmbus fuzz-build fuzz-short bench-vmbus
