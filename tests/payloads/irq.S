/*
 * Interrupt entry for payloads: each stub pushes its vector and calls
 * irq_handler(vector) with the caller-saved registers preserved.
 */
	.text
.macro stub vector
	.globl irq_stub_\vector
irq_stub_\vector:
	push %rdi
	mov $\vector, %edi
	jmp irq_common
.endm

stub 0
stub 6
stub 0x40
stub 0x41
stub 0x50
stub 0x51

/* Faults with an error code: drop it, then the same path (vector in %edi). */
.macro fault_stub vector
	.globl fault_stub_\vector
fault_stub_\vector:
	add $8, %rsp
	push %rdi
	mov $\vector, %edi
	jmp irq_common
.endm

fault_stub 13
fault_stub 14

irq_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %r8
	push %r9
	push %r10
	push %r11
	lea 72(%rsp), %rsi /* the interrupt frame: RIP first */
	call irq_handler
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	pop %rdi
	iretq

	.section .note.GNU-stack, "", @progbits
