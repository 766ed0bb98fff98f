/*
 * hvloader.efi: loads hv.elf into reserved memory, enters it on every logical
 * processor so that the running firmware becomes the root partition, then
 * starts the next boot stage named in hv.cfg.
 *
 * Everything that can fail for a reason outside the CPU (configuration,
 * files, memory) is checked before any LP is entered, so a failed boot
 * leaves the firmware exactly as it was. Boot services are never exited:
 * the next stage inherits them, virtualized.
 */
#include "boot/loader.h"
#include "hv/minroot.h"

#define CFG_PATH L"\\EFI\\hv\\hv.cfg"
#define HV_PATH L"\\EFI\\hv\\hv.elf"
#define HV_SVM_PATH L"\\EFI\\hv\\hv-svm.elf"
#define HV_VMX_PATH L"\\EFI\\hv\\hv-vmx.elf"

static const char *const launch_status_names[] = {
	[HV_LAUNCH_OK] = "HV_LAUNCH_OK",
	[HV_LAUNCH_BAD_BOOT_INFO] = "HV_LAUNCH_BAD_BOOT_INFO",
	[HV_LAUNCH_NO_VIRTUALIZATION] = "HV_LAUNCH_NO_VIRTUALIZATION",
	[HV_LAUNCH_VIRTUALIZATION_DISABLED] = "HV_LAUNCH_VIRTUALIZATION_DISABLED",
	[HV_LAUNCH_NO_SLAT] = "HV_LAUNCH_NO_SLAT",
	[HV_LAUNCH_NO_MEMORY] = "HV_LAUNCH_NO_MEMORY",
	[HV_LAUNCH_BAD_LP] = "HV_LAUNCH_BAD_LP",
};

/*
 * One image per vendor backend (the Makefile links one of arch/x86/svm and
 * arch/x86/vmx into each): the CPU's vendor picks hv-svm.elf or hv-vmx.elf;
 * an ESP made for one machine may carry just hv.elf.
 */
static const CHAR16 *vendor_image(void)
{
	u32 a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e) /* GenuineIntel */
		return HV_VMX_PATH;
	if ((b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) || /* AuthenticAMD */
	    (b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975))   /* HygonGenuine */
		return HV_SVM_PATH;
	return NULL;
}

static EFI_STATUS read_hypervisor(EFI_HANDLE device, char **elf, UINTN *size)
{
	const CHAR16 *path = vendor_image();
	EFI_STATUS status = EFI_NOT_FOUND;

	if (path)
		status = file_read(device, path, elf, size);
	if (status == EFI_NOT_FOUND) {
		path = HV_PATH;
		status = file_read(device, path, elf, size);
	}
	if (EFI_ERROR(status))
		Print(LOADER_NAME L": cannot read the hypervisor (%s): %r\n", path, status);
	else
		Print(LOADER_NAME L": hypervisor image %s\n", path);
	return status;
}

static const char *const scheduler_names[] = {
	[HV_SCHEDULER_CLASSIC_NO_SMT] = "classic-nosmt",
	[HV_SCHEDULER_CLASSIC] = "classic",
	[HV_SCHEDULER_CORE] = "core",
	[HV_SCHEDULER_ROOT] = "root",
};

struct hypervisor {
	u64 base;
	u64 size;
	struct hv_boot_info *bi;
	hv_entry_fn entry;
	struct lp_set lps;
};

static void report_launch_failure(u32 lp, int status)
{
	const char *name = "unknown status";

	if (status >= 0 && (UINTN)status < ARRAY_SIZE(launch_status_names))
		name = launch_status_names[status];
	Print(LOADER_NAME L": hypervisor launch failed on LP %d: status %d (%a)\n", lp,
	      status, name);
}

static EFI_STATUS read_config(EFI_HANDLE device, struct hv_config *cfg)
{
	EFI_STATUS status;
	char *text;
	UINTN size;

	status = file_read(device, CFG_PATH, &text, &size);
	if (EFI_ERROR(status))
		return status;
	status = config_parse(text, cfg);
	FreePool(text);
	return status;
}

/* Loading the next stage before entering the hypervisor catches a bad path early. */
static EFI_STATUS load_next_stage(EFI_HANDLE image, EFI_HANDLE device,
				  struct hv_config *cfg, EFI_HANDLE *child)
{
	EFI_DEVICE_PATH *path = FileDevicePath(device, cfg->next);
	EFI_LOADED_IMAGE *li;
	EFI_STATUS status;

	if (!path)
		return EFI_OUT_OF_RESOURCES;
	status = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, path, NULL, 0, child);
	FreePool(path);
	if (EFI_ERROR(status)) {
		Print(LOADER_NAME L": cannot load %s: %r\n", cfg->next, status);
		return status;
	}
	if (!cfg->has_options)
		return EFI_SUCCESS;
	status = uefi_call_wrapper(BS->HandleProtocol, 3, *child, &LoadedImageProtocol,
				   (void **)&li);
	if (EFI_ERROR(status)) {
		uefi_call_wrapper(BS->UnloadImage, 1, *child);
		return status;
	}
	/* cfg outlives the child: efi_main only returns after StartImage does. */
	li->LoadOptions = cfg->options;
	li->LoadOptionsSize = (StrLen(cfg->options) + 1) * sizeof(CHAR16);
	return EFI_SUCCESS;
}

static void fill_boot_info(struct hypervisor *hv, const struct hv_config *cfg,
			   const struct hv_image *img, const struct phys_layout *pl,
			   u64 bi_page, u64 cr3)
{
	struct hv_boot_info *bi = (struct hv_boot_info *)(UINTN)bi_page;

	bi->magic = HV_BOOT_INFO_MAGIC;
	bi->version = HV_BOOT_INFO_VERSION;
	bi->region_base = hv->base;
	bi->region_size = hv->size;
	bi->image_size = img->span;
	bi->free_base = bi_page + PAGE_SIZE;
	bi->cr3 = cr3;
	bi->phys_limit = pl->phys_limit;
	bi->ram_limit = pl->ram_limit;
	bi->scheduler_type = cfg->scheduler;
	bi->root_lp_limit = cfg->root_lps;
	bi->serial_port = cfg->serial_port;
	CopyMem(bi->cmdline, cfg->hv_options, sizeof(bi->cmdline));
	mp_enumerate(&hv->lps, bi);
	hv->bi = bi;
}

/*
 * Region layout, from its 2 MiB-aligned base: the relocated image, the
 * identity-map page tables, one page of boot info, then free memory (at
 * least memory_mb MiB) for the hypervisor's heap.
 */
static EFI_STATUS load_hypervisor(EFI_HANDLE device, const struct hv_config *cfg,
				  struct hypervisor *hv)
{
	struct phys_layout pl;
	struct hv_image img;
	UINTN elf_size, nrelocs;
	u64 tables, cr3;
	EFI_STATUS status;
	char *elf;

	status = read_hypervisor(device, &elf, &elf_size);
	if (EFI_ERROR(status))
		return status;
	status = elf_inspect(elf, elf_size, &img);
	if (EFI_ERROR(status))
		goto out;
	status = phys_layout_probe(&pl);
	if (EFI_ERROR(status))
		goto out;
	hv->size = ALIGN_UP(img.span + (pl.table_pages + 1) * PAGE_SIZE +
			    (cfg->memory_mb << 20), HV_REGION_ALIGN);
	status = region_alloc(hv->size, &hv->base);
	if (EFI_ERROR(status))
		goto out;
	tables = hv->base + img.span;
	status = elf_load(&img, hv->base, &nrelocs);
	if (!EFI_ERROR(status))
		status = identity_map_build(&pl, tables, &cr3);
	if (EFI_ERROR(status)) {
		region_free(hv->base, hv->size);
		goto out;
	}
	hv->entry = (hv_entry_fn)(UINTN)(hv->base + img.entry);
	fill_boot_info(hv, cfg, &img, &pl, tables + pl.table_pages * PAGE_SIZE, cr3);

	Print(LOADER_NAME L": hv.elf: %ld KiB image, entry +0x%lx, %d relocations\n",
	      img.span >> 10, img.entry, nrelocs);
	Print(LOADER_NAME L": region 0x%lx-0x%lx (%ld MiB), %ld page-table pages, "
	      L"heap from 0x%lx\n", hv->base, hv->base + hv->size, hv->size >> 20,
	      pl.table_pages, hv->bi->free_base);
	Print(LOADER_NAME L": identity map up to 0x%lx (%d physical address bits, %a pages), "
	      L"RAM up to 0x%lx\n", pl.phys_limit, pl.phys_bits,
	      (pl.large_mask & PAGING_LARGE_1G) ? "1 GiB" : "2 MiB", pl.ram_limit);
	Print(LOADER_NAME L": scheduler %a, root LPs %d, serial port 0x%x\n",
	      scheduler_names[cfg->scheduler], cfg->root_lps, cfg->serial_port);
out:
	FreePool(elf);
	return status;
}

static void print_lps(const struct hv_boot_info *bi)
{
	u32 n;

	for (n = 0; n < bi->lp_count; n++)
		Print(LOADER_NAME L": LP %d: APIC ID %d, package %d core %d thread %d%s\n", n,
		      bi->lp[n].apic_id, bi->lp[n].package, bi->lp[n].core,
		      bi->lp[n].thread, n ? L"" : L" (BSP)");
}

/* Returns the number of LPs now running under the hypervisor (0: BSP failed). */
static u32 launch(struct hypervisor *hv)
{
	/* Static: a minroot LP whose launch fails writes its result late. */
	static volatile int results[HV_MAX_LPS];
	s32 root_vp[HV_MAX_LPS];
	EFI_STATUS status;
	u32 lp, running = 1;
	int rc;

	/* The hypervisor's own choice (hv/minroot.c); boot info is out of reach once it runs. */
	minroot_select(hv->bi->lp_count, hv->bi->lp, hv->bi->root_lp_limit, root_vp);
	rc = hv->entry(hv->bi, 0);
	if (rc) {
		report_launch_failure(0, rc);
		return 0;
	}
	status = mp_launch_aps(&hv->lps, hv->bi, hv->entry, results, root_vp);
	if (EFI_ERROR(status))
		Print(LOADER_NAME L": starting the APs failed: %r\n", status);
	/* The boot info now lies in memory the root cannot touch: use the loader's own copy. */
	for (lp = 1; lp < hv->lps.count; lp++) {
		if (results[lp] == MP_NOT_RUN)
			Print(LOADER_NAME L": LP %d never ran the hypervisor entry\n", lp);
		else if (results[lp] == MP_ENTERED && ++running)
			Print(LOADER_NAME L": LP %d runs child VPs only (minroot)\n", lp);
		else if (results[lp])
			report_launch_failure(lp, results[lp]);
		else
			running++;
	}
	return running;
}

/* Tells the next stage where the hypervisor lives (hv/boot_info.h, struct hv_loader_table). */
static void publish_table(const struct hypervisor *hv, const struct hv_config *cfg)
{
	static EFI_GUID guid = HV_LOADER_TABLE_GUID;
	struct hv_loader_table *t = AllocatePool(sizeof(*t));

	if (!t)
		return;
	t->magic = HV_BOOT_INFO_MAGIC;
	t->region_base = hv->base;
	t->region_size = hv->size;
	t->lp_count = hv->lps.count;
	t->scheduler_type = cfg->scheduler;
	if (EFI_ERROR(uefi_call_wrapper(BS->InstallConfigurationTable, 2, &guid, t)))
		Print(LOADER_NAME L": could not publish the loader table\n");
}

/* System V ABI, not EFIAPI: gnu-efi's crt0 calls efi_main after converting the arguments. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *self;
	struct hypervisor hv;
	struct hv_config cfg;
	EFI_HANDLE child;
	EFI_STATUS status;
	u32 running;

	InitializeLib(image, systab);
	Print(LOADER_NAME L": hypervisor loader (boot info version %d)\n",
	      HV_BOOT_INFO_VERSION);

	status = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
				   (void **)&self);
	if (EFI_ERROR(status)) {
		Print(LOADER_NAME L": no loaded image protocol: %r\n", status);
		return status;
	}
	status = read_config(self->DeviceHandle, &cfg);
	if (EFI_ERROR(status))
		return status;
	status = load_next_stage(image, self->DeviceHandle, &cfg, &child);
	if (EFI_ERROR(status))
		return status;
	status = load_hypervisor(self->DeviceHandle, &cfg, &hv);
	if (EFI_ERROR(status)) {
		uefi_call_wrapper(BS->UnloadImage, 1, child);
		return status;
	}
	print_lps(hv.bi);

	running = launch(&hv);
	if (!running) {
		region_free(hv.base, hv.size);
		uefi_call_wrapper(BS->UnloadImage, 1, child);
		return EFI_UNSUPPORTED;
	}
	Print(LOADER_NAME L": hypervisor running on %d LPs\n", running);
	publish_table(&hv, &cfg);

	Print(LOADER_NAME L": starting %s\n", cfg.next);
	status = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	Print(LOADER_NAME L": %s returned %r\n", cfg.next, status);
	return status;
}
