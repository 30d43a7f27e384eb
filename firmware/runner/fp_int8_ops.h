/* Inside the interpreter: what fp_int8.c, fp_tflite.c and fp_int8_ops.c share. Not for boards. */
#ifndef FP_INT8_OPS_H
#define FP_INT8_OPS_H

#include "fp_int8.h"
#include "fp_tflite.h"

/* Persistent bytes from the arena's tail, 8-byte aligned and zeroed; NULL (and it->reason set)
 * when the tail would reach the planned head. */
void *fp_int8_alloc(fp_int8 *it, uint32_t bytes);

/* Sets it->reason from the format and returns FP_ERR_MODEL_INVALID. */
fp_err fp_int8_fail(fp_int8 *it, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Input slot i of op: a tensor index, or -1 when absent or beyond the op's inputs. */
int32_t fp_int8_op_input(const fp_int8 *it, const fp_op *op, uint32_t i);

/* Checks one operator's operands and computes its parameters (fp_int8_ops.c). */
fp_err fp_int8_prepare(fp_int8 *it, fp_op *op, uint32_t index);

/* Runs one prepared operator. */
void fp_int8_eval(fp_int8 *it, const fp_op *op);

#endif
