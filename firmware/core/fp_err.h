/*
 * The one error type of the firmware. Every function that can fail returns an fp_err; FP_OK is 0.
 * The codes from FP_ERR_UNKNOWN_TYPE to FP_ERR_FLASH_ERROR are the protocol's error codes
 * (docs/device-protocol.md §5) and travel in error responses as they are; the others stay inside
 * the device.
 */
#ifndef FP_ERR_H
#define FP_ERR_H

typedef enum {
  FP_OK = 0,
  /* Protocol error codes, device-protocol.md §5. */
  FP_ERR_UNKNOWN_TYPE = 1,
  FP_ERR_MALFORMED_BODY = 2,
  FP_ERR_INVALID_CONFIG = 3,
  FP_ERR_BUSY = 4,
  FP_ERR_NOT_SUPPORTED = 5,
  FP_ERR_SLOT_ACTIVE = 6,
  FP_ERR_OUT_OF_RANGE = 7,
  FP_ERR_DIGEST_MISMATCH = 8,
  FP_ERR_MODEL_INVALID = 9,
  FP_ERR_WRONG_STATE = 10,
  FP_ERR_FLASH_ERROR = 11,
  /* Internal: never sent as a code. */
  FP_ERR_BAD_COBS = 100,  /* a frame's byte stuffing is invalid */
  FP_ERR_BAD_LENGTH,      /* a frame is truncated or its length field disagrees */
  FP_ERR_BAD_CRC,         /* a frame's CRC does not match */
  FP_ERR_TOO_LONG,        /* more bytes than the largest frame before a delimiter */
  FP_ERR_NO_SPACE,        /* an output buffer is too small */
  FP_ERR_ABSENT,          /* nothing there: an erased or torn record, a missing field */
  FP_ERR_ARG,             /* an argument outside what the function accepts */
  FP_ERR_NOR_VIOLATION,   /* a program would set a bit that is 0, or an unaligned erase */
  FP_ERR_POWER_LOSS,      /* the power went during a flash operation (test ports only) */
  FP_ERR_IO,              /* the port's byte stream or storage failed */
  FP_ERR_NO_RUNNER        /* no model runner is built into this firmware */
} fp_err;

/* A short constant name of an error, for logs and tests. */
const char *fp_err_name(fp_err err);

#endif
