/*
 * The TFLite schema (tensorflow/lite/schema/schema.fbs, version 3) as far as the runner reads it:
 * the model's one subgraph, its tensors (shape, type, buffer, quantization), its operators with
 * their builtin options, inputs and outputs. Every index is checked against the table it points
 * into; data lengths are checked against shapes.
 *
 * Field ids used (schema.fbs): Model {version 0, operator_codes 1, subgraphs 2, buffers 4};
 * OperatorCode {deprecated_builtin_code 0, builtin_code 3, custom_code 1}; SubGraph {tensors 0,
 * inputs 1, outputs 2, operators 3}; Tensor {shape 0, type 1, buffer 2, quantization 4,
 * is_variable 5}; QuantizationParameters {scale 2, zero_point 3, quantized_dimension 6};
 * Buffer {data 0, offset 1}; Operator {opcode_index 0, inputs 1, outputs 2,
 * builtin_options_type 3, builtin_options 4}.
 */
#ifndef FP_TFLITE_H
#define FP_TFLITE_H

#include "fp_int8.h"

/* Reads the model's tables into it: tensors, operators with their options, inputs and outputs.
 * FP_ERR_MODEL_INVALID with it->reason when the model is corrupt or uses what the runner lacks. */
fp_err fp_tflite_read(fp_int8 *it);

#endif
