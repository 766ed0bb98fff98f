# The VMX backend: build/hv-vmx.elf (the top Makefile links it from the
# common sources plus arch/x86/vmx/*.c and *.S) is part of make tests-build.
# Included before HV_VMX_ELF is defined: expanded when the rule is read.
VMX_BUILD = $(HV_VMX_ELF)
