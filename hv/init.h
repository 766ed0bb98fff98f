#ifndef HV_INIT_H
#define HV_INIT_H

#include "hv/types.h"

struct hv_boot_info;
struct launch_state;

/*
 * Launch on one LP: global set-up on the first call, then this LP's own.
 * Returns an HV_LAUNCH_* error; on success it does not return here (the LP
 * continues as the root's VP, which sees hv_entry return 0).
 */
int hv_launch(struct hv_boot_info *bi, u32 lp_index, const struct launch_state *ls);

/* The hypervisor's own memory (the loader's region past the image). */
/* Whether @word is one of hv.cfg's hv_options (space-separated). */
bool hv_option(const char *word);
u64 hv_alloc_page(void);
void hv_free_page(u64 pa);

extern const struct hv_boot_info *boot_info;

#endif
