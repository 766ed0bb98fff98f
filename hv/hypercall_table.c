/*
 * Every implemented call with its TLFS rules: rep or simple, fast allowed,
 * variable header allowed, fixed input/output sizes, privilege needed.
 * Privileges per tlfs-v6.0b.txt Appendix A; calls marked "Parent" there
 * need CreatePartitions here, the only way to have children.
 */
#include "hv/hvcall.h"

#define SIMPLE(c, f, priv, in, out) \
	[c] = { .fn = f, .privilege = priv, .in_size = in, .out_size = out }
#define REP(c, f, priv, in, rep_in, rep_out) \
	[c] = { .fn = f, .privilege = priv, .in_size = in, .rep_in_size = rep_in, \
		.rep_out_size = rep_out, .rep = true }

static const struct hypercall_desc table[] = {
	/* Guest enlightenments: every partition may call them; Linux uses the fast forms. */
	[HvCallNotifyLongSpinWait] = { .fn = hvcall_notify_long_spin_wait,
				       .in_size = sizeof(struct hv_input_notify_long_spin_wait),
				       .fast_ok = true },
	[HvCallSendSyntheticClusterIpi] = { .fn = hvcall_send_synthetic_cluster_ipi,
					    .in_size = sizeof(struct hv_input_send_synthetic_cluster_ipi),
					    .fast_ok = true },
	[HvCallSendSyntheticClusterIpiEx] = { .fn = hvcall_send_synthetic_cluster_ipi_ex,
					      .in_size = sizeof(struct hv_input_send_synthetic_cluster_ipi_ex),
					      .var_header_ok = true },
	SIMPLE(HvCallFlushVirtualAddressSpace, hvcall_flush_virtual_address_space, 0,
	       sizeof(struct hv_input_flush_virtual_address), 0),
	REP(HvCallFlushVirtualAddressList, hvcall_flush_virtual_address_list, 0,
	    sizeof(struct hv_input_flush_virtual_address), sizeof(HV_GVA), 0),
	[HvCallFlushVirtualAddressSpaceEx] = { .fn = hvcall_flush_virtual_address_space_ex,
					       .in_size = sizeof(struct hv_input_flush_virtual_address_ex),
					       .var_header_ok = true },
	[HvCallFlushVirtualAddressListEx] = { .fn = hvcall_flush_virtual_address_list_ex,
					      .in_size = sizeof(struct hv_input_flush_virtual_address_ex),
					      .rep_in_size = sizeof(HV_GVA), .rep = true,
					      .var_header_ok = true },
	SIMPLE(HvCallCreatePartition, hvcall_create_partition, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_create_partition), sizeof(HV_PARTITION_ID)),
	SIMPLE(HvCallInitializePartition, hvcall_initialize_partition, HV_CREATE_PARTITIONS,
	       sizeof(HV_PARTITION_ID), 0),
	SIMPLE(HvCallFinalizePartition, hvcall_finalize_partition, HV_CREATE_PARTITIONS,
	       sizeof(HV_PARTITION_ID), 0),
	SIMPLE(HvCallDeletePartition, hvcall_delete_partition, HV_CREATE_PARTITIONS,
	       sizeof(HV_PARTITION_ID), 0),
	SIMPLE(HvCallGetPartitionProperty, hvcall_get_partition_property, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_get_partition_property), sizeof(u64)),
	SIMPLE(HvCallSetPartitionProperty, hvcall_set_partition_property, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_set_partition_property), 0),
	SIMPLE(HvCallGetSystemProperty, hvcall_get_system_property, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_get_system_property), sizeof(u64)),
	SIMPLE(HvCallGetNextChildPartition, hvcall_get_next_child_partition, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_get_next_child_partition), sizeof(HV_PARTITION_ID)),
	SIMPLE(HvCallGetPartitionId, hvcall_get_partition_id, HV_ACCESS_PARTITION_ID,
	       0, sizeof(HV_PARTITION_ID)),
	REP(HvCallDepositMemory, hvcall_deposit_memory, HV_ACCESS_MEMORY_POOL,
	    sizeof(HV_PARTITION_ID), sizeof(HV_GPA_PAGE_NUMBER), 0),
	REP(HvCallWithdrawMemory, hvcall_withdraw_memory, HV_ACCESS_MEMORY_POOL,
	    sizeof(struct hv_input_withdraw_memory), 0, sizeof(HV_GPA_PAGE_NUMBER)),
	SIMPLE(HvCallGetMemoryBalance, hvcall_get_memory_balance, HV_ACCESS_MEMORY_POOL,
	       sizeof(struct hv_input_withdraw_memory), sizeof(struct hv_output_get_memory_balance)),
	REP(HvCallMapGpaPages, hvcall_map_gpa_pages, HV_CREATE_PARTITIONS,
	    sizeof(struct hv_input_map_gpa_pages), sizeof(HV_GPA_PAGE_NUMBER), 0),
	REP(HvCallUnmapGpaPages, hvcall_unmap_gpa_pages, HV_CREATE_PARTITIONS,
	    sizeof(struct hv_input_unmap_gpa_pages), 0, 0),
	SIMPLE(HvCallInstallIntercept, hvcall_install_intercept, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_install_intercept), 0),
	SIMPLE(HvCallCreateVp, hvcall_create_vp, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_create_vp), 0),
	SIMPLE(HvCallDeleteVp, hvcall_delete_vp, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_vp_registers), 0),
	REP(HvCallGetVpRegisters, hvcall_get_vp_registers, 0,
	    sizeof(struct hv_input_vp_registers), sizeof(HV_REGISTER_NAME), sizeof(HV_REGISTER_VALUE)),
	REP(HvCallSetVpRegisters, hvcall_set_vp_registers, 0,
	    sizeof(struct hv_input_vp_registers), sizeof(struct hv_register_assoc), 0),
	/* AccessVpIndex: tlfs-v6.0b.txt's HvGetVpIndexFromApicId return values. */
	REP(HvCallGetVpIndexFromApicId, hvcall_get_vp_index_from_apic_id, HV_ACCESS_VP_INDEX,
	    sizeof(struct hv_input_get_vp_index_from_apic_id), sizeof(u64), sizeof(u64)),
	SIMPLE(HvCallStartVirtualProcessor, hvcall_start_virtual_processor, HV_START_VIRTUAL_PROCESSOR,
	       sizeof(struct hv_input_start_virtual_processor), 0),
	/* On a VP of a child, or of the caller itself with AccessVpRegisters (no privilege in the TLFS). */
	REP(HvCallGetVpCpuidValues, hvcall_get_vp_cpuid_values, 0,
	    sizeof(struct hv_input_get_vp_cpuid_values), sizeof(HV_CPUID_LEAF_INFO),
	    sizeof(HV_CPUID_RESULT)),
	SIMPLE(HvCallDeletePort, hvcall_delete_port, HV_CREATE_PORT,
	       sizeof(struct hv_input_delete_port), 0),
	SIMPLE(HvCallDisconnectPort, hvcall_disconnect_port, HV_CONNECT_PORT,
	       sizeof(struct hv_input_disconnect_port), 0),
	SIMPLE(HvCallPostMessage, hvcall_post_message, HV_POST_MESSAGES,
	       sizeof(struct hv_input_post_message), 0),
	[HvCallSignalEvent] = { .fn = hvcall_signal_event, .privilege = HV_SIGNAL_EVENTS,
				.in_size = sizeof(struct hv_input_signal_event), .fast_ok = true },
	SIMPLE(HvCallAssertVirtualInterrupt, hvcall_assert_virtual_interrupt, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_assert_virtual_interrupt), 0),
	SIMPLE(HvCallCreatePort, hvcall_create_port, HV_CREATE_PORT,
	       sizeof(struct hv_input_create_port), 0),
	SIMPLE(HvCallConnectPort, hvcall_connect_port, HV_CONNECT_PORT,
	       sizeof(struct hv_input_connect_port), 0),
	SIMPLE(HvCallTranslateVirtualAddress, hvcall_translate_virtual_address, 0,
	       sizeof(struct hv_input_translate_virtual_address),
	       sizeof(struct hv_output_translate_virtual_address)),
	SIMPLE(HvCallDispatchVp, hvcall_dispatch_vp, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_dispatch_vp), sizeof(struct hv_output_dispatch_vp)),
	SIMPLE(HvCallMapVpStatePage, hvcall_map_vp_state_page, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_map_vp_state_page), sizeof(HV_GPA_PAGE_NUMBER)),
	SIMPLE(HvCallCreateCpuGroup, hvcall_create_cpu_group, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_create_cpu_group), sizeof(u64)),
	SIMPLE(HvCallDeleteCpuGroup, hvcall_delete_cpu_group, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_cpu_group), 0),
	SIMPLE(HvCallSetCpuGroupCap, hvcall_set_cpu_group_cap, HV_CREATE_PARTITIONS,
	       sizeof(struct hv_input_cpu_group), 0),
};

const struct hypercall_desc *hypercall_lookup(u16 code)
{
	if (code >= ARRAY_SIZE(table) || !table[code].fn)
		return NULL;
	return &table[code];
}
