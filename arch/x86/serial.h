#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H

#include "hv/types.h"

void serial_init(u16 port);
void serial_write(const char *s, size_t n);

#endif
