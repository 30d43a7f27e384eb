/*
 * Sizes of the int8 model runner. Every buffer of the runner is static and sized here; a board can
 * override each with -D. The defaults fit an STM32F405 (128 KiB RAM beside 64 KiB CCM) next to one
 * fp_device: 16 KiB model buffer + 16 KiB tensor arena. The largest fixture model
 * (ds_cnn_keywords, 8648 bytes) takes 5.6 KiB of this arena (TFLM's arena for it: 4704 bytes).
 */
#ifndef FP_RUNNER_CONFIG_H
#define FP_RUNNER_CONFIG_H

/* Bytes of the model buffer that load copies the model into from flash: the largest model file. */
#ifndef FP_RUNNER_MODEL_MAX
#define FP_RUNNER_MODEL_MAX 16384u
#endif

/* Bytes of the tensor arena: planned tensors at its head, tensor and operator tables and
 * per-channel multipliers at its tail. HELLO reports it as arenaBytes. */
#ifndef FP_RUNNER_ARENA_BYTES
#define FP_RUNNER_ARENA_BYTES 16384u
#endif

/* Cycle estimate of invoke: MACs times this, plus FP_RUNNER_CYCLES_PER_OP per operator, as the
 * emulators estimate a Cortex-M4 (docs/device-runtime.md). A board with a cycle counter can
 * report a measured figure instead. */
#ifndef FP_RUNNER_CYCLES_PER_MAC
#define FP_RUNNER_CYCLES_PER_MAC 2u
#endif
#ifndef FP_RUNNER_CYCLES_PER_OP
#define FP_RUNNER_CYCLES_PER_OP 600u
#endif

/* Limits on what a model may hold (a model is untrusted input). */
#define FP_RUNNER_MAX_RANK 6u
#define FP_RUNNER_MAX_TENSORS 1024u
#define FP_RUNNER_MAX_OPS 1024u

#endif
