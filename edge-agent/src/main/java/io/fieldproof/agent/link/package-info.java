/**
 * The Fieldproof device runtime protocol, version 1, as the host speaks it.
 *
 * <p>Owns the wire format ({@link io.fieldproof.agent.link.Cobs} framing, {@link
 * io.fieldproof.agent.link.FrameCodec} header and CRC, {@link
 * io.fieldproof.agent.link.FrameDecoder} for byte streams), the message bodies ({@link
 * io.fieldproof.agent.link.MessageCodec} and the records it reads and writes) and the client side
 * of a device link ({@link io.fieldproof.agent.link.DeviceLink}, {@link
 * io.fieldproof.agent.link.TcpDeviceLink}, {@link io.fieldproof.agent.link.DeviceLinks}). The
 * specification is {@code docs/device-protocol.md}. Must not: know about MQTT, Kubernetes or the
 * emulators.
 */
package io.fieldproof.agent.link;
