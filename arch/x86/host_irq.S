/*
 * Interrupts taken in host mode, on LPs the hypervisor owns: the timer and
 * kick vectors only say "look at the scheduler again", which the code that
 * opened the interrupt window does anyway, so every vector just ends with an
 * EOI. The spurious vector must not be EOIed.
 */
	.text
	.globl host_irq
	.align 16
host_irq:
	push %rbp
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov %rsp, %rbp
	and $-16, %rsp
	call apic_eoi
	mov %rbp, %rsp
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	pop %rbp
	iretq

	.globl host_irq_spurious
	.align 16
host_irq_spurious:
	iretq

	.section .note.GNU-stack, "", @progbits
