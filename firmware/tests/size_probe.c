/* Compiled for the cross targets only: its .bss is sizeof(fp_device), the RAM one device takes. */
#include "fp_device.h"

fp_device fp_size_probe_device;
