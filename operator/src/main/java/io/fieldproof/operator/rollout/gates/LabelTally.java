package io.fieldproof.operator.rollout.gates;

/**
 * What people said of a set of captured alarm windows.
 *
 * @param trueAlarms windows labeled trueAlarm
 * @param falseAlarms windows labeled falseAlarm
 * @param sensorFaults windows labeled sensorFault: counted, not judged as the model's
 */
public record LabelTally(long trueAlarms, long falseAlarms, long sensorFaults) {

  public static final LabelTally NONE = new LabelTally(0, 0, 0);

  /** Alarm windows with a verdict on the model: trueAlarm or falseAlarm. */
  public long labeled() {
    return trueAlarms + falseAlarms;
  }

  /** falseAlarms per labeled alarm window; 0 with none labeled. */
  public double rate() {
    return labeled() == 0 ? 0 : falseAlarms / (double) labeled();
  }

  /**
   * The rate as a baseline for ratio rules: one false alarm more over one window more, so a
   * baseline without a single false alarm still allows some; NaN with no window labeled, which a
   * ratio rule cannot be judged against.
   */
  public double baselineRate() {
    return labeled() == 0 ? Double.NaN : (falseAlarms + 1) / (double) (labeled() + 1);
  }

  public LabelTally plus(LabelTally other) {
    return new LabelTally(
        trueAlarms + other.trueAlarms,
        falseAlarms + other.falseAlarms,
        sensorFaults + other.sensorFaults);
  }
}
