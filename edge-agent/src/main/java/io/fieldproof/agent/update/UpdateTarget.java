package io.fieldproof.agent.update;

import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.Capabilities;

/**
 * The device an update goes to.
 *
 * @param link the link to its firmware, null when the firmware does not answer
 * @param chip its chip wire name
 * @param capabilities what its runtime offers (arena, slot, operators)
 * @param bootloaderUri the line to its bootloader, null when the agent has none
 */
public record UpdateTarget(
    DeviceLink link, String chip, Capabilities capabilities, String bootloaderUri) {}
