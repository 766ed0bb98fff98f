/* Whole-file reads from the volume the loader was started from. */
#include "boot/loader.h"

EFI_STATUS file_read(EFI_HANDLE device, const CHAR16 *path, char **data, UINTN *size)
{
	EFI_FILE_HANDLE root, file = NULL;
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS status;
	UINTN len = 0;
	char *buf = NULL;

	root = LibOpenRoot(device);
	if (!root) {
		Print(LOADER_NAME L": cannot open the file system of the boot device\n");
		return EFI_NOT_FOUND;
	}
	status = uefi_call_wrapper(root->Open, 5, root, &file, (CHAR16 *)path,
				   EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status))
		goto out;
	info = LibFileInfo(file);
	if (!info) {
		status = EFI_DEVICE_ERROR;
		goto out;
	}
	len = info->FileSize;
	/* The extra byte NUL-terminates text files for the parser. */
	buf = AllocatePool(len + 1);
	if (!buf) {
		status = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	*size = len;
	status = uefi_call_wrapper(file->Read, 3, file, size, buf);
	if (!EFI_ERROR(status) && *size != len)
		status = EFI_END_OF_FILE;
out:
	if (EFI_ERROR(status)) {
		Print(LOADER_NAME L": cannot read %s: %r\n", path, status);
		if (buf)
			FreePool(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	if (info)
		FreePool(info);
	if (file)
		uefi_call_wrapper(file->Close, 1, file);
	uefi_call_wrapper(root->Close, 1, root);
	*data = buf;
	return status;
}
