package io.fieldproof.device.runtime;

import io.fieldproof.device.protocol.CaptureMessages;
import io.fieldproof.protocol.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The capture of docs/field-data.md on the device: a ring of the last samples (raw and normalized
 * values, verdict per input, score, outcome and source), and a window frozen around a trigger. A
 * trigger while the ring records arms it; {@code after} samples later the window is frozen (the
 * ring stops recording) until the host releases it with CAPTURE, which also empties the ring. A
 * trigger while armed or frozen is missed (counted). RAM as the C firmware's fp_capture: {@link
 * #SAMPLE_BYTES} plus {@link #INPUT_BYTES} per input per sample, within {@link #POOL_BYTES}.
 */
public final class CaptureRing {

  /** The C firmware's capture pool (FP_CAPTURE_POOL_BYTES): the ring never takes more. */
  public static final int POOL_BYTES = 8192;

  /** Bytes of one sample besides its inputs: uptime (u32), score (f32), outcome, source, pad. */
  public static final int SAMPLE_BYTES = 12;

  /** Bytes of one input of one sample: raw (f32), normalized (f32), verdict (u8). */
  public static final int INPUT_BYTES = 9;

  private enum State {
    RECORDING,
    ARMED,
    FROZEN
  }

  private record Stored(
      long uptimeMs,
      float score,
      Decision decision,
      float[] raw,
      float[] normalized,
      ReadingVerdict[] verdicts) {}

  private final int inputs;
  private final int capacity;
  private final int after;
  private final Stored[] ring;
  private int start;
  private int count;
  private State state = State.RECORDING;
  private int remaining;
  private String trigger;
  private long captures;
  private long missed;

  CaptureRing(RuntimeConfig.Capture config, int inputs) {
    this.inputs = inputs;
    this.capacity = capacity(config.before(), config.after(), inputs);
    this.after = Math.min(Math.max(0, config.after()), capacity - 1);
    this.ring = new Stored[capacity];
  }

  /** Samples the ring holds for a window of before + 1 + after, within the pool; at least 1. */
  public static int capacity(int before, int after, int inputs) {
    long wanted = (long) Math.max(0, before) + Math.max(0, after) + 1;
    long fit = POOL_BYTES / (SAMPLE_BYTES + (long) INPUT_BYTES * Math.max(0, inputs));
    return (int) Math.max(1, Math.min(wanted, fit));
  }

  /** RAM of the ring for a config of {@code inputs} inputs. */
  public static long bytes(int before, int after, int inputs) {
    return (long) capacity(before, after, inputs) * (SAMPLE_BYTES + (long) INPUT_BYTES * inputs);
  }

  /** Keeps one step, unless a window is frozen; the last of an armed window freezes it. */
  void record(
      long uptimeMs,
      double score,
      Decision decision,
      Map<String, Double> raw,
      List<String> names,
      double[] normalized,
      ReadingVerdict[] verdicts) {
    if (state == State.FROZEN) {
      return;
    }
    float[] rawValues = new float[inputs];
    float[] normalizedValues = new float[inputs];
    for (int i = 0; i < inputs; i++) {
      Double value = raw.get(names.get(i));
      rawValues[i] = value == null ? Float.NaN : (float) value.doubleValue();
      normalizedValues[i] = verdicts[i].valid() ? (float) normalized[i] : Float.NaN;
    }
    Stored sample =
        new Stored(
            uptimeMs & 0xFFFF_FFFFL,
            (float) score,
            decision,
            rawValues,
            normalizedValues,
            verdicts.clone());
    ring[(start + count) % capacity] = sample;
    if (count < capacity) {
      count++;
    } else {
      start = (start + 1) % capacity;
    }
    if (state == State.ARMED && --remaining <= 0) {
      freeze();
    }
  }

  /** A trigger fired on the step just recorded. */
  void trigger(String name) {
    if (state != State.RECORDING || count == 0) {
      missed++;
      return;
    }
    trigger = name;
    state = State.ARMED;
    remaining = after;
    if (remaining == 0) {
      freeze();
    }
  }

  private void freeze() {
    state = State.FROZEN;
    captures++;
  }

  /** The page of the frozen window from sample {@code from}, or none when nothing is frozen. */
  public CaptureMessages.Page page(int from, long uptimeNow) {
    if (state != State.FROZEN) {
      return CaptureMessages.Page.none();
    }
    int first = Math.max(0, Math.min(from, count));
    int end = Math.min(count, first + CaptureMessages.samplesPerPage(inputs));
    List<CaptureMessages.Sample> samples = new ArrayList<>();
    for (int i = first; i < end; i++) {
      samples.add(wire(ring[(start + i) % capacity]));
    }
    return new CaptureMessages.Page(
        true,
        null,
        captures,
        trigger,
        uptimeNow,
        count,
        count - 1 - after,
        first,
        end < count ? end : null,
        samples);
  }

  /** Lets go of window {@code id}: the ring empties and records again. False: no such window. */
  public boolean release(long id) {
    if (state != State.FROZEN || id != captures) {
      return false;
    }
    state = State.RECORDING;
    start = 0;
    count = 0;
    trigger = null;
    return true;
  }

  /** Windows frozen, triggers missed (armed or frozen), and whether a window waits (0/1). */
  public void counters(Map<String, Long> out) {
    out.put("capturePending", state == State.FROZEN ? 1L : 0L);
    out.put("captures", captures);
    out.put("capturesMissed", missed);
  }

  private CaptureMessages.Sample wire(Stored s) {
    List<Float> raw = new ArrayList<>();
    List<Float> normalized = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      raw.add(finite(s.raw()[i]));
      normalized.add(finite(s.normalized()[i]));
      verdicts.add(verdictName(s.verdicts()[i]));
    }
    return new CaptureMessages.Sample(
        s.uptimeMs(),
        finite(s.score()),
        outcomeName(s.decision().outcome()),
        sourceName(s.decision().source()),
        raw,
        normalized,
        verdicts);
  }

  private static Float finite(float value) {
    return Float.isFinite(value) ? value : null;
  }

  static String verdictName(ReadingVerdict verdict) {
    return verdict.valid() ? "ok" : verdict.rejectionKind();
  }

  static String outcomeName(Decision.Outcome outcome) {
    return switch (outcome) {
      case NORMAL -> "normal";
      case ALARM -> "alarm";
      case SUPPRESSED -> "suppressed";
      case SAFE_STATE -> "safe-state";
    };
  }

  static String sourceName(Decision.Source source) {
    return switch (source) {
      case NONE -> "none";
      case MODEL -> "model";
      case RULE -> "rule";
      case HOLD_LAST -> "hold-last";
    };
  }
}
