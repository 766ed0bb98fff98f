/* Payload entry: the parent set up long mode, a stack and a flat GDT. */
	.section .text.start, "ax"
	.globl _start
_start:
	call payload_main
1:	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
