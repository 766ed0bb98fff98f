/* Exception entry for faults inside the hypervisor itself: all are fatal. */
	.text
.macro vector n, has_error
	.align 16
vector_\n:
	.if \has_error == 0
	push $0
	.endif
	push $\n
	jmp exception_common
.endm

vector 0, 0
vector 1, 0
vector 2, 0
vector 3, 0
vector 4, 0
vector 5, 0
vector 6, 0
vector 7, 0
vector 8, 1
vector 9, 0
vector 10, 1
vector 11, 1
vector 12, 1
vector 13, 1
vector 14, 1
vector 15, 0
vector 16, 0
vector 17, 1
vector 18, 0
vector 19, 0
vector 20, 0
vector 21, 1
vector 22, 0
vector 23, 0
vector 24, 0
vector 25, 0
vector 26, 0
vector 27, 0
vector 28, 0
vector 29, 1
vector 30, 1
vector 31, 0

exception_common:
	mov %rsp, %rdi /* vector, error, rip, cs, rflags, rsp, ss */
	and $-16, %rsp
	call exception_fatal
1:	hlt
	jmp 1b

	.section .data.rel.ro, "aw"
	.globl exception_vectors
exception_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad vector_\n
	.endr

	.section .note.GNU-stack, "", @progbits
