package io.fieldproof.device.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The bodies of CAPTURE (protocol v3, docs/device-protocol.md §4.6): the host reads the window a
 * device froze around a trigger page by page, then releases it so the device captures again.
 */
public final class CaptureMessages {

  /** The largest body of a CAPTURE page, as every frame's. */
  public static final int MAX_BODY = 4096;

  /** Bytes a page keeps for its fields other than the samples. */
  public static final int PAGE_HEADER_BUDGET = 256;

  /** The most bytes one sample takes in JSON besides its inputs, and per input. */
  public static final int SAMPLE_BUDGET = 136;

  public static final int SAMPLE_INPUT_BUDGET = 48;

  private CaptureMessages() {}

  /**
   * Samples per page for a config of {@code inputs} inputs: as many as fit a body whatever their
   * values, at least one. Both ends compute it alike, so a page never overflows.
   */
  public static int samplesPerPage(int inputs) {
    return Math.max(
        1, (MAX_BODY - PAGE_HEADER_BUDGET) / (SAMPLE_BUDGET + SAMPLE_INPUT_BUDGET * inputs));
  }

  /**
   * CAPTURE request: read the page of samples starting at {@code from} (0 when null), or, with
   * {@code release}, let go of window {@code release} once it is read.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Request(Integer from, Long release) {

    public static Request read(int from) {
      return new Request(from, null);
    }

    public static Request release(long id) {
      return new Request(null, id);
    }
  }

  /**
   * CAPTURE response. {@code ready} false (every other field absent): no window waits. Otherwise
   * window {@code id}, frozen after {@code trigger}; {@code uptimeMs} the device's uptime now;
   * {@code total} samples, the trigger's at {@code triggerIndex}; this page holds the samples from
   * {@code from}, and {@code next} is where the next page starts (absent on the last page).
   * Releasing answers {@code {"ready":false,"released":id}}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Page(
      boolean ready,
      Long released,
      Long id,
      String trigger,
      Long uptimeMs,
      Integer total,
      Integer triggerIndex,
      Integer from,
      Integer next,
      List<Sample> samples) {

    public static Page none() {
      return new Page(false, null, null, null, null, null, null, null, null, null);
    }

    public static Page released(long id) {
      return new Page(false, id, null, null, null, null, null, null, null, null);
    }
  }

  /**
   * One step of the device runtime as captured: when (device uptime, modulo 2^32), the model's
   * score (null when the model did not run), the outcome and who decided it, and per configured
   * input, in config order, the raw reading (null: dropout, or beyond float32), the normalized
   * value (null unless the reading was valid) and the verdict (ok, dropout, out_of_range, stuck,
   * unstable). Values are float32, as the device keeps them.
   */
  public record Sample(
      long uptimeMs,
      Float score,
      String outcome,
      String source,
      List<Float> raw,
      List<Float> normalized,
      List<String> verdicts) {}
}
