/*
 * The TLFS from a test root partition: hypercall page set-up and thin
 * wrappers over the Virtualization Host calls. Layouts come from hv/tlfs.h,
 * which is the same header the hypervisor uses; values on the wire are
 * exactly the TLFS ones.
 */
#ifndef TESTS_EFI_HVAPI_H
#define TESTS_EFI_HVAPI_H

#include <efi.h>
#include <efilib.h>
#include "hv/tlfs.h"

/* Enables the hypercall page; false if the hypervisor is absent. */
bool hv_setup(void);
/* Raw call through the hypercall page: returns the hypercall result value. */
u64 hv_call(u64 control, u64 in_gpa, u64 out_gpa);
/* The hypercall page's code, for a call no compiled code may come near (test_fpu). */
void *hv_hypercall_page(void);
/* Scratch parameter pages (one input, one output), page aligned. */
void *hv_in(void);
void *hv_out(void);
u64 hv_in_gpa(void);
u64 hv_out_gpa(void);

static inline HV_STATUS hv_status(u64 result)
{
	return result & 0xffff;
}

static inline u32 hv_reps(u64 result)
{
	return (result >> 32) & 0xfff;
}

static inline u64 hv_rep_control(u16 code, u16 count)
{
	return code | ((u64)count << 32);
}

HV_STATUS hv_create_partition(HV_PARTITION_ID *id);
HV_STATUS hv_partition_op(u16 code, HV_PARTITION_ID id);
/* Deposits @count pages at @spa (contiguous); retries continuations. */
HV_STATUS hv_deposit(HV_PARTITION_ID id, u64 spa, u32 count);
HV_STATUS hv_map_gpa(HV_PARTITION_ID id, u64 gpa, u64 spa, u32 count, u32 flags);
HV_STATUS hv_get_property(HV_PARTITION_ID id, u32 code, u64 *value);
HV_STATUS hv_set_property(HV_PARTITION_ID id, u32 code, u64 value);
HV_STATUS hv_create_vp(HV_PARTITION_ID id, u32 vp);
HV_STATUS hv_set_reg(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *v);
HV_STATUS hv_set_reg64(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, u64 v);
HV_STATUS hv_get_reg64(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, u64 *v);
HV_STATUS hv_map_intercept_page(HV_PARTITION_ID id, u32 vp, u64 spa);
HV_STATUS hv_dispatch(HV_PARTITION_ID id, u32 vp, struct hv_output_dispatch_vp *out);

/* Ports and connections (message or event port on SINT @sint; events use flags base..base+count-1). */
HV_STATUS hv_create_port(HV_PARTITION_ID owner, HV_PORT_ID id, u32 type, u32 sint, u16 base,
			 u16 count, HV_PARTITION_ID connector);
HV_STATUS hv_connect_port(HV_PARTITION_ID sender, HV_CONNECTION_ID id, HV_PARTITION_ID owner,
			  HV_PORT_ID port, u32 type);
HV_STATUS hv_post_message(HV_CONNECTION_ID id, u32 type, const void *payload, u32 size);
/* The fast form, as Linux signals. */
HV_STATUS hv_signal_event(HV_CONNECTION_ID id, u16 flag);
void hv_wrmsr(u32 msr, u64 value);

/* Physically contiguous zeroed pages from the firmware (identity-mapped). */
void *hv_pages(UINTN count);

#endif
