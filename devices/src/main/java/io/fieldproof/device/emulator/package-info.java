/**
 * ESP32 and STM32 device emulators: the device side of the Fieldproof runtime protocol v1.
 *
 * <p>Owns the emulated firmware ({@link io.fieldproof.agent.emulator.DeviceRuntime}: identity,
 * capabilities, slot table, applied configuration, counters), the synthetic sensors ({@link
 * io.fieldproof.agent.emulator.SyntheticSensor} and its {@link
 * io.fieldproof.agent.emulator.SensorScenario}s), the byte-level device end of a line ({@link
 * io.fieldproof.agent.emulator.DeviceEmulator}, {@link
 * io.fieldproof.agent.emulator.EmulatorConnection}), its transports ({@link
 * io.fieldproof.agent.emulator.EmulatorServer} over TCP, {@link
 * io.fieldproof.agent.emulator.InProcessDeviceLink} without sockets or threads) and the command
 * line ({@link io.fieldproof.agent.emulator.EmulatorMain}). Speaks only through the wire format of
 * {@link io.fieldproof.agent.link}; must not be used by the agent's production code paths.
 */
package io.fieldproof.agent.emulator;
