/* CRC-32/ISO-HDLC (zlib's crc32): reflected 0xEDB88320, init and final XOR 0xFFFFFFFF. */
#ifndef FP_CRC32_H
#define FP_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC of len bytes. fp_crc32(0, "123456789", 9) == 0xCBF43926. Pass the previous result as crc
 * to continue over more bytes (0 to start). */
uint32_t fp_crc32(uint32_t crc, const uint8_t *data, size_t len);

#endif
