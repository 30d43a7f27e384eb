/*
 * Build-time sizes of the Fieldproof firmware core. Every static buffer in core/ is sized from
 * here; nothing is allocated at run time. A board may override any value with -D before
 * including this file.
 */
#ifndef FP_CONFIG_H
#define FP_CONFIG_H

/* docs/device-protocol.md §1-2: body <= 4096, decoded frame <= 6 + 4096 + 4. */
#define FP_MAX_BODY 4096u
#define FP_FRAME_HEADER 6u
#define FP_FRAME_CRC 4u
#define FP_MAX_RAW_FRAME (FP_FRAME_HEADER + FP_MAX_BODY + FP_FRAME_CRC)
/* COBS worst case of a raw frame, without the delimiter: 4106 + 4106/254 + 1 = 4123. */
#define FP_MAX_ENCODED_FRAME (FP_MAX_RAW_FRAME + FP_MAX_RAW_FRAME / 254u + 1u)

/* SLOT_WRITE: 8 header bytes, then at most 4088 data bytes. */
#define FP_SLOT_WRITE_HEADER 8u
#define FP_SLOT_WRITE_MAX_DATA (FP_MAX_BODY - FP_SLOT_WRITE_HEADER)

/* JSON tokens one request body may hold (a CONFIG of 32 inputs with all fields needs ~600). */
#ifndef FP_JSON_MAX_TOKENS
#define FP_JSON_MAX_TOKENS 768u
#endif
/* Deepest nesting of objects and arrays accepted in a body. */
#ifndef FP_JSON_MAX_DEPTH
#define FP_JSON_MAX_DEPTH 16u
#endif

/* CONFIG limits (device-protocol.md §4.2; the Java emulators use the same numbers). */
#define FP_MAX_INPUTS 32u
#define FP_MAX_INPUT_NAME 63u /* UTF-16 code units, as the Java emulator counts */
/* Bytes of one input name in UTF-8: 63 code units can take up to 3 bytes each. */
#define FP_MAX_INPUT_NAME_BYTES (3u * FP_MAX_INPUT_NAME)

/* Slot record text fields (device-protocol.md §4.5). */
#define FP_RECORD_TEXT 32u

/* SELFTEST: the largest int8 input and output vectors. */
#ifndef FP_MAX_TENSOR
#define FP_MAX_TENSOR 1024u
#endif

/* The runner's refusal reason in a SELFTEST or ACTIVATE error message: at most this many
 * characters (the message buffer of fp_device holds 160 with the slot's prefix). */
#ifndef FP_REASON_MAX
#define FP_REASON_MAX 120
#endif

/* Flash reads go through a buffer of this size (digest, record checks). */
#ifndef FP_FLASH_CHUNK
#define FP_FLASH_CHUNK 256u
#endif

/* Named counters a STATS response may carry: 11 of the device, 8 of the runtime, rejected.KIND
 * (4), sensorFault.KIND (3), fallbackActivations.ACTION (4) and fallbackAction.ACTION (4), the
 * capture's 3, and per input faultActive.INPUT:KIND (3), drifting.INPUT and driftMilliSigma.INPUT,
 * then the board's battery.mv, battery.percent, link.errorPermille and link.rssiDbm (4). */
#define FP_MAX_COUNTERS (41u + 5u * FP_MAX_INPUTS)

/* ---- device runtime (docs/device-runtime.md) ---- */

/* Fallback rules of one config, and conditions of one rule; a config with more is refused. */
#ifndef FP_MAX_RULES
#define FP_MAX_RULES 16u
#endif
#ifndef FP_MAX_RULE_CONDITIONS
#define FP_MAX_RULE_CONDITIONS 4u
#endif

/*
 * Drift (fp_drift.h): per input a running mean against the training reference, FP_DRIFT_BYTES of
 * state whatever the window (the operator's fit check counts the same bytes per input). A window,
 * the readings the running mean averages over, is 2 to FP_DRIFT_MAX_STEPS steps (the Java
 * emulator's cap: one day at one step a second).
 */
#define FP_DRIFT_BYTES 32u
#define FP_DRIFT_MAX_STEPS 86400u
/* driftMilliSigma of a shift this large (or not a number), as the Java runtime caps it. */
#define FP_DRIFT_MAX_MILLI_SIGMA 1000000000u

/*
 * Capture (fp_capture.h, docs/field-data.md): a ring of samples in a static pool, each
 * FP_CAPTURE_SAMPLE_BYTES plus FP_CAPTURE_INPUT_BYTES per input; it holds before + 1 + after
 * samples, or as many as the pool takes. The Java CaptureRing and the operator's fit check
 * (RuntimeState) use the same numbers.
 */
#ifndef FP_CAPTURE_POOL_BYTES
#define FP_CAPTURE_POOL_BYTES 8192u
#endif
#define FP_CAPTURE_SAMPLE_BYTES 12u
#define FP_CAPTURE_INPUT_BYTES 9u
/* CAPTURE pages: samples per page = (FP_MAX_BODY - header) / (sample + per input), at least 1,
 * as io.fieldproof.device.protocol.CaptureMessages.samplesPerPage computes it. */
#define FP_CAPTURE_PAGE_HEADER 256u
#define FP_CAPTURE_PAGE_SAMPLE 136u
#define FP_CAPTURE_PAGE_INPUT 48u

/* Inference times kept for latencyP95Us. */
#define FP_LATENCY_SAMPLES 128u

#endif
