/*
 * tefi: the little support library of the test EFI applications. A test
 * calls tefi_init, makes its checks and ends with tefi_finish, which reports
 * the verdict on the console and to QEMU's isa-debug-exit device (port 0xf4),
 * so tests/run-efi can judge the run by QEMU's exit status.
 */
#ifndef TESTS_EFI_TEFI_H
#define TESTS_EFI_TEFI_H

#include <efi.h>
#include <efilib.h>
#include <stdbool.h>

#define TEFI_EXIT_PORT 0xf4
#define TEFI_EXIT_PASS 0x10 /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define TEFI_EXIT_FAIL 0x11 /* 35 */

void tefi_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
/* gnu-efi Print(): CHAR16 format, %a for ASCII strings, %ld/%lx for 64-bit. */
void tefi_print(const CHAR16 *fmt, ...);
/* Prints "  ok: what" or "  FAIL: what"; failures are counted for tefi_finish. */
void tefi_check(bool cond, const CHAR16 *what);
/* The image's LoadOptions as a string; L"" when there are none. */
const CHAR16 *tefi_load_options(void);
/* Prints "TEST PASS" or "TEST FAIL (n failed)" and exits QEMU. */
__attribute__((noreturn)) void tefi_finish(void);

/* The TSC: under -icount it counts instructions, and children share it (no offset). */
static inline UINT64 rdtsc(void)
{
	UINT32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((UINT64)hi << 32) | lo;
}

#endif
