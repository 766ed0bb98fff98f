/* Hypercall handlers, one file per group: hvcall_partition.c, hvcall_memory.c, hvcall_vp.c. */
#ifndef HV_HVCALL_H
#define HV_HVCALL_H

#include "hv/hypercall.h"

HV_STATUS hvcall_create_partition(struct hypercall *hc);
HV_STATUS hvcall_initialize_partition(struct hypercall *hc);
HV_STATUS hvcall_finalize_partition(struct hypercall *hc);
HV_STATUS hvcall_delete_partition(struct hypercall *hc);
HV_STATUS hvcall_get_partition_id(struct hypercall *hc);

HV_STATUS hvcall_deposit_memory(struct hypercall *hc);
HV_STATUS hvcall_withdraw_memory(struct hypercall *hc);
HV_STATUS hvcall_get_memory_balance(struct hypercall *hc);
HV_STATUS hvcall_map_gpa_pages(struct hypercall *hc);
HV_STATUS hvcall_unmap_gpa_pages(struct hypercall *hc);

HV_STATUS hvcall_create_vp(struct hypercall *hc);
HV_STATUS hvcall_delete_vp(struct hypercall *hc);
HV_STATUS hvcall_get_vp_registers(struct hypercall *hc);
HV_STATUS hvcall_set_vp_registers(struct hypercall *hc);
HV_STATUS hvcall_start_virtual_processor(struct hypercall *hc);
HV_STATUS hvcall_get_vp_cpuid_values(struct hypercall *hc);
HV_STATUS hvcall_get_vp_index_from_apic_id(struct hypercall *hc);
HV_STATUS hvcall_map_vp_state_page(struct hypercall *hc);
HV_STATUS hvcall_translate_virtual_address(struct hypercall *hc);
struct partition;
/* HvPartitionPropertyCpuReserve, CpuCap, CpuWeight, CpuGroupId. */
HV_STATUS hvcall_set_sched_property(struct partition *p, u32 code, u64 value);
HV_STATUS hvcall_create_cpu_group(struct hypercall *hc);
HV_STATUS hvcall_delete_cpu_group(struct hypercall *hc);
HV_STATUS hvcall_set_cpu_group_cap(struct hypercall *hc);
HV_STATUS hvcall_dispatch_vp(struct hypercall *hc);

HV_STATUS hvcall_assert_virtual_interrupt(struct hypercall *hc);
HV_STATUS hvcall_get_system_property(struct hypercall *hc);
HV_STATUS hvcall_get_partition_property(struct hypercall *hc);
HV_STATUS hvcall_set_partition_property(struct hypercall *hc);
HV_STATUS hvcall_get_next_child_partition(struct hypercall *hc);
HV_STATUS hvcall_send_synthetic_cluster_ipi(struct hypercall *hc);
HV_STATUS hvcall_send_synthetic_cluster_ipi_ex(struct hypercall *hc);
HV_STATUS hvcall_notify_long_spin_wait(struct hypercall *hc);
HV_STATUS hvcall_flush_virtual_address_space(struct hypercall *hc);
HV_STATUS hvcall_flush_virtual_address_list(struct hypercall *hc);
HV_STATUS hvcall_flush_virtual_address_space_ex(struct hypercall *hc);
HV_STATUS hvcall_flush_virtual_address_list_ex(struct hypercall *hc);
HV_STATUS hvcall_install_intercept(struct hypercall *hc);
HV_STATUS hvcall_create_port(struct hypercall *hc);
HV_STATUS hvcall_delete_port(struct hypercall *hc);
HV_STATUS hvcall_connect_port(struct hypercall *hc);
HV_STATUS hvcall_disconnect_port(struct hypercall *hc);
HV_STATUS hvcall_post_message(struct hypercall *hc);
HV_STATUS hvcall_signal_event(struct hypercall *hc);

#endif
