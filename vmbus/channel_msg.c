/* Protocol constants shared by the server and the client. */
#include "vmbus/channel_msg.h"

/* drivers/hv/connection.c vmbus_versions[]: what Linux offers, highest first. */
const u32 vmbus_versions[VMBUS_VERSION_COUNT] = {
	VERSION_WIN10_V5_3, VERSION_WIN10_V5_2, VERSION_WIN10_V5_1, VERSION_WIN10_V5,
	VERSION_WIN10_V4_1, VERSION_WIN10,      VERSION_WIN8_1,     VERSION_WIN8,
};
