/**
 * The Fieldproof device runtime protocol, version 1: the bytes a gateway and a device exchange.
 *
 * <p>Owns the wire format ({@link io.fieldproof.device.protocol.Cobs} framing, {@link
 * io.fieldproof.device.protocol.FrameCodec} header and CRC, {@link
 * io.fieldproof.device.protocol.FrameDecoder} for byte streams) and the message bodies ({@link
 * io.fieldproof.device.protocol.MessageCodec} and the records it reads and writes). Both ends use
 * it: the edge agent's device links and the device emulators. The specification is {@code
 * docs/device-protocol.md}. Must not: open connections, or know about MQTT, Kubernetes, the gateway
 * or the emulators.
 */
package io.fieldproof.device.protocol;
