/*
 * The contract between hvloader.efi and hv.elf.
 *
 * The loader places hv.elf (a static PIE, relocated by the loader) at the
 * start of one 2 MiB-aligned region of EfiReservedMemoryType memory, builds
 * the hypervisor's page tables (identity map of the physical address space)
 * inside the same region, fills this structure (also inside the region) and
 * calls the ELF entry point once on every logical processor:
 *
 *     int hv_entry(struct hv_boot_info *bi, u32 lp_index);   (System V ABI)
 *
 * On success the call "returns" 0 with the LP now running as a virtual
 * processor of the root partition; any other value is an HV_LAUNCH_* error
 * and the LP is untouched. The BSP (lp_index 0) is entered first; APs follow.
 */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H

#include "hv/types.h"

#define HV_BOOT_INFO_MAGIC 0x4f464e49544f4f42ULL /* "BOOTINFO" */
#define HV_BOOT_INFO_VERSION 1
#define HV_MAX_LPS 64
#define HV_REGION_ALIGN (2ULL << 20)

enum hv_scheduler_type {
	/* Numbering of Hyper-V's launch event (seeds/004: scheduler types). */
	HV_SCHEDULER_CLASSIC_NO_SMT = 1,
	HV_SCHEDULER_CLASSIC = 2,
	HV_SCHEDULER_CORE = 3,
	HV_SCHEDULER_ROOT = 4,
};

enum hv_launch_status {
	HV_LAUNCH_OK = 0,
	HV_LAUNCH_BAD_BOOT_INFO = 1,
	HV_LAUNCH_NO_VIRTUALIZATION = 2,       /* no SVM / VMX, or a feature the backend needs missing */
	HV_LAUNCH_VIRTUALIZATION_DISABLED = 3, /* turned off by firmware (VM_CR.SVMDIS, IA32_FEATURE_CONTROL) */
	HV_LAUNCH_NO_SLAT = 4,                 /* no second-level translation (NPT / EPT) */
	HV_LAUNCH_NO_MEMORY = 5,
	HV_LAUNCH_BAD_LP = 6,
};

/* EFI's package/core/thread numbers, truncated to 16 bits (ample for HV_MAX_LPS). */
struct hv_lp_info {
	u32 apic_id;
	u16 package;
	u16 core;
	u16 thread;
	u16 reserved;
};

struct hv_boot_info {
	u64 magic;
	u32 version;
	u32 lp_count;             /* number of LPs the loader will enter */
	u64 region_base;          /* physical base of the reserved region */
	u64 region_size;          /* bytes, multiple of HV_REGION_ALIGN */
	u64 image_size;           /* bytes of hv.elf image from region_base */
	u64 free_base;            /* first free byte in the region (page aligned) */
	u64 cr3;                  /* hypervisor page tables (identity map) */
	u64 phys_limit;           /* identity map covers [0, phys_limit), at most 2^47 (lower canonical half) */
	u64 ram_limit;            /* highest RAM address + 1 (EFI memory map) */
	u32 scheduler_type;       /* enum hv_scheduler_type */
	u32 root_lp_limit;        /* minroot: 0 = all LPs */
	u16 serial_port;          /* COM port for the hypervisor log, 0 = none */
	u16 reserved0[3];
	struct hv_lp_info lp[HV_MAX_LPS]; /* by lp_index, from EFI MP services */
	char cmdline[256];        /* "hv_options=" from hv.cfg, NUL-terminated */
};

/*
 * The loader publishes where the hypervisor lives as an EFI configuration
 * table for the next stage (tests use it to aim at memory the root must not
 * reach). GUID 6c1f0d0e-7b9a-4c63-9f2e-3a8d5b1e4f20.
 */
#define HV_LOADER_TABLE_GUID \
	{ 0x6c1f0d0e, 0x7b9a, 0x4c63, { 0x9f, 0x2e, 0x3a, 0x8d, 0x5b, 0x1e, 0x4f, 0x20 } }

struct hv_loader_table {
	u64 magic; /* HV_BOOT_INFO_MAGIC */
	u64 region_base;
	u64 region_size;
	u32 lp_count;
	u32 scheduler_type;
};

#endif
