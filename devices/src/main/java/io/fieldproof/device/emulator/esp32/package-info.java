/**
 * The ESP32 serial ROM loader (download mode), emulated byte for byte over an {@link
 * io.fieldproof.device.emulator.flash.EmulatedFlash}: what esptool (its default mode, which uploads
 * and talks to its flasher stub, emulated here without running its code, and {@code --no-stub}) and
 * the agent's {@code io.fieldproof.agent.flash.esp32.EspRomSession} talk to, served by {@link
 * io.fieldproof.device.emulator.line.LineServer} through {@link
 * io.fieldproof.device.emulator.esp32.EspRomLoader#factory}. Owns SLIP framing, the command and
 * reply packets, the chip's registers (magic, eFuses, SPI0 controller), the RAM upload, the stub's
 * commands and the flash commands, with erase and program times from {@link
 * io.fieldproof.device.emulator.flash.FlashTimings} when asked; owns no sockets. Must not be used
 * by the agent's production code paths. See docs/flashing-esp32.md.
 */
package io.fieldproof.device.emulator.esp32;
