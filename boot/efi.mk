# GNU-EFI build rules: hvloader.efi and the test EFI applications.
# Included by the top Makefile, which defines BUILD and CC.
#
# Every EFI object goes to $(BUILD)/efi/<source path>.o so that a source file
# shared with the hypervisor (arch/x86/paging.c) is compiled once per ABI.

GNUEFI_INC ?= /usr/include/efi
GNUEFI_LIBDIR ?= /usr/lib
GNUEFI_CRT0 ?= $(GNUEFI_LIBDIR)/crt0-efi-x86_64.o
GNUEFI_LDS ?= $(GNUEFI_LIBDIR)/elf_x86_64_efi.lds
EFI_LD ?= ld
EFI_OBJCOPY ?= objcopy

EFI_CFLAGS := -fpic -ffreestanding -fno-stack-protector -fshort-wchar \
	-mno-red-zone -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -I. -O2 -Wall -Wextra

$(BUILD)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

# $(call efi_link,OUT.efi,OBJS): links OBJS against GNU-EFI into OUT.so and
# converts it to a PE32+ EFI application. --no-undefined because -shared
# would otherwise accept an unresolved symbol and crash at run time.
define efi_link
@mkdir -p $(dir $(1))
$(EFI_LD) -shared -Bsymbolic -znocombreloc -nostdlib --no-undefined \
	-T $(GNUEFI_LDS) $(GNUEFI_CRT0) $(filter %.o,$(2)) \
	-L$(GNUEFI_LIBDIR) -lefi -lgnuefi -o $(basename $(1)).so
$(EFI_OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
	-j '.rel*' -j '.rela*' -j .reloc \
	--target efi-app-x86_64 --subsystem=10 $(basename $(1)).so $(1)
endef

LOADER := $(BUILD)/boot/hvloader.efi
LOADER_SRCS := $(wildcard boot/*.c) arch/x86/paging.c hv/minroot.c
LOADER_OBJS := $(patsubst %.c,$(BUILD)/efi/%.o,$(LOADER_SRCS))

$(LOADER): $(LOADER_OBJS)
	$(call efi_link,$@,$^)

EFI_HELLO := $(BUILD)/tests/efi/hello.efi
EFI_HELLO_OBJS := $(BUILD)/efi/tests/efi/hello.o $(BUILD)/efi/tests/efi/lib/tefi.o

$(EFI_HELLO): $(EFI_HELLO_OBJS)
	$(call efi_link,$@,$^)

.PHONY: loader efi-hello
loader: $(LOADER)
efi-hello: $(EFI_HELLO)

-include $(LOADER_OBJS:.o=.d) $(EFI_HELLO_OBJS:.o=.d)
