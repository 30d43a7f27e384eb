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

/* Cycle estimate of invoke: FULLY_CONNECTED MACs times FP_RUNNER_CYCLES_PER_MAC, CONV_2D and
 * DEPTHWISE_CONV_2D MACs times FP_RUNNER_CYCLES_PER_CONV_MAC, plus FP_RUNNER_CYCLES_PER_OP per
 * operator. The coefficients are the model module's LatencyEstimate (the operator's status and the
 * emulators use the same): a least-squares fit of this runner's instructions per inference on a
 * Cortex-M4 (scripts/bench-cortex-m4.py, QEMU -icount; docs/benchmarks.md), within 22 % of every
 * fixture it measured. Instructions, not cycles: a chip takes more. A board with a cycle counter
 * can report a measured figure instead. */
#ifndef FP_RUNNER_CYCLES_PER_MAC
#define FP_RUNNER_CYCLES_PER_MAC 8u
#endif
#ifndef FP_RUNNER_CYCLES_PER_CONV_MAC
#define FP_RUNNER_CYCLES_PER_CONV_MAC 45u
#endif
#ifndef FP_RUNNER_CYCLES_PER_OP
#define FP_RUNNER_CYCLES_PER_OP 741u
#endif

/* Limits on what a model may hold (a model is untrusted input). */
#define FP_RUNNER_MAX_RANK 6u
#define FP_RUNNER_MAX_TENSORS 1024u
#define FP_RUNNER_MAX_OPS 1024u

#endif
