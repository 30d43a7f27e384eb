#include "fp_err.h"

const char *fp_err_name(fp_err err) {
  switch (err) {
    case FP_OK: return "OK";
    case FP_ERR_UNKNOWN_TYPE: return "UNKNOWN_TYPE";
    case FP_ERR_MALFORMED_BODY: return "MALFORMED_BODY";
    case FP_ERR_INVALID_CONFIG: return "INVALID_CONFIG";
    case FP_ERR_BUSY: return "BUSY";
    case FP_ERR_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case FP_ERR_SLOT_ACTIVE: return "SLOT_ACTIVE";
    case FP_ERR_OUT_OF_RANGE: return "OUT_OF_RANGE";
    case FP_ERR_DIGEST_MISMATCH: return "DIGEST_MISMATCH";
    case FP_ERR_MODEL_INVALID: return "MODEL_INVALID";
    case FP_ERR_WRONG_STATE: return "WRONG_STATE";
    case FP_ERR_FLASH_ERROR: return "FLASH_ERROR";
    case FP_ERR_BAD_COBS: return "BAD_COBS";
    case FP_ERR_BAD_LENGTH: return "BAD_LENGTH";
    case FP_ERR_BAD_CRC: return "BAD_CRC";
    case FP_ERR_TOO_LONG: return "TOO_LONG";
    case FP_ERR_NO_SPACE: return "NO_SPACE";
    case FP_ERR_ABSENT: return "ABSENT";
    case FP_ERR_ARG: return "ARG";
    case FP_ERR_NOR_VIOLATION: return "NOR_VIOLATION";
    case FP_ERR_POWER_LOSS: return "POWER_LOSS";
    case FP_ERR_IO: return "IO";
    case FP_ERR_NO_RUNNER: return "NO_RUNNER";
  }
  return "UNKNOWN";
}
