package io.fieldproof.agent.capture;

import java.time.Instant;
import java.util.Objects;

/**
 * One window of raw field data a device captured around a trigger, as the agent keeps it until it
 * is uploaded. The body is opaque here: its layout and content type are the capture format's,
 * described in docs/field-data.md.
 *
 * @param device the device id
 * @param gateway the gateway whose agent read the window
 * @param group the DeviceGroup the device belonged to when it captured
 * @param modelSha256 sha256 of the model the device ran
 * @param configGeneration the runtime config generation the device ran
 * @param trigger what started the capture (alarm, fallback, sensorFault, drift, sample)
 * @param chip the device's chip (esp32, stm32f4, ...)
 * @param triggeredAt when the trigger fired, by the agent's clock
 * @param start the first reading's time
 * @param end the last reading's time
 * @param contentType the body's media type
 * @param body the window itself
 */
public record CapturedWindow(
    String device,
    String gateway,
    String group,
    String modelSha256,
    long configGeneration,
    String trigger,
    String chip,
    Instant triggeredAt,
    Instant start,
    Instant end,
    String contentType,
    byte[] body) {

  public CapturedWindow {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }
}
