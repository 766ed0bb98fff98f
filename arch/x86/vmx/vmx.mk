# The VMX backend: build/hv-vmx.elf (the top Makefile links it from the
# common sources plus arch/x86/vmx/*.c and *.S) is part of make tests-build.
VMX_BUILD := $(HV_VMX_ELF)
