/*
 * Internal interfaces of hvloader.efi, the UEFI application that loads
 * hv.elf, starts it on every logical processor and then chains to the next
 * boot stage. The contract with the hypervisor is hv/boot_info.h.
 */
#ifndef BOOT_LOADER_H
#define BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>

#include "arch/x86/paging.h"
#include "hv/boot_info.h"

#define LOADER_NAME L"hvloader"

/* config.c: \EFI\hv\hv.cfg */

#define CFG_PATH_MAX 256
#define CFG_OPTIONS_MAX 1024

struct hv_config {
	CHAR16 next[CFG_PATH_MAX];
	CHAR16 options[CFG_OPTIONS_MAX];
	bool has_options;
	u32 scheduler;
	u64 memory_mb;
	u16 serial_port;
	u32 root_lps;
	char hv_options[sizeof(((struct hv_boot_info *)0)->cmdline)];
};

/* Parses the NUL-terminated @text in place; prints the offending line on error. */
EFI_STATUS config_parse(char *text, struct hv_config *cfg);

/* file.c */

/* Reads a whole file from @device into pool memory, NUL-terminated. */
EFI_STATUS file_read(EFI_HANDLE device, const CHAR16 *path, char **data, UINTN *size);

/* elf_load.c: hv.elf, a static PIE linked at 0 */

struct hv_image {
	const u8 *file;
	UINTN file_size;
	u64 span;   /* bytes the loaded image occupies, page aligned */
	u64 entry;  /* offset of the entry point from the load base */
};

EFI_STATUS elf_inspect(const void *file, UINTN file_size, struct hv_image *img);
/* Copies the segments to @base (already zeroed) and applies relocations. */
EFI_STATUS elf_load(const struct hv_image *img, u64 base, UINTN *nrelocs);

/* memory.c: physical address space, the reserved region, page tables */

struct phys_layout {
	u32 phys_bits;
	u32 large_mask;   /* PAGING_LARGE_* used for the identity map */
	u64 phys_limit;   /* identity map covers [0, phys_limit) */
	u64 ram_limit;
	u64 table_pages;  /* page-table pages the identity map needs */
};

EFI_STATUS phys_layout_probe(struct phys_layout *pl);
EFI_STATUS region_alloc(u64 size, u64 *base);
void region_free(u64 base, u64 size);
/* Builds the identity map with tables taken from [tables, tables + pages). */
EFI_STATUS identity_map_build(const struct phys_layout *pl, u64 tables, u64 *cr3);

/* mp.c: logical processors through EFI_MP_SERVICES_PROTOCOL */

typedef int (__attribute__((sysv_abi)) *hv_entry_fn)(struct hv_boot_info *bi, u32 lp_index);

struct lp_set {
	void *mp;                /* EFI_MP_SERVICES_PROTOCOL, NULL when absent */
	u32 count;
	UINTN proc[HV_MAX_LPS];  /* MP services processor number of each LP */
};

/* Fills bi->lp_count and bi->lp[]; LP 0 is always the BSP. */
void mp_enumerate(struct lp_set *set, struct hv_boot_info *bi);
/*
 * Runs @entry on every AP of @set (LP 1 and up), storing each LP's result in
 * @results[lp]; LPs that never ran keep MP_NOT_RUN.
 */
#define MP_NOT_RUN (-1)
#define MP_ENTERED (-2) /* in the entry; a minroot LP stays there */
/* @root_vp: minroot's choice (hv/minroot.h); LPs without a root VP never return. */
EFI_STATUS mp_launch_aps(const struct lp_set *set, struct hv_boot_info *bi,
			 hv_entry_fn entry, volatile int *results, const s32 *root_vp);

#endif
