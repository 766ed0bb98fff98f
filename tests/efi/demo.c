/*
 * make run: the firmware runs as the root partition, creates a child
 * partition through the TLFS calls, runs it, and shows what the child
 * printed through its intercepted console port.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_hello_start[], payload_hello_end[];

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	tefi_init(image, systab);
	tefi_print(L"\ndemo: root partition here (the firmware, now a guest of the hypervisor)\n");
	tefi_check(hv_setup(), L"hypercall page enabled");
	s = child_create(&c, payload_hello_start, payload_hello_end - payload_hello_start, &step);
	if (s) {
		tefi_print(L"demo: %s failed: status 0x%x\n", step, s);
		tefi_check(false, L"child partition created");
		tefi_finish();
	}
	tefi_print(L"demo: child partition %ld created; dispatching its VP 0\n", c.id);
	type = child_run(&c, &s);
	c.console[c.console_len] = 0;
	tefi_print(L"demo: the child printed:\n%a", c.console);
	tefi_print(L"demo: child stopped with message type 0x%x; its CreatePartition got status 0x%lx\n",
		   type, c.mailbox[2] & 0xffff);
	tefi_check(type == HvMessageTypeX64Halt, L"child halted");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS,
		   L"child partition deleted");
	tefi_finish();
}
