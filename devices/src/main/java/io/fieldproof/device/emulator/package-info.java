/**
 * ESP32 and STM32 device emulators: the device side of the Fieldproof runtime protocol v1.
 *
 * <p>Owns the emulated firmware ({@link io.fieldproof.device.emulator.DeviceRuntime}: identity,
 * capabilities, slot table, applied configuration, counters), the synthetic sensors ({@link
 * io.fieldproof.device.emulator.SyntheticSensor} and its {@link
 * io.fieldproof.device.emulator.SensorScenario}s), the byte-level device end of a line ({@link
 * io.fieldproof.device.emulator.DeviceEmulator}, {@link
 * io.fieldproof.device.emulator.EmulatorConnection}), its TCP transport ({@link
 * io.fieldproof.device.emulator.EmulatorServer}) and the command line ({@link
 * io.fieldproof.device.emulator.EmulatorMain}). Speaks only through the wire format of {@code
 * io.fieldproof.device.protocol}; must not depend on the edge agent, whose tests attach to an
 * emulator without sockets through their own in-process link.
 */
package io.fieldproof.device.emulator;
