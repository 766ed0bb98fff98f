/*
 * hv_entry(struct hv_boot_info *bi, u32 lp_index): called by the loader on
 * every LP (System V ABI). Saves what the firmware expects preserved, so the
 * root VP can resume right after this call as if it had returned 0.
 */
	.text
	.globl hv_entry
	.type hv_entry, @function
hv_entry:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	pushfq
	cli
	mov %rsp, %rdx /* struct launch_frame */
	call arch_launch
	/* Only a failed launch comes back: undo and return its status. */
	popfq
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size hv_entry, . - hv_entry

/* launch_jump(struct lp *lp, u64 stack_top, void (*fn)(struct lp *)) */
	.globl launch_jump
	.type launch_jump, @function
launch_jump:
	mov %rsi, %rsp
	xor %ebp, %ebp
	push %rbp /* fake return address: fn never returns */
	jmp *%rdx
	.size launch_jump, . - launch_jump

	.section .note.GNU-stack, "", @progbits
