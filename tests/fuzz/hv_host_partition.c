/*
 * hv/partition.c, compiled into this file rather than linked: its partition
 * table and next partition id are static, and every fuzz input has to
 * start from a freshly launched hypervisor (partition ids 2, 3, ... again)
 * for an input to mean the same thing twice.
 */
#include "hv/partition.c"
#include "tests/fuzz/hv_host.h"

void host_partition_reset(void)
{
	memset(table, 0, sizeof(table));
	next_id = ROOT_PARTITION_ID + 1;
	root_partition = NULL;
}

struct partition *host_partition_slot(unsigned slot)
{
	return slot < HV_MAX_PARTITIONS ? table[slot] : NULL;
}

bool host_partitions_locked(void)
{
	return big_lock.locked;
}
