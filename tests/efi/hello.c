/*
 * The sample test application: proves that the next stage runs, that boot
 * services still work and that the loader passed the load options through.
 *
 *     tests/run-efi --options 'hello --answer=42' build/tests/efi/hello.efi
 */
#include "tests/efi/lib/tefi.h"

#define EXPECTED_OPTIONS L"hello --answer=42"

/* System V ABI, not EFIAPI: gnu-efi's crt0 calls efi_main after converting the arguments. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	const CHAR16 *opts;

	tefi_init(image, systab);
	tefi_print(L"hello from the next stage\n");

	tefi_check(!EFI_ERROR(uefi_call_wrapper(BS->Stall, 1, 1000)), L"gBS->Stall(1000) returns");
	opts = tefi_load_options();
	tefi_print(L"load options: \"%s\"\n", opts);
	tefi_check(!StrCmp(opts, EXPECTED_OPTIONS), L"load options are \"" EXPECTED_OPTIONS L"\"");
	tefi_finish();
}
