/*
 * Hypercall entry (hypercall-interface.md): decode the input value, check
 * the call's rules and the caller's privilege, copy parameters in, run the
 * handler, copy results out, and write the result value.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/types.h"
#include "hv/tlfs.h"

struct vp;

/* Not TLFS statuses: the handler switched the LP to another VP and completes later; */
#define HV_STATUS_DEFERRED 0xffff
/* or the call succeeded and a dispatched VP gives its LP back to the root (long spin wait). */
#define HV_STATUS_YIELD_TO_DISPATCHER 0xfffe
/* Internal: a rep that cannot finish yet; the caller re-executes the call from it. */
#define HV_STATUS_AGAIN 0xfffd

struct hypercall {
	struct vp *caller;
	u16 code;
	bool fast;
	u16 var_header_bytes;
	u16 rep_count;
	u16 rep_start;
	u16 reps_done;   /* set by rep handlers: total reps complete */
	const void *in;  /* fixed header, variable header, then rep elements */
	void *out;       /* fixed output, then rep output elements */
	u64 out_gpa;
};

typedef HV_STATUS (*hypercall_fn)(struct hypercall *hc);

struct hypercall_desc {
	hypercall_fn fn;
	u64 privilege;     /* HV_PARTITION_PRIVILEGE_MASK bit(s) the caller needs */
	u16 in_size;       /* fixed input header */
	u16 rep_in_size;   /* one rep input element; non-zero makes it a rep call */
	u16 out_size;      /* fixed output */
	u16 rep_out_size;  /* one rep output element */
	bool rep;
	bool fast_ok;
	bool var_header_ok;
};

/* The call's rules, or NULL for a code this hypervisor does not implement. */
const struct hypercall_desc *hypercall_lookup(u16 code);

/* Upper bound of reps one invocation processes before continuing (TLFS "Hypercall Continuation"). */
#define HYPERCALL_REP_BUDGET 128

/*
 * Checks an input value against the TLFS rules and the rules of call @d
 * (NULL: unknown code); fills hc's code, fast, rep and variable-header
 * fields. Pure: no side effects.
 */
HV_STATUS hypercall_decode(u64 control, const struct hypercall_desc *d,
			   struct hypercall *hc);

/* Bytes of input and output a decoded call touches. */
u32 hypercall_in_bytes(const struct hypercall *hc, const struct hypercall_desc *d);
u32 hypercall_out_bytes(const struct hypercall *hc, const struct hypercall_desc *d);

/* VP exit for a hypercall instruction of @insn_len bytes. */
void hypercall_exit(struct vp *vp, u8 insn_len);

/* Result value as the TLFS packs it. */
static inline u64 hypercall_result(HV_STATUS status, u32 reps_done)
{
	return (u64)status | ((u64)reps_done << HV_HYPERCALL_REPS_COMPLETE_SHIFT);
}

#endif
