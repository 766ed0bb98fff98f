#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18

struct lp;
/* Loads this LP's GDT, TSS and the shared IDT, and points GS at the lp. */
void desc_load(struct lp *lp);

#endif
