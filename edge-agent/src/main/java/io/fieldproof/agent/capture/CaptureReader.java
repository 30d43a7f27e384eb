package io.fieldproof.agent.capture;

import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.CaptureMessages;
import io.fieldproof.device.protocol.MalformedBodyException;
import io.fieldproof.device.protocol.MessageCodec;
import io.fieldproof.device.protocol.MessageType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the window a device froze with CAPTURE (docs/device-protocol.md §4.6), page by page, and
 * releases it. Everything the device sends is checked against bounds before it is kept: a window
 * holds at most {@link #MAX_SAMPLES} samples, a page at most what fits a frame, each sample one
 * value per configured input; a window that breaks them is released and refused.
 */
public final class CaptureReader {

  /** The most samples a window can hold: a pool of 8 KiB of samples of 12 bytes or more. */
  public static final int MAX_SAMPLES = 8192 / 12;

  /** A window as the device sent it, and the device's uptime when its first page was read. */
  public record DeviceWindow(
      long id,
      String trigger,
      long deviceUptimeMs,
      int triggerIndex,
      List<CaptureMessages.Sample> samples) {}

  private final DeviceLink link;

  public CaptureReader(DeviceLink link) {
    this.link = link;
  }

  /**
   * The frozen window of a device configured with {@code inputs} inputs, read whole and released;
   * empty when none waits.
   *
   * @throws InvalidWindowException when the device sent a window out of bounds (released too)
   */
  public Optional<DeviceWindow> read(int inputs) throws IOException {
    CaptureMessages.Page first = page(0);
    if (!first.ready()) {
      return Optional.empty();
    }
    long id = first.id() == null ? 0 : first.id();
    try {
      DeviceWindow window = collect(first, inputs);
      return Optional.of(window);
    } finally {
      if (id > 0) {
        release(id);
      }
    }
  }

  private DeviceWindow collect(CaptureMessages.Page first, int inputs) throws IOException {
    int total = first.total() == null ? -1 : first.total();
    int triggerIndex = first.triggerIndex() == null ? -1 : first.triggerIndex();
    if (first.id() == null
        || first.trigger() == null
        || first.uptimeMs() == null
        || total < 1
        || total > MAX_SAMPLES
        || triggerIndex < 0
        || triggerIndex >= total) {
      throw new InvalidWindowException("the window's header is out of bounds: " + first);
    }
    List<CaptureMessages.Sample> samples = new ArrayList<>(total);
    CaptureMessages.Page page = first;
    int perPage = CaptureMessages.samplesPerPage(inputs);
    for (int pages = 0; ; pages++) {
      if (page.samples() == null
          || page.samples().size() > perPage
          || page.from() == null
          || page.from() != samples.size()
          || !page.ready()
          || !first.id().equals(page.id())) {
        throw new InvalidWindowException("page " + pages + " does not continue the window");
      }
      for (CaptureMessages.Sample sample : page.samples()) {
        check(sample, inputs);
        samples.add(sample);
      }
      if (page.next() == null || samples.size() >= total) {
        break;
      }
      if (page.next() != samples.size() || pages > MAX_SAMPLES) {
        throw new InvalidWindowException("page " + pages + " points past its own samples");
      }
      page = page(page.next());
    }
    if (samples.size() != total) {
      throw new InvalidWindowException(
          "the window has " + samples.size() + " samples, its header says " + total);
    }
    return new DeviceWindow(first.id(), first.trigger(), first.uptimeMs(), triggerIndex, samples);
  }

  private static void check(CaptureMessages.Sample sample, int inputs) {
    if (sample == null
        || sample.raw() == null
        || sample.normalized() == null
        || sample.verdicts() == null
        || sample.raw().size() != inputs
        || sample.normalized().size() != inputs
        || sample.verdicts().size() != inputs) {
      throw new InvalidWindowException("a sample does not hold one value per input");
    }
  }

  private CaptureMessages.Page page(int from) throws IOException {
    byte[] body =
        link.request(
            MessageType.CAPTURE.code(), MessageCodec.write(CaptureMessages.Request.read(from)));
    try {
      return MessageCodec.read(body, CaptureMessages.Page.class);
    } catch (MalformedBodyException e) {
      throw new InvalidWindowException("a CAPTURE page is not readable: " + e.getMessage());
    }
  }

  private void release(long id) throws IOException {
    link.request(
        MessageType.CAPTURE.code(), MessageCodec.write(CaptureMessages.Request.release(id)));
  }

  /** A window the device sent out of bounds. */
  public static final class InvalidWindowException extends RuntimeException {
    InvalidWindowException(String message) {
      super(message);
    }
  }
}
