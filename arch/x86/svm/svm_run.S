/*
 * svm_vmrun(u64 vmcb_pa, struct vp_regs *regs, u64 host_state_pa):
 * one guest run. Guest GPRs but RAX and RSP (kept in the VMCB) come from and
 * go back to *regs; FS, GS, TR, LDTR and the syscall MSRs are swapped with
 * VMLOAD/VMSAVE (APM vol. 2, 15.5.2).
 */
	.text
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdx /* host state */
	push %rsi /* regs */
	mov %rdi, %rax
	mov 0x08(%rsi), %rcx
	mov 0x10(%rsi), %rdx
	mov 0x18(%rsi), %rbx
	mov 0x28(%rsi), %rbp
	mov 0x38(%rsi), %rdi
	mov 0x40(%rsi), %r8
	mov 0x48(%rsi), %r9
	mov 0x50(%rsi), %r10
	mov 0x58(%rsi), %r11
	mov 0x60(%rsi), %r12
	mov 0x68(%rsi), %r13
	mov 0x70(%rsi), %r14
	mov 0x78(%rsi), %r15
	mov 0x30(%rsi), %rsi
	vmload %rax
	vmrun %rax
	vmsave %rax
	mov (%rsp), %rax /* regs */
	mov %rcx, 0x08(%rax)
	mov %rdx, 0x10(%rax)
	mov %rbx, 0x18(%rax)
	mov %rbp, 0x28(%rax)
	mov %rsi, 0x30(%rax)
	mov %rdi, 0x38(%rax)
	mov %r8, 0x40(%rax)
	mov %r9, 0x48(%rax)
	mov %r10, 0x50(%rax)
	mov %r11, 0x58(%rax)
	mov %r12, 0x60(%rax)
	mov %r13, 0x68(%rax)
	mov %r14, 0x70(%rax)
	mov %r15, 0x78(%rax)
	pop %rsi
	pop %rax /* host state */
	vmload %rax
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
