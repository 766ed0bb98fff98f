/*
 * hv.elf is a static PIE linked at address 0: loading it means copying its
 * PT_LOAD segments to the region base and adding the base to every word
 * named by an R_X86_64_RELATIVE relocation. Anything needing a dynamic
 * linker is refused rather than half-loaded.
 */
#include <elf.h>

#include "boot/loader.h"

/* Far beyond any sane hypervisor; keeps the span arithmetic from overflowing. */
#define IMAGE_MAX (1ULL << 30)

static EFI_STATUS bad_elf(const char *why)
{
	Print(LOADER_NAME L": hv.elf: %a\n", why);
	return EFI_LOAD_ERROR;
}

/* True when [off, off + len) lies inside [0, limit), without overflowing. */
static bool within(u64 off, u64 len, u64 limit)
{
	return off <= limit && len <= limit - off;
}

static const Elf64_Phdr *phdrs(const struct hv_image *img)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->file;

	return (const Elf64_Phdr *)(img->file + eh->e_phoff);
}

static UINTN phnum(const struct hv_image *img)
{
	return ((const Elf64_Ehdr *)img->file)->e_phnum;
}

EFI_STATUS elf_inspect(const void *file, UINTN file_size, struct hv_image *img)
{
	const Elf64_Ehdr *eh = file;
	u64 lowest = ~0ULL, end = 0;
	UINTN i;

	img->file = file;
	img->file_size = file_size;
	if (file_size < sizeof(*eh) || CompareMem(eh->e_ident, ELFMAG, SELFMAG))
		return bad_elf("not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad_elf("not a little-endian ELF64 file");
	if (eh->e_machine != EM_X86_64)
		return bad_elf("not an x86-64 executable");
	if (eh->e_type != ET_DYN)
		return bad_elf("not a static PIE (ELF type is not ET_DYN)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !within(eh->e_phoff, (u64)eh->e_phnum * sizeof(Elf64_Phdr), file_size))
		return bad_elf("bad program header table");

	for (i = 0; i < phnum(img); i++) {
		const Elf64_Phdr *ph = &phdrs(img)[i];

		if (ph->p_type == PT_INTERP)
			return bad_elf("has an interpreter: link it with -static-pie");
		if (ph->p_type != PT_LOAD)
			continue;
		if (!within(ph->p_offset, ph->p_filesz, file_size) ||
		    ph->p_filesz > ph->p_memsz || !within(ph->p_vaddr, ph->p_memsz, IMAGE_MAX))
			return bad_elf("PT_LOAD segment outside the file or too large");
		lowest = MIN(lowest, ph->p_vaddr);
		end = MAX(end, ph->p_vaddr + ph->p_memsz);
	}
	if (!end)
		return bad_elf("no PT_LOAD segment");
	if (lowest != 0)
		return bad_elf("PT_LOAD segments do not start at address 0");
	img->span = ALIGN_UP(end, PAGE_SIZE);
	img->entry = eh->e_entry;
	if (img->entry >= end)
		return bad_elf("entry point outside the image");
	return EFI_SUCCESS;
}

static EFI_STATUS relocate(const struct hv_image *img, u64 base, const Elf64_Phdr *dyn,
			   UINTN *nrelocs)
{
	const Elf64_Dyn *d;
	u64 rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela);
	UINTN i, n;

	if (!within(dyn->p_offset, dyn->p_filesz, img->file_size))
		return bad_elf("PT_DYNAMIC outside the file");
	d = (const Elf64_Dyn *)(img->file + dyn->p_offset);
	n = dyn->p_filesz / sizeof(*d);
	for (i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		switch (d[i].d_tag) {
		case DT_RELA:
			rela = d[i].d_un.d_ptr;
			break;
		case DT_RELASZ:
			relasz = d[i].d_un.d_val;
			break;
		case DT_RELAENT:
			relaent = d[i].d_un.d_val;
			break;
		case DT_REL:
		case DT_RELR:
		case DT_JMPREL:
			return bad_elf("relocation tables other than DT_RELA are not supported");
		case DT_NEEDED:
			return bad_elf("needs shared libraries");
		}
	}
	if (relaent != sizeof(Elf64_Rela) || relasz % sizeof(Elf64_Rela) ||
	    !within(rela, relasz, img->span))
		return bad_elf("bad DT_RELA table");

	for (i = 0; i < relasz / sizeof(Elf64_Rela); i++) {
		const Elf64_Rela *r = (const Elf64_Rela *)(base + rela) + i;

		if (ELF64_R_TYPE(r->r_info) != R_X86_64_RELATIVE) {
			Print(LOADER_NAME L": hv.elf: relocation type %d at 0x%lx is not "
			      L"R_X86_64_RELATIVE\n", (UINT32)ELF64_R_TYPE(r->r_info),
			      r->r_offset);
			return EFI_LOAD_ERROR;
		}
		if (!within(r->r_offset, sizeof(u64), img->span))
			return bad_elf("relocation outside the image");
		*(u64 *)(base + r->r_offset) = base + r->r_addend;
	}
	*nrelocs = i;
	return EFI_SUCCESS;
}

EFI_STATUS elf_load(const struct hv_image *img, u64 base, UINTN *nrelocs)
{
	const Elf64_Phdr *dyn = NULL;
	UINTN i;

	*nrelocs = 0;
	for (i = 0; i < phnum(img); i++) {
		const Elf64_Phdr *ph = &phdrs(img)[i];

		if (ph->p_type == PT_DYNAMIC)
			dyn = ph;
		/* The region is already zeroed, which covers p_memsz beyond p_filesz. */
		if (ph->p_type == PT_LOAD)
			CopyMem((void *)(base + ph->p_vaddr), img->file + ph->p_offset,
				ph->p_filesz);
	}
	return dyn ? relocate(img, base, dyn, nrelocs) : EFI_SUCCESS;
}
