/* Hypercall input value rules: hypercall-interface.md, "Hypercall Inputs". */
#include "unit.h"
#include "hv/hvcall.h"

static HV_STATUS dummy(struct hypercall *hc)
{
	(void)hc;
	return HV_STATUS_SUCCESS;
}

static const struct hypercall_desc simple = { .fn = dummy, .in_size = 8, .out_size = 8 };
static const struct hypercall_desc rep = { .fn = dummy, .in_size = 16, .rep_in_size = 8,
					   .rep_out_size = 16, .rep = true };
static const struct hypercall_desc fast_var = { .fn = dummy, .in_size = 16, .fast_ok = true,
						.var_header_ok = true };

static u64 ctl(u16 code, u16 rep_count, u16 rep_start)
{
	return code | ((u64)rep_count << 32) | ((u64)rep_start << 48);
}

static void fields_decoded(void)
{
	struct hypercall hc;
	u64 c = 0x0051 | HV_HYPERCALL_FAST | (3ULL << 17) | (7ULL << 32) | (2ULL << 48);

	hypercall_decode(c, &rep, &hc);
	CHECK_EQ(hc.code, 0x51);
	CHECK(hc.fast);
	CHECK_EQ(hc.var_header_bytes, 24);
	CHECK_EQ(hc.rep_count, 7);
	CHECK_EQ(hc.rep_start, 2);
}

static void unknown_code(void)
{
	struct hypercall hc;

	CHECK_EQ(hypercall_decode(0x7777, NULL, &hc), HV_STATUS_INVALID_HYPERCALL_CODE);
}

static void reserved_bits_rejected(void)
{
	static const unsigned bits[] = { 27, 28, 29, 30, 44, 45, 46, 47, 60, 61, 62, 63 };
	struct hypercall hc;
	unsigned i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		CHECK_EQ(hypercall_decode(ctl(1, 0, 0) | (1ULL << bits[i]), &simple, &hc),
			 HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Reserved bits win over an unknown code: the input value is malformed first. */
	CHECK_EQ(hypercall_decode(0x7777 | (1ULL << 63), NULL, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
}

static void rep_rules(void)
{
	struct hypercall hc;

	CHECK_EQ(hypercall_decode(ctl(1, 0, 0), &rep, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(ctl(1, 4, 4), &rep, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(ctl(1, 4, 5), &rep, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(ctl(1, 4, 3), &rep, &hc), HV_STATUS_SUCCESS);
	CHECK_EQ(hc.reps_done, 3);
	CHECK_EQ(hypercall_decode(ctl(1, 0xfff, 0), &rep, &hc), HV_STATUS_SUCCESS);
	CHECK_EQ(hypercall_decode(ctl(1, 1, 0), &simple, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(ctl(1, 0, 1), &simple, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(ctl(1, 0, 0), &simple, &hc), HV_STATUS_SUCCESS);
}

static void fast_and_var_header_rules(void)
{
	struct hypercall hc;

	CHECK_EQ(hypercall_decode(1 | HV_HYPERCALL_FAST, &simple, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(1 | (1ULL << 17), &simple, &hc), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hypercall_decode(1 | HV_HYPERCALL_FAST | (2ULL << 17), &fast_var, &hc), HV_STATUS_SUCCESS);
	/* The nested bit is for an L1 hypervisor; at L0 it is not a reserved bit. */
	CHECK_EQ(hypercall_decode(1 | HV_HYPERCALL_NESTED, &simple, &hc), HV_STATUS_SUCCESS);
}

static void sizes(void)
{
	struct hypercall hc;

	hypercall_decode(ctl(1, 10, 0) | (1ULL << 17), &rep, &hc);
	CHECK_EQ(hypercall_in_bytes(&hc, &rep), 16 + 8 + 10 * 8);
	CHECK_EQ(hypercall_out_bytes(&hc, &rep), 10 * 16);
}

static void result_value(void)
{
	CHECK_EQ(hypercall_result(HV_STATUS_ACCESS_DENIED, 5), 0x0000000500000006ULL);
}

static void table_matches_tlfs(void)
{
	/* Call codes and classes from the pages in tlfs/hypercalls. */
	CHECK(hypercall_lookup(HvCallCreatePartition) && !hypercall_lookup(HvCallCreatePartition)->rep);
	CHECK(hypercall_lookup(HvCallDepositMemory)->rep);
	CHECK(hypercall_lookup(HvCallMapGpaPages)->rep);
	CHECK(hypercall_lookup(HvCallSetVpRegisters)->rep);
	CHECK(hypercall_lookup(HvCallGetVpRegisters)->rep);
	CHECK_EQ(hypercall_lookup(HvCallCreatePartition)->in_size, 56);
	CHECK_EQ(hypercall_lookup(HvCallCreatePartition)->privilege, HV_CREATE_PARTITIONS);
	/* HvCallStartVirtualProcessor: simple, 16 bytes then HV_INITIAL_VP_CONTEXT's 224. */
	CHECK(!hypercall_lookup(HvCallStartVirtualProcessor)->rep);
	CHECK_EQ(hypercall_lookup(HvCallStartVirtualProcessor)->in_size, 240);
	CHECK_EQ(hypercall_lookup(HvCallStartVirtualProcessor)->privilege, HV_START_VIRTUAL_PROCESSOR);
	/* HvCallGetVpCpuidValues: rep, 24-byte header, 8 bytes in and 16 out per leaf. */
	CHECK(hypercall_lookup(HvCallGetVpCpuidValues)->rep);
	CHECK_EQ(hypercall_lookup(HvCallGetVpCpuidValues)->in_size, 24);
	CHECK_EQ(hypercall_lookup(HvCallGetVpCpuidValues)->rep_in_size, 8);
	CHECK_EQ(hypercall_lookup(HvCallGetVpCpuidValues)->rep_out_size, 16);
	/* The flushes: Space and SpaceEx simple, List and ListEx rep with 8-byte HV_GVA elements. */
	CHECK(!hypercall_lookup(HvCallFlushVirtualAddressSpace)->rep);
	CHECK_EQ(hypercall_lookup(HvCallFlushVirtualAddressSpace)->in_size, 24);
	CHECK(hypercall_lookup(HvCallFlushVirtualAddressList)->rep);
	CHECK_EQ(hypercall_lookup(HvCallFlushVirtualAddressList)->rep_in_size, 8);
	CHECK(!hypercall_lookup(HvCallFlushVirtualAddressSpaceEx)->rep);
	CHECK(hypercall_lookup(HvCallFlushVirtualAddressSpaceEx)->var_header_ok);
	CHECK(hypercall_lookup(HvCallFlushVirtualAddressListEx)->rep);
	CHECK(hypercall_lookup(HvCallFlushVirtualAddressListEx)->var_header_ok);
	CHECK_EQ(hypercall_lookup(HvCallFlushVirtualAddressListEx)->in_size, 32);
	/* HvCallGetVpIndexFromApicId: rep, 16-byte header, 8 bytes in and out per APIC ID. */
	CHECK(hypercall_lookup(HvCallGetVpIndexFromApicId)->rep);
	CHECK_EQ(hypercall_lookup(HvCallGetVpIndexFromApicId)->in_size, 16);
	CHECK_EQ(hypercall_lookup(HvCallGetVpIndexFromApicId)->rep_in_size, 8);
	CHECK_EQ(hypercall_lookup(HvCallGetVpIndexFromApicId)->rep_out_size, 8);
	CHECK(hypercall_lookup(0x0001) == NULL);
	CHECK(hypercall_lookup(0xffff) == NULL);
}

UNIT_MAIN("hypercall_decode", CASE(fields_decoded), CASE(unknown_code),
	  CASE(reserved_bits_rejected), CASE(rep_rules), CASE(fast_and_var_header_rules),
	  CASE(sizes), CASE(result_value), CASE(table_matches_tlfs))

/* The table names handlers; this suite only checks rules, so they are inert here. */
#define INERT(f) HV_STATUS f(struct hypercall *hc) { (void)hc; return HV_STATUS_SUCCESS; }
INERT(hvcall_get_system_property) INERT(hvcall_create_cpu_group) INERT(hvcall_delete_cpu_group) INERT(hvcall_set_cpu_group_cap) INERT(hvcall_create_partition) INERT(hvcall_initialize_partition) INERT(hvcall_finalize_partition)
INERT(hvcall_delete_partition) INERT(hvcall_get_partition_id) INERT(hvcall_deposit_memory)
INERT(hvcall_withdraw_memory) INERT(hvcall_get_memory_balance) INERT(hvcall_map_gpa_pages)
INERT(hvcall_unmap_gpa_pages) INERT(hvcall_create_vp) INERT(hvcall_delete_vp)
INERT(hvcall_get_vp_registers) INERT(hvcall_set_vp_registers) INERT(hvcall_map_vp_state_page)
INERT(hvcall_dispatch_vp) INERT(hvcall_create_port) INERT(hvcall_delete_port)
INERT(hvcall_connect_port) INERT(hvcall_disconnect_port) INERT(hvcall_post_message)
INERT(hvcall_signal_event) INERT(hvcall_assert_virtual_interrupt)
INERT(hvcall_get_partition_property) INERT(hvcall_set_partition_property)
INERT(hvcall_get_next_child_partition) INERT(hvcall_translate_virtual_address)
INERT(hvcall_send_synthetic_cluster_ipi) INERT(hvcall_send_synthetic_cluster_ipi_ex)
INERT(hvcall_notify_long_spin_wait) INERT(hvcall_install_intercept)
INERT(hvcall_start_virtual_processor) INERT(hvcall_get_vp_cpuid_values)
INERT(hvcall_get_vp_index_from_apic_id) INERT(hvcall_flush_virtual_address_space)
INERT(hvcall_flush_virtual_address_list) INERT(hvcall_flush_virtual_address_space_ex)
INERT(hvcall_flush_virtual_address_list_ex)
