/*
 * int vmx_run(struct vp_regs *regs, u64 launched): one guest run.
 * Guest GPRs but RSP (which the VMCS holds) come from and go back to *regs.
 * The VM exit lands at vmx_exit_entry (HOST_RIP) with RSP = HOST_RSP, the
 * value written here, so the frame below is intact. Returns 0 after a VM
 * exit, 1 when VMLAUNCH/VMRESUME itself failed (SDM 30.2, VMfail).
 */
#define HOST_RSP 0x6c14

	.text
	.globl vmx_run
	.type vmx_run, @function
vmx_run:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi /* regs */
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	test %rsi, %rsi /* ZF: not launched yet; the moves below keep the flags */
	mov 0x00(%rdi), %rax
	mov 0x08(%rdi), %rcx
	mov 0x10(%rdi), %rdx
	mov 0x18(%rdi), %rbx
	mov 0x28(%rdi), %rbp
	mov 0x30(%rdi), %rsi
	mov 0x40(%rdi), %r8
	mov 0x48(%rdi), %r9
	mov 0x50(%rdi), %r10
	mov 0x58(%rdi), %r11
	mov 0x60(%rdi), %r12
	mov 0x68(%rdi), %r13
	mov 0x70(%rdi), %r14
	mov 0x78(%rdi), %r15
	mov 0x38(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp 2f
1:	vmresume
2:	mov $1, %eax
	jmp 3f

	.globl vmx_exit_entry
	.type vmx_exit_entry, @function
vmx_exit_entry:
	push %rdi
	mov 8(%rsp), %rdi /* regs */
	mov %rax, 0x00(%rdi)
	mov %rcx, 0x08(%rdi)
	mov %rdx, 0x10(%rdi)
	mov %rbx, 0x18(%rdi)
	mov %rbp, 0x28(%rdi)
	mov %rsi, 0x30(%rdi)
	mov %r8, 0x40(%rdi)
	mov %r9, 0x48(%rdi)
	mov %r10, 0x50(%rdi)
	mov %r11, 0x58(%rdi)
	mov %r12, 0x60(%rdi)
	mov %r13, 0x68(%rdi)
	mov %r14, 0x70(%rdi)
	mov %r15, 0x78(%rdi)
	popq 0x38(%rdi)
	xor %eax, %eax
3:	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_run, . - vmx_run

/*
 * Host IDT vector 2. Intel has no GIF: an NMI that arrives in host mode is
 * taken here, recorded for the root (vmx_nmi_in_host) and injected at the
 * root's next entry. The interrupt frame leaves RSP 8 mod 16; nine pushes
 * make the call ABI-aligned.
 */
	.globl vmx_host_nmi
	.type vmx_host_nmi, @function
vmx_host_nmi:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	call vmx_nmi_in_host
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	iretq
	.size vmx_host_nmi, . - vmx_host_nmi

	.section .note.GNU-stack, "", @progbits
