package io.fieldproof.agent.capture;

import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.CaptureMessages;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.RuntimeConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns the window a device reports pending (STATS {@code capturePending}) into a {@link
 * CapturedWindow}: reads it with {@link CaptureReader}, dates its samples by the agent's clock (the
 * device counts uptime, the agent knows the time of its read), adds what the agent knows of the
 * device, and hands it to the sink under the group's budget.
 */
public final class CaptureCollector {

  /** What the agent knows of the device when it reads a window. */
  public record DeviceContext(
      String device,
      String chip,
      String modelSha256,
      long configGeneration,
      DesiredState desired) {}

  private final String gateway;
  private final CaptureSink sink;
  private final Clock clock;

  public CaptureCollector(String gateway, CaptureSink sink, Clock clock) {
    this.gateway = gateway;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Reads, releases and hands on the device's pending window; empty when none waited.
   *
   * @throws CaptureReader.InvalidWindowException when the device sent one out of bounds
   */
  public Optional<CapturedWindow> collect(DeviceLink link, DeviceContext context)
      throws IOException {
    RuntimeConfig config = context.desired() == null ? null : context.desired().config();
    List<String> inputs =
        config == null
            ? List.of()
            : config.inputs().stream().map(RuntimeConfig.Input::name).toList();
    Instant readAt = clock.instant();
    Optional<CaptureReader.DeviceWindow> read = new CaptureReader(link).read(inputs.size());
    if (read.isEmpty()) {
      return Optional.empty();
    }
    CapturedWindow window = window(read.get(), readAt, inputs, context);
    RuntimeConfig.Capture capture = config == null ? null : config.capture();
    CaptureBudget budget =
        capture == null
            ? new CaptureBudget(0, 0)
            : new CaptureBudget(
                Math.max(0, capture.bytesPerDevicePerDay()),
                Math.max(0, capture.bytesPerGroupPerDay()));
    sink.accept(window, budget);
    return Optional.of(window);
  }

  /** What became of {@code device}'s windows, as the sink counts them; null when it does not. */
  public DeviceCaptureCounts counts(String device) {
    return sink.counts(device);
  }

  private CapturedWindow window(
      CaptureReader.DeviceWindow read, Instant readAt, List<String> inputs, DeviceContext context) {
    List<CaptureMessages.Sample> samples = read.samples();
    long[] ages = new long[samples.size()];
    for (int i = 0; i < ages.length; i++) {
      // uptimes are u32 on the device: the age is their difference modulo 2^32
      ages[i] = (read.deviceUptimeMs() - samples.get(i).uptimeMs()) & 0xFFFF_FFFFL;
    }
    long triggerAge = ages[read.triggerIndex()];
    long[] offsets = new long[ages.length];
    for (int i = 0; i < ages.length; i++) {
      offsets[i] = triggerAge - ages[i];
    }
    Instant triggeredAt = readAt.minusMillis(triggerAge);
    Instant start = readAt.minusMillis(ages[0]);
    Instant end = readAt.minusMillis(ages[ages.length - 1]);
    String group = context.desired() == null ? null : context.desired().group();
    CaptureWindowFormat.Meta meta =
        new CaptureWindowFormat.Meta(
            context.device(),
            gateway,
            group,
            context.modelSha256(),
            context.configGeneration(),
            context.chip(),
            triggeredAt,
            start,
            end);
    byte[] body =
        CaptureWindowFormat.body(
            meta, read.trigger(), inputs, read.triggerIndex(), samples, offsets);
    return new CapturedWindow(
        context.device(),
        gateway,
        group,
        context.modelSha256(),
        context.configGeneration(),
        read.trigger(),
        context.chip(),
        triggeredAt,
        start,
        end,
        CaptureWindowFormat.CONTENT_TYPE,
        body);
  }
}
