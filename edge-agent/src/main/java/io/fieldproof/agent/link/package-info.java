/**
 * The client side of a device link, version 1 of the device runtime protocol as the host speaks it:
 * {@link io.fieldproof.agent.link.DeviceLink}, over TCP ({@link
 * io.fieldproof.agent.link.TcpDeviceLink}) or a serial line ({@link
 * io.fieldproof.agent.link.SerialDeviceLink}), chosen by {@link
 * io.fieldproof.agent.link.DeviceLinks}. The wire format it speaks (framing, message types and
 * bodies) is the device-protocol module's {@code io.fieldproof.device.protocol}, shared with the
 * device emulators; the specification is {@code docs/device-protocol.md}. Must not: know about
 * MQTT, Kubernetes or the emulators.
 */
package io.fieldproof.agent.link;
