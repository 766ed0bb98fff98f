#include "tests/efi/lib/tefi.h"

static EFI_HANDLE tefi_image;
static unsigned tefi_failures;

void tefi_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	tefi_image = image;
}

void tefi_print(const CHAR16 *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	VPrint(fmt, args);
	va_end(args);
}

void tefi_check(bool cond, const CHAR16 *what)
{
	if (!cond)
		tefi_failures++;
	Print(L"  %s: %s\n", cond ? L"ok" : L"FAIL", what);
}

const CHAR16 *tefi_load_options(void)
{
	EFI_LOADED_IMAGE *li;
	const CHAR16 *opts;
	UINTN chars;

	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, tefi_image,
					&LoadedImageProtocol, (void **)&li)) ||
	    !li->LoadOptions || li->LoadOptionsSize < sizeof(CHAR16))
		return L"";
	/* Only trust options that are NUL-terminated within their stated size. */
	opts = li->LoadOptions;
	for (chars = 0; chars < li->LoadOptionsSize / sizeof(CHAR16); chars++)
		if (!opts[chars])
			return opts;
	return L"";
}

static inline void outl(UINT16 port, UINT32 value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

void tefi_finish(void)
{
	if (tefi_failures)
		Print(L"TEST FAIL (%d failed)\n", tefi_failures);
	else
		Print(L"TEST PASS\n");
	outl(TEFI_EXIT_PORT, tefi_failures ? TEFI_EXIT_FAIL : TEFI_EXIT_PASS);
	/* Without an isa-debug-exit device, park here; the runner's timeout ends it. */
	for (;;)
		__asm__ volatile("cli; hlt");
}
