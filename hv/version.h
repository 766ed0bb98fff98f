#ifndef HV_VERSION_H
#define HV_VERSION_H

#define HV_NAME "hv"
#define HV_VERSION_MAJOR 0
#define HV_VERSION_MINOR 1
#define HV_VERSION_BUILD 1

#endif
