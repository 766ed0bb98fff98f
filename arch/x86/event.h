/*
 * What both backends check of an event they deliver into a VP: which
 * exceptions push an error code, and which HvRegisterPendingInterruption
 * values a parent may write (tlfs-v6.0b.txt, HV_X64_PENDING_INTERRUPTION_REGISTER).
 */
#ifndef ARCH_X86_EVENT_H
#define ARCH_X86_EVENT_H

#include "hv/types.h"
#include "hv/tlfs.h"

/* SDM 6.13: #DF, #TS, #NP, #SS, #GP, #PF, #AC; in real mode none does. */
static inline bool x86_exception_has_error_code(u8 vector, bool protected_mode)
{
	return protected_mode &&
	       (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17);
}

/*
 * A parent re-injects what it intercepted: a hardware exception, with its
 * error code exactly when the processor would push one (VM entry refuses
 * anything else on VMX; SVM would push a code the guest does not expect).
 * Interrupts go through the virtual APIC and NMIs are not offered to
 * children; the software types need an instruction length SVM cannot act
 * on without NRIP save. Those are refused, as are reserved bits.
 */
static inline bool pending_interruption_valid(u64 value, bool protected_mode)
{
	u8 type = (value & HV_X64_PENDING_INTERRUPTION_TYPE_MASK) >> HV_X64_PENDING_INTERRUPTION_TYPE_SHIFT;
	u64 vector = (value & HV_X64_PENDING_INTERRUPTION_VECTOR_MASK) >>
		     HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT;
	bool error = value & HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE;

	if (!(value & HV_X64_PENDING_INTERRUPTION_PENDING))
		return true; /* the other fields are ignored */
	return type == HvX64PendingException && vector <= 31 && vector != 2 &&
	       !(value & (HV_X64_PENDING_INTERRUPTION_RESERVED | HV_X64_PENDING_INTERRUPTION_LENGTH_MASK)) &&
	       error == x86_exception_has_error_code((u8)vector, protected_mode);
}

#endif
