/*
 * The model-runner port over TensorFlow Lite Micro, for firmware built with TFLM: the same
 * fp_runner_port as fp_runner_int8 (same 14 operators, same load and invoke contract), with
 * tflite::MicroInterpreter doing the work. NOT COMPILED in this repository (TFLM sources are not
 * available here): see runner/README.md for how to build it in a TFLM project.
 */
#ifndef FP_RUNNER_TFLM_H
#define FP_RUNNER_TFLM_H

#ifdef __cplusplus
extern "C" {
#endif

#include "fp_port.h"

/* The runner port (a singleton over static buffers). */
const fp_runner_port *fp_runner_tflm(void);

#ifdef __cplusplus
}
#endif

#endif
