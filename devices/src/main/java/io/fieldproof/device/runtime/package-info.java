/**
 * The device runtime in Java, as the emulators run it (docs/device-runtime.md): input guards,
 * normalization, the active model through the project's int8 interpreter ({@link
 * io.fieldproof.device.runtime.InterpreterModelRunner}), threshold and debounce, fallback rules,
 * drift and health counters, one step per sensor window ({@link
 * io.fieldproof.device.runtime.DeviceRuntimeEngine}). The C firmware's {@code firmware/runtime/} is
 * the same runtime for real devices; the conformance cases hold both to the same answers.
 */
package io.fieldproof.device.runtime;
