/**
 * The agent's flasher for an ESP32 in serial download mode: {@link
 * io.fieldproof.agent.flash.esp32.EspRomSession} speaks the ROM loader protocol (no stub) over a
 * {@link io.fieldproof.agent.flash.ByteLine}. Owns SLIP framing, command retries and deadlines,
 * chip and flash detection, and compressed or plain block uploads; owns neither the line nor what
 * is written where (the slot layout and the update flow decide that). See docs/flashing-esp32.md.
 */
package io.fieldproof.agent.flash.esp32;
